/** Deterministic pseudo-random numbers (shared by the sample generator and the test doubles), keyed by a string so a figure never depends on query order. */
export function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** mulberry32 */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform number in [0, 1) for this key. */
export function uniform(key: string, seed = 1): number {
  return seeded(hashString(`${seed}:${key}`))();
}

/** A standard normal draw for this key (Box–Muller). */
export function normal(key: string, seed = 1): number {
  const next = seeded(hashString(`${seed}:${key}`));
  const u = Math.max(next(), 1e-12);
  const v = next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
