import type { PlanFeature, PropertyValue } from '../../../domain/plan.js';
import { FeatureCollector } from '../feature-collector.js';
import { FormatError } from '../format-error.js';
import { toPlanFeature } from '../plan-feature.js';
import { warn, type ReadOptions } from '../read-options.js';
import { resolveSourceCrs } from '../source-crs.js';
import { flattenGmlFeature, type FlatGmlFeature } from './flatten.js';
import { readGmlGeometry } from './geometry.js';
import {
  streamGmlFeatures,
  type FeatureContext,
  type GmlStreamSummary,
  type XmlElement,
} from './xml-stream.js';

/** Plan attributes that stay with the area feature rather than being copied from its Arealplan. */
const OWN_ATTRIBUTES =
  /^(identifikasjon\.|kvalitet\.|førsteDigitaliseringsdato$|oppdateringsdato$|opphav$|objekttypenavn$)/;
const PLAN_OUTLINES = new Set(['RpOmråde', 'KpOmråde']);

/** How a service with its own schema maps onto SOSI (a kommune's WFS): element → type, attribute names. */
export interface GmlAdapter {
  type?: (elementName: string) => string | null;
  properties?: (properties: Record<string, PropertyValue>) => Record<string, unknown>;
}

interface Read {
  flat: FlatGmlFeature;
  feature: PlanFeature;
  label: string;
}

/**
 * Plan features from SOSI-GML: NAP's file production (Reguleringsplan/Kommuneplan 20190401, every
 * feature carrying `arealplanId`) and SOSI 5.0 (Kommuneplan, Reguleringsplan, Reguleringsplanforslag),
 * where the plan's own attributes sit on `app:Arealplan` and reach the features through xlinks.
 * Those are copied the way NAP's GeoJSON has them: plan attributes onto RpOmråde/KpOmråde, the
 * plan id onto every feature of the plan. `file` names the document in warnings (a path or a URL).
 */
export async function readPlanGml(
  chunks: AsyncIterable<Uint8Array | string>,
  file: string,
  options: ReadOptions,
  adapter: GmlAdapter = {},
): Promise<{ features: PlanFeature[]; summary: GmlStreamSummary }> {
  const plans: FlatGmlFeature[] = [];
  const origins = new Map<PlanFeature, { flat: FlatGmlFeature; label: string }>();
  const collector = new FeatureCollector<PlanFeature>(file, options);
  const summary = await streamGmlFeatures(chunks, (element, context) => {
    const flat = flattenGmlFeature(element);
    if (flat.type === 'Arealplan') {
      plans.push(flat);
      return;
    }
    const label = flat.gmlId ? `gml:id ${flat.gmlId}` : `feature #${context.index + 1}`;
    collector.add(label, (note) => {
      const geometry = geometryOf(flat, context, label, options);
      flat.geometries = [];
      const renamed = renameGmlKeys(flat.properties);
      const feature = toPlanFeature(
        {
          properties: adapter.properties ? adapter.properties(renamed) : renamed,
          geometry: geometry?.geometry ?? null,
          crs: geometry?.crs ?? noCrs,
          typeHint: adapter.type?.(flat.type) ?? flat.type,
        },
        note,
      );
      origins.set(feature, { flat, label });
      return feature;
    });
  });
  const features = collector.finish();
  linkPlans(
    plans,
    features.map((feature) => ({ feature, ...origins.get(feature)! })),
    file,
    options,
  );
  return { features, summary };
}

const noCrs = { epsg: 25833, latFirst: false, name: 'none' };

function geometryOf(flat: FlatGmlFeature, context: FeatureContext, label: string, options: ReadOptions) {
  const chosen = chooseGeometry(flat.geometries);
  if (!chosen) return null;
  const raw = readGmlGeometry(chosen, context.collectionSrsName ?? options.defaultCrs ?? null);
  if (!raw.srsName) {
    throw new FormatError(
      'unexpected-crs',
      `${label}: the geometry names no srsName and the collection has no boundedBy srsName to inherit (unknown CRS)`,
    );
  }
  const crs = resolveSourceCrs(raw.srsName);
  if (!crs) throw new FormatError('unexpected-crs', `${label}: unknown or unsupported CRS "${raw.srsName}"`);
  return { geometry: raw.geometry, crs };
}

/** The feature's area (`område`) when it has one, otherwise its first geometry. */
export function chooseGeometry(geometries: FlatGmlFeature['geometries']): XmlElement | null {
  const area =
    geometries.find((g) => g.property === 'område') ??
    geometries.find((g) => /Surface|Polygon/.test(g.element.local));
  return (area ?? geometries[0])?.element ?? null;
}

/** SOSI 5.0 element paths that NAP names differently. */
function renameGmlKeys(properties: Record<string, PropertyValue>): Record<string, PropertyValue> {
  const renamed: Record<string, PropertyValue> = {};
  for (const [key, value] of Object.entries(properties)) {
    const name = key
      .replace(/^(nasjonalArealplanId|arealplanId)\.administrativEnhet\./, '$1.')
      .replace(/\.tekststreng$/, '');
    if (!(name in renamed)) renamed[name] = value;
  }
  return renamed;
}

function linkPlans(plans: FlatGmlFeature[], read: Read[], file: string, options: ReadOptions): void {
  if (plans.length === 0) return;
  const planById = new Map(plans.filter((p) => p.gmlId).map((p) => [p.gmlId!, p]));
  const readById = new Map(read.filter((r) => r.flat.gmlId).map((r) => [r.flat.gmlId!, r]));
  const planOfOutline = new Map<string, FlatGmlFeature>();
  for (const plan of plans) {
    for (const target of Object.values(plan.links).flat()) planOfOutline.set(target, plan);
  }
  const planAttributes = new Map(plans.map((p) => [p, toPlanFeatureProperties(renameGmlKeys(p.properties))]));

  const planOf = (r: Read, depth = 0): { plan: FlatGmlFeature | null; dangling: string | null } => {
    const direct = r.flat.links.arealplan?.[0];
    if (direct && planById.has(direct)) return { plan: planById.get(direct)!, dangling: null };
    if (r.flat.gmlId && planOfOutline.has(r.flat.gmlId))
      return { plan: planOfOutline.get(r.flat.gmlId)!, dangling: null };
    const outline = r.flat.links.planområde?.[0];
    if (outline && readById.has(outline) && depth < 2) {
      const found = planOf(readById.get(outline)!, depth + 1);
      if (found.plan) return found;
    }
    return { plan: null, dangling: direct ?? outline ?? null };
  };

  for (const r of read) {
    const found = planOf(r);
    let plan = found.plan;
    const dangling = found.dangling;
    if (!plan && plans.length === 1) {
      plan = plans[0]!;
      if (dangling)
        warn(options, file, r.label, `xlink #${dangling} points nowhere; used the file's only Arealplan`);
    }
    if (!plan) continue;
    const attributes = planAttributes.get(plan)!;
    const target = r.feature.properties;
    const copyAll = PLAN_OUTLINES.has(r.feature.objekttypenavn);
    for (const [key, value] of Object.entries(attributes)) {
      if (key in target && target[key] !== null) continue;
      if (copyAll ? !OWN_ATTRIBUTES.test(key) : key.startsWith('arealplanId.')) target[key] = value;
    }
  }
}

function toPlanFeatureProperties(attributes: Record<string, PropertyValue>): Record<string, PropertyValue> {
  return toPlanFeature(
    { properties: attributes, geometry: null, crs: noCrs, typeHint: 'Arealplan' },
    () => undefined,
  ).properties;
}
