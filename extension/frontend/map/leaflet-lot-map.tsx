import { useEffect, useRef, useState } from 'react';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { addBaseLayer } from './base-layer.js';
import { addLegend } from './legend.js';
import { LotLayers } from './lot-layers.js';
import type { LotMapProps } from './lot-map-props.js';
import type { MapMode } from './zoom-levels.js';

/** Norway, for the moment before the lots are known. */
const NORWAY: L.LatLngBoundsExpression = [
  [57.9, 4.5],
  [71.2, 31.2],
];

export const MAP_READY_MARK = 'tomtekart:map-ready';

export interface LeafletLotMapProps extends LotMapProps {
  /** Hands the Leaflet map to a caller that drives it (the browser test harness). */
  onMapCreated?: (map: L.Map) => void;
}

export function LeafletLotMap({
  lots,
  selected,
  focus,
  fit,
  tiles,
  onSelect,
  onMapCreated,
}: LeafletLotMapProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const layersRef = useRef<LotLayers | null>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const [mode, setMode] = useState<MapMode | null>(null);
  const [ready, setReady] = useState(false);
  const readyMarked = useRef(false);
  const [fallback, setFallback] = useState(false);

  useEffect(() => {
    const container = containerRef.current!;
    const map = L.map(container, { preferCanvas: true, zoomControl: true, minZoom: 3, maxZoom: 18 });
    map.attributionControl.setPrefix(false);
    addLegend(map);
    map.fitBounds(NORWAY, { animate: false });
    // One canvas for every point and polygon; tolerance widens the click target of small lots.
    const renderer = L.canvas({ padding: 0.3, tolerance: 4 });
    layersRef.current = new LotLayers(map, renderer, (id) => onSelectRef.current(id), setMode);
    mapRef.current = map;
    onMapCreated?.(map);
    const resize = new ResizeObserver(() => map.invalidateSize());
    resize.observe(container);
    return () => {
      resize.disconnect();
      map.remove();
      mapRef.current = null;
      layersRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the map is created once; the effects below apply later prop changes
  }, []);

  const { url, attribution, maxZoom } = tiles;
  useEffect(() => {
    setFallback(false);
    return addBaseLayer(mapRef.current!, { url, attribution, maxZoom }, () => setFallback(true));
  }, [url, attribution, maxZoom]);

  useEffect(() => {
    const layers = layersRef.current!;
    const first = layers.lotCount === 0;
    layers.setLots(lots);
    if (first && layers.lotCount > 0) layers.fitToLots();
    if (!readyMarked.current) {
      readyMarked.current = true;
      // Two frames: Leaflet paints its canvas in the first, so the lots are on screen after it.
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          performance.mark(MAP_READY_MARK);
          setReady(true);
        }),
      );
    }
  }, [lots]);

  useEffect(() => layersRef.current!.setSelected(selected), [selected]);

  useEffect(() => {
    if (focus && selected) layersRef.current!.focusOn(selected);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new request moves the map, not every change of the selected lot's data
  }, [focus]);

  useEffect(() => {
    if (fit) layersRef.current!.fitToLots();
  }, [fit]);

  return (
    <div className="tomtekart-map-frame">
      <div
        ref={containerRef}
        className="tomtekart-map"
        data-map-ready={ready ? 'true' : 'false'}
        data-map-mode={mode ?? ''}
        role="region"
        aria-label="Kart over tomtene"
      />
      {fallback && (
        <div className="tomtekart-map-notice" role="status">
          Kartverkets bakgrunnskart svarer ikke – viser OpenStreetMap i stedet.
        </div>
      )}
    </div>
  );
}
