import { formatPercent } from '../../util/norwegian-format.js';
import type { UnmappedShare } from './mapped-share.js';
import { joinNorwegian } from './wording.js';

/** "flomsoner for tomten", "skredfaresoner for 40 % av tomten". */
const forShare = (s: UnmappedShare) =>
  `${s.label} for ${s.fraction >= 0.995 ? 'tomten' : `${formatPercent(s.fraction)} av tomten`}`;

/**
 * The Norwegian for land NVE has not mapped (outside a hazard layer's coverage), kept apart so
 * the wording can be reviewed on its own. Not mapped is not safe, and not a hazard either.
 */
export const MAPPING_WORDING = {
  /** The confidence reason, per hazard: "NVE har ikke kartlagt flomfare for tomten." */
  confidenceReason: (hazards: readonly UnmappedShare[]) =>
    `NVE har ikke kartlagt ${joinNorwegian(hazards.map(forShare))}.`,
  /** The explanation's sentence, per layer: "Ikke kartlagt av NVE: flomsoner for 40 % av tomten." */
  notMapped: (layers: readonly UnmappedShare[]) =>
    `Ikke kartlagt av NVE: ${joinNorwegian(layers.map(forShare))}.`,
} as const;
