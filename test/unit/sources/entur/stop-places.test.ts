import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../../sync/src/net/http-client.js';
import { defaultRules } from '../../../../sync/src/config/rules.js';
import { ENTUR_RETRY_STATUS_CODES } from '../../../../sync/src/sources/entur/entur-graphql.js';
import { EnturStopPlaceClient, parseStopPlaces } from '../../../../sync/src/sources/entur/stop-places.js';
import { loadTransitStops } from '../../../../sync/src/sources/entur/transit-stops.js';
import { bundledKommune } from '../../../../sync/src/sources/kommuneinfo/bundled-kommuner.js';
import { LastGoodStore } from '../../../../sync/src/sources/last-good-store.js';
import { SourceError } from '../../../../sync/src/util/errors.js';
import { JOURNEY_PLANNER_PATH, startEnturDouble, type EnturDouble } from '../../../doubles/entur/server.js';

let double: EnturDouble;
let dir: string;
beforeEach(async () => {
  double = await startEnturDouble();
  dir = mkdtempSync(path.join(tmpdir(), 'entur-'));
});
afterEach(async () => {
  await double.close();
  rmSync(dir, { recursive: true, force: true });
});

const client = (maxRetries = 1) => {
  const http = createHttpClient({
    source: 'entur-journey-planner',
    maxRetries,
    minRetryDelayMs: 5,
    maxRetryDelayMs: 20,
    retryMethods: ['POST'],
    retryStatusCodes: ENTUR_RETRY_STATUS_CODES,
    headers: { 'et-client-name': 'tomtejakt-test' },
  });
  return { http, stops: new EnturStopPlaceClient(`${double.url}${JOURNEY_PLANNER_PATH}`, http) };
};
const WINDOW = defaultRules().lotScore.sentralitet.transit.departures;
/** Around the generated sample town (lon/lat). */
const SAMPLE_BOX: [number, number, number, number] = [10.7, 59.6, 10.9, 59.75];

describe('Entur Journey Planner stop places through the double', () => {
  it('asks for the stops in use inside the box with the client name, and reads modes, lines and positions', async () => {
    const { http, stops } = client();
    try {
      const found = await stops.stopsIn(SAMPLE_BOX, { kommune: '3218' });
      expect(double.calls).toHaveLength(1);
      expect(double.calls[0]!.clientName).toBe('tomtejakt-test');
      expect(double.calls[0]!.query).toContain('filterByInUse: true');
      expect(double.calls[0]!.variables).toEqual({ minLon: 10.7, minLat: 59.6, maxLon: 10.9, maxLat: 59.75 });
      expect(found.length).toBeGreaterThan(5);
      const station = found.find((s) => s.name === 'Sentrum stasjon')!;
      expect(station).toMatchObject({ id: 'NSR:StopPlace:90001', modes: ['rail'], lines: 2 });
      // Written from EPSG:25833 (261 475, 6 617 740) through lon/lat with 7 decimals: back within a few cm.
      expect(station.position[0]).toBeCloseTo(261_475, 1);
      expect(station.position[1]).toBeCloseTo(6_617_740, 1);
    } finally {
      await http.close();
    }
  });

  it('gives no stops for a box without any (a real answer, not a failure)', async () => {
    const { http, stops } = client();
    try {
      expect(await stops.stopsIn([5, 60, 5.01, 60.01])).toEqual([]);
    } finally {
      await http.close();
    }
  });

  it('retries a 503, never a 429 (Entur: not before the quota expires), and names the quota headers', async () => {
    const { http, stops } = client(1);
    try {
      double.inject({ kind: '503' });
      expect((await stops.stopsIn(SAMPLE_BOX)).length).toBeGreaterThan(5);
      const quota = {
        'rate-limit-allowed': '1000',
        'rate-limit-available': '0',
        'rate-limit-used': '1000',
        'rate-limit-range': 'minute',
        'rate-limit-expiry-time': '1764900060000',
      };
      double.inject({ kind: 'body', status: 429, body: 'Too Many Requests', headers: quota, times: 2 });
      const before = double.calls.length;
      const error = await stops.stopsIn(SAMPLE_BOX, { kommune: '3218' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SourceError);
      expect(error).toMatchObject({
        kind: 'rate-limited',
        context: { source: 'entur-journey-planner', kommune: '3218', status: 429 },
      });
      expect((error as SourceError).detail).toBe(
        'quota spent (rate-limit-allowed: 1000, rate-limit-available: 0, rate-limit-used: 1000, rate-limit-range: minute, rate-limit-expiry-time: 1764900060000)',
      );
      expect(double.requests.filter((r) => r.status === 429)).toHaveLength(1);
      expect(double.calls.length).toBe(before); // the 429 came from the fault, before the GraphQL handler
    } finally {
      await http.close();
    }
  });

  it('refuses an HTML error page with HTTP 200 and a truncated answer', async () => {
    const { http, stops } = client(0);
    try {
      double.inject({ kind: 'html' });
      await expect(stops.stopsIn(SAMPLE_BOX)).rejects.toMatchObject({ kind: 'html-error-page' });
      double.inject({ kind: 'truncated' });
      await expect(stops.stopsIn(SAMPLE_BOX)).rejects.toMatchObject({ kind: 'malformed' });
    } finally {
      await http.close();
    }
  });
});

describe('parseStopPlaces', () => {
  it('takes a transport mode given as one string (older schema), counts each line once, and skips a stop without position', () => {
    const stops = parseStopPlaces(
      JSON.stringify({
        data: {
          stopPlacesByBbox: [
            {
              id: 'NSR:StopPlace:1',
              name: 'Torget',
              latitude: 59.66,
              longitude: 10.79,
              transportMode: 'bus',
              quays: [
                { id: 'NSR:Quay:1', lines: [{ id: 'L:1' }, { id: 'L:2' }] },
                { id: 'NSR:Quay:2', lines: [{ id: 'L:2' }] },
                null,
              ],
            },
            {
              id: 'NSR:StopPlace:2',
              name: 'Uten posisjon',
              latitude: null,
              longitude: null,
              transportMode: ['rail'],
            },
            null,
          ],
        },
      }),
    );
    expect(stops).toHaveLength(1);
    expect(stops[0]).toMatchObject({ id: 'NSR:StopPlace:1', modes: ['bus'], lines: 2 });
  });

  it('treats GraphQL errors (sent with HTTP 200) as failures, never as "no stops"', () => {
    expect(() =>
      parseStopPlaces(JSON.stringify({ errors: [{ message: 'Too many requests' }], data: null })),
    ).toThrow(/GraphQL: Too many requests/);
    expect(() => parseStopPlaces(JSON.stringify({ data: null }))).toThrow(/no data/);
    expect(() => parseStopPlaces('{"data": {"stopPlacesByBbox": "nope"}}')).toThrow(/unexpected answer/);
  });
});

describe('loadTransitStops: weekly, kept, and never a silent empty', () => {
  const boundary = bundledKommune('3218')!.boundary;
  const DAY = 86_400_000;

  it('fetches once, keeps the copy and uses it without asking again within the refresh days', async () => {
    const { http, stops } = client();
    const store = new LastGoodStore(dir);
    const options = { source: stops, store, refreshDays: 7, marginM: 2_000, departures: WINDOW };
    try {
      // 3218 falls due at 12:00 UTC on 1 December 2026 and every 7 days after it (kept-fetch.ts).
      const first = await loadTransitStops('3218', boundary, {
        ...options,
        now: () => new Date('2026-12-02T02:00:00Z'),
      });
      expect(first).toMatchObject({ status: 'fetched', source: 'entur-journey-planner' });
      expect(first.stops.length).toBeGreaterThan(5);
      const again = await loadTransitStops('3218', boundary, {
        ...options,
        now: () => new Date('2026-12-08T02:00:00Z'),
      });
      expect(again).toMatchObject({ status: 'cached', fetchedAt: '2026-12-02T02:00:00.000Z' });
      expect(again.stops).toEqual(first.stops);
      expect(double.calls).toHaveLength(2); // the box, then one batch of departures
    } finally {
      await http.close();
    }
  });

  it('falls back to the older copy when the service fails, and says why; without a copy the data is unavailable', async () => {
    const { http, stops } = client(0);
    const store = new LastGoodStore(dir);
    const options = { source: stops, store, refreshDays: 7, marginM: 2_000, departures: WINDOW };
    try {
      await loadTransitStops('3218', boundary, { ...options, now: () => new Date('2026-11-01T02:00:00Z') });
      double.inject({ kind: '503', times: 5 });
      const stale = await loadTransitStops('3218', boundary, {
        ...options,
        now: () => new Date(Date.parse('2026-11-01T02:00:00Z') + 9 * DAY),
      });
      expect(stale.status).toBe('stale');
      expect(stale.stops.length).toBeGreaterThan(5);
      expect(stale.reason).toMatch(/entur-journey-planner.*HTTP 503/);
      double.inject({ kind: '503', times: 5 });
      const none = await loadTransitStops('3219', boundary, options);
      expect(none).toMatchObject({ status: 'unavailable', stops: [] });
      expect(none.reason).toMatch(/HTTP 503/);
    } finally {
      await http.close();
    }
  });

  it('is unavailable without a stop register or a kommune boundary', async () => {
    const store = new LastGoodStore(dir);
    expect(
      await loadTransitStops('3218', boundary, {
        source: null,
        store,
        refreshDays: 7,
        marginM: 0,
        departures: WINDOW,
      }),
    ).toMatchObject({
      status: 'unavailable',
      reason: 'no stop register configured',
    });
    const { http, stops } = client();
    try {
      expect(
        await loadTransitStops('3218', null, {
          source: stops,
          store,
          refreshDays: 7,
          marginM: 0,
          departures: WINDOW,
        }),
      ).toMatchObject({
        status: 'unavailable',
        reason: 'the kommune boundary is unknown, so its box is too',
      });
    } finally {
      await http.close();
    }
  });
});
