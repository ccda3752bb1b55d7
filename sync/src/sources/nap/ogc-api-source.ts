import type { Position } from '../../domain/geometry.js';
import type { PlanFeature } from '../../domain/plan.js';
import { SourceError } from '../../util/errors.js';
import { redactUrl } from '../../util/redact.js';
import { FormatError } from '../files/format-error.js';
import { parseGeoJson, type GeoJsonDocument } from '../files/geojson.js';
import { planFeaturesFromGeoJson } from '../files/plan-geojson.js';
import type { ReadWarning } from '../files/read-options.js';
import { canonicalTypeName, foldName, isKnownTypeName } from '../files/sosi-names.js';
import { resolveSourceCrs, type SourceCrs } from '../files/source-crs.js';
import { checkedGet, type SourceHttp } from '../checked-get.js';
import type { HttpResponse } from '../../net/http-client.js';
import {
  coverageOf,
  OUTLINE_TYPE,
  WANTED_TYPES,
  type FetchOptions,
  type PlanFetch,
  type PlanPart,
  type PlanProbe,
  type PlanSource,
  windowAround,
} from '../plan-source.js';

export interface NapOgcApiConfig {
  /** OGC API landing page of the kommuneplaner, e.g. https://nap.ft.dibk.no/services/rest/kommuneplaner */
  kommuneplanUrl: string;
  /** Reguleringsplaner, one API per vertikalnivå: `{vn}` is replaced by 1…5. */
  reguleringsplanUrl: string;
  /** Vertikalnivåer to fetch (2 = på grunnen; 1 tunnels and 3 bridges regulate nothing on the ground). */
  vertikalniva: number[];
  /** `limit` per page; the server may cap it lower (pygeoapi `max_items`), paging follows `next` links. */
  pageSize: number;
  /** Query parameter that filters items to one kommune (a pygeoapi queryable). */
  kommuneParameter: string;
  /** SOSI type → collection id, where discovery by id/title does not find it. */
  collections?: Record<string, string>;
  /** Safety stop for one collection. */
  maxPages?: number;
}

const CRS_25833 = 'http://www.opengis.net/def/crs/EPSG/0/25833';
const INTERNAL: SourceCrs = { epsg: 25833, latFirst: false, name: CRS_25833 };

interface Collection {
  id: string;
  type: string;
}

/**
 * DiBK NAP's OGC API-Features (pygeoapi, dotted property names, HTTP Basic with the DiBK client
 * id/key). Items are asked per collection, filtered to one kommune, in EPSG:25833, and paged by
 * `next` links (by `offset` when a full page has none) until a short page. The answer's
 * Content-Crs must be the CRS asked for; a feature of another kommune means the filter was
 * ignored, and both fail the fetch rather than feed wrong data to the engine.
 */
export class NapOgcApiSource implements PlanSource {
  readonly name: string;
  private readonly collectionsByApi = new Map<string, Promise<Collection[]>>();

  constructor(
    private readonly config: NapOgcApiConfig,
    private readonly http: SourceHttp,
    name = 'nap',
  ) {
    this.name = name;
  }

  async fetchKommune(kommunenummer: string, part: PlanPart, options: FetchOptions = {}): Promise<PlanFetch> {
    const features: PlanFeature[] = [];
    const warnings: ReadWarning[] = [];
    for (const api of this.apisFor(part)) {
      const collections = await this.collections(api, part, kommunenummer, options);
      for (const collection of collections) {
        const label = `${this.name} ${collection.type}`;
        const query = { [this.config.kommuneParameter]: kommunenummer };
        features.push(...(await this.items(api, collection, query, kommunenummer, label, warnings, options)));
      }
    }
    return { features, coverage: coverageOf(features, part), warnings };
  }

  /** Features within ±`radius` m of a point (bbox query on every wanted collection). */
  async probe(
    point: Position,
    options: FetchOptions & { radius?: number; kommunenummer?: string } = {},
  ): Promise<PlanProbe> {
    const radius = options.radius ?? 10;
    const bbox = windowAround(point, radius).join(',');
    const features: PlanFeature[] = [];
    const warnings: ReadWarning[] = [];
    for (const part of ['kommuneplan', 'reguleringsplan'] as const) {
      for (const api of this.apisFor(part)) {
        for (const collection of await this.collections(api, part, options.kommunenummer, options)) {
          const query = { bbox, 'bbox-crs': CRS_25833 };
          features.push(
            ...(await this.items(
              api,
              collection,
              query,
              options.kommunenummer,
              `${this.name} ${collection.type}`,
              warnings,
              options,
            )),
          );
        }
      }
    }
    return { features, warnings, window: `EPSG:25833 bbox ${bbox}` };
  }

  private apisFor(part: PlanPart): string[] {
    if (part === 'kommuneplan') return [trimSlash(this.config.kommuneplanUrl)];
    return this.config.vertikalniva.map((vn) =>
      trimSlash(this.config.reguleringsplanUrl.replace('{vn}', String(vn))),
    );
  }

  private collections(
    api: string,
    part: PlanPart,
    kommune: string | undefined,
    options: FetchOptions,
  ): Promise<Collection[]> {
    const key = `${api} ${part}`;
    let pending = this.collectionsByApi.get(key);
    if (!pending) {
      pending = this.discover(api, part, kommune, options);
      pending.catch(() => this.collectionsByApi.delete(key));
      this.collectionsByApi.set(key, pending);
    }
    return pending;
  }

  private async discover(
    api: string,
    part: PlanPart,
    kommune: string | undefined,
    options: FetchOptions,
  ): Promise<Collection[]> {
    const url = `${api}/collections?f=json`;
    const listed = await checkedGet(this.http, { url, kommune, signal: options.signal }, (response) => {
      const json = parseJson(response);
      const collections = (json as { collections?: unknown }).collections;
      if (!Array.isArray(collections))
        throw new FormatError('malformed', 'the collections document has no "collections" array');
      return collections as Array<{ id?: unknown; title?: unknown }>;
    });
    const result: Collection[] = [];
    for (const type of WANTED_TYPES[part]) {
      const configured = this.config.collections?.[type];
      const match = configured
        ? listed.find((c) => c.id === configured)
        : (listed.find((c) => typeOfCollection(c) === type) ?? listed.find((c) => prefixType(c) === type));
      if (match && typeof match.id === 'string') result.push({ id: match.id, type });
      else if (type === OUTLINE_TYPE[part]) {
        throw new SourceError('malformed', `no collection for ${type} among ${listed.length} collections`, {
          source: this.name,
          kommune,
          url: redactUrl(url),
        });
      }
    }
    return result;
  }

  private async items(
    api: string,
    collection: Collection,
    query: Record<string, string>,
    kommune: string | undefined,
    label: string,
    warnings: ReadWarning[],
    options: FetchOptions,
  ): Promise<PlanFeature[]> {
    const first = new URL(`${api}/collections/${encodeURIComponent(collection.id)}/items`);
    for (const [key, value] of Object.entries({
      f: 'json',
      limit: String(this.config.pageSize),
      crs: CRS_25833,
      ...query,
    })) {
      first.searchParams.set(key, value);
    }
    const features: PlanFeature[] = [];
    const seen = new Set<string>();
    let next: string | null = first.toString();
    let offset = 0;
    let previousBody: string | null = null;
    for (let page = 0; next; page++) {
      if (page >= (this.config.maxPages ?? 10_000) || seen.has(next)) {
        throw new SourceError('malformed', `paging of ${collection.id} does not end (page ${page + 1})`, {
          source: this.name,
          kommune,
          url: redactUrl(next),
        });
      }
      seen.add(next);
      const url: string = next;
      const document = await checkedGet(this.http, { url, kommune, signal: options.signal }, (response) => {
        const text = response.text();
        if (text === previousBody) {
          throw new FormatError(
            'malformed',
            `paging of ${collection.id} does not advance: page ${page + 1} repeats page ${page}`,
          );
        }
        previousBody = text;
        const doc = parseGeoJson(text, contentCrs(response));
        const found = planFeaturesFromGeoJson(
          doc,
          label,
          { onWarning: (w) => warnings.push(w) },
          collection.type,
        );
        const filtered = query[this.config.kommuneParameter];
        const stray = filtered && found.find((f) => !belongsTo(f, filtered));
        if (stray) {
          throw new FormatError(
            'malformed',
            `collection ${collection.id} returned a feature of kommune ${String(stray.properties['arealplanId.kommunenummer'])}: the kommune filter "${this.config.kommuneParameter}" was ignored`,
          );
        }
        features.push(...found);
        return doc;
      });
      offset += document.features.length;
      next = nextPage(document, url, offset);
    }
    return features;
  }
}

function belongsTo(feature: PlanFeature, kommunenummer: string): boolean {
  const own = feature.properties['arealplanId.kommunenummer'];
  return own === null || own === undefined || String(own) === kommunenummer;
}

/** The CRS the server says it answered in (OGC API Part 2 `Content-Crs`); it must be the one asked for. */
function contentCrs(response: HttpResponse): SourceCrs {
  const header = response.headers['content-crs'];
  if (!header) return INTERNAL;
  const crs = resolveSourceCrs(header.replace(/^<|>$/g, '').trim());
  if (crs?.epsg !== 25833)
    throw new FormatError('unexpected-crs', `asked for EPSG:25833, got Content-Crs ${header}`);
  return INTERNAL;
}

function nextPage(document: GeoJsonDocument, current: string, offset: number): string | null {
  const link = document.links.find((l) => l.rel === 'next' && typeof l.href === 'string');
  if (link?.href) return new URL(link.href, current).toString();
  if (document.links.length > 0 || document.features.length === 0) return null;
  // No links at all: continue by `offset` (pygeoapi caps `limit` at its max_items, so a short
  // page does not mean the end); numberMatched, when given, says where the end is.
  if (document.numberMatched !== null && offset >= document.numberMatched) return null;
  const url = new URL(current);
  url.searchParams.set('offset', String(offset));
  return url.toString();
}

function parseJson(response: HttpResponse): unknown {
  const text = response.text();
  try {
    return JSON.parse(text);
  } catch {
    // Reuse the GeoJSON reader's classification (HTML page, exception report, truncated).
    parseGeoJson(text);
    throw new FormatError('malformed', 'not JSON');
  }
}

function typeOfCollection(collection: { id?: unknown; title?: unknown }): string | null {
  for (const candidate of [collection.id, collection.title]) {
    if (typeof candidate !== 'string') continue;
    const type = canonicalTypeName(candidate);
    if (isKnownTypeName(type)) return type;
  }
  return null;
}

/** Collection ids named after tables ("rpomrade_omrade", "kparealformalomrade_mv"): the longest known type prefix. */
function prefixType(collection: { id?: unknown }): string | null {
  if (typeof collection.id !== 'string') return null;
  const folded = foldName(collection.id);
  let best: string | null = null;
  for (const part of Object.values(WANTED_TYPES)) {
    for (const type of part) {
      if (folded.startsWith(foldName(type)) && (!best || foldName(type).length > foldName(best).length))
        best = type;
    }
  }
  return best;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
