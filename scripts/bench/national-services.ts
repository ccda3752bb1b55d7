/**
 * The national services for `npm run bench:national`: NVE, Miljødirektoratet (ArcGIS REST),
 * Riksantikvaren (OGC API Features) and Statens vegvesen (WFS GeoJSON), with NVE's coverage
 * layers, answered from each
 * generated kommune's `layers/*.json` (written in those services' own formats by the sample
 * generator), the customer's AR5 file per kommune, Entur's stops and departures and SSB's
 * tettsteder from its `stops.json`, `departures.json` and `tettsteder.gml`. So the
 * bench runs the pipeline as production does: each layer fetched once in run 1, kept, and reused
 * by run 2 — which is what lets an unchanged kommune be skipped.
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { defaultRules } from '../../sync/src/config/rules.js';
import type { BBox } from '../../sync/src/domain/geometry.js';
import { bboxOf, transformFor } from '../../sync/src/geo/crs.js';
import { NATIONAL_LAYERS, type LayerProtocol } from '../../sync/src/sources/national/catalogue.js';
import { coverageTarget, targetOf } from '../../sync/src/sources/national/national-layers.js';
import { JOURNEY_PLANNER_PATH, startEnturDouble, type EnturDouble } from '../../test/doubles/entur/server.js';
import { startTettstedDouble, TETTSTED_PATH } from '../../test/doubles/tettsted/server.js';
import type { BenchKommune } from './national-data.js';

interface LayerFile {
  /** The file's top level (counts, crs, note) without its features. */
  head: Record<string, unknown>;
  features: Array<{ box: BBox; feature: unknown }>;
}

interface Route {
  protocol: LayerProtocol;
  /** Every kommune's features of this layer, each with its box in the file's CRS. */
  files: LayerFile[];
}

export interface NationalServices {
  /** The rule file's `lotScore.constraints.nationalLayers`, every URL pointing here. */
  nationalLayers: Record<string, unknown>;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startNationalServices(
  kommuner: BenchKommune[],
  work: string,
): Promise<NationalServices> {
  const routes = new Map<string, Route>();
  const defaults = defaultRules().lotScore.constraints.nationalLayers;
  const layers: Record<string, unknown> = {};
  const server = createServer((req, res) => answer(routes, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const here = (url: string) => `${base}${new URL(url).pathname}`;
  for (const definition of NATIONAL_LAYERS) {
    const settings = defaults.layers[definition.id];
    // Rail noise is WFS GML found through GetCapabilities: not served here, so off in the bench.
    if (definition.id === 'stoyBane') {
      layers[definition.id] = { enabled: false };
      continue;
    }
    const coverage = coverageTarget(definition, settings);
    for (const target of [targetOf(definition, settings), coverage]) {
      if (!target) continue;
      const pathname = new URL(target.url).pathname;
      const files = kommuner
        .map((k) => path.join(k.dir, 'layers', `${target.id}.json`))
        .filter((file) => existsSync(file))
        .map(readLayerFile);
      const route = target.protocol === 'arcgis' ? `${pathname}/query` : pathname;
      routes.set(route, { protocol: target.protocol, files });
    }
    layers[definition.id] = {
      url: here(settings.url),
      ...(coverage ? { coverage: { url: here(coverage.url) } } : {}),
    };
  }
  const entur: EnturDouble = await startEnturDouble(
    kommuner.flatMap(stopsOf),
    kommuner.flatMap(departuresOf),
  );
  const tettsteder = await startTettstedDouble(tettstederOf(kommuner));
  return {
    nationalLayers: { layers, landbruk: { file: ar5Files(kommuner, work) } },
    env: {
      ENTUR_JOURNEY_PLANNER_URL: `${entur.url}${JOURNEY_PLANNER_PATH}`,
      SSB_TETTSTED_WFS_URL: `${tettsteder.url}${TETTSTED_PATH}`,
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await entur.close();
      await tettsteder.close();
    },
  };
}

/** The customer's AR5 files, one per kommune under one name pattern (the rule's `{kommunenummer}`). */
function ar5Files(kommuner: BenchKommune[], work: string): string {
  const dir = path.join(work, 'ar5');
  mkdirSync(dir, { recursive: true });
  for (const k of kommuner) {
    const file = path.join(k.dir, 'layers', 'ar5.geojson');
    if (existsSync(file)) symlinkSync(file, path.join(dir, `ar5-${k.kommunenummer}.geojson`));
  }
  return path.join(dir, 'ar5-{kommunenummer}.geojson');
}

type Place = NonNullable<Parameters<typeof startEnturDouble>[0]>[number];

function stopsOf(k: BenchKommune): Place[] {
  const file = path.join(k.dir, 'stops.json');
  if (!existsSync(file)) return [];
  return (JSON.parse(readFileSync(file, 'utf8')) as { data: { stopPlacesByBbox: Place[] } }).data
    .stopPlacesByBbox;
}

type Departures = NonNullable<Parameters<typeof startEnturDouble>[1]>[number];

function departuresOf(k: BenchKommune): Departures[] {
  const file = path.join(k.dir, 'departures.json');
  if (!existsSync(file)) return [];
  return (JSON.parse(readFileSync(file, 'utf8')) as { data: { stopPlaces: Departures[] } }).data.stopPlaces;
}

/** Every kommune's generated tettsteder in one GetFeature answer (SSB's WFS has no kommune filter). */
function tettstederOf(kommuner: BenchKommune[]): string {
  const files = kommuner
    .map((k) => path.join(k.dir, 'tettsteder.gml'))
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file, 'utf8'));
  const members = files.flatMap((text) => text.match(/<wfs:member>[\s\S]*?<\/wfs:member>/g) ?? []);
  const head = (files[0] ?? '')
    .split('<wfs:member>')[0]!
    .replace(/numberReturned="\d+"/, `numberReturned="${members.length}"`);
  return `${head}${members.join('\n')}\n</wfs:FeatureCollection>\n`;
}

function readLayerFile(file: string): LayerFile {
  const { features, ...head } = JSON.parse(readFileSync(file, 'utf8')) as {
    features: Array<{ geometry: Parameters<typeof bboxOf>[0] }>;
  };
  return { head, features: features.map((feature) => ({ box: bboxOf(feature.geometry), feature })) };
}

const overlaps = (a: BBox, b: BBox) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

function answer(routes: Map<string, Route>, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://bench');
  const route = routes.get(url.pathname);
  const q = new Map([...url.searchParams].map(([k, v]) => [k.toLowerCase(), v]));
  if (!route) {
    res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not found</body></html>');
    return;
  }
  const box = boxOf(route.protocol, q);
  const hits = route.files.flatMap((f) =>
    f.features.filter((x) => overlaps(x.box, box)).map((x) => x.feature),
  );
  const offset = Number(q.get('resultoffset') ?? q.get('offset') ?? q.get('startindex') ?? 0);
  const count = Number(q.get('resultrecordcount') ?? q.get('limit') ?? q.get('count') ?? 1000);
  const page = hits.slice(offset, offset + count);
  const more = offset + page.length < hits.length;
  const head = route.files[0]?.head ?? { type: 'FeatureCollection' };
  const body: Record<string, unknown> = { ...head, features: page };
  if (route.protocol === 'arcgis') {
    delete body.exceededTransferLimit;
    if (more) body.exceededTransferLimit = true;
  } else {
    body.numberMatched = hits.length;
    body.numberReturned = page.length;
    if ('totalFeatures' in head) body.totalFeatures = hits.length;
    if (route.protocol === 'ogc-features') {
      const next = new URL(url);
      next.searchParams.set('offset', String(offset + page.length));
      body.links = more
        ? [
            {
              rel: 'next',
              type: 'application/geo+json',
              href: `http://${req.headers.host}${next.pathname}${next.search}`,
            },
          ]
        : [];
    }
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** The asked box in the CRS the layer's file is written in (lon/lat for OGC API, else EPSG:25833). */
function boxOf(protocol: LayerProtocol, q: Map<string, string>): BBox {
  const numbers = (text: string | undefined) => (text ?? '').split(',').slice(0, 4).map(Number) as BBox;
  // OGC API and WFS name it `bbox`, each in the CRS its file is written in; ArcGIS `geometry` in `inSR`.
  if (protocol !== 'arcgis') return numbers(q.get('bbox'));
  const box = numbers(q.get('geometry'));
  const inSr = Number(q.get('insr') ?? 25833);
  if (inSr === 25833) return box;
  const to = transformFor(inSr, 25833);
  const [x0, y0] = to([box[0], box[1]]);
  const [x1, y1] = to([box[2], box[3]]);
  return [x0!, y0!, x1!, y1!];
}
