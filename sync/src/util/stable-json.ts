/** JSON with object keys sorted and undefined members left out, so equal values always serialise alike. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value))
    // An array of plain values (a coordinate pair, a list of codes) has no keys to sort: JSON.stringify
    // writes it exactly as the element-wise form would, several times faster (lot geometries).
    return value.every(isPlain) ? JSON.stringify(value) : `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function isPlain(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}
