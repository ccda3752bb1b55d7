import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EiereField as E, TomterField as T } from '../../sync/src/crm/schema/index.js';
import { signPayload } from '../../sync/src/server/webhooks/signature.js';
import { openStore } from '../../sync/src/store/database.js';
import { doubleWithBase } from '../doubles/airtable/harness.js';
import type { AirtableDouble } from '../doubles/airtable/server.js';
import { startMatrikkelDouble, type MatrikkelDouble } from '../doubles/matrikkel/server.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * The product as a whole, with production wiring and local doubles of Airtable and the Matrikkel:
 * the nightly run on the sample kommune into Airtable, `npm start`'s process taking a signed owner
 * lookup from the Airtable automation, and the next night's run leaving lookup and team fields alone.
 */
const SECRET = 'webhook-secret-for-the-full-service-test-0123456789';
let airtable: AirtableDouble;
let matrikkel: MatrikkelDouble;
let env: Record<string, string>;

beforeAll(async () => {
  airtable = await doubleWithBase({ rateLimit: false });
  matrikkel = await startMatrikkelDouble();
  env = {
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'full-service-')),
    KOMMUNEINFO_URL: 'http://127.0.0.1:9/kommuneinfo/v1',
    HTTP_MAX_RETRIES: '0',
    AIRTABLE_TOKEN: airtable.token,
    AIRTABLE_BASE_ID: airtable.baseId,
    AIRTABLE_API_URL: airtable.url,
    MATRIKKEL_URL: matrikkel.url,
    MATRIKKEL_USERNAME: 'tomtejakt-test',
    MATRIKKEL_PASSWORD: 'correct horse battery staple',
    WEBHOOK_SECRET: SECRET,
    PORT: '0',
    LOG_FORMAT: 'json',
  };
});
afterAll(async () => {
  await airtable?.close();
  await matrikkel?.close();
});

function startService(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      "const { main } = await import('./sync/src/cli/main.ts'); process.exitCode = await main(['node', 'tomtejakt', ...process.argv.slice(1)]);",
      'start',
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Map: (http:\/\/[^/\s]+)\//.exec(output);
      if (match) resolve({ child, url: match[1]!, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`service exited with ${code}: ${output}`)));
  });
}

describe('the whole service with Airtable and the Matrikkel (doubles)', () => {
  it('syncs the sample into Airtable, looks up owners on a signed webhook, and the next run keeps them', async () => {
    const first = await runCli(['run'], env);
    expect(first.code).toBe(0);
    const lots = airtable.records('Tomter');
    // The default Airtable policy: every tier B or better lot gets a record, and only those (the
    // store keeps every lot, below).
    const store = openStore(path.join(env.DATA_DIR!, 'tomtejakt.sqlite'));
    const good = store
      .prepare("SELECT count(*) AS n FROM lots WHERE state = 'active' AND tier IN ('A', 'B')")
      .get() as { n: number };
    store.close();
    expect(good.n).toBeGreaterThanOrEqual(20);
    expect(lots.length).toBe(good.n);
    expect(new Set(lots.map((r) => r.fields[T.klasse]))).toEqual(new Set(['A', 'B']));
    const lot = [...lots].sort((a, b) => Number(b.fields[T.score]) - Number(a.fields[T.score]))[0]!;
    expect(lot.fields[T.status]).toBe('Ny');
    airtable.editRecord('Tomter', lot.id, { [T.notater]: 'Ringt grunneier 12.11', [T.status]: 'Kontaktet' });

    const service = await startService();
    let exitCode: number | null = null;
    try {
      const body = JSON.stringify({ recordId: lot.id, requestedBy: { name: 'Selger Test' } });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const response = await fetch(`${service.url}/webhooks/owner-lookup`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-tomtejakt-timestamp': timestamp,
          'x-tomtejakt-signature': signPayload(SECRET, timestamp, body),
        },
        body,
      });
      expect(response.status, await response.clone().text()).toBe(202);
      const deadline = Date.now() + 20_000;
      while (airtable.records('Tomter').find((r) => r.id === lot.id)!.fields[T.eieroppslag] !== 'Ferdig') {
        if (Date.now() > deadline) throw new Error(`lookup did not finish: ${service.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const health = (await (await fetch(`${service.url}/health`)).json()) as {
        ownerLookup: { state: string };
        lots: { active: number };
        airtableRecords: { records: number; limit: number; level: string };
      };
      expect(health.ownerLookup.state).toBe('ok');
      expect(health.lots.active).toBeGreaterThan(300);
      expect(health.airtableRecords).toMatchObject({ limit: 50_000, level: 'ok' });
      expect(health.airtableRecords.records).toBeGreaterThanOrEqual(lots.length);
    } finally {
      service.child.kill('SIGTERM');
      exitCode = await new Promise<number | null>((resolve) => service.child.once('exit', resolve));
    }
    // SIGTERM with Airtable configured: every client and the store closed once, exit 0.
    expect(exitCode, service.output()).toBe(0);
    expect(service.output()).toMatch(/"Stopped"/);
    expect(service.output()).not.toMatch(/destroyed|Unexpected error|closing .* failed/);
    const owners = airtable
      .records('Eiere')
      .filter((r) => (r.fields[E.tomter] as string[] | undefined)?.includes(lot.id));
    expect(owners.length).toBeGreaterThan(0);
    expect(service.output()).not.toMatch(new RegExp(String(owners[0]!.fields[E.navn])));

    const afterLookup = airtable.records('Tomter').find((r) => r.id === lot.id)!.fields;
    const second = await runCli(['run'], env);
    expect(second.code).toBe(0);
    const afterRun = airtable.records('Tomter').find((r) => r.id === lot.id)!.fields;
    expect(afterRun[T.eieroppslag]).toBe('Ferdig');
    expect(afterRun[T.antallEiere]).toBe(afterLookup[T.antallEiere]);
    expect(afterRun[T.status]).toBe('Kontaktet');
    expect(afterRun[T.notater]).toBe('Ringt grunneier 12.11');
    // With its owners known, Eierstruktur now counts them instead of the properties.
    expect(String(afterRun[T.scoredetaljer])).toMatch(/eier/);
  }, 120_000);
});
