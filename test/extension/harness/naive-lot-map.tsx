import { useEffect, useRef } from 'react';
import L from 'leaflet';
import type { FeatureCollection } from 'geojson';
import { lotPolygonStyle } from '@tomtejakt/sync/presentation';
import { MAP_READY_MARK } from '../../../extension/frontend/map/leaflet-lot-map.js';
import type { LotMapProps } from '../../../extension/frontend/map/lot-map-props.js';

/**
 * The benchmark's baseline: the straightforward Leaflet map — every lot as one GeoJSON layer in
 * Leaflet's default SVG renderer, no clustering, no culling — over the same lots and tiles.
 */
export function NaiveLotMap({ lots, tiles, onSelect }: LotMapProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const map = L.map(ref.current!);
    L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: tiles.maxZoom }).addTo(map);
    const collection: FeatureCollection = {
      type: 'FeatureCollection',
      features: lots.flatMap((lot) =>
        lot.geometry
          ? [
              {
                type: 'Feature' as const,
                properties: { recordId: lot.recordId, score: lot.score },
                geometry: {
                  type: 'MultiPolygon' as const,
                  coordinates: lot.geometry.polygons,
                },
              },
            ]
          : [],
      ),
    };
    const layer = L.geoJSON(collection, {
      style: (feature) => lotPolygonStyle(feature?.properties.score as number | null),
      onEachFeature: (feature, l) => l.on('click', () => onSelect(feature.properties.recordId as string)),
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { animate: false });
    (window as unknown as { harnessMap: L.Map }).harnessMap = map;
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        performance.mark(MAP_READY_MARK);
        ref.current?.setAttribute('data-map-ready', 'true');
      }),
    );
    return () => void map.remove();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the baseline draws the first lots it gets, which is all the benchmark needs
  }, []);
  return (
    <div className="tomtekart-map-frame">
      <div ref={ref} className="tomtekart-map" data-map-ready="false" />
    </div>
  );
}
