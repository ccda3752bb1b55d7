import type { Golden } from './golden-files.js';
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
    compute: () => sampleExplanationLines(),
  },
];
