import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { OWNER_LOOKUP_PATH, ownerLookupRouter } from '../../sync/src/app/owner-lookup-part.js';
import { loadEnv, type Env } from '../../sync/src/config/env.js';
import { TomterField } from '../../sync/src/crm/schema/index.js';
import type { LotParcels, LotParcelsLookup } from '../../sync/src/domain/lot-parcels.js';
import {
  createOwnerLookupService,
  type OwnerLookupService,
} from '../../sync/src/jobs/owner-lookup-service.js';
import { KEEP_LOCKS_MS } from '../../sync/src/jobs/owner-record-writes.js';
import { createMatrikkel } from '../../sync/src/sources/matrikkel/index.js';
import { openStore, type Db } from '../../sync/src/store/database.js';
import { signPayload } from '../../sync/src/server/webhooks/signature.js';
import { createLogger, type Logger } from '../../sync/src/util/logger.js';
import { startMatrikkelDouble, type MatrikkelDouble } from '../doubles/matrikkel/server.js';
import { FakeAirtable } from './fake-airtable-records.js';
import { windowMs } from './test-effort.js';

export const SECRET = 'a'.repeat(16) + 'webhook-secret-for-tests-only-0123456789';
export const BEARER = 'b'.repeat(16) + 'bearer-token-for-tests-only-0123456789';
export const LINK_KEY = 'c'.repeat(16) + 'link-key-for-tests-only-0123456789';
export const BASE_ID = 'appTESTBASE000001';
export const KOMMUNE = '3218';
/** The window the harness keeps Eiere locks after a write (see windowMs). */
export const KEEP_OWNER_LOCKS_MS = windowMs(KEEP_LOCKS_MS, 400);
/**
 * How often the harness's queue looks at the store: a job another process finishes is seen at
 * the next look, and a test waiting for both queues to be idle waits for it (5 s in production).
 */
export const QUEUE_POLL_MS = 250;

/** A lot of the harness: its parcels and its Tomter record. */
export interface HarnessLot extends LotParcels {
  recordId: string;
}

export interface Harness {
  url: string;
  env: Env;
  db: Db;
  storePath: string;
  airtable: FakeAirtable;
  double: MatrikkelDouble;
  service: OwnerLookupService;
  lots: HarnessLot[];
  lotLookup: LotParcelsLookup & { calls: number };
  logLines: string[];
  /** POSTs a JSON body signed with the webhook secret (or as told). */
  post(
    body: unknown,
    options?: { secret?: string; timestamp?: number; headers?: Record<string, string>; raw?: string },
  ): Promise<Response>;
  /** Stops the service (as a crash when `abandon`), closes the server; the store stays. */
  stop(options?: { abandon?: boolean }): Promise<void>;
  /** Starts a new service and server on the same store, Airtable and Matrikkel (a restart). */
  restart(): Promise<Harness>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  lots?: number;
  /** Lots on each property (zones of one parcel), so lookups share owners; default 1. */
  lotsPerProperty?: number;
  /** Extra lots on the hand-made Matrikkel cases (gnr 900). */
  specialLots?: Array<{ gnr: number; bnr: number; fnr?: number }>;
  env?: Record<string, string>;
  matrikkelConfigured?: boolean;
  airtable?: FakeAirtable;
  double?: MatrikkelDouble;
  matrikkelLatencyMs?: number | [number, number];
  retryDelaysMs?: number[];
  runningNoticeAfterMs?: number;
  /** How long Eiere locks are kept after a write: production's 2 s, shorter under mutation. */
  keepOwnerLocksMs?: number;
  /** The queue's process lease (short by default, so a restart after a crash resumes soon). */
  leaseMs?: number;
}

export function memoryLogLines(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    logger: createLogger({ level: 'debug', format: 'json', write: (line) => lines.push(line) }),
  };
}

export async function startOwnerLookupHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-owners-'));
  const storePath = path.join(dir, 'store.sqlite');
  const double =
    options.double ?? (await startMatrikkelDouble({ latencyMs: options.matrikkelLatencyMs ?? 0 }));
  const airtable = options.airtable ?? new FakeAirtable();
  const lots: HarnessLot[] = [];
  const addLot = (gnr: number, bnr: number, fnr = 0) => {
    const tomtId = `${KOMMUNE}-${gnr}/${bnr}${fnr ? `/${fnr}` : ''}-KpOmr${lots.length + 1}`;
    const recordId = airtable.seed('Tomter', {
      [TomterField.tomtId]: tomtId,
      [TomterField.kommunenummer]: KOMMUNE,
      [TomterField.gnr]: gnr,
      [TomterField.bnr]: bnr,
      ...(fnr ? { [TomterField.fnr]: fnr } : {}),
      [TomterField.status]: 'Ny',
    });
    lots.push({
      tomtId,
      recordId,
      kommunenummer: KOMMUNE,
      matrikkelenheter: [{ kommunenummer: KOMMUNE, gnr, bnr, fnr, snr: 0 }],
      matrikkelenhetId: null,
    });
  };
  const perProperty = options.lotsPerProperty ?? 1;
  for (let i = 0; i < (options.lots ?? 0); i++) {
    const property = Math.floor(i / perProperty);
    addLot(10 + Math.floor(property / 50), 1 + (property % 50));
  }
  for (const special of options.specialLots ?? []) addLot(special.gnr, special.bnr, special.fnr ?? 0);

  const byRecord = new Map(lots.map((l) => [l.recordId, l]));
  const byTomt = new Map(lots.map((l) => [l.tomtId, l]));
  const lotLookup = {
    calls: 0,
    byRecordId(recordId: string) {
      lotLookup.calls += 1;
      return byRecord.get(recordId) ?? null;
    },
    byTomtId(tomtId: string) {
      lotLookup.calls += 1;
      return byTomt.get(tomtId) ?? null;
    },
  };

  const env = loadEnv({
    source: {
      DATA_DIR: dir,
      STORE_PATH: storePath,
      AIRTABLE_TOKEN: 'patTEST.token',
      AIRTABLE_BASE_ID: BASE_ID,
      MATRIKKEL_URL: double.url,
      ...(options.matrikkelConfigured === false
        ? {}
        : { MATRIKKEL_USERNAME: 'tomtejakt-test', MATRIKKEL_PASSWORD: 'correct horse battery staple' }),
      MATRIKKEL_CONCURRENCY: '4',
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_BEARER_TOKEN: BEARER,
      WEBHOOK_LINK_KEY: LINK_KEY,
      OWNER_LOOKUP_WINDOW_MINUTES: '10',
      CORS_DEV_ORIGINS: 'https://localhost:9000',
      ...options.env,
    },
  });

  const { logger, lines: logLines } = memoryLogLines();

  async function boot(): Promise<Harness> {
    const db = openStore(storePath);
    const service = createOwnerLookupService({
      env,
      db,
      airtable,
      logger,
      matrikkel: createMatrikkel(env, { minRetryDelayMs: 10 }),
      retryDelaysMs: options.retryDelaysMs ?? [50, 100],
      runningNoticeAfterMs: options.runningNoticeAfterMs ?? 1_500,
      leaseMs: options.leaseMs ?? 600,
      keepOwnerLocksMs: options.keepOwnerLocksMs ?? KEEP_OWNER_LOCKS_MS,
      pollMs: QUEUE_POLL_MS,
    });
    const app = express();
    app.use(OWNER_LOOKUP_PATH, ownerLookupRouter({ env, db, lookups: service, lots: lotLookup, logger }));
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/owner-lookup`;
    service.start();
    let stopped = false;
    const stop = async (stopOptions: { abandon?: boolean } = {}) => {
      if (stopped) return;
      stopped = true;
      await service.stop(stopOptions);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.close();
    };
    const harness: Harness = {
      url,
      env,
      db,
      storePath,
      airtable,
      double,
      service,
      lots,
      lotLookup,
      logLines,
      post(body, postOptions = {}) {
        const raw = postOptions.raw ?? JSON.stringify(body);
        const timestamp = String(postOptions.timestamp ?? Math.floor(Date.now() / 1000));
        return fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-tomtejakt-timestamp': timestamp,
            'x-tomtejakt-signature': signPayload(postOptions.secret ?? SECRET, timestamp, raw),
            ...postOptions.headers,
          },
          body: raw,
        });
      },
      stop,
      restart: async () => {
        await stop();
        return boot();
      },
      close: async () => {
        await stop();
        if (!options.double) await double.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return harness;
  }

  return boot();
}
