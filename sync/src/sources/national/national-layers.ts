import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { NationalLayerRules, NationalLayerSwitch } from '../../config/national-layer-rules.js';
import type { BBox } from '../../domain/geometry.js';
import type {
  ClassifiedLayer,
  ConstraintLayerFeature,
  KommuneData,
  LayerStatus,
  MappedArea,
} from '../../domain/kommune.js';
import { bboxOf } from '../../geo/crs.js';
import { messageOf } from '../../util/errors.js';
import { LONLAT, resolveSourceCrs } from '../files/source-crs.js';
import { isFresh } from '../kept-fetch.js';
import type { LastGoodStore } from '../last-good-store.js';
import { fetchArcgisLayer } from './arcgis-layer.js';
import { NATIONAL_LAYERS, type LayerProtocol, type NationalLayerDefinition } from './catalogue.js';
import { clipToCoverage } from './clip-to-coverage.js';
import { classify } from './classify.js';
import { readLayerPage } from './layer-answer.js';
import { readLayerGml } from './layer-gml.js';
import type { LayerHttp } from './layer-http.js';
import type { LayerFetch, LayerRequest } from './layer-request.js';
import { fetchOgcFeaturesLayer } from './ogc-features-layer.js';
import { fetchWfsLayer } from './wfs-layer.js';
import { resolveWfsTypeName, type QualifiedTypeName } from './wfs-type-name.js';
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
  /** NVE's mapped area of each hazard layer whose coverage was read. */
  mappedAreas: MappedArea[];
  /** Farmland waits for the lots: NIBIO's WMS is sampled at points inside each lot (`sampleFarmland`). */
  farmlandByWms: boolean;
}

const MAX_PAGES = 500;

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
  if (!rules.enabled) return { layers: [], statuses: [], mappedAreas: [], farmlandByWms: false };
  const area = data.boundary ?? data.kommuneplan.find((f) => f.geometry)?.geometry ?? null;
  const bbox = area ? bboxOf(area) : null;
  const layers: ClassifiedLayer[] = [];
  const statuses: LayerStatus[] = [];
  const mappedAreas: MappedArea[] = [];
  for (const definition of NATIONAL_LAYERS) {
    const settings = rules.layers[definition.id];
    if (!settings.enabled) continue;
    const outcome = await oneLayer(targetOf(definition, settings), data, bbox, context);
    statuses.push(withUncounted(outcome, definition));
    if (!outcome.features) continue;
    let features = outcome.features;
    const coverage = coverageTarget(definition, settings);
    if (coverage && definition.coverage) {
      const mapped = await oneLayer(coverage, data, bbox, context);
      statuses.push(mapped.status);
      if (mapped.features) {
        mappedAreas.push({
          layer: definition.id,
          label: definition.label,
          hazard: definition.coverage.hazard,
          features: mapped.features,
        });
        // Without the coverage every awareness hit counts: a hazard is never hidden by a failed read.
        if (definition.coverage.clip) features = await clipToCoverage(features, mapped.features);
      }
    }
    layers.push(...classify(definition.source, features, definition.constraintOf));
  }
  const farmland = await farmlandFromFile(data, context);
  if (farmland) {
    statuses.push(farmland.status);
    layers.push(...farmland.layers);
  }
  return {
    layers,
    statuses,
    mappedAreas,
    farmlandByWms: !farmland && rules.landbruk.enabled && rules.landbruk.wms.enabled,
  };
}

/** The status, saying how many features count as no constraint (a value the classifier does not know shows here). */
function withUncounted(outcome: LayerOutcome, definition: NationalLayerDefinition): LayerStatus {
  const uncounted = (outcome.features ?? []).filter(
    (f) => definition.constraintOf(f.properties ?? {}) === null,
  ).length;
  if (uncounted === 0) return outcome.status;
  const note = `${uncounted} feature(s) count as no constraint`;
  return { ...outcome.status, cause: outcome.status.cause ? `${outcome.status.cause}; ${note}` : note };
}

interface LayerOutcome {
  status: LayerStatus;
  features: ConstraintLayerFeature[] | null;
}

/** What one fetch asks for: a national layer, or an NVE layer's coverage (`<layer>Dekning`). */
export interface LayerTarget {
  id: string;
  label: string;
  protocol: LayerProtocol;
  typeName?: string;
  url: string;
  epsg: LayerRequest['epsg'];
}

export const targetOf = (
  definition: NationalLayerDefinition,
  settings: NationalLayerSwitch,
): LayerTarget => ({
  id: definition.id,
  label: definition.label,
  protocol: definition.protocol,
  typeName: definition.typeName,
  url: settings.url,
  epsg: settings.epsg,
});

/** The layer's coverage as a fetch of its own (same client rules), or null when it has none or it is off. */
export function coverageTarget(
  definition: NationalLayerDefinition,
  settings: NationalLayerSwitch,
): LayerTarget | null {
  if (!definition.coverage || !('coverage' in settings) || !settings.coverage.enabled) return null;
  return {
    id: `${definition.id}Dekning`,
    label: definition.coverage.label,
    protocol: 'arcgis',
    url: settings.coverage.url,
    epsg: settings.epsg,
  };
}

async function oneLayer(
  target: LayerTarget,
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
    layer: target.id,
    label: target.label,
    status: kind,
    cause,
    features,
    fetchedAt,
  });
  if (!bbox)
    return { status: status('not-available', 'the kommune has no boundary to fetch within'), features: null };
  if (context.bundled?.kommunenummer === kommunenummer)
    return bundledLayer(target, context.bundled.dir, bbox, status);
  const part = `national-${target.id}` as const;
  const kept = context.store?.load<ConstraintLayerFeature[]>(kommunenummer, part) ?? null;
  const now = (context.now ?? (() => new Date()))();
  if (kept && isFresh(kommunenummer, kept.savedAt, context.rules.refreshDays, now))
    return {
      status: status('fetched', 'reused: fetched less than refreshDays ago', kept.data.length, kept.savedAt),
      features: kept.data,
    };
  const skipped = context.http.unreachable(target.url);
  if (skipped)
    return {
      status: status('failed', `not asked: the host could not be reached earlier in this run (${skipped})`),
      features: null,
    };
  try {
    const type = await qualifiedTypeName(target, context, kommunenummer, now);
    const request: LayerRequest = {
      url: target.url,
      bbox,
      epsg: target.epsg,
      pageSize: context.rules.pageSize,
      maxPages: MAX_PAGES,
      kommune: kommunenummer,
      typeName: type?.typeName,
      namespace: type?.namespace,
      signal: context.signal,
    };
    const fetched = await fetchLayer(target, context.http, request);
    const savedAt = now.toISOString();
    context.store?.save({
      kommunenummer,
      part,
      source: `national:${target.id}`,
      coverage: 'covered',
      savedAt,
      data: fetched.features,
    });
    const typeNote = type && type.typeName !== target.typeName ? `, type ${type.typeName}` : '';
    const note = `${fetched.pages} page(s)${typeNote}${fetched.skipped ? `, ${fetched.skipped} without an area geometry left out` : ''}`;
    return { status: status('fetched', note, fetched.features.length, savedAt), features: fetched.features };
  } catch (error) {
    context.http.noteFailure(target.url, error);
    return { status: status('failed', messageOf(error)), features: null };
  }
}

function fetchLayer(target: LayerTarget, http: LayerHttp, request: LayerRequest): Promise<LayerFetch> {
  const client = http.for(target.id);
  switch (target.protocol) {
    case 'arcgis':
      return fetchArcgisLayer(client, request);
    case 'ogc-features':
      return fetchOgcFeaturesLayer(client, request);
    case 'wfs-geojson':
      return fetchWfsLayer(client, request, 'geojson');
    case 'wfs-gml':
      return fetchWfsLayer(client, request, 'gml');
  }
}

/**
 * A WFS type given by its local name only (`Støy`) gets its prefix from GetCapabilities, kept with
 * the layer (`national-<layer>-type`) and reused for `refreshDays`; a qualified name is used as
 * it is. Null for the other protocols.
 */
async function qualifiedTypeName(
  target: LayerTarget,
  context: NationalLayerContext,
  kommunenummer: string,
  now: Date,
): Promise<QualifiedTypeName | null> {
  if (!target.typeName) return null;
  if (target.typeName.includes(':')) return { typeName: target.typeName, namespace: null };
  const part = `national-${target.id}-type` as const;
  const kept = context.store?.load<QualifiedTypeName>(kommunenummer, part) ?? null;
  if (kept && isFresh(kommunenummer, kept.savedAt, context.rules.refreshDays, now)) return kept.data;
  const resolved = await resolveWfsTypeName(context.http.for(target.id), target.url, target.typeName, {
    kommune: kommunenummer,
    signal: context.signal,
  });
  context.store?.save({
    kommunenummer,
    part,
    source: `national:${target.id}`,
    coverage: 'covered',
    savedAt: now.toISOString(),
    data: resolved,
  });
  return resolved;
}

/** The sample kommune's layer from `<dir>/layers/<id>.json` (`.gml` for GML), read as the service's answer would be. */
async function bundledLayer(
  target: LayerTarget,
  dir: string,
  bbox: BBox,
  status: (
    kind: LayerStatus['status'],
    cause: string | null,
    features?: number,
    fetchedAt?: string | null,
  ) => LayerStatus,
): Promise<LayerOutcome> {
  const gml = target.protocol === 'wfs-gml';
  const file = path.join(dir, 'layers', `${target.id}.${gml ? 'gml' : 'json'}`);
  if (!existsSync(file))
    return {
      status: status('not-available', 'the bundled sample has no copy of this layer'),
      features: null,
    };
  try {
    const crs = target.protocol === 'ogc-features' ? LONLAT : resolveSourceCrs('EPSG:25833')!;
    const text = readFileSync(file, 'utf8');
    const page = gml ? await readLayerGml(text, crs, bbox) : readLayerPage(text, crs, bbox);
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
