import { tierOf } from '../domain/lot.js';
import type { LotMapVersion } from '../store/lot-map.js';
import type { LotSearchHit, MapKommune, MapLayer } from '../store/lot-map-query.js';

/**
 * The map API's answers as JSON text. Lot outlines are stored as GeoJSON text and spliced in as
 * they are, never parsed and written again.
 */
export function mapLayerJson(layer: MapLayer): string {
  const features: string[] = [];
  if (layer.kind === 'clusters') {
    for (const c of layer.clusters)
      features.push(
        `{"type":"Feature","geometry":{"type":"Point","coordinates":[${round6(c.lon)},${round6(c.lat)}]},` +
          `"properties":{"antall":${c.count},"best":${c.best},"klasse":"${tierOf(c.best)}","tomtId":${JSON.stringify(c.tomtId)}}}`,
      );
  } else {
    for (const lot of layer.lots) {
      const geometry = lot.geometry ?? `{"type":"Point","coordinates":[${lot.lon},${lot.lat}]}`;
      features.push(
        `{"type":"Feature","id":${JSON.stringify(lot.tomtId)},"geometry":${geometry},` +
          `"properties":{"tomtId":${JSON.stringify(lot.tomtId)},"score":${lot.score},"klasse":"${lot.tier}"}}`,
      );
    }
  }
  return `{"type":"FeatureCollection","kind":"${layer.kind}","total":${layer.total},"features":[${features.join(',')}]}`;
}

const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

export const searchJson = (hits: LotSearchHit[]) => JSON.stringify({ hits });

export const kommunerJson = (kommuner: MapKommune[]) => JSON.stringify({ kommuner });

/** The version as an ETag part: changes with every write that changed the map. */
export const versionTag = (version: LotMapVersion | null) =>
  version ? `g${version.generation}-r${version.runId ?? 0}` : 'empty';
