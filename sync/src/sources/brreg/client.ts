import type { Dispatcher } from 'undici';
import { createHttpClient, snippet, type HttpClient } from '../../net/http-client.js';
import { SourceError } from '../../util/errors.js';
import { BRREG_SOURCE, parseEnhet, type EnhetLookup } from './enhet.js';

/** The Enhetsregisteret as the owner enrichment sees it (a double in tests). */
export interface EnhetsregisterSource {
  enhet(organisasjonsnummer: string, options?: { signal?: AbortSignal }): Promise<EnhetLookup>;
  close(): Promise<void>;
}

export interface EnhetsregisterClientOptions {
  /** https://data.brreg.no/enhetsregisteret/api */
  baseUrl: string;
  /**
   * No limit is published; one client in the field spaces its calls 250 ms (national-layers.md §6),
   * so the default is one call at a time, at most 4 a second.
   */
  requestsPerSecond?: number;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

const ORGNR = /^\d{9}$/;

/** The open Enhetsregisteret API over the shared undici client: no key, GET only, retried on 5xx. */
export function createEnhetsregisterClient(options: EnhetsregisterClientOptions): EnhetsregisterSource {
  const http: HttpClient = createHttpClient({
    source: BRREG_SOURCE,
    timeoutMs: options.timeoutMs ?? 10_000,
    maxRetries: 2,
    concurrency: 1,
    rateLimit: { requests: 1, perMs: Math.ceil(1000 / (options.requestsPerSecond ?? 4)) },
    headers: { accept: 'application/json' },
    dispatcher: options.dispatcher,
  });
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    async enhet(organisasjonsnummer, requestOptions = {}) {
      if (!ORGNR.test(organisasjonsnummer))
        throw new SourceError('malformed', `not an organisasjonsnummer: ${organisasjonsnummer}`, {
          source: BRREG_SOURCE,
        });
      const url = `${base}/enheter/${organisasjonsnummer}`;
      const response = await http.request({ url, acceptStatus: [404, 410], signal: requestOptions.signal });
      if (response.status === 404) return { kind: 'not-found', organisasjonsnummer };
      if (response.status === 410) return { kind: 'deleted', organisasjonsnummer, slettedato: null };
      let body: unknown;
      try {
        body = JSON.parse(response.text());
      } catch {
        throw new SourceError('malformed', `not JSON: ${snippet(response.text())}`, {
          source: BRREG_SOURCE,
          url,
        });
      }
      return parseEnhet(body, url);
    },
    close: () => http.close(),
  };
}
