import type { LotRecord } from '../lot-record/lot-record.js';
import { lonLatGeometry } from '../geo/lon-lat.js';
import { lotPolygonStyle } from './style.js';

/** The lots as the map page draws them: lon/lat polygons with their id, score and tier style. */
export function lotMapFeatures(lots: Iterable<LotRecord>) {
  const features = [];
  for (const lot of lots) {
    const score = Math.round(lot.score.total);
    features.push({
      type: 'Feature' as const,
      id: lot.tomtId,
      geometry: lonLatGeometry(lot.geometry),
      properties: {
        tomtId: lot.tomtId,
        score,
        klasse: lot.score.tier,
        style: lotPolygonStyle(score),
        selectedStyle: lotPolygonStyle(score, true),
      },
    });
  }
  return { type: 'FeatureCollection' as const, features };
}
