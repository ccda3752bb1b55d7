/**
 * The bad-input suite: malformed answers from every service, each of which must end in a typed
 * SourceError that names the kommune, the source and the (redacted) URL, while the process keeps
 * going and nothing stored before is lost (the part falls back to its last good copy).
 *
 * NAP OGC API-Features (kommuneplan, source "nap"):
 *   1 HTML error page with HTTP 200            2 OWS ExceptionReport with HTTP 200
 *   3 JSON cut off mid-document                4 connection reset mid-body (every attempt)
 *   5 a JSON array                             6 a FeatureCollection without "features"
 *   7 an OGC API error object with HTTP 200    8 an empty body
 *   9 Content-Crs EPSG:4326 (not asked for)   10 a legacy crs member naming EPSG:2056
 *  11 lon/lat numbers under Content-Crs 25833 12 features of another kommune (filter ignored)
 *  13 invalid JSON syntax                     14 HTTP 500 that does not end
 *  15 HTTP 429 that does not end              16 HTTP 401
 *  17 a `next` link that loops                18 a collections document without "collections"
 *  19 no KpOmråde collection                  20 XML that is no exception report
 * Teig WFS (parcels, source "teig-wfs"):
 *  21 GML cut off mid-document                22 OWS ExceptionReport with HTTP 200
 *  23 HTML page with HTTP 200                 24 another XML vocabulary (KML)
 *  25 geometry in an unknown CRS (EPSG:31466) 26 swapped axes: every parcel outside Norway
 *  27 wfs:truncatedResponse                   28 plain text, not XML
 *  29 HTTP 504 that does not end (the recorded outage)  30 XML that is not well-formed
 *  31 an empty body
 * A kommune's own WFS (reguleringsplan, source "kommune-wfs"):
 *  32 numberMatched=500 but the pages end early   33 ServiceExceptionReport with HTTP 200
 *  34 HTTP 503 that does not end
 * NAP WMS GetFeatureInfo probe (source "nap-wms"):
 *  35 LayerNotDefined with HTTP 200           36 a non-empty answer in EPSG:3857
 *  37 answers slower than the timeout         38 HTML page with HTTP 200
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKommuneData, type LoadedKommuneData } from '../../../sync/src/sources/kommune-data.js';
import { SourceError, type SourceFailureKind } from '../../../sync/src/util/errors.js';
import type { Double, Fault } from '../../doubles/double.js';
import { startKommuneinfoDouble } from '../../doubles/kommuneinfo/server.js';
import { generatePlans, utm33 } from '../../doubles/nap/plan-data.js';
import { napApisFor, startNapDouble, type NapDouble } from '../../doubles/nap/server.js';
import {
  parcelGrid,
  startTeigDouble,
  teigCollection,
  teigMember,
  type TeigDouble,
} from '../../doubles/teig/server.js';
import { kommunePlanRows, startWfsDouble, type WfsDouble } from '../../doubles/wfs/server.js';
import { RECORDED_VN1, startWmsDouble } from '../../doubles/wms/server.js';
import { reference } from './files/helpers.js';
import { dataFolder, NAP_CREDENTIALS, registryFor } from './source-test-kit.js';

const ORIGIN = utm33(10.79, 59.66);
const AS = generatePlans('3218', ORIGIN, { zones: 8, plans: 3 });
const FOLLO = generatePlans('3207', utm33(10.85, 59.75), { zones: 2, plans: 1 });
const GRID = parcelGrid('3218', ORIGIN, 6, 6, 50, '3207');
const BERGEN_167_714: [number, number] = [-31841.977, 6735304.036];

let nap: NapDouble;
let teig: TeigDouble;
let wfs: WfsDouble;
let wms: Double;
let kommuneinfo: Double;
let folder: ReturnType<typeof dataFolder>;
let baseline: LoadedKommuneData;

const sources = () => ({
  sources: {
    'kommune-wfs': {
      type: 'wfs',
      url: `${wfs.url}/geoserver/wfs`,
      typeNames: { reguleringsplan: { 'plan:RPOMRADE': 'RpOmråde' } },
      attributes: {
        planid: 'arealplanId.planidentifikasjon',
        planstat: 'planstatus',
        lokalid: 'identifikasjon.lokalId',
      },
      pageSize: 10,
    },
    'teig-wfs': { type: 'teig-wfs', tileSizeM: 5000, pageSize: 100 },
    'nap-wms': { type: 'nap-wms', url: `${wms.url}/wms`, vertikalniva: [1] },
  },
  kommuner: { '3218': { reguleringsplan: 'kommune-wfs' } },
});
const registry = (timeoutMs?: number) =>
  registryFor({
    napUrl: nap.url,
    teigUrl: teig.url,
    kommuneinfoUrl: kommuneinfo.url,
    sources: sources(),
    cacheDir: folder.cacheDir,
    maxRetries: 1,
    timeoutMs,
  }).registry;

beforeAll(async () => {
  nap = await startNapDouble({ apis: napApisFor([AS, FOLLO]), credentials: NAP_CREDENTIALS });
  teig = await startTeigDouble(GRID);
  wfs = await startWfsDouble({ layers: { 'plan:RPOMRADE': kommunePlanRows(25, [ORIGIN[0], ORIGIN[1]]) } });
  wms = await startWmsDouble({ byLevel: { 1: RECORDED_VN1.features } });
  kommuneinfo = await startKommuneinfoDouble();
  folder = dataFolder();
  const good = registry();
  baseline = await loadKommuneData('3218', { sources: good, lastGood: folder.lastGood });
  await good.close();
});
afterAll(async () => {
  await Promise.all([nap, teig, wfs, wms, kommuneinfo].map((d) => d.close()));
  folder.remove();
});

const json = (
  value: unknown,
  headers: Record<string, string> = { 'content-crs': '<http://www.opengis.net/def/crs/EPSG/0/25833>' },
) => ({ kind: 'body', body: JSON.stringify(value), headers, times: 1000 }) as const;
const xml = (body: string) => ({ kind: 'body', body, contentType: 'text/xml', times: 1000 }) as const;
const zone = AS.kommuneplan[1]!;
const OWS = readFileSync(reference('matrikkel-typename-error.xml'), 'utf8');

type Target = 'nap' | 'teig' | 'wfs' | 'wms';
interface Case {
  name: string;
  target: Target;
  fault: Fault;
  kind: SourceFailureKind;
  detail?: RegExp;
}

const cases: Case[] = [
  {
    name: 'NAP: HTML error page with HTTP 200',
    target: 'nap',
    fault: { kind: 'html', times: 1000, match: /kpomrade\/items/ },
    kind: 'html-error-page',
  },
  {
    name: 'NAP: OWS ExceptionReport with HTTP 200',
    target: 'nap',
    fault: { kind: 'exception', times: 1000, match: /items/ },
    kind: 'service-exception',
    detail: /Connection pool exhausted/,
  },
  {
    name: 'NAP: JSON cut off mid-document',
    target: 'nap',
    fault: { kind: 'truncated', times: 1000, match: /kparealformalomrade\/items/ },
    kind: 'truncated',
  },
  {
    name: 'NAP: connection reset mid-body',
    target: 'nap',
    fault: { kind: 'reset', times: 1000, match: /kparealformalomrade\/items/ },
    kind: 'network',
    detail: /broke off mid-body/,
  },
  {
    name: 'NAP: a JSON array',
    target: 'nap',
    fault: { ...json([zone]), match: /items/ },
    kind: 'not-feature-collection',
  },
  {
    name: 'NAP: a FeatureCollection without features',
    target: 'nap',
    fault: { ...json({ type: 'FeatureCollection' }), match: /items/ },
    kind: 'not-feature-collection',
  },
  {
    name: 'NAP: an OGC API error object with HTTP 200',
    target: 'nap',
    fault: { ...json({ code: 'ServerError', description: 'query timed out' }), match: /items/ },
    kind: 'not-feature-collection',
    detail: /keys code, description/,
  },
  {
    name: 'NAP: an empty body',
    target: 'nap',
    fault: { kind: 'body', body: '', times: 1000, match: /items/ },
    kind: 'malformed',
    detail: /empty document/,
  },
  {
    name: 'NAP: Content-Crs EPSG:4326',
    target: 'nap',
    fault: {
      ...json(
        { type: 'FeatureCollection', features: [zone] },
        { 'content-crs': '<http://www.opengis.net/def/crs/EPSG/0/4326>' },
      ),
      match: /items/,
    },
    kind: 'unexpected-crs',
  },
  {
    name: 'NAP: a crs member naming EPSG:2056',
    target: 'nap',
    fault: {
      ...json({
        type: 'FeatureCollection',
        crs: { type: 'name', properties: { name: 'EPSG:2056' } },
        features: [zone],
      }),
      match: /items/,
    },
    kind: 'unexpected-crs',
    detail: /EPSG:2056/,
  },
  {
    name: 'NAP: lon/lat numbers under Content-Crs 25833',
    target: 'nap',
    fault: {
      ...json({
        type: 'FeatureCollection',
        features: [
          {
            ...zone,
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [10.79, 59.66],
                  [10.8, 59.66],
                  [10.8, 59.67],
                  [10.79, 59.66],
                ],
              ],
            },
          },
        ],
      }),
      match: /items/,
    },
    kind: 'outside-norway',
  },
  {
    name: 'NAP: features of another kommune',
    target: 'nap',
    fault: {
      ...json({ type: 'FeatureCollection', features: FOLLO.kommuneplan.slice(0, 2) }),
      match: /items/,
    },
    kind: 'malformed',
    detail: /kommune filter .* was ignored/,
  },
  {
    name: 'NAP: invalid JSON syntax',
    target: 'nap',
    fault: { kind: 'body', body: "{type: 'FeatureCollection', features: []}", times: 1000, match: /items/ },
    kind: 'malformed',
    detail: /not valid JSON/,
  },
  {
    name: 'NAP: HTTP 500 that does not end',
    target: 'nap',
    fault: { kind: '500', times: 1000, match: /items/ },
    kind: 'http-status',
  },
  {
    name: 'NAP: HTTP 429 that does not end',
    target: 'nap',
    fault: { kind: '429', times: 1000, match: /items/ },
    kind: 'rate-limited',
  },
  {
    name: 'NAP: HTTP 401',
    target: 'nap',
    fault: { kind: 'body', status: 401, body: '{"code":"Unauthorized"}', times: 1000, match: /items/ },
    kind: 'auth',
  },
  {
    name: 'NAP: a next link that loops',
    target: 'nap',
    fault: {
      ...json({
        type: 'FeatureCollection',
        features: [zone],
        links: [
          { rel: 'next', href: '/services/rest/kommuneplaner/collections/kpomrade/items?f=json&page=2' },
        ],
      }),
      match: /kpomrade\/items/,
    },
    kind: 'malformed',
    detail: /paging of kpomrade does not (end|advance)/,
  },
  {
    name: 'NAP: a collections document without "collections"',
    target: 'nap',
    fault: { ...json({ links: [] }), match: /collections\?f=json/ },
    kind: 'malformed',
    detail: /no "collections" array/,
  },
  {
    name: 'NAP: no KpOmråde collection',
    target: 'nap',
    fault: {
      ...json({ collections: [{ id: 'kparealformalomrade', title: 'KpArealformålOmråde' }] }),
      match: /collections\?f=json/,
    },
    kind: 'malformed',
    detail: /no collection for KpOmråde/,
  },
  {
    name: 'NAP: XML that is no exception report',
    target: 'nap',
    fault: { ...xml('<?xml version="1.0"?><status>maintenance</status>'), match: /items/ },
    kind: 'malformed',
    detail: /XML where JSON was expected/,
  },
  {
    name: 'teig: GML cut off mid-document',
    target: 'teig',
    fault: { kind: 'truncated', times: 1000 },
    kind: 'truncated',
  },
  {
    name: 'teig: OWS ExceptionReport with HTTP 200',
    target: 'teig',
    fault: xml(OWS),
    kind: 'service-exception',
    detail: /InvalidParameterValue/,
  },
  {
    name: 'teig: HTML page with HTTP 200',
    target: 'teig',
    fault: { kind: 'html', times: 1000 },
    kind: 'html-error-page',
  },
  {
    name: 'teig: another XML vocabulary',
    target: 'teig',
    fault: xml('<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>'),
    kind: 'malformed',
    detail: /root element <kml>/,
  },
  {
    name: 'teig: geometry in an unknown CRS',
    target: 'teig',
    fault: xml(
      teigCollection(GRID.slice(0, 3).map((p) => teigMember(p).replace(/EPSG::25833/g, 'EPSG::31466'))),
    ),
    kind: 'unexpected-crs',
    detail: /EPSG::31466/,
  },
  {
    name: 'teig: swapped axes',
    target: 'teig',
    fault: xml(teigCollection(GRID.slice(0, 3).map((p) => teigMember({ ...p, x: p.y, y: p.x })))),
    kind: 'outside-norway',
  },
  {
    name: 'teig: wfs:truncatedResponse',
    target: 'teig',
    fault: xml(
      teigCollection([teigMember(GRID[0]!)]).replace(
        '</wfs:FeatureCollection>',
        '<wfs:truncatedResponse/></wfs:FeatureCollection>',
      ),
    ),
    kind: 'truncated',
  },
  {
    name: 'teig: plain text, not XML',
    target: 'teig',
    fault: { kind: 'body', body: 'Service Unavailable', contentType: 'text/plain', times: 1000 },
    kind: 'malformed',
    detail: /not XML/,
  },
  {
    name: 'teig: HTTP 504 that does not end',
    target: 'teig',
    fault: { kind: '504', times: 1000 },
    kind: 'http-status',
  },
  {
    name: 'teig: XML that is not well-formed',
    target: 'teig',
    fault: xml(teigCollection([teigMember(GRID[0]!)]).replace('</app:Teig>', '</app:Teg>')),
    kind: 'malformed',
    detail: /not well-formed/,
  },
  {
    name: 'teig: an empty body',
    target: 'teig',
    fault: xml(''),
    kind: 'malformed',
    detail: /empty document/,
  },
  {
    name: 'kommune WFS: numberMatched promises more than arrives',
    target: 'wfs',
    fault: xml(
      `<?xml version="1.0"?><wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2" numberMatched="500" numberReturned="0"></wfs:FeatureCollection>`,
    ),
    kind: 'truncated',
    detail: /numberMatched=500 but only 0/,
  },
  {
    name: 'kommune WFS: ServiceExceptionReport with HTTP 200',
    target: 'wfs',
    fault: xml(readFileSync(reference('nap-gfi-layer-not-defined.xml'), 'utf8')),
    kind: 'service-exception',
  },
  {
    name: 'kommune WFS: HTTP 503 that does not end',
    target: 'wfs',
    fault: { kind: '503', times: 1000 },
    kind: 'http-status',
  },
  {
    name: 'WMS: LayerNotDefined with HTTP 200',
    target: 'wms',
    fault: xml(readFileSync(reference('nap-gfi-layer-not-defined.xml'), 'utf8')),
    kind: 'service-exception',
    detail: /LayerNotDefined/,
  },
  {
    name: 'WMS: a non-empty answer in EPSG:3857',
    target: 'wms',
    fault: {
      kind: 'body',
      body: readFileSync(reference('nap-gfi-utnyttingstall-array-leak.json')),
      times: 1000,
    },
    kind: 'unexpected-crs',
  },
  {
    name: 'WMS: answers slower than the timeout',
    target: 'wms',
    fault: { kind: 'slow', delayMs: 2500, times: 1000 },
    kind: 'timeout',
  },
  {
    name: 'WMS: HTML page with HTTP 200',
    target: 'wms',
    fault: { kind: 'html', times: 1000 },
    kind: 'html-error-page',
  },
];

const SOURCE_OF: Record<Target, string> = {
  nap: 'nap',
  teig: 'teig-wfs',
  wfs: 'kommune-wfs',
  wms: 'nap-wms',
};
const PART_OF = { nap: 'kommuneplan', teig: 'parcels', wfs: 'reguleringsplan' } as const;

describe('bad-input suite: 38 malformed answers', () => {
  it('has at least 30 distinct cases', () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const double = { nap, teig, wfs, wms }[c.target];
    double.inject(c.fault);
    const sources = registry(c.target === 'wms' ? 250 : undefined);
    try {
      let error: unknown;
      if (c.target === 'wms') {
        error = await sources.plan('nap-wms', 'probe').probe!(BERGEN_167_714, {
          kommunenummer: '3218',
        }).catch((e: unknown) => e);
      } else if (c.target === 'teig') {
        error = await loadPart(sources, 'parcels');
      } else {
        error = await loadPart(sources, PART_OF[c.target]);
      }
      expect(error).toBeInstanceOf(SourceError);
      const sourceError = error as SourceError;
      expect(sourceError.kind).toBe(c.kind);
      expect(sourceError.context).toMatchObject({ kommune: '3218', source: SOURCE_OF[c.target] });
      expect(sourceError.context.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      expect(sourceError.message).not.toContain(NAP_CREDENTIALS.key);
      if (c.detail) expect(sourceError.message).toMatch(c.detail);

      if (c.target !== 'wms') {
        // The nightly load goes on: the part falls back to what was stored, which stays intact.
        const part = PART_OF[c.target];
        const data = await loadKommuneData('3218', { sources, lastGood: folder.lastGood });
        const report = data.report.parts.find((p) => p.part === part)!;
        expect(report.status).toBe('fallback');
        expect(report.reason).toContain(`source ${SOURCE_OF[c.target]}`);
        const key = part === 'parcels' ? 'parcels' : part;
        expect(data[key]).toEqual(baseline[key]);
        expect(folder.lastGood.load('3218', part)?.data).toEqual(baseline[key]);
      }
    } finally {
      double.clearFaults();
      await sources.close();
    }
    if (c.target === 'wms') {
      const again = registry();
      expect((await again.plan('nap-wms', 'probe').probe!(BERGEN_167_714)).features).toHaveLength(5);
      await again.close();
    }
  });
});

async function loadPart(
  sources: ReturnType<typeof registry>,
  part: 'kommuneplan' | 'reguleringsplan' | 'parcels',
) {
  const name = sources.choose('3218', part);
  if (part === 'parcels') {
    const kommune = baseline.boundary!;
    const { bboxOf } = await import('../../../sync/src/geo/crs.js');
    return sources
      .parcels(name)
      .fetchKommune('3218', { bbox: bboxOf(kommune), boundary: kommune })
      .catch((e: unknown) => e);
  }
  return sources.plan(name, part).fetchKommune!('3218', part).catch((e: unknown) => e);
}
