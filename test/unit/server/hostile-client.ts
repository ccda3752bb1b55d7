import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { RunningApp } from '../../../sync/src/app/app.js';
import { storeLotReader } from '../../../sync/src/app/lot-reader.js';
import { ownerLookupPart } from '../../../sync/src/app/owner-lookup-part.js';
import { loadEnv } from '../../../sync/src/config/env.js';
import { createApp } from '../../../sync/src/server/app.js';
import { openStore } from '../../../sync/src/store/database.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { tempStorePath, startFixtureApp } from '../app/fixture-app.js';
import { aasLots, fixtureStages } from '../../fixtures/crm/lots.js';

export const LINK_KEY = 'k'.repeat(16) + 'hostile-link-key-0123456789';
export const WEBHOOK_SECRET = 's'.repeat(16) + 'hostile-webhook-secret-0123456789';
export const MATRIKKEL_PASSWORD = 'hemmelig-passord-123';

/** The whole service as `npm start` runs it (owner lookup on), with Matrikkel credentials in its URL. */
export async function startServiceUnderTest(env: Record<string, string> = {}): Promise<RunningApp> {
  const lots = aasLots({ count: 4 });
  const app = await startFixtureApp(
    tempStorePath(),
    fixtureStages((k) => (k === '3218' ? lots : [])),
    {
      ownerLookup: true,
      env: {
        MATRIKKEL_URL: `https://tomtejakt:${MATRIKKEL_PASSWORD}@matrikkel.example.no/matrikkelapi/wsapi/v1`,
        MATRIKKEL_USERNAME: 'tomtejakt',
        MATRIKKEL_PASSWORD,
        WEBHOOK_SECRET,
        WEBHOOK_LINK_KEY: LINK_KEY,
        ...env,
      },
    },
  );
  await app.initialRun;
  return app;
}

/**
 * The app (createApp) with the owner lookup's routers as the service mounts them, on a server of
 * the test's own, so the test can count the bytes the server read from its sockets.
 */
export async function startCountingApp() {
  const db = openStore(':memory:');
  const env = loadEnv({ source: { WEBHOOK_SECRET, WEBHOOK_LINK_KEY: LINK_KEY, STORE_PATH: ':memory:' } });
  const { part } = ownerLookupPart({ env, db, airtable: null, logger: createMemoryLogger() });
  const app = createApp({
    lots: storeLotReader(db),
    health: () => ({ httpStatus: 200, body: { status: 'ok', store: 'ok' } }),
    routers: part.routers,
  });
  const sockets: Socket[] = [];
  const server: Server = createServer(app);
  server.on('connection', (socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Bytes the server has read from clients so far, headers and bodies. */
    bytesRead: () => sockets.reduce((sum, s) => sum + s.bytesRead, 0),
    async close() {
      await part.stop?.();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      db.close();
    },
  };
}

export interface StreamOutcome {
  /** Body bytes the client got written before the server closed or answered. */
  sent: number;
  /** The server's status, when it answered before closing. */
  status: number | null;
  /** Why the client stopped: the server closed the connection, or the client gave up at `maxBytes`. */
  ended: 'closed' | 'gave-up';
  ms: number;
}

/**
 * Streams an endless chunked body (16 KB chunks as fast as the socket takes them) at a route
 * until the server closes the connection (an answer alone does not stop it), or `maxBytes` went out.
 */
export function streamEndlessBody(
  url: string,
  options: { method?: string; headers?: Record<string, string>; maxBytes: number },
): Promise<StreamOutcome> {
  const started = performance.now();
  const chunk = Buffer.alloc(16 * 1024, 'a');
  return new Promise((resolve) => {
    let sent = 0;
    let status: number | null = null;
    let done = false;
    const finish = (ended: StreamOutcome['ended']) => {
      if (done) return;
      done = true;
      req.destroy();
      resolve({ sent, status, ended, ms: performance.now() - started });
    };
    const req = request(url, {
      method: options.method ?? 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
    });
    // An answer does not stop the client: only the server closing the connection does.
    req.on('response', (res) => {
      status = res.statusCode ?? null;
      res.resume();
    });
    req.on('error', () => finish('closed'));
    req.on('close', () => finish('closed'));
    const pump = () => {
      while (!done) {
        if (sent >= options.maxBytes) return finish('gave-up');
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}

/**
 * A slowloris client: opens a connection and sends one header line every `everyMs`, never
 * finishing the request; resolves when the server closes it (or after `giveUpMs`).
 */
export function slowHeaders(
  url: string,
  options: { everyMs: number; giveUpMs: number },
): Promise<{ closedAfterMs: number | null }> {
  const { hostname, port } = new URL(url);
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let line = 0;
    const timer = setInterval(() => socket.write(`x-slow-${line++}: ${'y'.repeat(20)}\r\n`), options.everyMs);
    const stop = (closedAfterMs: number | null) => {
      clearInterval(timer);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ closedAfterMs });
    };
    const giveUp = setTimeout(() => stop(null), options.giveUpMs);
    socket.on('connect', () => socket.write('GET /health HTTP/1.1\r\nHost: x\r\n'));
    socket.on('close', () => stop(performance.now() - started));
    socket.on('error', () => undefined);
  });
}
