import { formatPercent } from '../../util/norwegian-format.js';
import type { UnmappedShare } from './mapped-share.js';
import { joinNorwegian } from './wording.js';

const whole = (s: UnmappedShare) => s.fraction >= 0.995;
/** "flomfare for tomten", "skredfare for 40 % av tomten". */
const forShare = (s: UnmappedShare) =>
  `${s.label} for ${whole(s) ? 'tomten' : `${formatPercent(s.fraction)} av tomten`}`;
/** "flomsoner (hele tomten)", "aktsomhetsområder for flom (40 % av tomten)". */
const withShare = (s: UnmappedShare) =>
  `${s.label} (${whole(s) ? 'hele tomten' : `${formatPercent(s.fraction)} av tomten`})`;

/**
 * The Norwegian for land NVE has not mapped (outside a hazard layer's coverage), kept apart so
 * the wording can be reviewed on its own. Not mapped is not safe, and not a hazard either.
 */
export const MAPPING_WORDING = {
  /** The confidence reason, per hazard: "NVE har ikke kartlagt flomfare for tomten." */
  confidenceReason: (hazards: readonly UnmappedShare[]) =>
    `NVE har ikke kartlagt ${joinNorwegian(hazards.map(forShare))}.`,
  /** The explanation's sentence, per layer: "Ikke kartlagt av NVE: flomsoner (40 % av tomten)." */
  notMapped: (layers: readonly UnmappedShare[]) =>
    `Ikke kartlagt av NVE: ${joinNorwegian(layers.map(withShare))}.`,
} as const;
