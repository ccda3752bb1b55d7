/**
 * How long the rest of a nightly run will take, from what it has done so far. A kommune's work
 * grows with its parcels (reading, overlay, lots, store) on top of a fixed part (sources' first
 * requests, Airtable reads), counted here as this many parcels.
 */
export const FIXED_COST_IN_PARCELS = 2_000;

export interface EtaInput {
  /** Milliseconds since the run started. */
  elapsedMs: number;
  /** Parcels of each finished kommune (ok or failed). */
  finished: number[];
  /** Parcels of each kommune not finished yet (in flight or waiting); null when not known yet. */
  remaining: Array<number | null>;
}

/**
 * Seconds until the run ends: the elapsed time, per unit of finished work, times the work left.
 * A kommune whose size is not known yet counts as the mean of those known. Null until one
 * kommune has finished (no rate to go by); 0 when nothing is left.
 */
export function etaSeconds(input: EtaInput): number | null {
  if (input.remaining.length === 0) return 0;
  if (input.finished.length === 0 || input.elapsedMs <= 0) return null;
  const known = [...input.finished, ...input.remaining.filter((p): p is number => p !== null)];
  const mean = known.reduce((sum, p) => sum + p, 0) / known.length;
  const weight = (parcels: number) => parcels + FIXED_COST_IN_PARCELS;
  const done = input.finished.reduce((sum, p) => sum + weight(p), 0);
  const left = input.remaining.reduce<number>((sum, p) => sum + weight(p ?? mean), 0);
  return Math.round(((input.elapsedMs / done) * left) / 1000);
}
