import type { Alert } from '../../domain/alert.js';
import type { SeenKommuneplan } from '../../store/kommuneplans-seen.js';
import type { TopChange } from '../../store/kommune-top.js';

/**
 * A new kommuneplan in the kommune's data since its last good run: a plan id not seen then, or one
 * seen with an earlier date in force. Nothing before the kommune's first comparison (`seen` null).
 */
export function kommuneplanAlerts(
  run: { runId: number; at: string; kommunenummer: string; kommuneNavn: string },
  seen: readonly SeenKommuneplan[] | null,
  now: readonly SeenKommuneplan[],
): Alert[] {
  if (seen === null) return [];
  const before = new Map(seen.map((p) => [p.planId, p]));
  return now
    .filter((plan) => {
      const was = before.get(plan.planId);
      return !was || (plan.date !== null && (was.date === null || plan.date > was.date));
    })
    .map((plan) => ({
      key: `kommuneplan_endret:${run.kommunenummer}:${plan.planId}:${plan.date ?? 'udatert'}`,
      type: 'kommuneplan_endret' as const,
      runId: run.runId,
      createdAt: run.at,
      kommunenummer: run.kommunenummer,
      lotId: null,
      title: `Ny kommuneplan i ${run.kommuneNavn}`,
      text:
        `${plan.name ? `«${plan.name}»` : 'Kommuneplan'} (${plan.planId})` +
        (plan.date ? ` er i kraft fra ${plan.date}.` : ' er ny i plandataene.') +
        ' Nattens tomter er funnet ut fra den.',
      details: {
        planId: plan.planId,
        planName: plan.name,
        planDate: plan.date,
        previous: [...before.keys()],
      },
    }));
}

/** A kommune entering or leaving the top 50 with a ranking refresh. */
export function topChangeAlerts(runId: number, changes: readonly TopChange[]): Alert[] {
  return changes.map((change) => {
    const entered = change.change === 'entered';
    const type = entered ? ('kommune_inn_topp' as const) : ('kommune_ut_topp' as const);
    const rank = change.rank === null ? 'uten rangering' : `nr. ${change.rank}`;
    const previous = change.previousRank === null ? 'ingen rangering' : `nr. ${change.previousRank}`;
    return {
      key: `${type}:${change.kommunenummer}:${change.refreshId}`,
      type,
      runId,
      createdAt: change.at,
      kommunenummer: change.kommunenummer,
      lotId: null,
      title: `${change.navn} ${entered ? 'er inn på' : 'er ute av'} topp 50`,
      text: `${change.navn} er nå ${rank} i kommunerangeringen (før: ${previous}), fra ${change.date}.`,
      details: { refreshId: change.refreshId, rank: change.rank, previousRank: change.previousRank },
    };
  });
}
