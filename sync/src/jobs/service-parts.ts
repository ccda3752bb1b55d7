import cron, { type ScheduledTask } from 'node-cron';
import type { Env } from '../config/env.js';
import type { Rules } from '../config/rules.js';
import type { AirtableClient } from '../crm/airtable/client.js';
import { tomterTable } from '../crm/schema/tomter.js';
import type { ServiceExtension } from '../server/service.js';
import type { Db } from '../store/database.js';
import { createStoreLotParcelsLookup } from '../store/lot-parcels.js';
import { messageOf } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import type { KommuneRefreshReport } from './kommune-refresh.js';
import { refreshKommuneRanking } from './kommune-refresh-runtime.js';
import { createOwnerLookupService } from './owner-lookup-service.js';

export interface ServiceParts {
  env: Env;
  db: Db;
  rules: Rules;
  airtable: AirtableClient | null;
  logger: Logger;
}

/**
 * The parts `npm start` runs beside the nightly job: the owner lookup (webhook, queue, retention)
 * and the daily kommune ranking check.
 */
export function serviceExtensions(parts: ServiceParts): ServiceExtension[] {
  return [ownerLookupExtension(parts), kommuneRefreshExtension(parts)];
}

function ownerLookupExtension({ env, db, airtable, logger }: ServiceParts): ServiceExtension {
  const owners = createOwnerLookupService({
    env,
    db,
    airtable,
    logger,
    lots: createStoreLotParcelsLookup(db, tomterTable.name),
  });
  return {
    name: 'ownerLookup',
    routers: [{ path: '/webhooks/owner-lookup', router: owners.router }],
    start: () => owners.start(),
    stop: () => owners.stop(),
    health: () => owners.health(),
  };
}

/**
 * Checks the kommune ranking on KOMMUNE_REFRESH_CRON (default 12:15, after SSB's 08:00 publication
 * and outside its 05:00–08:15 update window). A check fetches only when the last good refresh is
 * older than SSB_REFRESH_DAYS, so a failed week is retried the next day; a failure keeps the
 * previous ranking.
 */
function kommuneRefreshExtension(parts: ServiceParts): ServiceExtension {
  let task: ScheduledTask | null = null;
  let running: Promise<void> | null = null;
  let last: Pick<KommuneRefreshReport, 'outcome' | 'lastRefreshAt' | 'nextDueAt' | 'error'> | null = null;
  const check = () => {
    running ??= refreshKommuneRanking(parts, { trigger: 'schedule' })
      .then((report) => {
        last = {
          outcome: report.outcome,
          lastRefreshAt: report.lastRefreshAt,
          nextDueAt: report.nextDueAt,
          error: report.error,
        };
        parts.logger.info(`kommune ranking check: ${report.outcome}`, { requests: report.requests });
      })
      .catch((error: unknown) => {
        last = { outcome: 'failed', error: messageOf(error) };
        parts.logger.error('kommune ranking check failed; the previous ranking stays', {
          error: messageOf(error),
        });
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  return {
    name: 'kommuneRanking',
    start: () => {
      task = cron.schedule(parts.env.KOMMUNE_REFRESH_CRON, () => void check(), {
        timezone: parts.env.SYNC_TIMEZONE,
      });
    },
    stop: async () => {
      await task?.stop();
      await running;
    },
    health: () => ({ schedule: parts.env.KOMMUNE_REFRESH_CRON, last }),
  };
}
