import { z } from 'zod';
import type { HttpClient, HttpResponse } from '../../net/http-client.js';
import { SourceError } from '../../util/errors.js';
import { redactUrl } from '../../util/redact.js';
import { checkedGet } from '../checked-get.js';
import { FormatError } from '../files/format-error.js';

/** Entur's quota headers on a 429 (notes/national-layers.md §5), named in the failure as sent. */
const RATE_LIMIT_HEADERS = [
  'rate-limit-allowed',
  'rate-limit-available',
  'rate-limit-used',
  'rate-limit-range',
  'rate-limit-expiry-time',
];

/** Entur answers 429 when the quota is spent and asks not to retry before `Rate-Limit-Expiry-Time`. */
export const ENTUR_RETRY_STATUS_CODES = [500, 502, 503, 504];

/**
 * POSTs one GraphQL query to the Journey Planner and reads the answer with `read`. A 429 is not
 * retried (Entur's terms: not before the quota's expiry) but fails as `rate-limited` with the
 * quota headers as Entur sent them, so the run report says when to try again.
 */
export function postGraphql<T>(
  http: HttpClient,
  url: string,
  body: { query: string; variables: Record<string, unknown> },
  read: (text: string) => T,
  options: { kommune?: string; signal?: AbortSignal } = {},
): Promise<T> {
  return checkedGet(
    { client: http },
    {
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      acceptStatus: [429],
      kommune: options.kommune,
      signal: options.signal,
    },
    (response) => {
      if (response.status === 429) throw quotaError(response, http.source, url);
      return read(response.text());
    },
  );
}

function quotaError(response: HttpResponse, source: string, url: string): SourceError {
  const sent = RATE_LIMIT_HEADERS.filter((h) => response.headers[h] !== undefined).map(
    (h) => `${h}: ${response.headers[h]}`,
  );
  const detail = sent.length ? `quota spent (${sent.join(', ')})` : 'quota spent (no Rate-Limit headers)';
  return new SourceError('rate-limited', detail, { source, url: redactUrl(url), status: 429 });
}

/**
 * The `data` of a GraphQL answer, checked against `dataSchema`. GraphQL servers send their errors
 * with HTTP 200: an `errors` array is a named failure (`service-exception`), never an empty answer;
 * an HTML page, text that is not JSON or an unexpected shape fail by name too.
 */
export function graphqlData<T extends z.ZodType>(text: string, dataSchema: T): z.infer<T> {
  if (/^\s*</.test(text)) throw new FormatError('html-error-page', 'the answer is an HTML page, not JSON');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new FormatError('malformed', 'the answer is not JSON');
  }
  const answer = z.looseObject({
    data: dataSchema.nullable().optional(),
    errors: z.array(z.looseObject({ message: z.string() })).optional(),
  });
  const parsed = answer.safeParse(json);
  if (!parsed.success)
    throw new FormatError('malformed', `unexpected answer: ${parsed.error.issues[0]!.message}`);
  const { data, errors } = parsed.data as { data?: z.infer<T> | null; errors?: Array<{ message: string }> };
  if (errors?.length) throw new FormatError('service-exception', `GraphQL: ${errors[0]!.message}`);
  if (data === null || data === undefined) throw new FormatError('malformed', 'the answer has no data');
  return data;
}
