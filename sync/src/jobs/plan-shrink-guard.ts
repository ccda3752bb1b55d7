import { SUSPICIOUS_SHRINK_PERCENT_DEFAULT } from '../config/env.js';
import type { Db } from '../store/database.js';
import {
  holdSuspectChange,
  lastGoodMeasure,
  suspectChangeOf,
  type PlanMeasure,
} from '../store/plan-shrink-guard.js';

/** What the team reads in the run summary, on /health and in the kommune's Airtable record. */
export const SUSPICIOUS_CHANGE = 'mistenkelig endring';

/** A kommune held back: its plan areas shrank too far from its last good run to be believed unseen. */
export class SuspiciousChangeError extends Error {
  constructor(
    readonly kommunenummer: string,
    readonly reason: string,
  ) {
    super(
      `${SUSPICIOUS_CHANGE}: ${reason} since the last good run; the previous lots are kept. ` +
        `Check the source, then accept the change with: tomtejakt accept --kommune ${kommunenummer}`,
    );
    this.name = 'SuspiciousChangeError';
  }
}

/** The areas a run measured, from the engine's summary (null when it has none: nothing to compare). */
export function measureOf(summary: unknown): PlanMeasure | null {
  const s = summary as { zoneAreaM2?: unknown; subtractedAreaM2?: unknown } | null | undefined;
  if (typeof s?.zoneAreaM2 !== 'number' || typeof s.subtractedAreaM2 !== 'number') return null;
  return { zoneAreaM2: s.zoneAreaM2, regulatedAreaM2: s.subtractedAreaM2 };
}

const daa = (m2: number) => `${(Math.round(m2 / 1000) || 0).toLocaleString('en-GB')} daa`;

/** Why the change from `previous` to `current` is suspicious (an area shrank by more than `share`), or null. */
export function shrinkReason(previous: PlanMeasure, current: PlanMeasure, share: number): string | null {
  const areas = [
    ['regulated area', previous.regulatedAreaM2, current.regulatedAreaM2],
    ['candidate zones', previous.zoneAreaM2, current.zoneAreaM2],
  ] as const;
  const shrunk = areas
    .filter(([, before, after]) => before > 0 && (before - after) / before > share)
    .map(
      ([label, before, after]) =>
        `${label} shrank ${Math.round(((before - after) / before) * 100)} % (${daa(before)} → ${daa(after)})`,
    );
  return shrunk.length ? shrunk.join(' and ') : null;
}

/** `accepted`: a person accepted the held change; `recovered`: a held change is gone by itself. */
export type GuardVerdict = 'ok' | 'accepted' | 'recovered' | 'unmeasured';

/**
 * Compares the kommune's areas with its last good run. A shrink beyond SUSPICIOUS_SHRINK_PERCENT
 * is held in the store and thrown as SuspiciousChangeError (the kommune keeps its lots), unless a
 * person has accepted the held change.
 */
export function guardPlanShrink(
  db: Db,
  kommunenummer: string,
  measure: PlanMeasure | null,
  at: { runId: number; now: () => string; percent?: number },
): GuardVerdict {
  if (!measure) return 'unmeasured';
  const held = suspectChangeOf(db, kommunenummer);
  if (held?.acceptedAt) return 'accepted';
  const previous = lastGoodMeasure(db, kommunenummer);
  const share = (at.percent ?? SUSPICIOUS_SHRINK_PERCENT_DEFAULT) / 100;
  const reason = previous && shrinkReason(previous, measure, share);
  if (!reason) return held ? 'recovered' : 'ok';
  holdSuspectChange(db, { kommunenummer, ...measure, reason, runId: at.runId, detectedAt: at.now() });
  throw new SuspiciousChangeError(kommunenummer, reason);
}
