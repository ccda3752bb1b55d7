import type { AreaGeometry, PointGeometry } from '../../domain/geometry.js';

/**
 * Where `tomtejakt verify` finds a lot's geometry by its tomt_id (EPSG:25833). The lot store
 * implements it; until it is wired, `--geometry FILE` or `--point E,N` stand in.
 */
export interface LotLookup {
  geometryOf(tomtId: string): Promise<AreaGeometry | PointGeometry | null>;
}
