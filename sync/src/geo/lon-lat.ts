import type { AreaGeometry, Position } from '../domain/geometry.js';
import { mapPositions, toLonLat } from './crs.js';

/** Seven decimals of a degree is about 1 cm in Norway: enough for parcels, half the text of full doubles. */
const DECIMALS = 7;
const round = (value: number) => Math.round(value * 10 ** DECIMALS) / 10 ** DECIMALS;

/** An EPSG:25833 position as [lon, lat] (EPSG:4326) rounded to about 1 cm. */
export function lonLatOf(position: Position): Position {
  const [lon, lat] = toLonLat(position);
  return [round(lon), round(lat)];
}

/** An EPSG:25833 area in lon/lat (EPSG:4326), rounded to about 1 cm; ring order is kept. */
export function lonLatGeometry(geometry: AreaGeometry): AreaGeometry {
  return mapPositions(geometry, lonLatOf);
}
