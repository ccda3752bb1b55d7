import { isAreaGeometry, type AreaGeometry, type BBox } from '../../domain/geometry.js';
import type { ConstraintLayerFeature } from '../../domain/kommune.js';
import type { PropertyValue } from '../../domain/plan.js';
import { bboxOf } from '../../geo/crs.js';
import { FeatureProblem, FormatError } from '../files/format-error.js';
import { parseGeoJson, type GeoJsonDocument } from '../files/geojson.js';
import { normalizeGeometry } from '../files/normalize-geometry.js';
import type { SourceCrs } from '../files/source-crs.js';

/** One page of a layer's answer: its area features in EPSG:25833, and what the page says about paging. */
export interface LayerPage {
  features: ConstraintLayerFeature[];
  /** Entries in the answer, usable or not (paging counts them). */
  members: number;
  /** Features the service skipped for us: unusable geometry, or not an area (a point, a line). */
  skipped: number;
  document: GeoJsonDocument;
}

/** How far (m) a feature may lie outside the box asked for before the answer is read as the wrong CRS. */
const BOX_MARGIN_M = 2_000;

/**
 * Reads one GeoJSON answer of a layer service and checks it is what was asked for. Fails (a
 * FormatError the caller turns into a SourceError) on an HTML page, an OWS exception, truncated or
 * invalid JSON, ArcGIS's `{"error": …}` sent with HTTP 200, a CRS other than `expected`, or
 * features lying outside the box asked for (a CRS the answer did not declare, swapped axes).
 * An answer that passes with no features is a genuinely empty area.
 */
export function readLayerPage(text: string, expected: SourceCrs, box25833: BBox): LayerPage {
  throwArcgisError(text);
  const document = parseGeoJson(text, expected);
  if (document.crsDeclared && document.crs.epsg !== expected.epsg)
    throw new FormatError(
      'unexpected-crs',
      `the answer is in ${document.crs.name}, asked for EPSG:${expected.epsg}`,
    );
  const features: ConstraintLayerFeature[] = [];
  let skipped = 0;
  for (const entry of document.features) {
    const geometry = areaWithin(entry.geometry, document.crs, box25833, entry.index);
    if (!geometry) {
      skipped += 1;
      continue;
    }
    features.push({ geometry, properties: plainProperties(entry.properties) });
  }
  return { features, members: document.features.length, skipped, document };
}

/**
 * A feature's area in EPSG:25833, or null when it has none (a point, a line, broken rings). A
 * feature lying outside the box asked for fails the answer: it is not in `crs` (an undeclared
 * CRS, swapped axes).
 */
export function areaWithin(raw: unknown, crs: SourceCrs, box25833: BBox, index: number): AreaGeometry | null {
  const geometry = areaOf(raw, crs);
  if (geometry && !overlaps(bboxOf(geometry), box25833))
    throw new FormatError(
      'unexpected-crs',
      `feature #${index + 1} lies outside the box asked for: the answer is not in ${crs.name}`,
    );
  return geometry;
}

/** ArcGIS REST reports errors as HTTP 200 with `{"error":{"code":500,"message":"…"}}` (recorded from NVE). */
function throwArcgisError(text: string): void {
  if (!/^[\s\uFEFF]*\{\s*"error"\s*:/.test(text)) return;
  let error: { code?: unknown; message?: unknown; details?: unknown } = {};
  try {
    error = (JSON.parse(text) as { error: typeof error }).error ?? {};
  } catch {
    // truncated: parseGeoJson says so
    return;
  }
  const details = Array.isArray(error.details) ? ` (${error.details.join('; ')})` : '';
  throw new FormatError(
    'service-exception',
    `ArcGIS error ${String(error.code ?? '?')}: ${String(error.message ?? 'no message')}${details}`,
  );
}

function areaOf(raw: unknown, crs: SourceCrs) {
  if (raw === null || raw === undefined) return null;
  try {
    const { geometry } = normalizeGeometry(raw, crs);
    return isAreaGeometry(geometry) ? geometry : null;
  } catch (error) {
    if (error instanceof FeatureProblem) return null;
    throw error;
  }
}

function overlaps(a: BBox, b: BBox): boolean {
  return (
    a[0] <= b[2] + BOX_MARGIN_M &&
    a[2] >= b[0] - BOX_MARGIN_M &&
    a[1] <= b[3] + BOX_MARGIN_M &&
    a[3] >= b[1] - BOX_MARGIN_M
  );
}

/** Properties as the lot record keeps them: scalars only (nested values as JSON text). */
export function plainProperties(properties: Record<string, unknown>): Record<string, PropertyValue> {
  const plain: Record<string, PropertyValue> = {};
  for (const [key, value] of Object.entries(properties)) {
    plain[key] =
      value === null || ['string', 'number', 'boolean'].includes(typeof value)
        ? (value as PropertyValue)
        : JSON.stringify(value);
  }
  return plain;
}
