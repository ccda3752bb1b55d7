import type { Dispatcher } from 'undici';
import { SourceError } from '../../util/errors.js';
import { createHttpClient, snippet, type HttpClient, type HttpStats } from '../../net/http-client.js';
import { buildEnvelope, defaultMatrikkelContext, type MatrikkelContext } from './envelope.js';
import { parseFault } from './fault.js';
import { NS, SERVICES, type ServiceName } from './namespaces.js';
import { child, parseXml, XmlSyntaxError, type XmlElement, type XmlNode } from './xml.js';

export interface MatrikkelSoapOptions {
  /** e.g. https://matrikkel.no/matrikkelapi/wsapi/v1 (prodtest: https://prodtest.matrikkel.no/…). */
  baseUrl: string;
  username: string;
  password: string;
  timeoutMs?: number;
  /** Network-level retries of one call (all our calls are reads, so POST is safe to repeat). */
  maxRetries?: number;
  minRetryDelayMs?: number;
  /** Calls in flight at once. */
  concurrency?: number;
  context?: Partial<MatrikkelContext>;
  dispatcher?: Dispatcher;
}

export interface MatrikkelSoapClient {
  /** Calls `operation` on `service` and returns its `<operation>Response` element. */
  call(
    service: ServiceName,
    operation: string,
    parameters: XmlNode[],
    options?: { signal?: AbortSignal },
  ): Promise<XmlElement>;
  stats(): HttpStats;
  close(): Promise<void>;
}

/**
 * SOAP over the shared HTTP layer, with the Matrikkel API's ways of failing turned into typed
 * errors: an HTML login page with HTTP 200 when the credentials are wrong (vtfk/matrikkelapi-proxy
 * checks for `<!DOCTYPE HTML` / `401 Unauthorized`), SOAP faults (HTTP 500, parsed, never
 * retried by the network layer), timeouts and resets (retried: every call here is a read).
 */
export function createMatrikkelSoapClient(options: MatrikkelSoapOptions): MatrikkelSoapClient {
  const context = { ...defaultMatrikkelContext, ...options.context };
  const base = options.baseUrl.replace(/\/+$/, '');
  const http: HttpClient = createHttpClient({
    source: 'matrikkel',
    timeoutMs: options.timeoutMs ?? 10_000,
    maxRetries: options.maxRetries ?? 2,
    minRetryDelayMs: options.minRetryDelayMs ?? 300,
    maxRetryDelayMs: 3_000,
    concurrency: options.concurrency ?? 4,
    retryMethods: ['POST'],
    // 500 carries SOAP faults; those are read and classified, not blindly repeated.
    retryStatusCodes: [429, 502, 503, 504],
    headers: {
      authorization: `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`,
      'content-type': 'text/xml; charset=utf-8',
      soapaction: '""',
    },
    dispatcher: options.dispatcher,
  });

  async function call(
    service: ServiceName,
    operation: string,
    parameters: XmlNode[],
    callOptions: { signal?: AbortSignal } = {},
  ): Promise<XmlElement> {
    const url = `${base}/${SERVICES[service].endpoint}`;
    const response = await http.request({
      url,
      method: 'POST',
      body: buildEnvelope(service, operation, parameters, context),
      acceptStatus: [500],
      signal: callOptions.signal,
    });
    const text = response.text();
    const errorContext = { source: 'matrikkel', url, status: response.status };
    if (looksLikeHtml(text, response.headers['content-type'])) {
      throw isLoginPage(text)
        ? new SourceError(
            'auth',
            `${operation}: the Matrikkel API answered with an HTML login page (HTTP ${response.status}); ` +
              'the username or password is wrong or the user has no API access',
            errorContext,
          )
        : new SourceError('html-error-page', `${operation}: ${snippet(text)}`, errorContext);
    }
    let envelope: XmlElement;
    try {
      envelope = parseXml(text);
    } catch (error) {
      const reason = error instanceof XmlSyntaxError ? error.message : String(error);
      throw new SourceError('malformed', `${operation}: not XML (${reason}): ${snippet(text)}`, errorContext);
    }
    const body = envelope.local === 'Envelope' ? child(envelope, 'Body', NS.soapEnvelope) : null;
    if (!body) throw new SourceError('malformed', `${operation}: not a SOAP envelope`, errorContext);
    const fault = child(body, 'Fault', NS.soapEnvelope);
    if (fault) throw parseFault(fault, operation, { url, status: response.status });
    if (response.status !== 200) {
      throw new SourceError('http-status', `${operation}: ${snippet(text)}`, errorContext);
    }
    const result = child(body, `${operation}Response`, SERVICES[service].ns);
    if (!result) {
      throw new SourceError(
        'malformed',
        `${operation}: no ${operation}Response in the SOAP body`,
        errorContext,
      );
    }
    return result;
  }

  return { call, stats: () => http.stats(), close: () => http.close() };
}

function looksLikeHtml(text: string, contentType: string | undefined): boolean {
  if (contentType?.includes('text/html')) return true;
  return /^\s*(?:<!DOCTYPE\s+html|<html[\s>])/i.test(text.slice(0, 512));
}

function isLoginPage(text: string): boolean {
  return /401 Unauthorized|<form[^>]*(?:login|j_security_check)|type=["']?password/i.test(
    text.slice(0, 20_000),
  );
}
