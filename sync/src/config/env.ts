import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { parseEnv } from 'node:util';
import cron from 'node-cron';
import { z } from 'zod';
import { ConfigError } from '../util/errors.js';
import { mapAccessIssues, mapUsers } from './map-access-env.js';

/** Records per base on Airtable's Team plan (Business: 125,000; Free: 1,000). */
export const AIRTABLE_RECORD_LIMIT_DEFAULT = 50_000;

/** KOMMUNE_TIME_LIMIT_MINUTES: how long one kommune may take from its sources to the store. */
export const KOMMUNE_TIME_LIMIT_MINUTES_DEFAULT = 20;
/** SUSPICIOUS_SHRINK_PERCENT: how far a kommune's regulated area or candidate zones may shrink in one run before it is held. */
export const SUSPICIOUS_SHRINK_PERCENT_DEFAULT = 20;
/** NIGHTLY_MEMORY_BUDGET_MB: the process size under which the next kommune is read ahead. */
export const NIGHTLY_MEMORY_BUDGET_MB_DEFAULT = 2_048;

/** '' in .env means "not set". */
const optionalText = z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().min(1).optional());
const url = (fallback: string) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? fallback : v),
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  );
const int = (fallback: number, min: number, max: number) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? fallback : v),
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`),
  );
const number = (fallback: number, min: number, max: number) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? fallback : v),
    z.coerce
      .number({ error: 'must be a number' })
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`),
  );

const textWithDefault = (fallback: string, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : fallback),
    z.string().max(max, `must be at most ${max} characters`),
  );

const cronExpression = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((v) => cron.validate(v), `must be a cron expression such as "${fallback}"`);

const commaList = (v: unknown) =>
  typeof v === 'string' && v.trim() !== ''
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;

const kommuneList = z.preprocess(
  commaList,
  z.array(z.string().regex(/^\d{4}$/, 'each kommune must be a 4-digit kommunenummer, e.g. 3218')).optional(),
);

const secret = (min: number) =>
  z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().min(min, `must be at least ${min} characters (use \`openssl rand -hex 32\`)`).optional(),
  );

/** Express's `trust proxy`: a hop count, or addresses and subnets (never `true`: X-Forwarded-For would be anyone's to set). */
const trustProxy = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined),
  z
    .string()
    .refine(
      (v) => /^([1-9]|10)$/.test(v) || (commaList(v) ?? ['']).every(isProxyAddress),
      'must be a hop count (1–10) or a comma-separated list of loopback, linklocal, uniquelocal, IP addresses and subnets (e.g. 10.0.0.0/8)',
    )
    .transform((v) => (/^\d+$/.test(v) ? Number(v) : commaList(v)!))
    .optional(),
);

function isProxyAddress(item: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(item)) return true;
  const [ip, bits, extra] = item.split('/');
  const family = isIP(ip ?? '');
  if (family === 0 || extra !== undefined) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

/**
 * Every setting the service reads, in one place. A wrong value stops the process at start with
 * the key and the reason. Secrets are never echoed back in messages.
 */
export const envSchema = z
  .object({
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    LOG_FORMAT: z.enum(['text', 'json']).default('text'),
    DATA_DIR: z.string().default('./data'),
    STORE_PATH: optionalText,
    RULES_FILE: optionalText,
    SOURCES_FILE: optionalText,
    KOMMUNER: kommuneList,

    HOST: z.string().default('127.0.0.1'),
    PORT: int(3000, 0, 65535),
    /** A client that has not sent its headers by then is disconnected (slowloris). */
    HTTP_HEADERS_TIMEOUT_SECONDS: number(10, 0.5, 600),
    /** A client that has not sent its whole request (headers and body) by then is disconnected. */
    HTTP_REQUEST_TIMEOUT_SECONDS: number(30, 1, 3600),
    SYNC_CRON: cronExpression('0 2 * * *'),
    /** Kommune ranking: checked daily after SSB's morning update; fetches only when older than SSB_REFRESH_DAYS. */
    KOMMUNE_REFRESH_CRON: cronExpression('15 12 * * *'),
    /** Owner-data retention, after the nightly run has settled. */
    OWNER_RETENTION_CRON: cronExpression('30 3 * * *'),
    /** Owner enrichment from the Enhetsregisteret (organisation owners, Utbygger marks), after the night's lookups. */
    OWNER_ENRICHMENT_CRON: cronExpression('0 6 * * *'),
    /** Outreach cadence: reads the lots in "Kontaktet" and fills the next step (only with Airtable). */
    OUTREACH_CRON: cronExpression('5 7-17 * * 1-5'),
    /** On SIGTERM, how long a running job may take to reach a safe stop (the current kommune) before the process exits anyway. */
    SHUTDOWN_TIMEOUT_SECONDS: int(120, 1, 3600),
    /** One kommune's limit from its sources to the store; over it the kommune fails and keeps its last good lots. */
    KOMMUNE_TIME_LIMIT_MINUTES: number(KOMMUNE_TIME_LIMIT_MINUTES_DEFAULT, 0.05, 720),
    /**
     * A kommune whose regulated area or candidate zones shrink by more than this share (percent) since its last
     * good run keeps its previous lots and is marked "mistenkelig endring" until `tomtejakt accept --kommune` is run.
     */
    SUSPICIOUS_SHRINK_PERCENT: number(SUSPICIOUS_SHRINK_PERCENT_DEFAULT, 1, 100),
    /** The nightly run reads the next kommune while computing the current one only while the process stays under this. */
    NIGHTLY_MEMORY_BUDGET_MB: int(NIGHTLY_MEMORY_BUDGET_MB_DEFAULT, 128, 262_144),
    SYNC_TIMEZONE: z
      .string()
      .default('Europe/Oslo')
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'must be an IANA time zone such as Europe/Oslo'),
    /** How Airtable (and the team) reach the service from outside; set means exposed, so the map needs MAP_ACCESS. */
    PUBLIC_BASE_URL: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://tomtejakt.example.no' })
        .optional(),
    ),
    /** Who may read the map, the lots API and the kommune dashboard (webhooks and /health are never behind it). */
    MAP_ACCESS: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .enum(['none', 'login', 'proxy-header'], { error: 'must be none, login or proxy-header' })
        .default('none'),
    ),
    MAP_USERS: mapUsers,
    /** Signs the login session cookie; changing it logs everyone out. */
    MAP_SESSION_SECRET: secret(32),
    MAP_SESSION_HOURS: int(12, 1, 24 * 30),
    /** The header a trusted reverse proxy puts the signed-in user in. */
    MAP_PROXY_HEADER: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9-]{1,100}$/, 'must be an HTTP header name such as X-Forwarded-User')
        .optional(),
    ),
    /** Users the proxy may let in; unset lets in everyone the proxy names. */
    MAP_PROXY_USERS: z.preprocess(commaList, z.array(z.string().max(256)).optional()),
    TRUST_PROXY: trustProxy,
    /** Requests per minute one client (signed-in user, else address) may make to the lots and map API. */
    MAP_API_RATE_PER_MINUTE: int(600, 1, 100_000),
    /** Worker threads that run the map's queries (0: on the main thread, only for tests and tiny stores). */
    MAP_API_THREADS: int(1, 0, 16),
    /** Memory for cached map answers, per process. */
    MAP_API_CACHE_MB: int(64, 1, 4096),

    HTTP_TIMEOUT_MS: int(30_000, 1_000, 600_000),
    HTTP_MAX_RETRIES: int(4, 0, 10),
    HTTP_CACHE_DIR: optionalText,

    NAP_BASE_URL: url('https://nap.ft.dibk.no'),
    NAP_CLIENT_ID: optionalText,
    NAP_CLIENT_KEY: optionalText,
    TEIG_WFS_URL: url('https://wfs.geonorge.no/skwms1/wfs.matrikkelen-eiendomskart-teig'),
    KOMMUNEINFO_URL: url('https://ws.geonorge.no/kommuneinfo/v1'),

    AIRTABLE_TOKEN: optionalText,
    AIRTABLE_BASE_ID: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .regex(/^app[A-Za-z0-9]{14}$/, 'must be a base id: "app" followed by 14 letters or digits')
        .optional(),
    ),
    AIRTABLE_API_URL: url('https://api.airtable.com'),
    /** Airtable allows 5 requests/s per base; a lower value leaves room for other integrations. */
    AIRTABLE_REQUESTS_PER_SECOND: number(4.8, 0.1, 5),
    /**
     * Records the base may hold, all tables together: 50,000 on Airtable's Team plan, 125,000 on
     * Business. At 80 % the run summary and /health warn; at 95 % no new lot is created.
     */
    AIRTABLE_RECORD_LIMIT: int(AIRTABLE_RECORD_LIMIT_DEFAULT, 1_000, 10_000_000),

    /** A PostgreSQL + PostGIS database each run mirrors its lots and kommune scores into (docs/postgis.md); unset: no mirror. */
    POSTGIS_URL: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .url({
          protocol: /^postgres(ql)?$/,
          error: 'must be a PostgreSQL URL such as postgresql://user:password@host:5432/database',
        })
        .optional(),
    ),
    /** The schema the mirror's tables live in (created when missing). */
    POSTGIS_SCHEMA: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : 'tomtejakt'),
      z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL name such as tomtejakt'),
    ),

    /** The Chromium that prints reports and letters as PDF; unset: Debian's /usr/bin/chromium. */
    CHROMIUM_PATH: optionalText,
    /** The owner letters' letterhead and signature (JSON, see docs/owner-lookup.md "Letters"). */
    LETTER_CONFIG_FILE: optionalText,

    /** An incoming webhook (Slack or Teams) each run's new change alerts are posted to (docs/alerts.md); unset: none. */
    ALERT_WEBHOOK_URL: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.url({ protocol: /^https?$/, error: 'must be an http(s) incoming-webhook URL' }).optional(),
    ),
    /** The webhook's message format: Slack (`text` with mrkdwn) or Teams (an Adaptive Card message). */
    ALERT_WEBHOOK_FORMAT: z.preprocess(
      (v) => (v === '' || v === undefined ? 'slack' : v),
      z.enum(['slack', 'teams']),
    ),
    /** The weekly report, for the week before: Monday 07:00 in SYNC_TIMEZONE by default. */
    REPORT_CRON: cronExpression('0 7 * * 1'),
    /** The mail server the weekly report goes out through; unset: no e-mail. */
    SMTP_URL: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .url({
          protocol: /^smtps?$/,
          error: 'must be an smtp:// or smtps:// URL such as smtp://user:password@smtp.example.no:587',
        })
        .optional(),
    ),
    /** Who gets the weekly report by e-mail (comma-separated addresses). */
    REPORT_TO: z.preprocess(commaList, z.array(z.email('each address must be an e-mail address')).optional()),
    REPORT_FROM: textWithDefault('Tomtejakt <tomtejakt@localhost>', 200),
    /** Signs the PDF link Airtable fetches the report's attachment from (with PUBLIC_BASE_URL); unset: no attachment. */
    REPORT_LINK_KEY: secret(32),

    SSB_API_URL: url('https://data.ssb.no/api/pxwebapi/v2'),
    KLASS_API_URL: url('https://data.ssb.no/api/klass/v1'),
    SSB_REFRESH_DAYS: int(7, 1, 365),
    SSB_QUERIES_PER_MINUTE: int(30, 1, 30),

    /** Entur Journey Planner v3 (stops with regular departures, for Sentralitet; keyless, NLOD). */
    ENTUR_JOURNEY_PLANNER_URL: url('https://api.entur.io/journey-planner/v3/graphql'),
    /** `ET-Client-Name` on every Entur call, "<company>-<application>" as Entur's terms ask. */
    ENTUR_CLIENT_NAME: textWithDefault('tomtejakt-tomtejakt', 100),
    /** A kommune's stops are fetched again at its refresh point, at most this many days after the last fetch (`isFresh`). */
    TRANSIT_REFRESH_DAYS: int(7, 1, 90),
    /** SSB's tettsted WFS (the kommune's largest tettsted is Sentralitet's centre; keyless, NLOD). */
    SSB_TETTSTED_WFS_URL: url('https://kart.ssb.no/api/mapserver/v1/wfs/tettsteder'),
    /** The year's layer; SSB adds one a year (`ms:tettsted_2026` …). */
    SSB_TETTSTED_TYPENAME: textWithDefault('ms:tettsted_2025', 100),
    /** A kommune's chosen centre is looked up again at its refresh point, at most this many days on (`isFresh`). */
    CENTRE_REFRESH_DAYS: int(30, 1, 365),

    /** The open Enhetsregisteret API (Brønnøysund): no key. */
    BRREG_API_URL: url('https://data.brreg.no/enhetsregisteret/api'),
    MATRIKKEL_URL: url('https://matrikkel.no/matrikkelapi/wsapi/v1'),
    MATRIKKEL_USERNAME: optionalText,
    MATRIKKEL_PASSWORD: optionalText,
    MATRIKKEL_CONCURRENCY: int(4, 1, 32),
    /** One Matrikkel call; the Airtable automation never waits for it (the lookup runs queued). */
    MATRIKKEL_TIMEOUT_MS: int(10_000, 1_000, 120_000),
    /** `klientIdentifikasjon` in every call's matrikkelContext. */
    MATRIKKEL_CLIENT_ID: textWithDefault('tomtejakt', 100),

    WEBHOOK_SECRET: secret(32),
    WEBHOOK_BEARER_TOKEN: secret(32),
    /** Key in the URL of the Airtable button-field fallback (a separate key, so it can be revoked alone). */
    WEBHOOK_LINK_KEY: secret(32),
    OWNER_LOOKUP_WINDOW_MINUTES: int(10, 0, 24 * 60),
    /**
     * A lot left "Forespurt" (or "Pågår") this long with no lookup queued or running is set to
     * "Feilet" with the reason (the automation's call never arrived), so no lot waits for good.
     */
    OWNER_LOOKUP_STUCK_MINUTES: int(15, 1, 24 * 60),
    /** Written to the audit log for every lookup whose caller gives no purpose. */
    OWNER_LOOKUP_PURPOSE: textWithDefault(
      'Tomteanskaffelse: kontakt med hjemmelshaver om salg eller utvikling av tomten',
      500,
    ),
    OWNER_RETENTION_DAYS: int(180, 1, 3650),
    /**
     * Bulk lookups (issue 14, point 5): Matrikkel lookups a day for the lots of OWNER_BULK_TIERS.
     * 0 (the default) leaves them off: looking up personal data at volume is the company's decision.
     */
    OWNER_DAILY_BUDGET: int(0, 0, 100_000),
    /** A lot's owners older than this are looked up again by the bulk job. */
    OWNER_REFRESH_DAYS: int(90, 1, 3650),
    OWNER_BULK_TIERS: z.preprocess(
      (v) => commaList(v) ?? ['A', 'B'],
      z.array(z.enum(['A', 'B', 'C', 'D'], { error: 'each tier must be A, B, C or D' })).min(1),
    ),
    /** The working day the bulk lookups are spread over (Monday to Friday), local hours in SYNC_TIMEZONE. */
    OWNER_BULK_HOURS: z
      .string()
      .default('08-16')
      .refine((v) => {
        const m = /^(\d{1,2})-(\d{1,2})$/.exec(v);
        return m !== null && Number(m[1]) < Number(m[2]) && Number(m[2]) <= 24;
      }, 'must be two local hours, start before end, such as "08-16"')
      .transform((v) => v.split('-').map(Number) as [number, number]),
    CORS_DEV_ORIGINS: z.string().default('https://localhost:9000'),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.AIRTABLE_TOKEN) !== Boolean(env.AIRTABLE_BASE_ID)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.AIRTABLE_TOKEN ? 'AIRTABLE_BASE_ID' : 'AIRTABLE_TOKEN'],
        message: 'AIRTABLE_TOKEN and AIRTABLE_BASE_ID are set together or not at all',
      });
    }
    if (Boolean(env.NAP_CLIENT_ID) !== Boolean(env.NAP_CLIENT_KEY)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.NAP_CLIENT_ID ? 'NAP_CLIENT_KEY' : 'NAP_CLIENT_ID'],
        message: 'NAP_CLIENT_ID and NAP_CLIENT_KEY are set together or not at all',
      });
    }
    if (Boolean(env.MATRIKKEL_USERNAME) !== Boolean(env.MATRIKKEL_PASSWORD)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.MATRIKKEL_USERNAME ? 'MATRIKKEL_PASSWORD' : 'MATRIKKEL_USERNAME'],
        message: 'MATRIKKEL_USERNAME and MATRIKKEL_PASSWORD are set together or not at all',
      });
    }
    if (Boolean(env.SMTP_URL) !== Boolean(env.REPORT_TO?.length)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.SMTP_URL ? 'REPORT_TO' : 'SMTP_URL'],
        message: 'SMTP_URL and REPORT_TO are set together or not at all',
      });
    }
    for (const issue of mapAccessIssues(env)) ctx.addIssue({ code: 'custom', ...issue });
  });

export type Env = z.infer<typeof envSchema> & {
  /** Resolved paths. */
  storePath: string;
  httpCacheDir: string;
  airtableEnabled: boolean;
};

/** The values to scrub from logs. */
export function secretsOf(env: Partial<Env>): string[] {
  return [
    env.AIRTABLE_TOKEN,
    env.NAP_CLIENT_KEY,
    env.MATRIKKEL_PASSWORD,
    env.WEBHOOK_SECRET,
    env.WEBHOOK_BEARER_TOKEN,
    env.WEBHOOK_LINK_KEY,
    // A Slack or Teams incoming-webhook URL is itself the credential.
    env.ALERT_WEBHOOK_URL,
    env.MAP_SESSION_SECRET,
    env.REPORT_LINK_KEY,
    passwordOf(env.POSTGIS_URL),
    passwordOf(env.SMTP_URL),
  ].filter((s): s is string => Boolean(s));
}

function passwordOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads `.env` (when present) under the process environment (which wins) and validates it.
 * Throws ConfigError naming the first wrong key.
 */
export function loadEnv(
  options: { envFile?: string; source?: Record<string, string | undefined> } = {},
): Env {
  const fromFile: Record<string, string> = {};
  const envFile = options.envFile ?? path.resolve('.env');
  if (!options.source && existsSync(envFile))
    Object.assign(fromFile, parseEnv(readFileSync(envFile, 'utf8')));
  const raw = { ...fromFile, ...(options.source ?? process.env) };
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.join('.') || 'environment';
    throw new ConfigError(key, issue.message);
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.DATA_DIR);
  return {
    ...env,
    storePath: path.resolve(env.STORE_PATH ?? path.join(dataDir, 'tomtejakt.sqlite')),
    httpCacheDir: path.resolve(env.HTTP_CACHE_DIR ?? path.join(dataDir, 'http-cache')),
    airtableEnabled: Boolean(env.AIRTABLE_TOKEN && env.AIRTABLE_BASE_ID),
  };
}
