import type { ParcelArea, ParcelFetch } from './teig/teig-client.js';
import type { FetchOptions } from './plan-source.js';

/** Where a kommune's parcels come from: the teig WFS or files. */
export interface ParcelSource {
  readonly name: string;
  fetchKommune(
    kommunenummer: string,
    area: ParcelArea,
    options?: FetchOptions & { onTile?: (done: number, total: number) => void },
  ): Promise<ParcelFetch>;
}
