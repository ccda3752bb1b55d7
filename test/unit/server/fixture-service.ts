import { startService, type RunningService, type ServiceOptions } from '../../../sync/src/server/service.js';
import type { Db } from '../../../sync/src/store/database.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import type { fixtureStages } from '../../fixtures/crm/lots.js';

/** The service on a free port with fixture stages, no Airtable, the default schedule. */
export function startFixtureService(
  db: Db,
  stages: ReturnType<typeof fixtureStages>,
  kommuner = ['3218'],
  extra: Partial<ServiceOptions> = {},
): Promise<RunningService> {
  return startService({
    db,
    stages,
    kommuner: () => kommuner,
    airtable: null,
    cron: '0 2 * * *',
    timeZone: 'Europe/Oslo',
    host: '127.0.0.1',
    port: 0,
    logger: createMemoryLogger(),
    ...extra,
  });
}
