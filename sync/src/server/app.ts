import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Express, type Router } from 'express';
import type { Logger } from '../util/logger.js';
import type { HealthReport } from './health.js';
import { kommunerRouter, type KommuneReader } from './kommuner-api.js';
import { lotsRouter, type LotReader } from './lots-api.js';
import { mapPageHtml } from './map-page.js';

export interface MountedRouter {
  path: string;
  router: Router;
}

export interface AppOptions {
  lots: LotReader;
  /** The kommune ranking for the dashboard at `/kommuner`; without it the page says there is none. */
  kommuner?: KommuneReader;
  /** The kommune boundaries as compact GeoJSON text (asked for once, on the dashboard's first use). */
  kommuneBoundaries?: () => string;
  health: () => HealthReport;
  /** Further routes, e.g. `{ path: '/webhooks/owner-lookup', router: createOwnerLookupRouter(...) }`. */
  routers?: MountedRouter[];
  logger?: Logger;
}

const leafletDir = path.dirname(createRequire(import.meta.url).resolve('leaflet/dist/leaflet.js'));

const NO_KOMMUNE_RANKING: KommuneReader = { latest: () => null, history: () => [] };
const NO_BOUNDARIES = () => '{"type":"FeatureCollection","features":[]}';

/**
 * The service's HTTP side: `/health`, the read-only lot map at `/` with its two JSON routes, the
 * kommune dashboard at `/kommuner` with its routes, and any routers handed in. No body parser is installed globally, so a mounted router can read the
 * raw body (webhook signatures).
 */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    const health = options.health();
    res.status(health.httpStatus).json(health.body);
  });
  app.get('/', (_req, res) => {
    res.type('html').set('cache-control', 'no-cache').send(mapPageHtml());
  });
  app.use('/api/lots', lotsRouter(options.lots));
  app.use(
    kommunerRouter({
      reader: options.kommuner ?? NO_KOMMUNE_RANKING,
      boundaries: options.kommuneBoundaries ?? NO_BOUNDARIES,
    }),
  );
  app.use('/vendor/leaflet', express.static(leafletDir, { maxAge: '7d', fallthrough: false }));
  for (const mounted of options.routers ?? []) app.use(mounted.path, mounted.router);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = (error as { status?: number }).status ?? 500;
    if (status >= 500) options.logger?.error('Request failed', { error: error.message });
    res.status(status).json({ error: status >= 500 ? 'internal error' : error.message });
  });
  return app;
}
