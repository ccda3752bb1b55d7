import type { BBox } from '../../domain/geometry.js';
import type { ConstraintLayerFeature } from '../../domain/kommune.js';

/** What a layer client is asked: one layer within one kommune's box. */
export interface LayerRequest {
  /** The layer's URL (ArcGIS layer, OGC API items, WFS endpoint). */
  url: string;
  /** The kommune's box in EPSG:25833. */
  bbox: BBox;
  /** The CRS the box is sent in and the answer asked for (ArcGIS, WFS); OGC API uses CRS84. */
  epsg: 25832 | 25833 | 25835;
  pageSize: number;
  maxPages: number;
  kommune: string;
  /** WFS only: the qualified type name (`norstoy_1_0:Stoyvarselkart`, `app:Støy`). */
  typeName?: string;
  /** WFS only: the namespace URI of the type name's prefix, when GetCapabilities gave it. */
  namespace?: string | null;
  signal?: AbortSignal;
}

/** A layer's area features within the box, EPSG:25833, every page read. */
export interface LayerFetch {
  features: ConstraintLayerFeature[];
  /** Entries without a usable area geometry (points, lines, broken rings), left out. */
  skipped: number;
  pages: number;
}
