import { connect, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BaseLimiter, limiterForBase } from '../../../../sync/src/crm/airtable/base-limiter.js';
import { AirtableError } from '../../../../sync/src/crm/airtable/errors.js';
import { eiereTable } from '../../../../sync/src/crm/schema/eiere.js';
import { tomterTable } from '../../../../sync/src/crm/schema/tomter.js';
import { createMemoryLogger } from '../../../../sync/src/util/logger.js';
import { clientFor } from '../../../doubles/airtable/harness.js';
import { seedTable } from '../../../doubles/airtable/schema.js';
import { startAirtableDouble, type AirtableDouble } from '../../../doubles/airtable/server.js';

let double: AirtableDouble | undefined;
const unexpected = (): never => {
  throw new Error('expected the request to fail');
};
afterEach(async () => {
  await double?.close();
  double = undefined;
});

const lots = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({
    fields: { 'Tomt-ID': `3218-45/${from + i}-z`, Kommunenummer: '3218', Score: i },
  }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port that was free a moment ago: connecting to it is refused until someone listens. */
async function freePort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Starts forwarding `port` to the double (Airtable coming back after refusing connections). */
async function forward(port: number, target: string) {
  const sockets = new Set<Socket>();
  const proxy = createTcpServer((socket) => {
    const upstream = connect(Number(new URL(target).port), '127.0.0.1');
    for (const s of [socket, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        proxy.close(() => resolve());
      }),
  };
}

async function tomter(options: Parameters<typeof startAirtableDouble>[0] = {}) {
  double = await startAirtableDouble({ rateLimit: false, ...options });
  seedTable(double.base(), tomterTable);
  return double;
}

describe('Airtable client', () => {
  it('splits writes into requests of at most 10 records and keeps upsert results', async () => {
    await tomter();
    const client = clientFor(double!, { requestsPerSecond: 1000 });
    const created = await client.create('Tomter', lots(23));
    expect(created).toHaveLength(23);
    const sizes = double!.writeRequests().map((r) => (r.body as { records: unknown[] }).records.length);
    expect(sizes.sort()).toEqual([10, 10, 3]);
    const result = await client.upsert('Tomter', lots(12, 20), ['Tomt-ID']);
    expect(result.updatedRecords).toHaveLength(3);
    expect(result.createdRecords).toHaveLength(9);
    expect(result.records).toHaveLength(12);
    expect(double!.records('Tomter')).toHaveLength(32);
    await client.close();
  });

  it('lists every page and switches to POST listRecords when the URL would be too long', async () => {
    await tomter();
    for (let i = 0; i < 230; i += 1)
      double!.addRecord('Tomter', { 'Tomt-ID': `k-${i}`, Kommunenummer: '3218' });
    const client = clientFor(double!, { requestsPerSecond: 1000 });
    expect(await client.listAll('Tomter', { fields: ['Tomt-ID'] })).toHaveLength(230);
    const ids = Array.from({ length: 400 }, (_, i) => `'k-${i}-${'x'.repeat(40)}'`);
    const formula = `OR({Tomt-ID}='k-5',${ids.map((id) => `{Tomt-ID}=${id}`).join(',')})`;
    expect(await client.listAll('Tomter', { filterByFormula: formula })).toHaveLength(1);
    const methods = double!.requests.map(
      (r) => `${r.method} ${r.path.endsWith('listRecords') ? 'listRecords' : 'list'}`,
    );
    expect(methods).toEqual(['GET list', 'GET list', 'GET list', 'POST listRecords']);
    await client.close();
  });

  it('restarts a listing whose offset expired', async () => {
    let expired = false;
    await tomter({
      onRequest: (request) => {
        // The server "restarts" between the first and second page.
        if (request.query.has('offset') && !expired) {
          expired = true;
          double!.expireIterators();
        }
      },
    });
    for (let i = 0; i < 150; i += 1) double!.addRecord('Tomter', { 'Tomt-ID': `k-${i}` });
    const client = clientFor(double!, { requestsPerSecond: 1000 });
    const records = await client.listAll('Tomter');
    expect(records.map((r) => r.fields['Tomt-ID'])).toEqual(Array.from({ length: 150 }, (_, i) => `k-${i}`));
    expect(double!.requests.map((r) => r.status)).toEqual([200, 422, 200, 200]);
    await client.close();
  });

  it('spaces requests to stay under the limit and gets no 429 from a double enforcing 5/s', async () => {
    await tomter({ rateLimit: { requestsPerSecond: 5, windowMs: 1000, penaltyMs: 30_000 } });
    const client = clientFor(double!, { requestsPerSecond: 4.8 });
    await client.create('Tomter', lots(80));
    const times = double!.requests.map((r) => r.time);
    expect(double!.requests.every((r) => r.status === 200)).toBe(true);
    expect(times).toHaveLength(8);
    for (let i = 1; i < times.length; i += 1) expect(times[i]! - times[i - 1]!).toBeGreaterThan(150);
    await client.close();
  });

  it('after a 429 pauses every request to the base, then succeeds', async () => {
    await tomter();
    const logger = createMemoryLogger();
    const client = clientFor(double!, { requestsPerSecond: 1000, rateLimitPauseMs: 300, logger });
    double!.injectFault(429);
    const started = performance.now();
    await client.create('Tomter', lots(1));
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(client.stats()).toMatchObject({ requests: 2, rateLimited: 1, retries: 1 });
    expect(logger.lines.join('\n')).toMatch(/rate limit reached/);
    await client.close();
  });

  it('after a 429 holds every request to the base, from every client sharing its limiter', async () => {
    await tomter();
    const limiter = new BaseLimiter(1000);
    const writer = clientFor(double!, { limiter, rateLimitPauseMs: 400 });
    const reader = clientFor(double!, { limiter, rateLimitPauseMs: 400 });
    double!.injectFault(429, 1, (r) => r.kind === 'create');
    const written = writer.create('Tomter', lots(1));
    await sleep(50);
    await Promise.all([written, reader.listAll('Tomter')]);
    const limited = double!.requests.find((r) => r.status === 429)!;
    const after = double!.requests.filter((r) => r !== limited);
    expect(after.map((r) => r.kind).sort()).toEqual(['create', 'list']);
    for (const request of after) expect(request.time - limited.time).toBeGreaterThanOrEqual(390);
    expect(double!.records('Tomter')).toHaveLength(1);
    expect(writer.stats()).toEqual({
      requests: 2,
      writeRequests: 2,
      retries: 1,
      rateLimited: 1,
      byStatus: { 200: 1, 429: 1 },
    });
    expect(reader.stats()).toMatchObject({ requests: 1, writeRequests: 0, rateLimited: 0 });
    await writer.close();
    await reader.close();
  });

  it('repeats a create whose connection was refused: nothing reached Airtable', async () => {
    await tomter();
    const port = await freePort();
    const logger = createMemoryLogger();
    const client = clientFor(double!, {
      apiUrl: `http://127.0.0.1:${port}`,
      requestsPerSecond: 1000,
      retryDelayMs: 1_000,
      logger,
    });
    const created = client.create('Tomter', lots(3));
    // Airtable comes back as soon as the refusal is seen; the retry waits at least 500 ms.
    for (let waited = 0; waited < 2_000; waited += 5) {
      if (logger.lines.some((line) => line.includes('ECONNREFUSED'))) break;
      await sleep(5);
    }
    const proxy = await forward(port, double!.url);
    expect(await created).toHaveLength(3);
    expect(double!.writeRequests()).toHaveLength(1);
    expect(double!.records('Tomter')).toHaveLength(3);
    expect(client.stats()).toMatchObject({ requests: 2, writeRequests: 2, retries: 1, byStatus: { 200: 1 } });
    await client.close();
    await proxy.close();
  });

  it('retries 500, 503 and timeouts on upserts a bounded number of times', async () => {
    await tomter();
    const client = clientFor(double!, { requestsPerSecond: 1000, timeoutMs: 200, maxRetries: 3 });
    double!.injectFault(500);
    double!.injectFault('timeout');
    double!.injectFault(503);
    const result = await client.upsert('Tomter', lots(2), ['Tomt-ID']);
    // The timed-out attempt was processed; the retry updates the same records, no duplicates.
    expect(result.updatedRecords).toHaveLength(2);
    expect(double!.records('Tomter')).toHaveLength(2);
    expect(client.stats().retries).toBe(3);
    for (let i = 0; i < 4; i += 1) double!.injectFault(503);
    const error = await client
      .upsert('Tomter', lots(1), ['Tomt-ID'])
      .then(unexpected, (e: unknown) => e as AirtableError);
    expect(error).toBeInstanceOf(AirtableError);
    expect((error as AirtableError).message).toMatch(
      /table "Tomter".*RETRIABLE_ERROR.*gave up after retries/,
    );
    await client.close();
  });

  it('does not repeat a create after a timeout (it may have been done), but does after a 503', async () => {
    await tomter();
    const client = clientFor(double!, { requestsPerSecond: 1000, timeoutMs: 200 });
    double!.injectFault(503);
    await client.create('Tomter', lots(1));
    expect(double!.records('Tomter')).toHaveLength(1);
    double!.injectFault('timeout');
    const error = await client
      .create('Tomter', lots(1, 5))
      .then(unexpected, (e: unknown) => e as AirtableError);
    expect((error as { kind: string }).kind).toBe('timeout');
    expect(double!.records('Tomter')).toHaveLength(2);
    await client.close();
  });

  it('names table, field and value when Airtable rejects a write (422)', async () => {
    await tomter();
    const client = clientFor(double!, { requestsPerSecond: 1000 });
    const bad = await client
      .upsert('Tomter', [{ fields: { 'Tomt-ID': '3218-45/1-z', 'Areal m²': '12 daa' } }], ['Tomt-ID'])
      .then(unexpected, (e: unknown) => e as AirtableError);
    expect(bad).toBeInstanceOf(AirtableError);
    expect(bad.airtable).toMatchObject({
      table: 'Tomter',
      field: 'Areal m²',
      value: '"12 daa"',
      record: '3218-45/1-z',
    });
    expect(bad.message).toContain('INVALID_VALUE_FOR_COLUMN');
    const option = await client
      .create('Tomter', [{ fields: { 'Tomt-ID': 'x', Klasse: 'E' } }])
      .then(unexpected, (e: unknown) => e as AirtableError);
    expect(option.airtable).toMatchObject({
      type: 'INVALID_MULTIPLE_CHOICE_OPTIONS',
      field: 'Klasse',
      value: '"E"',
    });
    const unknown = await client
      .create('Tomter', [{ fields: { Arealet: 1 } }])
      .then(unexpected, (e: unknown) => e as AirtableError);
    expect(unknown.airtable).toMatchObject({ type: 'UNKNOWN_FIELD_NAME', field: 'Arealet', value: '1' });
    await client.close();
  });

  it('never puts owners’ personal data in an error', async () => {
    double = await startAirtableDouble({ rateLimit: false });
    seedTable(double.base(), eiereTable);
    const client = clientFor(double, { requestsPerSecond: 1000 });
    const error = await client
      .create('Eiere', [{ fields: { 'Eier-ID': 'e1', Navn: 471147 as unknown as string } }])
      .then(unexpected, (e: unknown) => e as AirtableError);
    expect(error.airtable.field).toBe('Navn');
    expect(error.message).not.toContain('471147');
    expect(error.message).toContain('personal data, not shown');
    await client.close();
  });

  it('explains 401 and 403 and never shows the token', async () => {
    await tomter();
    const wrong = clientFor(double!, { requestsPerSecond: 1000, token: 'patWRONGTOKEN123' });
    const unauthorised = await wrong.listAll('Tomter').then(unexpected, (e: unknown) => e as AirtableError);
    expect(unauthorised.message).toMatch(/AUTHENTICATION_REQUIRED.*check AIRTABLE_TOKEN/);
    expect(unauthorised.message).not.toContain('patWRONGTOKEN123');
    const client = clientFor(double!, { requestsPerSecond: 1000 });
    const missing = await client.listAll('Tomtene').then(unexpected, (e: unknown) => e as AirtableError);
    expect(missing.message).toMatch(/table "Tomtene".*INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND.*setup-base/);
    expect(missing.kind).toBe('auth');
    await wrong.close();
    await client.close();
  });

  it('reads, creates tables and fields through the Metadata API', async () => {
    double = await startAirtableDouble({ rateLimit: false });
    const client = clientFor(double, { requestsPerSecond: 1000 });
    const table = await client.createTable({
      name: 'Tomter',
      fields: [{ name: 'Tomt-ID', type: 'singleLineText' }],
    });
    await client.createField(table.id, { name: 'Score', type: 'number', options: { precision: 0 } });
    const tables = await client.listTables();
    expect(tables[0]!.fields.map((f) => f.name)).toEqual(['Tomt-ID', 'Score']);
    expect(await client.get('Tomter', 'recNOPE00000000')).toBeNull();
    await client.close();
    // A second close (a shutdown path after an error path) is a no-op.
    await expect(client.close()).resolves.toBeUndefined();
  });

  it('shares one limiter per base between all clients of the process', () => {
    expect(limiterForBase('https://api.airtable.com', 'appAAAAAAAAAAAAAA', 4.8)).toBe(
      limiterForBase('https://api.airtable.com/', 'appAAAAAAAAAAAAAA', 3),
    );
    expect(limiterForBase('https://api.airtable.com', 'appBBBBBBBBBBBBBB', 4.8)).not.toBe(
      limiterForBase('https://api.airtable.com', 'appAAAAAAAAAAAAAA', 4.8),
    );
  });
});
