import { STATUS_CODES } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Express, type Router } from 'express';
import type { Logger } from '../util/logger.js';
import { redactText } from '../util/redact.js';
import { accountRoute } from './access/account.js';
import { loginRoutes } from './access/login-routes.js';
import { OPEN_ACCESS, type MapAccess } from './access/map-access.js';
import { callerOf, requireTeam } from './access/require-team.js';
import { bodyLimitText, cutBodiesAtLimit, type BodyLimit } from './body-limit.js';
import { publicHealthBody, teamHealthBody, type HealthReport } from './health.js';
import { kommunerRouter, type KommuneReader } from './kommuner-api.js';
import { lotsRouter, type LotReader } from './lots-api.js';
import { mapAnswerer, mapRouter, type MapReader } from './map-api.js';
import { KOMMUNER_INLINE_SCRIPT, noRankingPageHtml } from './kommuner-page.js';
import { mapPageHtml } from './map-page.js';
import { readApiRateLimit, type RateLimits } from './rate-limit.js';
import { inlineScripts, securityHeaders } from './security-headers.js';
import { TILE_ORIGIN } from './tile-server.js';

export interface MountedRouter {
  path: string;
  router: Router;
  /** Outside the team check (MAP_ACCESS): for routes that authenticate their own callers, like the signed webhooks. */
  public?: boolean;
  /** The bodies the router reads, by path under its own (`''` for itself); every other body is cut at NO_BODY_BYTES. */
  bodyLimits?: BodyLimit[];
}

/** What a route that reads no body accepts before the connection is closed (a stray empty form). */
export const NO_BODY_BYTES = 1024;
/** The login form: a name, a password and where to go next. */
export const LOGIN_FORM_BYTES = 4 * 1024;

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
  const routers = options.routers ?? [];
  app.use(cutBodiesAtLimit(bodyLimitsOf(routers), NO_BODY_BYTES));
  app.use(securityHeaders({ tileOrigin: TILE_ORIGIN, scripts: PAGE_SCRIPTS }));
  app.get('/health', (req, res) => {
    const health = options.health();
    const team = callerOf(access, req, now()).team;
    res.status(health.httpStatus).json(team ? teamHealthBody(health.body) : publicHealthBody(health.body));
  });
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
  // fallthrough: a file not there is the 404 below, never `send`'s error with the folder's path in it.
  app.use('/vendor/leaflet', express.static(leafletDir, { maxAge: '7d', redirect: false }));
  for (const mounted of routers.filter((r) => !r.public)) app.use(mounted.path, mounted.router);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    // A body cut at its limit has been answered already; its parser's "aborted" comes after.
    if (res.headersSent) return;
    const status = (error as { status?: number }).status ?? 500;
    if (status >= 500) options.logger?.error('Request failed', { error: error.message });
    res.status(status).json({ error: status >= 500 ? 'internal error' : publicMessageOf(status, error) });
  });
  return app;
}

/** The inline scripts of the service's own pages, whose hashes the Content-Security-Policy allows. */
const PAGE_SCRIPTS = [
  ...inlineScripts(mapPageHtml()),
  ...inlineScripts(noRankingPageHtml()),
  KOMMUNER_INLINE_SCRIPT,
];

function bodyLimitsOf(routers: MountedRouter[]): BodyLimit[] {
  return [
    { path: '/logg-inn', bytes: LOGIN_FORM_BYTES },
    ...routers.flatMap((r) =>
      (r.bodyLimits ?? []).map((l) => ({ path: `${r.path}${l.path}`, bytes: l.bytes })),
    ),
  ];
}

/**
 * What a 4xx says: the parsers' own words for a body they refused, the service's own refusal,
 * never a system error's message or anything else that may carry a filesystem path.
 */
function publicMessageOf(status: number, error: Error): string {
  const type = (error as { type?: string }).type;
  if (type === 'entity.too.large') {
    const limit = (error as { limit?: number }).limit;
    return limit ? `the body may be at most ${bodyLimitText(limit)}` : 'the body is too large';
  }
  if (type?.startsWith('entity.') || type === 'charset.unsupported' || type === 'encoding.unsupported')
    return 'the body could not be read';
  // A system error (ENOENT, EACCES …) names files; the service's own refusals say what was wrong.
  if ((error as { code?: unknown }).code !== undefined)
    return STATUS_CODES[status]?.toLowerCase() ?? 'refused';
  return redactText(error.message);
}
