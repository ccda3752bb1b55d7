import type { Env } from '../config/env.js';
import { tomterTable } from '../crm/schema/tomter.js';
import type { AirtableRecordsClient } from '../crm/airtable/types.js';
import type { LotParcelsLookup } from '../domain/lot-parcels.js';
import { createOwnerLookupService, type OwnerLookupService } from '../jobs/owner-lookup-service.js';
import { parseOrigins } from '../server/webhooks/cors.js';
import { createOwnerLookupRouter, OWNER_LOOKUP_BODY_LIMITS } from '../server/webhooks/owner-lookup.js';
import type { Db } from '../store/database.js';
import { createStoreLotParcelsLookup } from '../store/lot-parcels.js';
import { createStoreReplayGuard } from '../store/owner-webhook-replay.js';
import type { Logger } from '../util/logger.js';
import type { ServicePart } from './service.js';

export const OWNER_LOOKUP_PATH = '/webhooks/owner-lookup';

/** The webhook router for the lookups: authentication from the env, lots from the store. */
export function ownerLookupRouter(input: {
  env: Env;
  db: Db;
  lookups: OwnerLookupService;
  lots: LotParcelsLookup;
  logger: Logger;
  now?: () => Date;
}) {
  const { env, lookups } = input;
  return createOwnerLookupRouter({
    auth: {
      secret: env.WEBHOOK_SECRET,
      bearerToken: env.WEBHOOK_BEARER_TOKEN,
      linkKey: env.WEBHOOK_LINK_KEY,
    },
    corsDevOrigins: parseOrigins(env.CORS_DEV_ORIGINS),
    baseId: env.AIRTABLE_BASE_ID ?? null,
    lots: input.lots,
    enqueue: (request) => lookups.queue.enqueue(request),
    status: () => lookups.status(),
    replay: createStoreReplayGuard(input.db, input.now ?? (() => new Date())),
    defaultPurpose: env.OWNER_LOOKUP_PURPOSE,
    logger: input.logger.child({ component: 'owner-lookup' }),
    now: input.now,
  });
}

/**
 * The owner lookup as a part of the service: the webhook, the persistent queue (started after the
 * server listens, stopped on shutdown) and its health.
 */
export function ownerLookupPart(input: {
  env: Env;
  db: Db;
  airtable: AirtableRecordsClient | null;
  logger: Logger;
}): { part: ServicePart; lookups: OwnerLookupService } {
  const lookups = createOwnerLookupService(input);
  const lots = createStoreLotParcelsLookup(input.db, tomterTable.name);
  return {
    lookups,
    part: {
      name: 'ownerLookup',
      // Public: the webhook checks its own signature, bearer token or link key.
      routers: [
        {
          path: OWNER_LOOKUP_PATH,
          router: ownerLookupRouter({ ...input, lookups, lots }),
          public: true,
          bodyLimits: OWNER_LOOKUP_BODY_LIMITS,
        },
      ],
      start: () => lookups.start(),
      stop: () => lookups.stop(),
      health: () => lookups.health(),
    },
  };
}
