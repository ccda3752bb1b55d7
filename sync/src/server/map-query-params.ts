import type { Confidence, Tier } from '../domain/lot.js';
import {
  MAP_BANDS,
  NO_MAP_FILTER,
  type LonLatBox,
  type LotSearch,
  type MapFilter,
  type MapQuery,
} from '../store/lot-map-query.js';

/** A query the map API cannot answer; the message names the parameter (Norwegian / English). */
export class MapQueryError extends Error {
  readonly status = 400;
}

type Params = Record<string, unknown>;

const text = (params: Params, name: string): string | null => {
  const value = params[name];
  if (value === undefined || value === '') return null;
  if (typeof value !== 'string') throw new MapQueryError(`${name}: gitt flere ganger / given more than once`);
  return value;
};

function listOf<T extends string>(params: Params, name: string, allowed: readonly T[]): T[] {
  const value = text(params, name);
  if (value === null) return [];
  const items = value.split(',').map((v) => v.trim());
  const wrong = items.filter((v) => !allowed.includes(v as T));
  if (wrong.length)
    throw new MapQueryError(
      `${name}: ukjent verdi «${wrong.join(', ')}» / unknown value; allowed: ${allowed.join(', ')}`,
    );
  return [...new Set(items)] as T[];
}

function intOf(params: Params, name: string, min: number, max: number): number | null {
  const value = text(params, name);
  if (value === null) return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new MapQueryError(
      `${name}: må være et heltall ${min}–${max} / must be a whole number ${min}–${max}`,
    );
  return n;
}

const TIERS: readonly Tier[] = ['A', 'B', 'C', 'D'];
const CONFIDENCES: readonly Confidence[] = ['high', 'medium', 'low'];
const STATES = ['active', 'vanished'] as const;
const PLAN_WORK = { all: 'alle', with: 'med', without: 'uten' } as const;

export function mapFilterOf(params: Params): MapFilter {
  const kommuner = text(params, 'kommune')?.split(',') ?? [];
  if (kommuner.some((k) => !/^\d{4}$/.test(k)))
    throw new MapQueryError('kommune: firesifret kommunenummer / 4-digit kommunenummer, e.g. 3218');
  const planWork = text(params, 'planWork') ?? 'all';
  if (!(planWork in PLAN_WORK))
    throw new MapQueryError('planWork: all, with eller without / all, with or without');
  const states = listOf(params, 'status', STATES);
  return {
    minScore: intOf(params, 'minScore', 0, 100),
    maxScore: intOf(params, 'maxScore', 0, 100),
    tiers: listOf(params, 'tier', TIERS),
    kommuner: [...new Set(kommuner)],
    states: states.length ? states : NO_MAP_FILTER.states,
    confidences: listOf(params, 'confidence', CONFIDENCES),
    planWork: PLAN_WORK[planWork as keyof typeof PLAN_WORK],
  };
}

/** Grid of 256 screen pixels at a zoom, in degrees of longitude (latitude: half as many). */
const snapDegrees = (zoom: number) => (360 / 2 ** zoom / 256) * MAP_BANDS.clusterPx * 4;

/**
 * The view's box grown outwards to a grid of 256 pixels at its zoom: views a few pixels apart ask
 * the same question (one cache entry), and clusters do not jump while panning.
 */
export function snapBox([west, south, east, north]: LonLatBox, zoom: number): LonLatBox {
  const step = snapDegrees(zoom);
  const clamp = (v: number, limit: number) => Math.max(-limit, Math.min(limit, v));
  return [
    clamp(Math.floor(west / step) * step, 180),
    clamp(Math.floor(south / (step / 2)) * (step / 2), 90),
    clamp(Math.ceil(east / step) * step, 180),
    clamp(Math.ceil(north / (step / 2)) * (step / 2), 90),
  ];
}

export function mapQueryOf(params: Params): MapQuery {
  const zoom = intOf(params, 'zoom', 0, 22);
  const bbox = (text(params, 'bbox') ?? '').split(',').map(Number);
  const [west, south, east, north] = bbox as LonLatBox;
  if (
    zoom === null ||
    bbox.length !== 4 ||
    bbox.some((v) => !Number.isFinite(v)) ||
    !(west < east && south < north)
  )
    throw new MapQueryError(
      'bbox=vest,sør,øst,nord (lon/lat) og zoom=0–22 trengs / bbox=west,south,east,north and zoom are required',
    );
  return { bbox: snapBox([west, south, east, north], zoom), zoom, filter: mapFilterOf(params) };
}

/** "45/12", "45 12", "45", "3218-45/12" or "3218 45/12": gnr, bnr and the kommune when given. */
export function lotSearchOf(params: Params): LotSearch {
  const match = /^(?:(\d{4})\s*[-\s]\s*)?(\d{1,5})(?:\s*[/\s]\s*(\d{1,5}))?$/.exec(
    text(params, 'q')?.trim() ?? '',
  );
  if (!match)
    throw new MapQueryError('q: skriv gnr/bnr, f.eks. 45/12 eller 3218-45/12 / q: gnr/bnr such as 45/12');
  const kommune = match[1] ?? text(params, 'kommune');
  if (kommune !== null && !/^\d{4}$/.test(kommune))
    throw new MapQueryError('kommune: firesifret kommunenummer / 4-digit kommunenummer');
  return { gnr: Number(match[2]), bnr: match[3] === undefined ? null : Number(match[3]), kommune };
}

/** A canonical text of a question: equal questions, equal keys (the cache's and the ETag's). */
export const mapQueryKey = (query: MapQuery) => JSON.stringify(query);
export const searchKey = (search: LotSearch) => JSON.stringify(search);
