/**
 * One process of `npm run bench:engine`'s lots-only measurement: the kommune's files read as a
 * files source reads them (plans on this thread, parcel pages shared with a worker thread), the
 * lot engine on its worker threads, the lots written as GeoJSON (EPSG:25833): read, compute,
 * write, as PostGIS's side loads, queries and writes its result tables, without the nightly run's
 * scoring, records, store and last-good copies. Plain JavaScript on the compiled engine, as
 * production runs it. Usage: node engine-lots-process.mjs <kommuneplan> <reguleringsplan> <teiger> <kommunenummer> <out.geojson>
 */
import { writeFileSync } from 'node:fs';
import { defaultRules } from '../../sync/dist/config/rules.js';
import { findLots } from '../../sync/dist/engine/find-lots.js';
import { readParcelsOnThreads } from '../../sync/dist/sources/files/read-parcels-thread.js';
import { readPlanFeatures } from '../../sync/dist/sources/files/read-plan-features.js';

const [kommuneplanFile, reguleringsplanFile, teiger, kommunenummer, out] = process.argv.slice(2);
const [kommuneplan, reguleringsplan, parcels] = await Promise.all([
  readPlanFeatures(kommuneplanFile),
  readPlanFeatures(reguleringsplanFile),
  readParcelsOnThreads(teiger),
]);
const { lots } = await findLots(
  {
    kommune: {
      kommunenummer,
      navn: kommunenummer,
      fylkesnummer: kommunenummer.slice(0, 2),
      fylkesnavn: null,
    },
    kommuneplan,
    reguleringsplan,
    parcels,
    coverage: { kommuneplan: 'covered', reguleringsplan: 'covered', parcels: 'covered' },
    boundary: null,
    centre: null,
    sources: { kommuneplan: kommuneplanFile, reguleringsplan: reguleringsplanFile, parcels: teiger },
  },
  defaultRules().engine,
);
const features = lots.map((lot) => ({
  type: 'Feature',
  properties: {
    tomtId: lot.tomtId,
    zone: lot.zone.lokalId,
    matrikkelnummertekst: lot.matrikkelnummertekst,
    arealM2: lot.arealM2,
    planarbeidPagar: lot.planarbeidPagar,
  },
  geometry: lot.geometry,
}));
const crs = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::25833' } };
writeFileSync(out, JSON.stringify({ type: 'FeatureCollection', crs, features }));
