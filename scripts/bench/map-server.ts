/**
 * The service side of `npm run bench:map`, in its own process so the bench's clients never share
 * its event loop: one express app as the service builds it (createApp) with the map index on
 * MAP_API_THREADS worker threads and the signed owner-lookup webhook mounted beside it (its
 * Airtable fake and Matrikkel double from the test harness, in this process too), plus a baseline
 * app without the map index, where `/api/lots` builds the whole collection on the main thread per
 * request as before issue 13. Prints one JSON line with the URLs, then serves until stdin closes.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { storeLotReader } from '../../sync/src/app/lot-reader.js';
import { storeMapReader } from '../../sync/src/app/map-reader.js';
import { OWNER_LOOKUP_PATH, ownerLookupRouter } from '../../sync/src/app/owner-lookup-part.js';
import { createApp } from '../../sync/src/server/app.js';
import { openStore } from '../../sync/src/store/database.js';
import { startOwnerLookupHarness, memoryLogLines } from '../../test/helpers/owner-lookup-harness.js';

const storePath = process.argv[2]!;
const threads = Number(process.env.MAP_API_THREADS ?? 1);
const db = openStore(storePath);
const harness = await startOwnerLookupHarness({ lots: 400, matrikkelLatencyMs: [40, 120] });
const { logger } = memoryLogLines();
const unlimited = { perMinute: 1e9 };
const health = () => ({ httpStatus: 200, body: { status: 'ok', store: 'ok' } });
const map = storeMapReader(db, { threads });

const listen = (app: ReturnType<typeof createApp>) =>
  new Promise<Server>((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const webhook = {
  path: OWNER_LOOKUP_PATH,
  router: ownerLookupRouter({
    env: harness.env,
    db: harness.db,
    lookups: harness.service,
    lots: harness.lotLookup,
    logger,
  }),
  public: true,
};
const service = await listen(
  createApp({ lots: storeLotReader(db), map, rateLimit: unlimited, health, routers: [webhook] }),
);
const baseline = await listen(
  createApp({ lots: storeLotReader(db), rateLimit: unlimited, health, routers: [webhook] }),
);
process.stdout.write(
  `${JSON.stringify({
    url: urlOf(service),
    baselineUrl: urlOf(baseline),
    recordIds: harness.lots.map((l) => l.recordId),
  })}\n`,
);

process.stdin.resume();
process.stdin.on('end', () => void stop());

async function stop() {
  service.closeAllConnections();
  baseline.closeAllConnections();
  service.close();
  baseline.close();
  await map.close();
  await harness.close();
  db.close();
  process.exit(0);
}
