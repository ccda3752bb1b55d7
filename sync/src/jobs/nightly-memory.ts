/**
 * What reading a kommune ahead costs in memory, per parcel: its parcels, plans and lots as the
 * engine and the store hold them (measured by `npm run bench:national`: see docs/service.md).
 */
export const BYTES_PER_PARCEL = 6_000;

export interface ReadAheadCheck {
  /** Bytes the process holds now (resident set). */
  inUse: number;
  /** NIGHTLY_MEMORY_BUDGET_MB in bytes. */
  budget: number;
  /** The next kommune's parcels, from an earlier run; null when never read. */
  parcels: number | null;
  /** The mean of the kommuner read so far, for one never read. */
  meanParcels: number;
}

/** Whether the next kommune may be read now, on top of what the process holds, within the budget. */
export function mayReadAhead(check: ReadAheadCheck): boolean {
  const next = (check.parcels ?? check.meanParcels) * BYTES_PER_PARCEL;
  return check.inUse + next <= check.budget;
}
