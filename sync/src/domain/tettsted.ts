import type { AreaGeometry, Position } from './geometry.js';

/** One of SSB's tettsteder (urban settlements, at least 200 residents), as read. */
export interface Tettsted {
  /** SSB's tettstedsnummer (`tett_nr`), stable between years. */
  nr: string;
  name: string;
  /** Residents (`befolkning_tettsted`) in the year of the layer. */
  population: number;
  /** EPSG:25833. */
  area: AreaGeometry;
}

/** The kommune's centre as Sentralitet measures it: the middle of its largest tettsted's part in the kommune. */
export interface TettstedCentre {
  nr: string;
  name: string;
  population: number;
  /** Residents counted for the kommune: the population × the share of the tettsted's area inside it. */
  residentsInKommune: number;
  /** EPSG:25833, inside the tettsted's part in the kommune. */
  position: Position;
}

/**
 * A kommune's centre from SSB's tettsteder, and where it came from. `centre` is null when the
 * kommune has no tettsted (fetched and empty) or the data is unavailable (`reason` says why).
 */
export interface CentreData {
  status: 'fetched' | 'cached' | 'stale' | 'bundled' | 'unavailable';
  source: string;
  fetchedAt: string | null;
  centre: TettstedCentre | null;
  reason?: string;
}
