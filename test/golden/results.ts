import { isMutationRun } from '../helpers/test-effort.js';
import { readGolden, type Golden } from './golden-files.js';
import { kommuneRankingLines } from './kommune-ranking.js';
import { sampleExplanationLines } from './sample-explanations.js';
import { sampleLotLines } from './sample-lots.js';

/** What the defaults produce: the sample kommune's lots, their explanations and the kommune ranking. */
export const GOLDEN_RESULTS: Golden[] = [
  { name: 'sample kommune lots', file: 'sample-lots.expected.tsv', compute: () => sampleLotLines() },
  { name: 'kommune ranking', file: 'kommune-ranking.expected.tsv', compute: () => kommuneRankingLines() },
  {
    name: 'reviewed explanations',
    file: 'sample-explanations.expected.tsv',
    compute: () => sampleExplanationLines(explainedLotsUnderMutation()),
  },
];

/**
 * Against each mutant (`npm run test:mutation`) the reviewed explanations score only the lots the
 * committed file explains, not all 694 twice: a mutant that moves another lot's score shows in the
 * golden lots. `npm test` scores them all and picks afresh.
 */
function explainedLotsUnderMutation(): ReadonlySet<string> | undefined {
  if (!isMutationRun()) return undefined;
  const rows = readGolden('sample-explanations.expected.tsv').filter((line) => !line.startsWith('#'));
  return new Set(rows.map((line) => line.slice(0, line.indexOf(':'))));
}
