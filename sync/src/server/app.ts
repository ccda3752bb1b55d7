import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Express, type Router } from 'express';
import type { Logger } from '../util/logger.js';
import { accountRoute } from './access/account.js';
import { loginRoutes } from './access/login-routes.js';
import { OPEN_ACCESS, type MapAccess } from './access/map-access.js';
import { callerOf, requireTeam } from './access/require-team.js';
import { publicHealthBody, type HealthReport } from './health.js';
import { kommunerRouter, type KommuneReader } from './kommuner-api.js';
import { lotsRouter, type LotReader } from './lots-api.js';
import { mapAnswerer, mapRouter, type MapReader } from './map-api.js';
import { mapPageHtml } from './map-page.js';
import { readApiRateLimit, type RateLimits } from './rate-limit.js';

export interface MountedRouter {
  path: string;
  router: Router;
  /** Outside the team check (MAP_ACCESS): for routes that authenticate their own callers, like the signed webhooks. */
  public?: boolean;
}

export interface AppOptions {
  lots: LotReader;
  /** The map index (`/api/map/*`, and `/api/lots` built off the request thread); without it `/api/map` answers 503. */
  map?: MapReader;
  /** Bytes of map answers kept in memory (MAP_API_CACHE_MB). */
  mapCacheBytes?: number;
  /** Per-client limit on `/api/lots` and `/api/map` (MAP_API_RATE_PER_MINUTE). */
  rateLimit?: RateLimits;
  /** The kommune ranking for the dashboard at `/kommuner`; without it the page says there is none. */
  kommuner?: KommuneReader;
  /** The kommune boundaries as compact GeoJSON text (asked for once, on the dashboard's first use). */
  kommuneBoundaries?: () => string;
  health: () => HealthReport;
  /** Further routes, e.g. `{ path: '/webhooks/owner-lookup', router: createOwnerLookupRouter(...) }`. */
  routers?: MountedRouter[];
  /** Who may read the map, the lots and the dashboard (`app/map-access.ts` reads it from the env); open when not given. */
  access?: MapAccess;
  /** Express's `trust proxy` (TRUST_PROXY): whose X-Forwarded-For names the client, for the login rate limit. */
  trustProxy?: number | string[] | undefined;
  logger?: Logger;
  now?: () => Date;
}

const leafletDir = path.dirname(createRequire(import.meta.url).resolve('leaflet/dist/leaflet.js'));

const NO_KOMMUNE_RANKING: KommuneReader = { latest: () => null, history: () => [] };
const NO_BOUNDARIES = () => '{"type":"FeatureCollection","features":[]}';
const DEFAULT_RATE_LIMIT: RateLimits = { perMinute: 600 };

/**
 * The service's HTTP side: `/health`, the read-only lot map at `/` with its two JSON routes, the
 * kommune dashboard at `/kommuner` with its routes, and any routers handed in. The map, the lots
 * and the dashboard are the team's (`access`); `/health` shows outsiders only whether the service
 * is up, and public routers (the webhooks) check their own callers. No body parser is installed
 * globally, so a mounted router can read the raw body (webhook signatures).
 */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  if (options.trustProxy !== undefined) app.set('trust proxy', options.trustProxy);
  const access = options.access ?? OPEN_ACCESS;
  const now = options.now ?? (() => new Date());
  app.get('/health', (req, res) => {
    const health = options.health();
    const team = callerOf(access, req, now()).team;
    res.status(health.httpStatus).json(team ? health.body : publicHealthBody(health.body));
  });
  const routers = options.routers ?? [];
  for (const mounted of routers.filter((r) => r.public)) app.use(mounted.path, mounted.router);
  if (access.mode === 'login') app.use(loginRoutes(access.login, { logger: options.logger, now }));
  // Everything below is the team's: a route added later is closed until someone opens it on purpose.
  app.use(requireTeam(access, now));
  app.get('/api/meg', accountRoute(access));
  app.get('/', (_req, res) => {
    res.type('html').set('cache-control', 'no-cache').send(mapPageHtml());
  });
  const limited = readApiRateLimit(options.rateLimit ?? DEFAULT_RATE_LIMIT);
  const map = options.map && {
    reader: options.map,
    answer: mapAnswerer({ reader: options.map, cacheBytes: options.mapCacheBytes }),
  };
  app.use('/api/lots', limited, lotsRouter(options.lots, map));
  if (map) app.use('/api/map', limited, mapRouter(map.reader, map.answer));
  else
    app.use('/api/map', (_req, res) => {
      res
        .status(503)
        .json({ error: 'no-map-index', message: 'Kartindeksen er ikke tilgjengelig. / No map index.' });
    });
  app.use(
    kommunerRouter({
      reader: options.kommuner ?? NO_KOMMUNE_RANKING,
      boundaries: options.kommuneBoundaries ?? NO_BOUNDARIES,
    }),
  );
  app.use('/vendor/leaflet', express.static(leafletDir, { maxAge: '7d', fallthrough: false }));
  for (const mounted of routers.filter((r) => !r.public)) app.use(mounted.path, mounted.router);
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
