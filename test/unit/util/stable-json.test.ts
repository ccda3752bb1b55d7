import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stableJson } from '../../../sync/src/util/stable-json.js';

/** The element-wise form stableJson had before plain arrays took JSON.stringify's fast path. */
function elementWise(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(elementWise).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${elementWise(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

describe('stableJson', () => {
  it('sorts keys at every depth and leaves out undefined members', () => {
    expect(stableJson({ b: [1, { d: 2, c: undefined, a: 'x' }], a: null })).toBe(
      '{"a":null,"b":[1,{"a":"x","d":2}]}',
    );
  });

  it('writes exactly what the element-wise form wrote, so stored fingerprints stay valid', () => {
    const values = fc.anything({ withNullPrototype: false, withBoxedValues: false, withSparseArray: false });
    const geometry = fc.array(fc.array(fc.tuple(fc.double(), fc.double()), { maxLength: 5 }), {
      maxLength: 3,
    });
    fc.assert(fc.property(fc.oneof(values, geometry), (value) => stableJson(value) === elementWise(value)));
  });

  it('orders each object by its own keys, however many key lists it has seen and whatever they hold', () => {
    // Key lists that a joined signature could confuse: "a\u0000b" alone and "a", "b".
    expect(stableJson({ 'a\u0000b': 1 })).toBe('{"a\\u0000b":1}');
    expect(stableJson({ a: 1, b: 2 })).toBe('{"a":1,"b":2}');
    expect(stableJson({ 'b\u0000': 1, a: 2 })).toBe('{"a":2,"b\\u0000":1}');
    // More distinct key lists than are remembered (data-made keys), each still sorted right.
    const many = Array.from({ length: 2500 }, (_, i) => ({ [`k${2500 - i}`]: i, [`j${i}`]: -i, z: i }));
    for (const value of many) expect(stableJson(value)).toBe(elementWise(value));
    // The same key order again, with other values and an undefined member.
    expect(stableJson({ z: 1, k1: undefined, j2499: 'x' })).toBe('{"j2499":"x","z":1}');
  });
});
