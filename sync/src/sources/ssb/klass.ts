import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { SourceError } from '../../util/errors.js';
import { redactUrl } from '../../util/redact.js';
import { createHttpClient, snippet, type HttpClient } from '../../net/http-client.js';

export const KLASS_SOURCE = 'klass';
/** KLASS classification 131: Standard for kommuneinndeling. */
export const KOMMUNE_CLASSIFICATION = '131';
/** KLASS classification 128: Standard for sentralitet (the 2020 centrality index, classes 1–6). */
export const CENTRALITY_CLASSIFICATION = '128';

const codesAtSchema = z.looseObject({
  codes: z.array(
    z.looseObject({
      code: z.string(),
      name: z.string(),
      level: z.string().optional(),
      parentCode: z.string().nullable().optional(),
      shortName: z.string().nullable().optional(),
      presentationName: z.string().nullable().optional(),
    }),
  ),
});

const changesSchema = z.looseObject({
  codeChanges: z.array(
    z.looseObject({
      oldCode: z.string(),
      oldName: z.string().nullable().optional(),
      newCode: z.string(),
      newName: z.string().nullable().optional(),
      changeOccurred: z.string(),
    }),
  ),
});

const correspondsSchema = z.looseObject({
  correspondenceItems: z.array(
    z.looseObject({
      sourceCode: z.string(),
      sourceName: z.string().nullable().optional(),
      targetCode: z.string(),
      targetName: z.string().nullable().optional(),
    }),
  ),
});

/** A kommune's centrality class (1 most central – 6 least). */
export interface KommuneCentrality {
  kommunenummer: string;
  klasse: number;
  name: string | null;
}

export interface KlassCode {
  code: string;
  name: string;
}

export interface CodeChange {
  oldCode: string;
  newCode: string;
  /** YYYY-MM-DD */
  changeOccurred: string;
}

export interface KlassClient {
  /** The kommuner valid on a date (codesAt), without "9999 Uoppgitt". */
  kommunerAt(date: string): Promise<KlassCode[]>;
  /** Old→new kommunenummer changes in a period (changes). */
  kommuneChanges(from: string, to: string): Promise<CodeChange[]>;
  /** Each kommune's centrality class on a date: the correspondence 131 → 128 (correspondsAt). */
  centralityAt(date: string): Promise<KommuneCentrality[]>;
  close(): Promise<void>;
}

/** The KLASS API (data.ssb.no/api/klass/v1): JSON by the `.json` suffix; no published rate limit. */
export function createKlassClient(options: {
  baseUrl: string;
  timeoutMs?: number;
  maxRetries?: number;
  minRetryDelayMs?: number;
  dispatcher?: Dispatcher;
}): KlassClient {
  const baseUrl = options.baseUrl.replace(/\/$/, '');
  const http: HttpClient = createHttpClient({
    source: KLASS_SOURCE,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries ?? 2,
    minRetryDelayMs: options.minRetryDelayMs,
    concurrency: 2,
    rateLimit: { requests: 5, perMs: 1_000 },
    headers: { accept: 'application/json' },
    dispatcher: options.dispatcher,
  });
  async function get<T>(url: string, schema: z.ZodType<T>): Promise<T> {
    const response = await http.request({ url });
    let json: unknown;
    try {
      json = JSON.parse(response.text());
    } catch {
      throw new SourceError('malformed', `not JSON: ${snippet(response.body)}`, {
        source: KLASS_SOURCE,
        url: redactUrl(url),
      });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new SourceError('malformed', parsed.error.issues[0]!.message, {
        source: KLASS_SOURCE,
        url: redactUrl(url),
      });
    return parsed.data;
  }
  const classification = `${baseUrl}/classifications/${KOMMUNE_CLASSIFICATION}`;
  return {
    async kommunerAt(date) {
      const body = await get(
        `${classification}/codesAt.json?date=${encodeURIComponent(date)}`,
        codesAtSchema,
      );
      // codesAt includes "9999 Uoppgitt"; names are kept verbatim (Sámi variants, "Oslo - Oslove").
      return body.codes
        .filter((c) => /^\d{4}$/.test(c.code) && c.code !== '9999')
        .map((c) => ({ code: c.code, name: c.name }));
    },
    async kommuneChanges(from, to) {
      const body = await get(
        `${classification}/changes.json?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
        changesSchema,
      );
      return body.codeChanges.map((c) => ({
        oldCode: c.oldCode,
        newCode: c.newCode,
        changeOccurred: c.changeOccurred,
      }));
    },
    async centralityAt(date) {
      const body = await get(
        `${classification}/correspondsAt.json?targetClassificationId=${CENTRALITY_CLASSIFICATION}&date=${encodeURIComponent(date)}`,
        correspondsSchema,
      );
      // Codes are "1"–"6" (some exports zero-pad, "01"); anything else is not a centrality class.
      return body.correspondenceItems
        .filter((c) => /^\d{4}$/.test(c.sourceCode) && /^0?[1-6]$/.test(c.targetCode))
        .map((c) => ({
          kommunenummer: c.sourceCode,
          klasse: Number(c.targetCode),
          name: c.targetName ?? null,
        }));
    },
    close: () => http.close(),
  };
}
