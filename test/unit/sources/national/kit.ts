import type { BBox } from '../../../../sync/src/domain/geometry.js';
import { HttpCache } from '../../../../sync/src/net/conditional-cache.js';
import { LayerHttp } from '../../../../sync/src/sources/national/layer-http.js';
import type { LayerRequest } from '../../../../sync/src/sources/national/layer-request.js';
import { polygon, rect } from '../../../helpers/plan-data.js';
import type { LayerRow } from '../../../doubles/national/layer-data.js';

/** A kommune box around the hand-made cases near Ås (EPSG:25833). */
export const BOX: BBox = [261_000, 6_620_000, 263_000, 6_622_000];

/** Layer HTTP as the run builds it, with test-short retry delays. */
export function layerHttp(cache: HttpCache | null = null, maxRetries = 2): LayerHttp {
  return new LayerHttp({
    timeoutMs: 2_000,
    maxRetries,
    cache,
    http: { minRetryDelayMs: 5, maxRetryDelayMs: 20 },
  });
}

export const memoryCache = () => new HttpCache({ dir: null });

export function request(url: string, changes: Partial<LayerRequest> = {}): LayerRequest {
  return { url, bbox: BOX, epsg: 25833, pageSize: 1000, maxPages: 50, kommune: '3218', ...changes };
}

/** `n` squares 20 m apart inside the box, each with `properties(i)`. */
export function squares(n: number, properties: (i: number) => LayerRow['properties']): LayerRow[] {
  return Array.from({ length: n }, (_, i) => ({
    properties: properties(i),
    geometry: polygon(rect(i * 30, 0, i * 30 + 20, 20)),
  }));
}
