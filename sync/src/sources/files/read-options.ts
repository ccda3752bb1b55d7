import type { BBox } from '../../domain/geometry.js';
import { NORWAY_BBOX_25833 } from '../../geo/crs.js';

/** A feature that was skipped or changed while reading, named by file and feature (gml:id or index). */
export interface ReadWarning {
  file: string;
  feature: string;
  problem: string;
}

export interface ReadOptions {
  /** Told about every feature skipped or changed; without it warnings are dropped silently. */
  onWarning?: (warning: ReadWarning) => void;
  /**
   * Features whose geometry (in EPSG:25833) lies outside this box are skipped; when every feature
   * lies outside, the file is refused (wrong CRS or swapped axes). Default: mainland Norway with a
   * margin. `null` turns the check off (synthetic test data).
   */
  bounds?: BBox | null;
  /**
   * The feature type of GeoJSON features that do not tell their own (no `objekttypenavn`, no
   * GeoServer id): for layers that are not plan data, such as NVE flood zones. Default: refuse them.
   */
  featureType?: string;
  /** CRS for GML geometries that name none and have no srsName to inherit (default: refuse). */
  defaultCrs?: string;
}

export function boundsOf(options: ReadOptions): BBox | null {
  return options.bounds === undefined ? NORWAY_BBOX_25833 : options.bounds;
}

/** Sends one warning to the caller, if it listens. */
export function warn(options: ReadOptions, file: string, feature: string, problem: string): void {
  options.onWarning?.({ file, feature, problem });
}
