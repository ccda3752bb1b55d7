import type { LotScoreRules } from '../../config/lot-score-rules.js';
import type { KommuneFigures } from '../kommune/types.js';
import type { CoverageFlags } from '../../domain/kommune.js';
import { tierOf, type Lot, type LotScore } from '../../domain/lot.js';
import type { CapacityResult } from './capacity.js';
import { confidenceOf } from './confidence.js';
import { explainScore } from './explanation.js';
import { capacityFactor } from './factors/capacity.js';
import { centralityFactor } from './factors/centrality.js';
import { conflictFactor } from './factors/conflict.js';
import { infrastructureFactor } from './factors/infrastructure.js';
import { kommuneWillFactor } from './factors/kommune-will.js';
import { ownershipFactor, type OwnershipInput } from './factors/ownership.js';
import { sizeFactor } from './factors/size.js';
import type { LotMeasures } from './lot-measurer.js';
import { combineFactors } from './total.js';

export interface LotScoreInputs {
  measures: LotMeasures;
  /** The lot's area outside severe constraints (the whole lot when they do not count). */
  buildableM2: number;
  capacity: CapacityResult;
  ownership: OwnershipInput;
  /** The ranking's will-to-build factor (Kommunal vilje). */
  byggevilje: KommuneFigures['byggevilje'];
  coverage: CoverageFlags;
  /** Sentralitet is measured from the kommune's representative point. */
  fallbackCentre: boolean;
  /** Why (`Centres.fallbackWhy`), said beside the point; absent: not known. */
  fallbackCentreWhy?: string | null;
  /** The kommune has stop data (Entur, kept or bundled); without it Sentralitet is the centre alone. */
  transitKnown: boolean;
  /** Stop data was sought and is missing (lowers confidence); absent: not sought. */
  transitUnavailable: boolean;
  /** National layers not checked for the kommune (lower confidence, named in the explanation). */
  uncheckedLayers?: readonly string[];
}

/** A lot's score from its measures: the seven factors, total, tier, confidence and explanation. Pure. */
export function scoreLot(
  lot: Pick<Lot, 'arealM2' | 'zone' | 'zoneRepairs' | 'planarbeidPagar'>,
  inputs: LotScoreInputs,
  rules: LotScoreRules,
): LotScore {
  const { measures, capacity } = inputs;
  const combined = combineFactors(
    {
      storrelse: sizeFactor(lot.arealM2, inputs.buildableM2, rules.storrelse),
      kapasitet: capacityFactor(capacity, rules.kapasitet),
      sentralitet: centralityFactor(
        {
          centre: measures.centre,
          fallback: inputs.fallbackCentre,
          fallbackWhy: inputs.fallbackCentreWhy ?? null,
          transitKnown: inputs.transitKnown,
          transitUnavailable: inputs.transitUnavailable,
          transit: measures.transit,
        },
        rules.sentralitet,
      ),
      infrastruktur: infrastructureFactor(
        measures.access,
        inputs.coverage.reguleringsplan !== 'not-covered',
        rules.infrastruktur,
      ),
      konfliktfrihet: conflictFactor(measures.constraints),
      kommunalVilje: kommuneWillFactor(inputs.byggevilje),
      eierstruktur: ownershipFactor(inputs.ownership, rules.eierstruktur),
    },
    rules,
  );
  const confidence = confidenceOf(
    {
      coverage: inputs.coverage,
      zoneRepairs: lot.zoneRepairs,
      planarbeidPagar: lot.planarbeidPagar,
      missing: combined.missing,
      missingShare: combined.missingShare,
      fallbackCentre: inputs.fallbackCentre && measures.centre !== null,
      utnyttingLost: capacity.utnyttingLost,
      transitUnavailable: inputs.transitUnavailable,
      uncheckedLayers: inputs.uncheckedLayers,
      unmappedHazards: measures.mapping.hazards,
    },
    rules.confidence,
  );
  const { utnyttingLost: _lost, ...estimate } = capacity;
  const parts: Omit<LotScore, 'explanation'> = {
    total: combined.total,
    tier: tierOf(combined.total),
    factors: combined.factors,
    constraints: measures.constraints,
    capacity: estimate,
    confidence: confidence.level,
    confidenceReasons: confidence.reasons,
  };
  return {
    ...parts,
    explanation: explainScore({
      lot,
      ...parts,
      uncheckedLayers: inputs.uncheckedLayers,
      unmappedLayers: measures.mapping.layers,
    }),
  };
}
