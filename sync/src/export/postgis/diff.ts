import type { MirrorKey } from './rows.js';

/**
 * Which rows bring the mirror in step with the store: lots it lacks or holds in another state or
 * version are written, lots the store no longer has are removed. Empty both ways: nothing to do.
 */
export function rowsOutOfStep(
  store: MirrorKey[],
  mirror: MirrorKey[],
): { write: string[]; remove: string[] } {
  const mirrored = new Map(mirror.map((m) => [m.tomtId, m]));
  const kept = new Set(store.map((s) => s.tomtId));
  return {
    write: store
      .filter((s) => {
        const m = mirrored.get(s.tomtId);
        return !m || m.state !== s.state || m.fingerprint !== s.fingerprint;
      })
      .map((s) => s.tomtId),
    remove: mirror.filter((m) => !kept.has(m.tomtId)).map((m) => m.tomtId),
  };
}
