import type { LotScoreRules } from '../../config/lot-score-rules.js';
import type { KommuneData } from '../../domain/kommune.js';
import type { Lot, ScoredLot } from '../../domain/lot.js';
import { isAreaGeometry } from '../../domain/geometry.js';
import { lokalIdOf, PlanObjectType } from '../../domain/plan.js';
import { getGeos, type Geos } from '../../geo/geos.js';
import { planarArea } from '../../geo/measure.js';
import { silentProgress } from '../../util/progress.js';
import { NO_KOMMUNE_FIGURES, type KommuneFigures } from '../kommune/types.js';
import { estimateCapacity } from './capacity.js';
import { centresFor, type Centres } from './centres.js';
import { densityClassOf } from './density-class.js';
import { ownershipInputs, type OwnershipInput } from './factors/ownership.js';
import { uncheckedLayers } from './layer-wording.js';
import { LotMeasurer, measuredZonesOf, type MeasuredZones } from './lot-measurer.js';
import { scoreLot } from './score-lot.js';
import type { LotScoreContext } from './types.js';
import { estimateValue } from './value.js';

/** How often the progress line is updated. */
export const PROGRESS_EVERY = 100;

/** Areas of the kommuneplan zones by lokalId: a plan's m² utnytting is for the whole zone. */
function zoneAreas(data: KommuneData): Map<string, number | null> {
  const areas = new Map<string, number | null>();
  for (const feature of data.kommuneplan) {
    if (
      feature.objekttypenavn !== PlanObjectType.KpArealformalOmrade &&
      feature.objekttypenavn !== PlanObjectType.KpArealbrukOmrade
    )
      continue;
    const id = lokalIdOf(feature);
    const area = isAreaGeometry(feature.geometry) ? planarArea(feature.geometry) : null;
    // Stryker disable next-line ConditionalExpression: an area stored under a null id is never looked up (a lot's zone has a lokalId)
    if (id) areas.set(id, area);
  }
  return areas;
}

/** Everything a kommune's lots are scored with besides the lots and their owners, worked out once from the context. */
export interface LotScoreInputs {
  kommunenummer: string;
  rules: LotScoreRules;
  centres: Centres;
  zones: MeasuredZones;
  zoneArea: Map<string, number | null>;
  kommune: KommuneFigures;
  density: ReturnType<typeof densityClassOf>;
  unchecked: string[];
  coverage: KommuneData['coverage'];
  fallbackGrid: number;
}

export function lotScoreInputs(context: LotScoreContext): LotScoreInputs {
  const { data, rules } = context;
  const kommunenummer = data.kommune.kommunenummer;
  const kommune = context.kommune ?? NO_KOMMUNE_FIGURES;
  return {
    kommunenummer,
    rules,
    centres: centresFor(kommunenummer, rules.sentralitet, data.centre, data.tettsted),
    zones: measuredZonesOf(context, rules),
    zoneArea: zoneAreas(data),
    kommune,
    density: densityClassOf(kommunenummer, kommune.centralityClass, rules.capacity),
    unchecked: uncheckedLayers(data.layerStatus),
    coverage: data.coverage,
    // Stryker disable next-line LogicalOperator: the grid is used only when an exact GEOS overlay fails (near-coincident edges), which no test input provokes
    fallbackGrid: context.fallbackPrecisionM ?? 0.001,
  };
}

/** What scoring adds to a lot. */
export type LotScorePart = Pick<ScoredLot, 'score' | 'value'>;

/**
 * Scores lots of one kommune one at a time, against its inputs: each lot's score depends on the
 * lot, the inputs and its opportunity's owners alone. Holds GEOS memory until `dispose()`.
 */
export class LotScorer {
  private readonly measurer: LotMeasurer;

  constructor(
    geos: Geos,
    private readonly inputs: LotScoreInputs,
  ) {
    this.measurer = new LotMeasurer(geos, inputs.zones, inputs.centres, inputs.rules, inputs.fallbackGrid);
  }

  /** `owners`: `ownershipInputs` over (at least) every lot of the lot's opportunity. */
  score(lot: Lot, owners: ReadonlyMap<string, OwnershipInput>): LotScorePart {
    const { rules, centres, kommune, density } = this.inputs;
    const measures = this.measurer.measure(lot);
    const buildableM2 = rules.constraints.severeIsUnbuildable
      ? lot.arealM2 * (1 - measures.severeFraction)
      : lot.arealM2;
    const capacity = estimateCapacity(
      {
        lotAreaM2: buildableM2,
        unbuildableM2: lot.arealM2 - buildableM2,
        zone: lot.zone,
        zoneAreaM2: this.inputs.zoneArea.get(lot.zone.lokalId) ?? null,
        ...density,
      },
      rules.capacity,
    );
    const score = scoreLot(
      lot,
      {
        measures,
        buildableM2,
        capacity,
        ownership: owners.get(lot.tomtId)!,
        byggevilje: kommune.byggevilje,
        coverage: this.inputs.coverage,
        fallbackCentre: centres.fallback,
        fallbackCentreWhy: centres.fallbackWhy,
        transitKnown: this.measurer.transitKnown,
        transitUnavailable: this.measurer.transitUnavailable,
        uncheckedLayers: this.inputs.unchecked,
      },
      rules,
    );
    return { score, value: estimateValue(score.capacity, kommune.pricePerM2, rules.value) };
  }

  /** What the lots are scored against: the progress line's last words. */
  against(): ScoredAgainst {
    const { constraintZoneCount, transitStopCount } = this.measurer;
    return { constraintZoneCount, transitStopCount };
  }

  // Stryker disable next-line BlockStatement: frees GEOS memory only, no score changes
  dispose(): void {
    this.measurer.dispose();
  }
}

export interface ScoredAgainst {
  constraintZoneCount: number;
  transitStopCount: number;
}

/** The progress line's last words: what the lots were scored against. */
export const scoredAgainst = (count: number, against: ScoredAgainst) =>
  `${count} lots scored against ${against.constraintZoneCount} constraint zones and ${against.transitStopCount} stops`;

/**
 * Scores one kommune's lots (issue 6): seven factors, constraint fractions, estimated homes with
 * the method, confidence and a Norwegian explanation per lot, in the input order. Deterministic:
 * the same lots and context give the same scores. GEOS memory is freed before it returns.
 */
export async function scoreLots(lots: readonly Lot[], context: LotScoreContext): Promise<ScoredLot[]> {
  const inputs = lotScoreInputs(context);
  const progress = (context.progress ?? silentProgress).stage(
    `${inputs.kommunenummer} score lots`,
    lots.length,
  );
  const owners = ownershipInputs(lots, context.ownerCounts);
  const scorer = new LotScorer(await getGeos(), inputs);
  try {
    const scored = lots.map((lot, i) => {
      const part = scorer.score(lot, owners);
      if ((i + 1) % PROGRESS_EVERY === 0) progress.tick(PROGRESS_EVERY);
      return { ...lot, ...part };
    });
    progress.done(scoredAgainst(lots.length, scorer.against()));
    return scored;
  } finally /* Stryker disable next-line BlockStatement: frees GEOS memory only, no score changes */ {
    scorer.dispose();
  }
}
