import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startServer, type TestServer } from '../helpers/http-server.js';

/**
 * Faults a double can inject, each for the next `times` matching requests:
 * - `504` / `502` / `503` / `500`: a gateway error page with that status (the teig WFS's outages)
 * - `429`: Too Many Requests, with `Retry-After` when given
 * - `slow`: the normal answer after `delayMs`
 * - `reset`: headers and half the body, then the connection is destroyed
 * - `html`: HTTP 200 with an HTML error page
 * - `truncated`: HTTP 200, a complete HTTP message holding half the document
 * - `exception`: HTTP 200 with an OWS ExceptionReport
 * - `body`: HTTP 200 (or `status`) with any body (for the bad-input suite)
 */
export type Fault =
  | { kind: '500' | '502' | '503' | '504'; times?: number; match?: RegExp }
  | { kind: '429'; times?: number; retryAfter?: string; match?: RegExp }
  | { kind: 'slow'; times?: number; delayMs: number; match?: RegExp }
  | { kind: 'reset' | 'html' | 'truncated' | 'exception'; times?: number; match?: RegExp }
  | {
      kind: 'body';
      times?: number;
      body: string | Buffer;
      contentType?: string;
      status?: number;
      headers?: Record<string, string>;
      match?: RegExp;
    };

export interface LoggedRequest {
  method: string;
  url: string;
  status: number;
  /** The request carried If-None-Match or If-Modified-Since. */
  conditional: boolean;
  /** Body bytes sent. */
  bytes: number;
}

export interface Answer {
  status?: number;
  contentType: string;
  body: string | Buffer;
  headers?: Record<string, string>;
}

export interface Double {
  url: string;
  requests: LoggedRequest[];
  /** Queue a fault for the next matching request(s). */
  inject(fault: Fault): void;
  clearFaults(): void;
  /** Requests whose URL matches, answered with a full body (status 200). */
  fullAnswers(match?: RegExp): number;
  close(): Promise<void>;
}

/**
 * An HTTP double on 127.0.0.1 with a free port: routes requests to `answer`, logs every request,
 * injects queued faults, and answers conditional requests the way real servers do (a strong
 * ETag of the body; If-None-Match that matches → 304 without a body) when `etags` is on.
 */
export async function startDouble(
  answer: (url: URL, req: IncomingMessage) => Answer | Promise<Answer>,
  options: { etags?: boolean } = {},
): Promise<Double> {
  const faults: Array<Fault & { left: number }> = [];
  const requests: LoggedRequest[] = [];
  const log = (req: IncomingMessage, status: number, bytes: number) =>
    requests.push({
      method: req.method ?? 'GET',
      url: req.url ?? '',
      status,
      conditional: Boolean(req.headers['if-none-match'] || req.headers['if-modified-since']),
      bytes,
    });
  const server: TestServer = await startServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://double');
    const faultIndex = faults.findIndex((f) => !f.match || f.match.test(url.pathname + url.search));
    const fault = faultIndex >= 0 ? faults[faultIndex] : undefined;
    if (fault) {
      fault.left -= 1;
      if (fault.left <= 0) faults.splice(faultIndex, 1);
      if (fault.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs));
      else if (await applyFault(fault, req, res, url, answer, log)) return;
    }
    const result = await answer(url, req);
    const body = typeof result.body === 'string' ? Buffer.from(result.body) : result.body;
    const status = result.status ?? 200;
    const headers: Record<string, string> = { 'content-type': result.contentType, ...result.headers };
    if (options.etags && status === 200) {
      const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
      headers.etag = etag;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag });
        res.end();
        log(req, 304, 0);
        return;
      }
    }
    res.writeHead(status, { ...headers, 'content-length': String(body.length) });
    res.end(body);
    log(req, status, body.length);
  });
  return {
    url: server.url,
    requests,
    inject: (fault) => faults.push({ ...fault, left: fault.times ?? 1 }),
    clearFaults: () => faults.splice(0),
    fullAnswers: (match) => requests.filter((r) => r.status === 200 && (!match || match.test(r.url))).length,
    close: () => server.close(),
  };
}

async function applyFault(
  fault: Fault,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  answer: (url: URL, req: IncomingMessage) => Answer | Promise<Answer>,
  log: (req: IncomingMessage, status: number, bytes: number) => void,
): Promise<boolean> {
  const send = (
    status: number,
    contentType: string,
    body: string | Buffer,
    headers: Record<string, string> = {},
  ) => {
    const bytes = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    res.writeHead(status, { 'content-type': contentType, 'content-length': String(bytes), ...headers });
    res.end(body);
    log(req, status, bytes);
    return true;
  };
  switch (fault.kind) {
    case '500':
    case '502':
    case '503':
    case '504':
      return send(
        Number(fault.kind),
        'text/html',
        `<html><head><title>${fault.kind} Gateway Time-out</title></head><body><h1>${fault.kind}</h1></body></html>`,
      );
    case '429':
      return send(
        429,
        'text/plain',
        'Too Many Requests',
        fault.retryAfter ? { 'retry-after': fault.retryAfter } : {},
      );
    case 'html':
      return send(
        200,
        'text/html; charset=utf-8',
        '<!DOCTYPE html><html><head><title>Vedlikehold</title></head><body>Tjenesten er midlertidig utilgjengelig.</body></html>',
      );
    case 'exception':
      return send(
        200,
        'application/xml',
        '<?xml version="1.0" encoding="UTF-8"?><ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0"><ows:Exception exceptionCode="NoApplicableCode"><ows:ExceptionText>java.io.IOException: Connection pool exhausted</ows:ExceptionText></ows:Exception></ows:ExceptionReport>',
      );
    case 'body':
      return send(fault.status ?? 200, fault.contentType ?? 'application/json', fault.body, fault.headers);
    case 'truncated':
    case 'reset': {
      const full = await answer(url, req);
      const body = typeof full.body === 'string' ? Buffer.from(full.body) : full.body;
      const half = body.subarray(0, Math.floor(body.length / 2));
      if (fault.kind === 'truncated') return send(200, full.contentType, half);
      res.writeHead(200, { 'content-type': full.contentType, 'content-length': String(body.length) });
      res.write(half);
      log(req, 200, half.length);
      await new Promise((r) => setTimeout(r, 10));
      res.socket?.destroy();
      return true;
    }
    default:
      return false;
  }
}
