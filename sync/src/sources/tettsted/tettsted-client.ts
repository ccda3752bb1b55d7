import type { BBox } from '../../domain/geometry.js';
import type { Tettsted } from '../../domain/tettsted.js';
import type { HttpClient } from '../../net/http-client.js';
import { checkedGet } from '../checked-get.js';
import { FormatError } from '../files/format-error.js';
import { parseTettstedGml } from './tettsted-gml.js';

export const TETTSTED_SOURCE = 'ssb-tettsteder';
/** More tettsteder than any kommune's box holds; an answer this full may be cut short and fails. */
export const TETTSTED_MAX_COUNT = 1_000;

/** What the kommune centre needs: SSB's tettsteder inside a lon/lat box. */
export interface TettstedSource {
  readonly name: string;
  tettstederIn(box: BBox, options?: { kommune?: string; signal?: AbortSignal }): Promise<Tettsted[]>;
}

/**
 * SSB's tettsted WFS (`https://kart.ssb.no/api/mapserver/v1/wfs/tettsteder`, keyless, NLOD):
 * one GetFeature per kommune box, `typeNames` the year's layer (`ms:tettsted_2025`), the box in
 * urn EPSG:4326 with latitude first, as two public clients ask it.
 */
export class SsbTettstedClient implements TettstedSource {
  readonly name = TETTSTED_SOURCE;

  constructor(
    private readonly url: string,
    private readonly typeName: string,
    private readonly http: HttpClient,
  ) {}

  async tettstederIn(
    box: BBox,
    options: { kommune?: string; signal?: AbortSignal } = {},
  ): Promise<Tettsted[]> {
    const [minLon, minLat, maxLon, maxLat] = box;
    const url = new URL(this.url);
    const crs = 'urn:ogc:def:crs:EPSG::4326';
    for (const [key, value] of Object.entries({
      service: 'WFS',
      version: '2.0.0',
      request: 'GetFeature',
      typeNames: this.typeName,
      srsName: crs,
      bbox: `${minLat},${minLon},${maxLat},${maxLon},${crs}`,
      count: String(TETTSTED_MAX_COUNT),
    }))
      url.searchParams.set(key, value);
    return checkedGet(
      { client: this.http },
      { url: url.toString(), kommune: options.kommune, signal: options.signal },
      async (response) => {
        const { tettsteder, members } = await parseTettstedGml(response.body);
        if (members >= TETTSTED_MAX_COUNT)
          throw new FormatError('truncated', `${members} tettsteder: the answer may be cut short`);
        return tettsteder;
      },
    );
  }
}
