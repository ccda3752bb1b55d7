/**
 * The background map's tiles: Kartverket's open topographic cache. The map page's script draws
 * from this template, and the Content-Security-Policy lets images come from its origin only.
 */
export const TILE_URL_TEMPLATE =
  'https://cache.kartverket.no/v1/wmts/1.0.0/topo/default/webmercator/{z}/{y}/{x}.png';

export const TILE_ORIGIN = new URL(TILE_URL_TEMPLATE.replace(/\{[a-z]\}/g, '0')).origin;
