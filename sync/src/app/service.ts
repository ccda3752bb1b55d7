import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MapAccess } from '../server/access/map-access.js';
import { createApp, type MountedRouter } from '../server/app.js';
import type { HealthReport } from '../server/health.js';
import type { KommuneReader } from '../server/kommuner-api.js';
import type { LotReader } from '../server/lots-api.js';
import type { MapReader } from '../server/map-api.js';
import type { RateLimits } from '../server/rate-limit.js';
import { ConfigError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import type { ScheduledJob } from './scheduled-job.js';

/** Something that lives in the service besides its jobs: routes, started after listening, stopped on shutdown. */
export interface ServicePart {
  name: string;
  routers?: MountedRouter[];
  start?(): void | Promise<void>;
  stop?(): Promise<void>;
  health?(): unknown;
}

export interface ServiceOptions {
  host: string;
  port: number;
  jobs: ScheduledJob[];
  parts: ServicePart[];
  lots: LotReader;
  /** The map index; closed (its threads stopped) when the service stops. */
  map?: MapReader;
  mapCacheBytes?: number;
  rateLimit?: RateLimits;
  /** The kommune dashboard's ranking and boundaries (`/kommuner`). */
  kommuner?: { reader: KommuneReader; boundaries: () => string };
  /** Built from the store, the jobs and the parts. */
  health: () => HealthReport;
  /** Who may read the map, the lots and the dashboard; open when not given. */
  access?: MapAccess;
  /** TRUST_PROXY, as express's `trust proxy`. */
  trustProxy?: number | string[] | undefined;
  /** How long running jobs get to reach a safe stop on shutdown. */
  shutdownTimeoutMs: number;
  /** How long a client may take over its headers and its whole request (SERVER_TIMEOUTS by default). */
  timeouts?: ServerTimeouts;
  logger: Logger;
}

export interface ServerTimeouts {
  /** From connecting to the end of the headers: a client that trickles them (slowloris) is closed after this. */
  headersMs: number;
  /** From connecting to the end of the body. */
  requestMs: number;
  /** How often open connections are checked against the two. */
  checkEveryMs: number;
}

/** The webhook's and the map's requests are small: a client slower than this is holding a connection, not sending. */
export const SERVER_TIMEOUTS: ServerTimeouts = serverTimeouts(10, 30);

/** HTTP_HEADERS_TIMEOUT_SECONDS and HTTP_REQUEST_TIMEOUT_SECONDS as the server applies them. */
export function serverTimeouts(headersSeconds: number, requestSeconds: number): ServerTimeouts {
  const headersMs = headersSeconds * 1000;
  return {
    headersMs,
    // Node refuses a request timeout shorter than the headers timeout.
    requestMs: Math.max(headersMs, requestSeconds * 1000),
    checkEveryMs: Math.min(1_000, Math.max(100, headersMs / 4)),
  };
}

export interface RunningService {
  url: string;
  /**
   * Stops the schedules, waits for running jobs (up to the deadline), stops the parts and closes
   * the server. false when a job missed the deadline.
   */
  stop(): Promise<boolean>;
}

/** Listens, then starts the parts and the job schedules. */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const app = createApp({
    lots: options.lots,
    map: options.map,
    mapCacheBytes: options.mapCacheBytes,
    rateLimit: options.rateLimit,
    kommuner: options.kommuner?.reader,
    kommuneBoundaries: options.kommuner?.boundaries,
    health: options.health,
    access: options.access,
    trustProxy: options.trustProxy,
    routers: options.parts.flatMap((p) => p.routers ?? []),
    logger: options.logger,
  });
  let server: Server;
  try {
    server = await listen(app, options.host, options.port, options.timeouts ?? SERVER_TIMEOUTS);
  } catch (error) {
    const named = listenError(error, options.host, options.port);
    // The listen error is what the operator must see; a reader that then fails to close must not hide it.
    await options.map
      ?.close()
      .catch((closeError: unknown) =>
        options.logger.warn(`the map reader did not close after the failed start: ${String(closeError)}`),
      );
    throw named;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  for (const part of options.parts) await part.start?.();
  for (const job of options.jobs) job.start();
  let stopping: Promise<boolean> | null = null;
  return {
    url,
    stop: () => (stopping ??= stopAll(options, server)),
  };
}

function listen(
  app: ReturnType<typeof createApp>,
  host: string,
  port: number,
  timeouts: ServerTimeouts,
): Promise<Server> {
  const server = createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      connectionsCheckingInterval: timeouts.checkEveryMs,
    },
    app,
  );
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** Why the service could not listen, as the key to change and what to do (exit 1, not "Unexpected error"). */
function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'EADDRINUSE':
      return new ConfigError(
        'PORT',
        `port ${port} on ${host} is in use by another process; stop that process or choose another PORT`,
      );
    case 'EACCES':
      return new ConfigError(
        'PORT',
        `port ${port} needs privileges this user does not have; choose a PORT above 1023`,
      );
    case 'EADDRNOTAVAIL':
      return new ConfigError(
        'HOST',
        `${host} is not an address of this machine; use 127.0.0.1 (this machine only), 0.0.0.0 (all interfaces) or one of its addresses`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
    case 'EAI_NODATA':
      return new ConfigError(
        'HOST',
        `"${host}" is not a name or address this machine can resolve; use 127.0.0.1, 0.0.0.0 or one of its addresses`,
      );
    default:
      return error;
  }
}

async function stopAll(options: ServiceOptions, server: Server): Promise<boolean> {
  options.logger.info('Stopping: letting running jobs reach a safe stop');
  const stopped = await Promise.all(options.jobs.map((job) => job.stop(options.shutdownTimeoutMs)));
  for (const part of options.parts) await part.stop?.();
  await options.map?.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  options.logger.info('Stopped');
  return stopped.every(Boolean);
}
