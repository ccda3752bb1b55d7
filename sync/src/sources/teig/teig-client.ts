import type { AreaGeometry, BBox } from '../../domain/geometry.js';
import type { Coverage } from '../../domain/kommune.js';
import type { Parcel } from '../../domain/parcel.js';
import { readParcelGmlDocument } from '../files/gml/parcel-gml.js';
import type { ReadWarning } from '../files/read-options.js';
import { dedupeParcels } from '../files/read-parcels.js';
import type { SourceHttp } from '../checked-get.js';
import type { FetchOptions } from '../plan-source.js';
import { numberOrNull, pageWfs } from '../wfs/wfs-paging.js';
import { tilesCovering } from './tiles.js';

export interface TeigWfsConfig {
  /** https://wfs.geonorge.no/skwms1/wfs.matrikkelen-eiendomskart-teig */
  url: string;
  typeName: string;
  /** Tile edge, metres (EPSG:25833). */
  tileSizeM: number;
  /** `count` per page. */
  pageSize: number;
  /** Tiles fetched at the same time (pages within a tile are sequential). */
  tileConcurrency: number;
}

export interface ParcelFetch {
  parcels: Parcel[];
  coverage: Coverage;
  warnings: ReadWarning[];
  tiles: number;
  pages: number;
}

export interface ParcelArea {
  /** Kommune bounding box in EPSG:25833. */
  bbox: BBox;
  /** Kommune boundary in EPSG:25833; tiles wholly outside it are not asked for. */
  boundary: AreaGeometry | null;
}

/**
 * Kartverket's teig WFS (`app:Teig`, GML 3.2.1 only): the kommune's box is cut into tiles, each
 * tile paged with `count`/`startIndex` (members counted: the service says numberReturned="0"),
 * parcels of neighbouring kommuner dropped and parcels straddling tiles de-duplicated by teigId.
 * Its 504 outages are retried with backoff by the HTTP layer.
 */
export class TeigWfsClient {
  readonly name: string;

  constructor(
    private readonly config: TeigWfsConfig,
    private readonly http: SourceHttp,
    name = 'teig-wfs',
  ) {
    this.name = name;
  }

  async fetchKommune(
    kommunenummer: string,
    area: ParcelArea,
    options: FetchOptions & { onTile?: (done: number, total: number) => void } = {},
  ): Promise<ParcelFetch> {
    const tiles = tilesCovering(area.bbox, this.config.tileSizeM, area.boundary);
    const warnings: ReadWarning[] = [];
    const all: Parcel[] = [];
    let pages = 0;
    let done = 0;
    let next = 0;
    const worker = async () => {
      while (next < tiles.length) {
        const tile = tiles[next++]!;
        const result = await this.fetchTile(tile, kommunenummer, warnings, options);
        all.push(...result.parcels);
        pages += result.pages;
        options.onTile?.(++done, tiles.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.config.tileConcurrency) }, worker));
    const parcels = dedupeParcels(all.filter((p) => p.kommunenummer === kommunenummer));
    return {
      parcels,
      coverage: parcels.length > 0 ? 'covered' : 'not-covered',
      warnings,
      tiles: tiles.length,
      pages,
    };
  }

  private async fetchTile(tile: BBox, kommunenummer: string, warnings: ReadWarning[], options: FetchOptions) {
    const bbox = `${tile.map((v) => v.toFixed(2)).join(',')},urn:ogc:def:crs:EPSG::25833`;
    const { items, pages } = await pageWfs(
      this.http,
      this.config.url,
      { TYPENAMES: this.config.typeName, SRSNAME: 'urn:ogc:def:crs:EPSG::25833', BBOX: bbox },
      this.config.pageSize,
      async (response, url) => {
        const { parcels, summary } = await readParcelGmlDocument(response.body, url, {
          onWarning: (w) => warnings.push(w),
        });
        return {
          items: parcels,
          members: summary.features,
          numberMatched: numberOrNull(summary.numberMatched),
        };
      },
      { kommune: kommunenummer, signal: options.signal },
    );
    return { parcels: items, pages };
  }
}
