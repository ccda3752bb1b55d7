import type { Confidence, Tier } from '../domain/lot.js';
import type { Db } from './database.js';

/** What the map filters on, as the extension's filter bar offers it; empty lists mean "all". */
export interface MapFilter {
  minScore: number | null;
  maxScore: number | null;
  tiers: Tier[];
  kommuner: string[];
  /** The store's lifecycle: found by the last run of its kommune, or no longer found ("Utgått"). */
  states: Array<'active' | 'vanished'>;
  confidences: Confidence[];
  /** Plans in progress (planarbeid pågår) touching the lot. */
  planWork: 'alle' | 'med' | 'uten';
}

export const NO_MAP_FILTER: MapFilter = {
  minScore: null,
  maxScore: null,
  tiers: [],
  kommuner: [],
  states: ['active'],
  confidences: [],
  planWork: 'alle',
};

/** [west, south, east, north] in EPSG:4326. */
export type LonLatBox = [number, number, number, number];

export interface MapQuery {
  bbox: LonLatBox;
  /** Web Mercator zoom of the view (Leaflet's). */
  zoom: number;
  filter: MapFilter;
}

/**
 * How much one answer may hold, and from which zoom lots are drawn one by one: below
 * `pointsFromZoom` the map shows clusters on a grid of `clusterPx` screen pixels; from there
 * label points, from `polygonsFromZoom` outlines simplified to 2 m, from `fineFromZoom` to 0.2 m.
 * A view with more than `maxLots` matching lots gets clusters at any zoom, so no answer grows
 * with the store.
 */
export const MAP_BANDS = {
  pointsFromZoom: 12,
  polygonsFromZoom: 14,
  fineFromZoom: 16,
  maxLots: 2000,
  clusterPx: 64,
} as const;

export interface MapCluster {
  lon: number;
  lat: number;
  count: number;
  /** The best score in the cluster. */
  best: number;
  /** The lot, when the cluster holds one. */
  tomtId: string | null;
}

export interface MapLot {
  tomtId: string;
  score: number;
  tier: Tier;
  lon: number;
  lat: number;
  /** GeoJSON geometry text (lon/lat) for polygons; null for points. */
  geometry: string | null;
}

export type MapLayer =
  | { kind: 'clusters'; total: number; clusters: MapCluster[] }
  | { kind: 'points' | 'polygons'; total: number; lots: MapLot[] };

interface Where {
  sql: string;
  params: Record<string, string | number>;
}

function list(name: string, values: readonly string[], params: Where['params']): string {
  values.forEach((value, i) => (params[`${name}${i}`] = value));
  return values.map((_, i) => `@${name}${i}`).join(', ');
}

/** The filter as SQL on `lot_map m`, with named parameters. */
export function filterWhere(filter: MapFilter): Where {
  const params: Where['params'] = {};
  const parts: string[] = [];
  if (filter.minScore !== null) {
    parts.push('m.score >= @minScore');
    params.minScore = filter.minScore;
  }
  if (filter.maxScore !== null) {
    parts.push('m.score <= @maxScore');
    params.maxScore = filter.maxScore;
  }
  if (filter.tiers.length) parts.push(`m.tier IN (${list('tier', filter.tiers, params)})`);
  if (filter.kommuner.length) parts.push(`m.kommunenummer IN (${list('kommune', filter.kommuner, params)})`);
  if (filter.states.length) parts.push(`m.state IN (${list('state', filter.states, params)})`);
  if (filter.confidences.length)
    parts.push(`m.confidence IN (${list('confidence', filter.confidences, params)})`);
  if (filter.planWork !== 'alle') parts.push(`m.plan_work = ${filter.planWork === 'med' ? 1 : 0}`);
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}

/** Lots whose box meets the view's, with any further join (the outlines) before the conditions. */
const inBox = (join = '') => `FROM lot_map_rtree r JOIN lot_map m ON m.id = r.id ${join}
  WHERE r.max_lon >= @west AND r.min_lon <= @east AND r.max_lat >= @south AND r.min_lat <= @north`;

const boxParams = ([west, south, east, north]: LonLatBox) => ({ west, south, east, north });

/**
 * A grid cell of `clusterPx` pixels at this zoom, in degrees of longitude; a latitude cell is half
 * as many degrees, which keeps cells about square on screen at Norway's latitudes.
 */
const cellDegrees = (zoom: number) => (360 / 2 ** zoom / 256) * MAP_BANDS.clusterPx;

export function mapClusters(db: Db, query: MapQuery): Extract<MapLayer, { kind: 'clusters' }> {
  const where = filterWhere(query.filter);
  const cell = cellDegrees(query.zoom);
  const rows = db
    .prepare(
      `SELECT AVG(m.lon) AS lon, AVG(m.lat) AS lat, COUNT(*) AS count, MAX(m.score) AS best,
         MIN(m.tomt_id) AS tomtId
       ${inBox()} AND ${where.sql}
       GROUP BY CAST((m.lon + 180) / @cellLon AS INTEGER), CAST((m.lat + 90) / @cellLat AS INTEGER)`,
    )
    .all({ ...boxParams(query.bbox), ...where.params, cellLon: cell, cellLat: cell / 2 }) as MapCluster[];
  let total = 0;
  for (const cluster of rows) {
    total += cluster.count;
    if (cluster.count > 1) cluster.tomtId = null;
  }
  return { kind: 'clusters', total, clusters: rows };
}

/** The lots in view, one by one when there are at most `maxLots` of them, else clusters. */
export function queryLotMap(db: Db, query: MapQuery): MapLayer {
  if (query.zoom < MAP_BANDS.pointsFromZoom) return mapClusters(db, query);
  const kind = query.zoom < MAP_BANDS.polygonsFromZoom ? 'points' : 'polygons';
  const geometry = kind === 'points' ? 'NULL' : query.zoom < MAP_BANDS.fineFromZoom ? 'g.coarse' : 'g.fine';
  const shapes = kind === 'points' ? '' : 'JOIN lot_map_shape g ON g.id = m.id';
  const where = filterWhere(query.filter);
  const lots = db
    .prepare(
      `SELECT m.tomt_id AS tomtId, m.score, m.tier, m.lon, m.lat, ${geometry} AS geometry
       ${inBox(shapes)} AND ${where.sql} LIMIT ${MAP_BANDS.maxLots + 1}`,
    )
    .all({ ...boxParams(query.bbox), ...where.params }) as MapLot[];
  if (lots.length > MAP_BANDS.maxLots) return mapClusters(db, query);
  return { kind, total: lots.length, lots };
}

export interface LotSearch {
  gnr: number;
  bnr: number | null;
  kommune: string | null;
}

export interface LotSearchHit {
  tomtId: string;
  kommunenummer: string;
  kommuneNavn: string;
  matrikkel: string;
  score: number;
  tier: Tier;
  state: 'active' | 'vanished';
  lon: number;
  lat: number;
  bbox: LonLatBox;
}

export const SEARCH_LIMIT = 25;

/** Lots on a gnr (and bnr), best score first; the map zooms to the one chosen. */
export function searchLotMap(db: Db, search: LotSearch): LotSearchHit[] {
  const rows = db
    .prepare(
      `SELECT m.tomt_id AS tomtId, m.kommunenummer, m.kommune_navn AS kommuneNavn, m.matrikkel,
         m.score, m.tier, m.state, m.lon, m.lat, r.min_lon, r.min_lat, r.max_lon, r.max_lat
       FROM lot_map m JOIN lot_map_rtree r ON r.id = m.id
       WHERE m.gnr = @gnr AND (@bnr IS NULL OR m.bnr = @bnr) AND (@kommune IS NULL OR m.kommunenummer = @kommune)
       ORDER BY m.state, m.score DESC, m.tomt_id LIMIT ${SEARCH_LIMIT}`,
    )
    .all(search) as Array<
    Omit<LotSearchHit, 'bbox'> & { min_lon: number; min_lat: number; max_lon: number; max_lat: number }
  >;
  return rows.map(({ min_lon, min_lat, max_lon, max_lat, ...hit }) => ({
    ...hit,
    bbox: [min_lon, min_lat, max_lon, max_lat],
  }));
}

export interface MapKommune {
  kommunenummer: string;
  navn: string;
  /** Lots found by the kommune's last run. */
  count: number;
  bbox: LonLatBox;
}

/** The kommuner with lots on the map (for the kommune filter), by name. */
export function lotMapKommuner(db: Db): MapKommune[] {
  const rows = db
    .prepare(
      `SELECT m.kommunenummer, MAX(m.kommune_navn) AS navn, COUNT(*) AS count,
         MIN(r.min_lon) AS w, MIN(r.min_lat) AS s, MAX(r.max_lon) AS e, MAX(r.max_lat) AS n
       FROM lot_map m JOIN lot_map_rtree r ON r.id = m.id
       WHERE m.state = 'active' GROUP BY m.kommunenummer`,
    )
    .all() as Array<Omit<MapKommune, 'bbox'> & { w: number; s: number; e: number; n: number }>;
  return rows
    .map(({ w, s, e, n, ...kommune }) => ({ ...kommune, bbox: [w, s, e, n] as LonLatBox }))
    .sort((a, b) => a.navn.localeCompare(b.navn, 'nb') || a.kommunenummer.localeCompare(b.kommunenummer));
}
