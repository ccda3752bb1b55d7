import type { KommunePin } from '../domain/kommune.js';
import type { LocalLotParcelsLookup } from '../domain/lot-parcels.js';
import type { Db } from '../store/database.js';
import { storedKommunePins } from '../store/kommune-pins.js';
import { bulkCandidates, bulkSpending } from '../store/owner-bulk.js';
import type { Logger } from '../util/logger.js';
import { localTime, lookupsToQueue, type WorkingDay } from './owner-bulk-pacing.js';
import type { OwnerLookupQueue } from './owner-lookup-queue.js';

export interface OwnerBulkSettings {
  /** Matrikkel lookups (audited runs of calls) the bulk job may make a day (OWNER_DAILY_BUDGET). */
  budget: number;
  /** Lots of these tiers are looked up (OWNER_BULK_TIERS, default A and B). */
  tiers: readonly string[];
  /** Owners older than this are looked up again (OWNER_REFRESH_DAYS). */
  refreshDays: number;
  day: WorkingDay;
  timeZone: string;
  /** How often `tick` runs (the service's timer): one tick queues at most its share of the day. */
  tickMinutes: number;
}

export interface BulkTick {
  at: string;
  /** Lookups queued by this tick (Tomt-IDs). */
  queued: string[];
  /** Spent today before this tick: runs of Matrikkel calls made, and bulk lookups waiting in the queue. */
  spentToday: number;
  budget: number;
  /** Why nothing was queued, when nothing was. */
  idle: 'outside working hours' | 'budget spent for now' | 'no lot needs a lookup' | null;
}

/** The purpose every bulk lookup is audited with, e.g. "automatisk, klasse A/B". */
export function bulkPurpose(tiers: readonly string[]): string {
  return `automatisk, klasse ${tiers.join('/')}`;
}

const FAILED_PAUSE_MS = 24 * 3600_000;

/**
 * Owner lookups for every good lot (issue 14, point 5), through the one lookup queue (its leases,
 * its audit lines, its Airtable writes): each tick queues the lots due, best first, at the pace
 * that spreads OWNER_DAILY_BUDGET over the working day. Kommuner the team marked "Ikke aktuell"
 * (Prioritet, as the nightly run last read it) are skipped.
 */
export function createOwnerBulkScheduler(input: {
  db: Db;
  queue: Pick<OwnerLookupQueue, 'enqueue'>;
  lots: LocalLotParcelsLookup;
  settings: OwnerBulkSettings;
  now?: () => Date;
  logger: Logger;
}): { tick(): BulkTick } {
  const { db, settings } = input;
  const now = input.now ?? (() => new Date());
  const purpose = bulkPurpose(settings.tiers);
  return {
    tick() {
      const at = now();
      const local = localTime(at, settings.timeZone);
      const spent = spentOn(db, local.date, at, settings.timeZone);
      const room = lookupsToQueue({ ...settings, now: local, spent });
      const tick: BulkTick = {
        at: at.toISOString(),
        queued: [],
        spentToday: spent,
        budget: settings.budget,
        idle: null,
      };
      if (room === 0) return { ...tick, idle: idleReason(settings, local) };
      for (const tomtId of candidates(db, settings, at, room)) {
        const lot = input.lots.byTomtId(tomtId);
        if (!lot) continue;
        input.queue.enqueue({ lot, requestedBy: 'Tomtejakt (automatisk)', via: 'bulk', purpose });
        tick.queued.push(tomtId);
      }
      if (tick.queued.length === 0) return { ...tick, idle: 'no lot needs a lookup' };
      input.logger.info('owner bulk lookups queued', {
        lots: tick.queued.length,
        spentToday: spent,
        budget: settings.budget,
      });
      return tick;
    },
  };
}

function candidates(db: Db, settings: OwnerBulkSettings, at: Date, limit: number): string[] {
  const pins = storedKommunePins(db)?.pins ?? new Map<string, KommunePin>();
  return bulkCandidates(db, {
    tiers: settings.tiers,
    skipKommuner: [...pins].filter(([, pin]) => pin === 'never').map(([k]) => k),
    staleBefore: new Date(at.getTime() - settings.refreshDays * 86_400_000).toISOString(),
    failedAfter: new Date(at.getTime() - FAILED_PAUSE_MS).toISOString(),
    limit,
  });
}

/** Runs of calls made today (local date) by bulk lookups, and bulk lookups still queued. */
function spentOn(db: Db, date: string, at: Date, timeZone: string): number {
  // A local day is at most 25 hours long: read a little more and keep today's.
  const { callTimes, queued } = bulkSpending(db, new Date(at.getTime() - 26 * 3600_000).toISOString());
  return callTimes.filter((t) => localTime(new Date(t), timeZone).date === date).length + queued;
}

function idleReason(settings: OwnerBulkSettings, local: ReturnType<typeof localTime>): BulkTick['idle'] {
  const { day } = settings;
  const open =
    day.weekdays.includes(local.weekday) &&
    local.minutes >= day.startHour * 60 &&
    local.minutes < day.endHour * 60;
  return open ? 'budget spent for now' : 'outside working hours';
}
