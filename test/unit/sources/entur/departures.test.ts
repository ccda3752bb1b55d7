import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultRules } from '../../../../sync/src/config/rules.js';
import { createHttpClient } from '../../../../sync/src/net/http-client.js';
import { nextDepartureWindow } from '../../../../sync/src/sources/entur/departure-window.js';
import { parseDepartures } from '../../../../sync/src/sources/entur/departures.js';
import { ENTUR_RETRY_STATUS_CODES } from '../../../../sync/src/sources/entur/entur-graphql.js';
import { EnturStopPlaceClient } from '../../../../sync/src/sources/entur/stop-places.js';
import { bundledSampleStops, loadTransitStops } from '../../../../sync/src/sources/entur/transit-stops.js';
import { bundledKommune } from '../../../../sync/src/sources/kommuneinfo/bundled-kommuner.js';
import { LastGoodStore } from '../../../../sync/src/sources/last-good-store.js';
import { SourceError } from '../../../../sync/src/util/errors.js';
import { JOURNEY_PLANNER_PATH, startEnturDouble, type EnturDouble } from '../../../doubles/entur/server.js';

const WINDOW_RULE = defaultRules().lotScore.sentralitet.transit.departures;
const SAMPLE_BOX: [number, number, number, number] = [10.7, 59.6, 10.9, 59.75];
const WINDOW = { startTime: '2026-12-08T07:00:00+01:00', timeRangeS: 7_200, hours: 2 };

let double: EnturDouble;
let dir: string;
beforeEach(async () => {
  double = await startEnturDouble();
  dir = mkdtempSync(path.join(tmpdir(), 'entur-dep-'));
});
afterEach(async () => {
  await double.close();
  rmSync(dir, { recursive: true, force: true });
});

const client = (batchSize?: number) => {
  const http = createHttpClient({
    source: 'entur-journey-planner',
    maxRetries: 1,
    minRetryDelayMs: 5,
    maxRetryDelayMs: 20,
    retryMethods: ['POST'],
    retryStatusCodes: ENTUR_RETRY_STATUS_CODES,
    headers: { 'et-client-name': 'tomtejakt-test' },
  });
  return { http, stops: new EnturStopPlaceClient(`${double.url}${JOURNEY_PLANNER_PATH}`, http, batchSize) };
};

describe('nextDepartureWindow: the next weekday morning, Oslo time', () => {
  it('takes the next Tuesday after today at 07:00 with the offset of that day', () => {
    // Monday 7 December 2026, midday.
    expect(nextDepartureWindow(WINDOW_RULE, new Date('2026-12-07T12:00:00Z'))).toEqual({
      startTime: '2026-12-08T07:00:00+01:00',
      timeRangeS: 7_200,
      hours: 2,
    });
    // 23:30 UTC Monday is 00:30 Tuesday in Oslo: today is Tuesday there, so the window is a week on.
    expect(nextDepartureWindow(WINDOW_RULE, new Date('2026-12-07T23:30:00Z')).startTime).toBe(
      '2026-12-15T07:00:00+01:00',
    );
    // Summer time: the Tuesday after the change to CEST (28 March 2027) is +02:00, and back to
    // +01:00 after the change on 31 October 2027.
    expect(nextDepartureWindow(WINDOW_RULE, new Date('2027-03-27T10:00:00Z')).startTime).toBe(
      '2027-03-30T07:00:00+02:00',
    );
    expect(nextDepartureWindow(WINDOW_RULE, new Date('2027-10-30T10:00:00Z')).startTime).toBe(
      '2027-11-02T07:00:00+01:00',
    );
    // The change's own night: 00:30 UTC Sunday 31 October is 01:30 Oslo summer time.
    expect(nextDepartureWindow(WINDOW_RULE, new Date('2027-10-31T00:30:00Z')).startTime).toBe(
      '2027-11-02T07:00:00+01:00',
    );
    const saturday = { ...WINDOW_RULE, weekday: 'saturday' as const, from: '15:30', hours: 3 };
    expect(nextDepartureWindow(saturday, new Date('2026-12-07T12:00:00Z'))).toEqual({
      startTime: '2026-12-12T15:30:00+01:00',
      timeRangeS: 10_800,
      hours: 3,
    });
  });
});

describe('nextDepartureWindow: never a public holiday or a holiday timetable', () => {
  const start = (now: string) => nextDepartureWindow(WINDOW_RULE, new Date(now)).startTime;

  it('skips the Tuesdays from 21 December to 2 January', () => {
    // Monday 21 December 2026: 22 and 29 December are in the Christmas timetables.
    expect(start('2026-12-21T12:00:00Z')).toBe('2027-01-05T07:00:00+01:00');
    // 25 December 2029 and 1 January 2030 are Tuesdays and holidays.
    expect(start('2029-12-20T12:00:00Z')).toBe('2030-01-08T07:00:00+01:00');
    // 26 December 2028 is a Tuesday; so is 2 January 2029, still holiday timetables.
    expect(start('2028-12-24T12:00:00Z')).toBe('2029-01-09T07:00:00+01:00');
    // 20 December 2033 is a normal school day.
    expect(start('2033-12-19T12:00:00Z')).toBe('2033-12-20T07:00:00+01:00');
  });

  it('skips 1 May and 17 May on a Tuesday', () => {
    expect(start('2029-04-30T12:00:00Z')).toBe('2029-05-08T07:00:00+02:00');
    expect(start('2022-05-16T12:00:00Z')).toBe('2022-05-24T07:00:00+02:00');
    expect(start('2033-05-16T12:00:00Z')).toBe('2033-05-24T07:00:00+02:00');
  });

  it('skips Easter week, and takes a Tuesday a month after Easter as it is', () => {
    // Easter 2026 is 5 April: the Tuesday after the change to summer time (31 March) is in Easter
    // week, so the window is the Tuesday after Easter Monday.
    expect(start('2026-03-28T10:00:00Z')).toBe('2026-04-07T07:00:00+02:00');
    // Easter 2027 is 28 March; Monday 26 April 2027 → Tuesday 27 April, a normal day.
    expect(start('2027-04-26T12:00:00Z')).toBe('2027-04-27T07:00:00+02:00');
    expect(start('2027-03-22T12:00:00Z')).toBe('2027-03-30T07:00:00+02:00');
  });

  it('applies the same calendar to another weekday', () => {
    // A Thursday rule: 13 May 2027 is a normal Thursday, 6 May (Ascension Day) is not.
    const thursday = { ...WINDOW_RULE, weekday: 'thursday' as const };
    expect(nextDepartureWindow(thursday, new Date('2027-05-03T12:00:00Z')).startTime).toBe(
      '2027-05-13T07:00:00+02:00',
    );
  });
});

describe('parseDepartures', () => {
  const answer = (calls: unknown[]) =>
    JSON.stringify({ data: { stopPlaces: [{ id: 'NSR:StopPlace:1', estimatedCalls: calls }, null] } });
  const call = (mode: string | null, forBoarding: boolean | null = true) => ({
    aimedDepartureTime: '2026-12-08T07:10:00+01:00',
    forBoarding,
    serviceJourney: { line: { transportMode: mode } },
  });

  it('counts boardable calls an hour by the line’s mode', () => {
    const counts = parseDepartures(
      answer([call('bus'), call('bus'), call('bus'), call('rail'), call('bus', false), call(null), null]),
      2,
    );
    expect(counts.get('NSR:StopPlace:1')).toEqual({ bus: 1.5, rail: 0.5, unknown: 0.5 });
  });

  it('refuses a GraphQL error sent with HTTP 200, an HTML page and a wrong shape, by name', () => {
    expect(() =>
      parseDepartures(JSON.stringify({ errors: [{ message: 'Query too complex' }], data: null }), 2),
    ).toThrow(/GraphQL: Query too complex/);
    expect(() => parseDepartures('<html><body>502</body></html>', 2)).toThrow(/HTML page/);
    expect(() => parseDepartures('{"data":{"stopPlaces":{}}}', 2)).toThrow(/unexpected answer/);
    expect(() => parseDepartures('{"data":null}', 2)).toThrow(/no data/);
  });
});

describe('departures through the Journey Planner double', () => {
  it('asks for the box, then the stops’ departures in batches, and counts each stop’s departures an hour', async () => {
    const { http, stops } = client(4);
    try {
      const found = await stops.stopsIn(SAMPLE_BOX, { kommune: '3218', departures: WINDOW });
      expect(found).toHaveLength(11);
      const departureCalls = double.calls.slice(1);
      expect(departureCalls.map((c) => (c.variables.ids as string[]).length)).toEqual([4, 4, 3]);
      expect(departureCalls.every((c) => c.clientName === 'tomtejakt-test')).toBe(true);
      expect(departureCalls[0]!.variables).toMatchObject({
        startTime: '2026-12-08T07:00:00+01:00',
        timeRange: 7_200,
      });
      const perHour = Object.fromEntries(found.map((s) => [s.name, s.departuresPerHour]));
      expect(perHour['Sentrum stasjon']).toEqual({ rail: 4 });
      expect(perHour['Sentrum bussterminal']).toEqual({ bus: 12 });
      expect(perHour['Nordfeltet']).toEqual({ bus: 1 });
    } finally {
      await http.close();
    }
  });

  it('gives a stop the service does not answer for no departures (in use, but not in the window)', async () => {
    await double.close();
    double = await startEnturDouble(undefined, []);
    const { http, stops } = client();
    try {
      const found = await stops.stopsIn(SAMPLE_BOX, { departures: WINDOW });
      expect(found).toHaveLength(11);
      expect(found.every((s) => Object.keys(s.departuresPerHour!).length === 0)).toBe(true);
    } finally {
      await http.close();
    }
  });

  it('fails a batch answered with a GraphQL error and HTTP 200 by name, never as "no departures"', async () => {
    const { http, stops } = client(4);
    try {
      double.failNextDepartures('Timeout: the query took too long');
      const error = await stops
        .stopsIn(SAMPLE_BOX, { kommune: '3218', departures: WINDOW })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SourceError);
      expect(error).toMatchObject({
        kind: 'service-exception',
        detail: 'GraphQL: Timeout: the query took too long',
        context: { source: 'entur-journey-planner', kommune: '3218' },
      });
      expect(double.calls).toHaveLength(2); // the box, then the first batch, which failed the fetch
    } finally {
      await http.close();
    }
  });
});

describe('loadTransitStops with departures', () => {
  const boundary = bundledKommune('3218')!.boundary;

  it('fetches again a kept copy from before departures were counted, even within the refresh days', async () => {
    const { http, stops } = client();
    const store = new LastGoodStore(dir);
    const old = bundledSampleStops('sync/samples/3218-generated').stops.map(
      ({ departuresPerHour: _, ...stop }) => stop,
    );
    store.save({
      kommunenummer: '3218',
      part: 'transit',
      source: 'entur-journey-planner',
      coverage: 'covered',
      savedAt: '2026-12-06T02:00:00.000Z',
      data: old,
    });
    try {
      const loaded = await loadTransitStops('3218', boundary, {
        source: stops,
        store,
        refreshDays: 7,
        marginM: 2_000,
        departures: WINDOW_RULE,
        now: () => new Date('2026-12-07T02:00:00Z'),
      });
      expect(loaded.status).toBe('fetched');
      expect(loaded.stops.find((s) => s.name === 'Sørfeltet')!.departuresPerHour).toEqual({ bus: 2 });
      expect(double.calls[1]!.variables.startTime).toBe('2026-12-08T07:00:00+01:00');
    } finally {
      await http.close();
    }
  });

  it('reads the bundled sample’s generated departures', () => {
    const sample = bundledSampleStops('sync/samples/3218-generated');
    expect(sample.stops.find((s) => s.name === 'Hovedvegen 1')!.departuresPerHour).toEqual({ bus: 4 });
  });
});
