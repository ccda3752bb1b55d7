import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Test file order for the mutation run: fastest first. Stryker runs each mutant against the tests
 * that cover it and stops at the first failure (vitest `bail: 1`), so a quick unit test that kills
 * the mutant spares the slow golden and property files. Vitest's own order is the opposite
 * (longest first). Durations come from vitest's results cache as the run goes; a file not yet
 * timed goes by size, smallest first.
 */
export class FastFirstSequencer extends BaseSequencer {
  override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    const key = (file: TestSpecification) =>
      `${file.project.name}:${relative(this.ctx.config.root, file.moduleId)}`;
    const cost = (file: TestSpecification) =>
      cache.getFileTestResults(key(file))?.duration ??
      Number.MAX_SAFE_INTEGER / 2 + (cache.getFileStats(key(file))?.size ?? 0);
    return Promise.resolve([...files].sort((a, b) => cost(a) - cost(b)));
  }
}
