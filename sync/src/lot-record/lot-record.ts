import type { Position } from '../domain/geometry.js';
import type { KommuneData } from '../domain/kommune.js';
import type { ScoredLot } from '../domain/lot.js';
import { lonLatOf } from '../geo/lon-lat.js';
import { labelPoint } from '../geo/point-inside.js';

/** Where each part of a lot's data came from ("nap", "files:/path", "sample" …). */
export type LotSources = KommuneData['sources'];

/** The lot's label point in both reference systems the product uses. */
export interface LotCentre {
  /** EPSG:25833 easting and northing. */
  east: number;
  north: number;
  /** EPSG:4326, rounded to about 1 cm. */
  lon: number;
  lat: number;
}

/**
 * The lot as the product knows it: what the engine found and the score made of it, with the
 * kommune's name, where the data came from and a point certainly inside it. The store keeps
 * this; Airtable cells (crm/), the map and panel (presentation/) and the output files (export/)
 * are each a rendering of it.
 */
export interface LotRecord extends ScoredLot {
  kommuneNavn: string;
  sources: LotSources;
  centre: LotCentre;
}

export function lotCentreOf(geometry: ScoredLot['geometry']): LotCentre {
  const point: Position = labelPoint(geometry);
  const [lon, lat] = lonLatOf(point);
  return { east: point[0], north: point[1], lon, lat };
}

/** The record of a lot scored in a kommune run; `centre`, when already worked out elsewhere, is `lotCentreOf` its geometry. */
export function lotRecordOf(
  lot: ScoredLot,
  kommune: { navn: string; sources: LotSources },
  centre: LotCentre = lotCentreOf(lot.geometry),
): LotRecord {
  return { ...lot, kommuneNavn: kommune.navn, sources: kommune.sources, centre };
}
