import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, type TestServer } from '../../helpers/http-server.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/brreg');

/** The recorded `GET /enheter/{orgnr}` bodies (test/fixtures/brreg/SOURCES.md), by organisation number. */
export const RECORDED: Record<string, string> = {
  '810202572': 'enhet-810202572-bygg.json',
  '915330193': 'enhet-915330193-konkurs.json',
  '821227062': 'enhet-821227062-slettet.json',
  '999999998': 'enhet-999999998-enk-jordbruk.json',
};

export interface BrregDouble extends TestServer {
  /** `${base}/enhetsregisteret/api` */
  baseUrl: string;
  /** Every request: path and when it arrived (ms). */
  requests: Array<{ path: string; at: number }>;
  /** Organisation numbers answered with HTTP 500 (a register outage). */
  failing: Set<string>;
}

/**
 * The open Enhetsregisteret API as far as the enrichment uses it: the recorded units, 404 for any
 * other number.
 */
export async function startBrregDouble(): Promise<BrregDouble> {
  const requests: BrregDouble['requests'] = [];
  const failing = new Set<string>();
  const server = await startServer((req, res) => {
    const url = req.url ?? '';
    requests.push({ path: url, at: performance.now() });
    const orgnr = /^\/enhetsregisteret\/api\/enheter\/(\d{9})$/.exec(url)?.[1];
    if (!orgnr) {
      res.statusCode = 400;
      return void res.end();
    }
    if (failing.has(orgnr)) {
      res.statusCode = 500;
      return void res.end('Internal Server Error');
    }
    const file = RECORDED[orgnr];
    if (!file) {
      // The client reads only the status of a 404 (no error body was recorded).
      res.statusCode = 404;
      return void res.end();
    }
    res.setHeader('content-type', 'application/json');
    res.end(readFileSync(path.join(FIXTURES, file)));
  });
  return { ...server, baseUrl: `${server.url}/enhetsregisteret/api`, requests, failing };
}
