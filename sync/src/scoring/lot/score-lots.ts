import type { KommuneData } from '../../domain/kommune.js';
import type { Lot, ScoredLot } from '../../domain/lot.js';
import { isAreaGeometry } from '../../domain/geometry.js';
import { lokalIdOf, PlanObjectType } from '../../domain/plan.js';
import { getGeos } from '../../geo/geos.js';
import { planarArea } from '../../geo/measure.js';
import { silentProgress } from '../../util/progress.js';
import { NO_KOMMUNE_FIGURES } from '../kommune/types.js';
import { estimateCapacity } from './capacity.js';
import { centresFor } from './centres.js';
import { densityClassOf } from './density-class.js';
import { ownershipInputs } from './factors/ownership.js';
import { uncheckedLayers } from './layer-wording.js';
import { LotMeasurer } from './lot-measurer.js';
import { scoreLot } from './score-lot.js';
import type { LotScoreContext } from './types.js';
import { estimateValue } from './value.js';

/** How often the progress line is updated. */
const PROGRESS_EVERY = 100;

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

/**
 * Scores one kommune's lots (issue 6): seven factors, constraint fractions, estimated homes with
 * the method, confidence and a Norwegian explanation per lot, in the input order. Deterministic:
 * the same lots and context give the same scores. GEOS memory is freed before it returns.
 */
export async function scoreLots(lots: readonly Lot[], context: LotScoreContext): Promise<ScoredLot[]> {
  const geos = await getGeos();
  const { data, rules } = context;
  const kommunenummer = data.kommune.kommunenummer;
  const progress = (context.progress ?? silentProgress).stage(`${kommunenummer} score lots`, lots.length);
  const centres = centresFor(kommunenummer, rules.sentralitet, data.centre, data.tettsted);
  // Stryker disable next-line LogicalOperator: the grid is used only when an exact GEOS overlay fails (near-coincident edges), which no test input provokes
  const measurer = new LotMeasurer(geos, context, centres, rules, context.fallbackPrecisionM ?? 0.001);
  try {
    const owners = ownershipInputs(lots, context.ownerCounts);
    const zoneArea = zoneAreas(data);
    const kommune = context.kommune ?? NO_KOMMUNE_FIGURES;
    const density = densityClassOf(kommunenummer, kommune.centralityClass, rules.capacity);
    const unchecked = uncheckedLayers(data.layerStatus);
    const scored = lots.map((lot, i) => {
      const measures = measurer.measure(lot);
      const buildableM2 = rules.constraints.severeIsUnbuildable
        ? lot.arealM2 * (1 - measures.severeFraction)
        : lot.arealM2;
      const capacity = estimateCapacity(
        {
          lotAreaM2: buildableM2,
          unbuildableM2: lot.arealM2 - buildableM2,
          zone: lot.zone,
          zoneAreaM2: zoneArea.get(lot.zone.lokalId) ?? null,
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
          coverage: data.coverage,
          fallbackCentre: centres.fallback,
          fallbackCentreWhy: centres.fallbackWhy,
          transitKnown: measurer.transitKnown,
          transitUnavailable: measurer.transitUnavailable,
          uncheckedLayers: unchecked,
        },
        rules,
      );
      if ((i + 1) % PROGRESS_EVERY === 0) progress.tick(PROGRESS_EVERY);
      return { ...lot, score, value: estimateValue(score.capacity, kommune.pricePerM2, rules.value) };
    });
    progress.done(
      `${lots.length} lots scored against ${measurer.constraintZoneCount} constraint zones and ${measurer.transitStopCount} stops`,
    );
    return scored;
  } finally /* Stryker disable next-line BlockStatement: frees GEOS memory only, no score changes */ {
    measurer.dispose();
  }
}
