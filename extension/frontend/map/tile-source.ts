/**
 * Background map tiles. Kartverket's open topographic map ("topo", WMTS in web mercator served
 * as a REST template; note the {y}/{x} order) is free under CC BY 4.0 and needs no key:
 * https://cache.kartverket.no/v1/wmts/1.0.0/WMTSCapabilities.xml. OpenStreetMap is the fallback
 * when Kartverket's cache does not answer.
 */
export interface TileSource {
  url: string;
  attribution: string;
  maxZoom: number;
}

export const KARTVERKET_TOPO: TileSource = {
  url: 'https://cache.kartverket.no/v1/wmts/1.0.0/topo/default/webmercator/{z}/{y}/{x}.png',
  attribution:
    '© <a href="https://www.kartverket.no/" target="_blank" rel="noopener noreferrer">Kartverket</a>',
  maxZoom: 18,
};

export const OPENSTREETMAP: TileSource = {
  url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  attribution:
    '© <a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener noreferrer">OpenStreetMap-bidragsytere</a>',
  maxZoom: 19,
};

/** A tile URL template must be http(s) and name {z}, {x} and {y}. Returns the problem in Norwegian. */
export function tileUrlProblem(url: string): string | null {
  if (!/^https?:\/\//i.test(url)) return 'Adressen må begynne med https://';
  const missing = ['{z}', '{x}', '{y}'].filter((part) => !url.includes(part));
  return missing.length ? `Adressen mangler ${missing.join(', ')}` : null;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The tiles to draw: a valid URL from the settings (with its attribution), else Kartverket. */
export function primaryTileSource(url: unknown, attribution: unknown): TileSource {
  if (typeof url !== 'string' || url.trim() === '' || tileUrlProblem(url.trim())) return KARTVERKET_TOPO;
  const text = typeof attribution === 'string' && attribution.trim() !== '' ? attribution.trim() : null;
  return {
    url: url.trim(),
    // Attribution typed in the settings is shown as text, never as HTML.
    attribution: text ? escapeHtml(text) : escapeHtml(new URL(url.trim().replace(/[{}]/g, '')).host),
    maxZoom: 18,
  };
}

/**
 * Switch to the fallback when the first tiles all fail: a dead or blocked tile server gives a
 * run of errors before any tile loads, while a slow one or a single missing tile does not.
 */
export function shouldFallBack(progress: { loaded: number; failed: number }): boolean {
  return progress.loaded === 0 && progress.failed >= 4;
}
