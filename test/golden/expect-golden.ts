import { expect } from 'vitest';
import { describeChanges, readGolden, type Golden } from './golden-files.js';

/** Compares a golden's computed lines with its committed file, explaining what moved on failure. */
export async function expectGolden({ file, compute }: Golden): Promise<void> {
  const expected = readGolden(file);
  const actual = await compute();
  expect(
    actual.join('\n') === expected.join('\n'),
    `test/golden/${file} no longer matches the defaults:\n${describeChanges(expected, actual).join('\n')}\n` +
      'If the change is intended, run `npm run golden:update` and commit the new file.',
  ).toBe(true);
}
