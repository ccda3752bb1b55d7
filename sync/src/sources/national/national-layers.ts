import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { NationalLayerRules } from '../../config/national-layer-rules.js';
import type { BBox } from '../../domain/geometry.js';
import type {
  ClassifiedLayer,
  ConstraintLayerFeature,
  KommuneData,
  LayerStatus,
} from '../../domain/kommune.js';
import { bboxOf } from '../../geo/crs.js';
import { messageOf } from '../../util/errors.js';
import { LONLAT, resolveSourceCrs } from '../files/source-crs.js';
import type { LastGoodStore } from '../last-good-store.js';
import { fetchArcgisLayer } from './arcgis-layer.js';
import { NATIONAL_LAYERS, type NationalLayerDefinition } from './catalogue.js';
import { classify } from './classify.js';
import { readLayerPage } from './layer-answer.js';
import type { LayerHttp } from './layer-http.js';
import type { LayerFetch, LayerRequest } from './layer-request.js';
import { fetchOgcFeaturesLayer } from './ogc-features-layer.js';
import { fetchWfsLayer } from './wfs-layer.js';
import { loadAr5File } from './ar5-file.js';

export interface NationalLayerContext {
  rules: NationalLayerRules;
  http: LayerHttp;
  /** Where fetched layers are kept and reused for `refreshDays` (null: fetch every time). */
  store: LastGoodStore | null;
  /** The bundled sample kommune reads its layers from files in the services' formats (no network). */
  bundled?: { kommunenummer: string; dir: string } | null;
  now?: () => Date;
  signal?: AbortSignal;
}

export interface LoadedNationalLayers {
  layers: ClassifiedLayer[];
  statuses: LayerStatus[];
  /** Farmland waits for the lots: NIBIO's WMS is sampled at points inside each lot (`sampleFarmland`). */
  farmlandByWms: boolean;
}

const MAX_PAGES = 500;
const DAY_MS = 86_400_000;

/**
 * The national constraint layers for one kommune (issue 16 point 1), each switched on in the rule
 * file: fetched within the kommune's box, reused for `refreshDays`, classified onto constraint
 * types. A layer that fails never stops the kommune: it is marked `failed` with its cause and the
 * others go on. Farmland comes from the customer's AR5 file when there is one for the kommune;
 * otherwise `farmlandByWms` asks the pipeline to sample NIBIO's WMS once the lots are known.
 */
export async function loadNationalLayers(
  data: KommuneData,
  context: NationalLayerContext,
): Promise<LoadedNationalLayers> {
  const { rules } = context;
  if (!rules.enabled) return { layers: [], statuses: [], farmlandByWms: false };
  const area = data.boundary ?? data.kommuneplan.find((f) => f.geometry)?.geometry ?? null;
  const layers: ClassifiedLayer[] = [];
  const statuses: LayerStatus[] = [];
  for (const definition of NATIONAL_LAYERS) {
    const settings = rules.layers[definition.id];
    if (!settings.enabled) continue;
    const outcome = await oneLayer(definition, data, area ? bboxOf(area) : null, context);
    statuses.push(outcome.status);
    if (outcome.features)
      layers.push(...classify(definition.source, outcome.features, definition.constraintOf));
  }
  const farmland = await farmlandFromFile(data, context);
  if (farmland) {
    statuses.push(farmland.status);
    layers.push(...farmland.layers);
  }
  return {
    layers,
    statuses,
    farmlandByWms: !farmland && rules.landbruk.enabled && rules.landbruk.wms.enabled,
  };
}

interface LayerOutcome {
  status: LayerStatus;
  features: ConstraintLayerFeature[] | null;
}

async function oneLayer(
  definition: NationalLayerDefinition,
  data: KommuneData,
  bbox: BBox | null,
  context: NationalLayerContext,
): Promise<LayerOutcome> {
  const kommunenummer = data.kommune.kommunenummer;
  const status = (
    kind: LayerStatus['status'],
    cause: string | null,
    features = 0,
    fetchedAt: string | null = null,
  ) => ({
    layer: definition.id,
    label: definition.label,
    status: kind,
    cause,
    features,
    fetchedAt,
  });
  if (!bbox)
    return { status: status('not-available', 'the kommune has no boundary to fetch within'), features: null };
  if (context.bundled?.kommunenummer === kommunenummer)
    return bundledLayer(definition, context.bundled.dir, bbox, status);
  const part = `national-${definition.id}` as const;
  const kept = context.store?.load<ConstraintLayerFeature[]>(kommunenummer, part) ?? null;
  const now = (context.now ?? (() => new Date()))();
  if (kept && now.getTime() - Date.parse(kept.savedAt) < context.rules.refreshDays * DAY_MS)
    return {
      status: status('fetched', 'reused: fetched less than refreshDays ago', kept.data.length, kept.savedAt),
      features: kept.data,
    };
  const settings = context.rules.layers[definition.id];
  const skipped = context.http.unreachable(settings.url);
  if (skipped)
    return {
      status: status('failed', `not asked: the host could not be reached earlier in this run (${skipped})`),
      features: null,
    };
  const request: LayerRequest = {
    url: settings.url,
    bbox,
    epsg: settings.epsg,
    pageSize: context.rules.pageSize,
    maxPages: MAX_PAGES,
    kommune: kommunenummer,
    typeName: definition.typeName,
    signal: context.signal,
  };
  try {
    const fetched = await fetchLayer(definition, context.http, request);
    const savedAt = now.toISOString();
    context.store?.save({
      kommunenummer,
      part,
      source: `national:${definition.id}`,
      coverage: 'covered',
      savedAt,
      data: fetched.features,
    });
    const note = `${fetched.pages} page(s)${fetched.skipped ? `, ${fetched.skipped} without an area geometry left out` : ''}`;
    return { status: status('fetched', note, fetched.features.length, savedAt), features: fetched.features };
  } catch (error) {
    context.http.noteFailure(settings.url, error);
    return { status: status('failed', messageOf(error)), features: null };
  }
}

function fetchLayer(
  definition: NationalLayerDefinition,
  http: LayerHttp,
  request: LayerRequest,
): Promise<LayerFetch> {
  const client = http.for(definition.id);
  switch (definition.protocol) {
    case 'arcgis':
      return fetchArcgisLayer(client, request);
    case 'ogc-features':
      return fetchOgcFeaturesLayer(client, request);
    case 'wfs-geojson':
      return fetchWfsLayer(client, request);
  }
}

/** The sample kommune's layer from `<dir>/layers/<id>.json`, read as the service's answer would be. */
function bundledLayer(
  definition: NationalLayerDefinition,
  dir: string,
  bbox: BBox,
  status: (
    kind: LayerStatus['status'],
    cause: string | null,
    features?: number,
    fetchedAt?: string | null,
  ) => LayerStatus,
): LayerOutcome {
  const file = path.join(dir, 'layers', `${definition.id}.json`);
  if (!existsSync(file))
    return {
      status: status('not-available', 'the bundled sample has no copy of this layer'),
      features: null,
    };
  try {
    const crs = definition.protocol === 'ogc-features' ? LONLAT : resolveSourceCrs('EPSG:25833')!;
    const page = readLayerPage(readFileSync(file, 'utf8'), crs, bbox);
    return {
      status: status('fetched', `bundled sample file ${path.basename(file)}`, page.features.length),
      features: page.features,
    };
  } catch (error) {
    return { status: status('failed', `${path.basename(file)}: ${messageOf(error)}`), features: null };
  }
}

async function farmlandFromFile(
  data: KommuneData,
  context: NationalLayerContext,
): Promise<{ status: LayerStatus; layers: ClassifiedLayer[] } | null> {
  const rules = context.rules.landbruk;
  if (!rules.enabled) return null;
  const kommunenummer = data.kommune.kommunenummer;
  const bundled =
    context.bundled?.kommunenummer === kommunenummer
      ? path.join(context.bundled.dir, 'layers', 'ar5.geojson')
      : null;
  const file = rules.file?.replaceAll('{kommunenummer}', kommunenummer) ?? bundled;
  const base = { layer: 'landbruk', label: 'dyrka mark' };
  if (!file || !existsSync(file)) {
    if (rules.wms.enabled) return null;
    return {
      status: {
        ...base,
        status: 'not-available',
        cause: 'no AR5 file for the kommune and the WMS is switched off',
        features: 0,
        fetchedAt: null,
      },
      layers: [],
    };
  }
  try {
    const features = await loadAr5File(file, rules.arealtyper);
    const layers = classify('AR5 dyrka mark (fil)', features, () => 'landbruk');
    return {
      status: {
        ...base,
        status: 'fetched',
        cause: `AR5 file ${path.basename(file)}`,
        features: features.length,
        fetchedAt: null,
      },
      layers,
    };
  } catch (error) {
    return {
      status: {
        ...base,
        status: 'failed',
        cause: `AR5 file ${path.basename(file)}: ${messageOf(error)}`,
        features: 0,
        fetchedAt: null,
      },
      layers: [],
    };
  }
}
