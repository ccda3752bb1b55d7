/**
 * npm run score:sample — runs the lot engine and the lot score on the generated sample kommune and
 * prints the report `tomtejakt run` prints: tier distribution and the top lots with their reasons.
 * GENERATED DATA, NOT REAL PLANS.
 *
 * Options: --top N (default 10), --byggevilje N (the kommune ranking's Byggevilje percentile to
 *          assume, default 65; none leaves Kommunal vilje without data), --price N (kr per m², default
 *          55 111: Ås 2024 in SSB 06035, sales-weighted; none: no value estimate), --centrality N (SSB
 *          class 1–6, default none: the default density class), --no-reguleringsplan (as for a
 *          kommune whose reguleringsplaner the source does not cover), --fallback-centre (measure
 *          Sentralitet from the kommune's representative point instead of a configured centre),
 *          --large (the benchmark kommune).
 */
import { parseArgs } from 'node:util';
import { parseRules } from '../../sync/src/config/rules.js';
import { findLots } from '../../sync/src/engine/find-lots.js';
import { formatScoreReport } from '../../sync/src/scoring/lot/report.js';
import { scoreLots } from '../../sync/src/scoring/lot/score-lots.js';
import type { KommuneFigures } from '../../sync/src/scoring/kommune/types.js';
import type { TransitData } from '../../sync/src/domain/transit.js';
import { parseDepartures } from '../../sync/src/sources/entur/departures.js';
import { parseStopPlaces, withDepartures } from '../../sync/src/sources/entur/stop-places.js';
import { journeyPlannerDepartures, journeyPlannerStops, SAMPLE_DEPARTURE_WINDOW } from './sample-stops.js';
import { kommuneDataOf } from './kommune-data.js';
import { generateKommune, LARGE_OPTIONS, SAMPLE_OPTIONS } from './kommune-generator.js';

const { values } = parseArgs({
  options: {
    top: { type: 'string', default: '10' },
    byggevilje: { type: 'string', default: '65' },
    price: { type: 'string', default: '55111' },
    centrality: { type: 'string', default: 'none' },
    'no-reguleringsplan': { type: 'boolean', default: false },
    'fallback-centre': { type: 'boolean', default: false },
    large: { type: 'boolean', default: false },
  },
});
const options = values.large ? LARGE_OPTIONS : SAMPLE_OPTIONS;
const generated = generateKommune(options);
const notCovered = values['no-reguleringsplan'];
const data = kommuneDataOf(generated, { reguleringsplan: notCovered ? 'not-covered' : 'covered' });
const [east, north] = generated.centre.coordinates;
const rules = parseRules(
  values['fallback-centre']
    ? {}
    : {
        lotScore: {
          sentralitet: { centres: { [options.kommunenummer]: [{ name: 'sentrum', east, north }] } },
        },
      },
);
const given = (value: string | undefined) => (value === undefined || value === 'none' ? null : Number(value));
const byggevilje = given(values.byggevilje);
const price = given(values.price);
const kommune: KommuneFigures = {
  byggevilje: byggevilje === null ? null : { value: byggevilje / 100, raw: null, year: null },
  pricePerM2: price === null ? null : { value: price, year: '2024' },
  centralityClass: given(values.centrality),
};
const transit: TransitData = {
  status: 'bundled',
  source: 'generated',
  fetchedAt: null,
  stops: withDepartures(
    parseStopPlaces(journeyPlannerStops(generated)),
    parseDepartures(journeyPlannerDepartures(generated), SAMPLE_DEPARTURE_WINDOW.hours),
  ),
};

const engineStarted = performance.now();
const { lots } = await findLots(data, rules.engine, { workers: 1 });
const engineMs = performance.now() - engineStarted;
const scoreStarted = performance.now();
const scored = await scoreLots(lots, { data: { ...data, transit }, kommune, rules: rules.lotScore });
const scoreMs = performance.now() - scoreStarted;

console.log(
  `Generated kommune ${options.kommunenummer} ${options.kommunenavn} (seed ${options.seed}; not real plans): ` +
    `${generated.parcels.length} parcels, ${generated.kommuneplan.length + data.reguleringsplan.length} plan features` +
    `${notCovered ? ', reguleringsplan not covered' : ''}; Byggevilje ${byggevilje ?? 'none'}, price ${price ?? 'none'} kr/m² (assumed); ${transit.stops.length} generated stops; ` +
    `centre ${values['fallback-centre'] ? 'not configured (representative point)' : 'configured'}`,
);
console.log(
  `Engine ${(engineMs / 1000).toFixed(2)} s (1 thread); scoring ${(scoreMs / 1000).toFixed(2)} s, ` +
    `${(scoreMs / Math.max(1, scored.length)).toFixed(2)} ms per lot\n`,
);
console.log(formatScoreReport(scored, { top: Number(values.top) }));
