/** JSON with object keys sorted and undefined members left out, so equal values always serialise alike. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value))
    // An array of plain values (a coordinate pair, a list of codes) has no keys to sort: JSON.stringify
    // writes it exactly as the element-wise form would, several times faster (lot geometries).
    return value.every(isPlain) ? JSON.stringify(value) : `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    // One string built in place, no entry arrays: a run fingerprints every lot record (issue 13).
    const record = value as Record<string, unknown>;
    let json = '{';
    for (const key of Object.keys(record).sort()) {
      const member = record[key];
      if (member === undefined) continue;
      if (json.length > 1) json += ',';
      json += `${JSON.stringify(key)}:${stableJson(member)}`;
    }
    return `${json}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function isPlain(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}
