import L from 'leaflet';
import { OPENSTREETMAP, shouldFallBack, type TileSource } from './tile-source.js';

const tileLayerOf = (source: TileSource) =>
  L.tileLayer(source.url, { attribution: source.attribution, maxZoom: source.maxZoom, crossOrigin: false });

/**
 * Adds the background map and swaps it for OpenStreetMap if the primary tiles fail from the
 * start (Kartverket down, or a firewall that blocks it). Returns a function that removes it.
 */
export function addBaseLayer(map: L.Map, primary: TileSource, onFallback: () => void): () => void {
  let layer = tileLayerOf(primary);
  const progress = { loaded: 0, failed: 0 };
  const onLoad = () => {
    progress.loaded += 1;
  };
  const onError = () => {
    progress.failed += 1;
    if (primary.url !== OPENSTREETMAP.url && shouldFallBack(progress)) {
      layer.off('tileload', onLoad).off('tileerror', onError);
      map.removeLayer(layer);
      layer = tileLayerOf(OPENSTREETMAP).addTo(map);
      onFallback();
    }
  };
  layer.on('tileload', onLoad).on('tileerror', onError).addTo(map);
  return () => {
    layer.off('tileload', onLoad).off('tileerror', onError);
    map.removeLayer(layer);
  };
}
