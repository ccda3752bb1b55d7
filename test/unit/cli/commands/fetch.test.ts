import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Double } from '../../../doubles/double.js';
import { startKommuneinfoDouble } from '../../../doubles/kommuneinfo/server.js';
import { generatePlans, utm33 } from '../../../doubles/nap/plan-data.js';
import { napApisFor, startNapDouble, type NapDouble } from '../../../doubles/nap/server.js';
import { parcelGrid, startTeigDouble, type TeigDouble } from '../../../doubles/teig/server.js';
import { NAP_CREDENTIALS } from '../../sources/source-test-kit.js';
import { runCli } from '../../../helpers/run-cli.js';

const ORIGIN = utm33(10.79, 59.66);
let nap: NapDouble;
let teig: TeigDouble;
let kommuneinfo: Double;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  nap = await startNapDouble({
    apis: napApisFor([generatePlans('3218', ORIGIN, { zones: 120, plans: 7 })]),
    credentials: NAP_CREDENTIALS,
  });
  teig = await startTeigDouble(parcelGrid('3218', ORIGIN, 5, 8, 50, '3207'));
  kommuneinfo = await startKommuneinfoDouble();
  dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-cli-fetch-'));
  const sourcesFile = path.join(dir, 'sources.json');
  const fast = { requestsPerSecond: 1000, concurrency: 4 };
  writeFileSync(
    sourcesFile,
    JSON.stringify({
      sources: {
        'teig-wfs': { type: 'teig-wfs', tileSizeM: 5000, rateLimit: fast },
        nap: { type: 'nap-ogc-api', rateLimit: fast },
      },
    }),
  );
  env = {
    DATA_DIR: dir,
    SOURCES_FILE: sourcesFile,
    NAP_BASE_URL: nap.url,
    NAP_CLIENT_ID: NAP_CREDENTIALS.id,
    NAP_CLIENT_KEY: NAP_CREDENTIALS.key,
    TEIG_WFS_URL: teig.url,
    KOMMUNEINFO_URL: kommuneinfo.url,
    LOG_LEVEL: 'warn',
    HTTP_MAX_RETRIES: '1',
  };
});
afterAll(async () => {
  await Promise.all([nap.close(), teig.close(), kommuneinfo.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('tomtejakt fetch', () => {
  it('fetches a kommune from a named source, prints counts per feature type and keeps the raw answers', async () => {
    const { code, stdout } = await runCli(['fetch', '--kommune', '3218', '--source', 'nap'], env);
    expect(code).toBe(0);
    expect(stdout).toContain('kommune 3218 Ås');
    expect(stdout).toMatch(
      /kommuneplan from nap: covered\n {2}KpArealformålOmråde +120\n {2}KpFareSone +1\n {2}KpOmråde +1\n/,
    );
    expect(stdout).toMatch(
      /reguleringsplan from nap: covered\n {2}RpArealformålOmråde +7\n {2}RpOmråde +7\n/,
    );
    expect(stdout).toMatch(/requests: kommuneinfo 1, nap \d+; 0 answered 304/);
    expect(existsSync(path.join(dir, 'http-cache'))).toBe(true);
    expect(existsSync(path.join(dir, 'sources', '3218', 'kommuneplan.json.gz'))).toBe(true);

    const again = await runCli(['fetch', '--kommune', '3218', '--source', 'nap', '--json'], env);
    const json = JSON.parse(again.stdout) as {
      cache: { revalidated: number };
      parts: Array<{ part: string; counts: Array<[string, number]> }>;
    };
    expect(json.parts.map((p) => p.part)).toEqual(['kommuneplan', 'reguleringsplan']);
    expect(json.cache.revalidated).toBeGreaterThan(0);
  });

  it('fetches parcels from the teig WFS', async () => {
    const { code, stdout } = await runCli(['fetch', '-k', '3218', '-s', 'teig-wfs'], env);
    expect(code).toBe(0);
    expect(stdout).toMatch(/parcels from teig-wfs: covered\n {2}Teig +32\n/);
  });

  it('without --source runs what the nightly job runs, says when a part fell back and exits 2', async () => {
    nap.inject({ kind: '503', times: 100, match: /reguleringsplaner/ });
    const { code, stdout } = await runCli(['fetch', '--kommune', '3218'], env);
    nap.clearFaults();
    expect(code).toBe(2);
    expect(stdout).toMatch(
      /reguleringsplan from nap: covered — SOURCE FAILED, last good data used \(kommune 3218, source nap, http-status/,
    );
    expect(stdout).toMatch(/parcels from teig-wfs: covered/);
    nap.inject({ kind: '503', times: 100, match: /reguleringsplaner/ });
    const json = await runCli(['fetch', '--kommune', '3218', '--json'], env);
    nap.clearFaults();
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ kommune: '3218' });
  });

  it('exits 2 when the source fails and there is nothing to fall back on, 1 on bad input', async () => {
    nap.inject({ kind: '504', times: 100 });
    const failed = await runCli(['fetch', '--kommune', '3207', '--source', 'nap'], env);
    nap.clearFaults();
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(/kommune 3207, source nap, http-status: .*HTTP 504/);
    expect(failed.stderr).not.toContain(NAP_CREDENTIALS.key);
    expect((await runCli(['fetch', '--kommune', '32'], env)).code).toBe(1);
    const wrongSource = await runCli(['fetch', '--kommune', '3218', '--source', 'nap-wms'], env);
    expect(wrongSource.code).toBe(1);
    expect(wrongSource.stderr).toMatch(/cannot deliver plans or parcels for a whole kommune/);
  });

  it('has --help', async () => {
    const { code, stdout } = await runCli(['fetch', '--help'], env);
    expect(code).toBe(0);
    expect(stdout).toContain('--kommune <kommunenummer>');
  });
});
