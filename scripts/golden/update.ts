/**
 * `npm run golden:update`: recomputes the golden files of test/golden/ with the default rules and
 * prints what moved, so the reviewer of a rule or weight change sees its effect before accepting it.
 */
import { existsSync } from 'node:fs';
import { GOLDEN_DEFAULTS } from '../../test/golden/defaults.js';
import { describeChanges, goldenPath, readGolden, writeGolden } from '../../test/golden/golden-files.js';
import { GOLDEN_RESULTS } from '../../test/golden/results.js';

for (const golden of [...GOLDEN_DEFAULTS, ...GOLDEN_RESULTS]) {
  const actual = await golden.compute();
  const expected = existsSync(goldenPath(golden.file)) ? readGolden(golden.file) : [];
  if (expected.join('\n') === actual.join('\n')) {
    console.log(`${golden.file}: unchanged`);
    continue;
  }
  console.log(`${golden.file}: updated`);
  for (const line of describeChanges(expected, actual)) console.log(line);
  writeGolden(golden.file, actual);
}
