import { afterEach, describe, expect, it } from 'vitest';
import { planIdOf } from '../../../../sync/src/domain/plan.js';
import { countByType } from '../../../../sync/src/sources/plan-source.js';
import { SourceError } from '../../../../sync/src/util/errors.js';
import { generatePlans, utm33 } from '../../../doubles/nap/plan-data.js';
import { napApisFor, startNapDouble, type NapDouble } from '../../../doubles/nap/server.js';
import { dataFolder, NAP_CREDENTIALS, registryFor } from '../source-test-kit.js';

const AS = generatePlans('3218', utm33(10.79, 59.66), { zones: 260, plans: 12 });
const NORDRE_FOLLO = generatePlans('3207', utm33(10.85, 59.75), { zones: 30, plans: 4 });

let nap: NapDouble | undefined;
const folders: Array<ReturnType<typeof dataFolder>> = [];
afterEach(async () => {
  await nap?.close();
  nap = undefined;
  folders.splice(0).forEach((f) => f.remove());
});

async function start(options: Partial<Parameters<typeof startNapDouble>[0]> = {}) {
  nap = await startNapDouble({
    apis: napApisFor([AS, NORDRE_FOLLO]),
    credentials: NAP_CREDENTIALS,
    maxItems: 50,
    ...options,
  });
  return nap;
}

describe('NAP OGC API-Features contract (double)', () => {
  it('pages a collection of 260 zones over 6 pages of at most 50 by next links, in EPSG:25833, filtered to the kommune', async () => {
    const double = await start();
    const { registry } = registryFor({ napUrl: double.url, cacheDir: null });
    const result = await registry.plan('nap', 'kommuneplan').fetchKommune!('3218', 'kommuneplan');
    expect(countByType(result.features)).toEqual([
      ['KpArealformålOmråde', 260],
      ['KpFareSone', 1],
      ['KpOmråde', 1],
    ]);
    expect(result.coverage).toBe('covered');
    expect(result.features.every((f) => planIdOf(f) === '3218-32182020')).toBe(true);
    const zonePages = double.requests.filter((r) => r.url.includes('/collections/kparealformalomrade/items'));
    expect(zonePages).toHaveLength(6);
    expect(
      zonePages.every((r) => r.url.includes('arealplanId.kommunenummer=3218') && r.url.includes('crs=http')),
    ).toBe(true);
    await registry.close();
  });

  it('pages by offset when the server gives no links', async () => {
    const double = await start({ noLinks: true });
    const { registry } = registryFor({ napUrl: double.url, cacheDir: null });
    const result = await registry.plan('nap', 'kommuneplan').fetchKommune!('3218', 'kommuneplan');
    expect(result.features.filter((f) => f.objekttypenavn === 'KpArealformålOmråde')).toHaveLength(260);
    const offsets = double.requests
      .filter((r) => r.url.includes('/kparealformalomrade/items'))
      .map((r) => new URL(r.url, 'http://x').searchParams.get('offset'));
    expect(offsets).toEqual([null, '50', '100', '150', '200', '250']);
    await registry.close();
  });

  it('reads reguleringsplaner per vertikalnivå and says "not covered" for a kommune NAP has nothing for', async () => {
    const double = await start();
    const { registry } = registryFor({ napUrl: double.url, cacheDir: null });
    const source = registry.plan('nap', 'reguleringsplan');
    const as = await source.fetchKommune!('3218', 'reguleringsplan');
    expect(countByType(as.features)).toEqual([
      ['RpArealformålOmråde', 12],
      ['RpOmråde', 12],
    ]);
    const oslo = await source.fetchKommune!('0301', 'reguleringsplan');
    expect(oslo).toMatchObject({ features: [], coverage: 'not-covered' });
    await registry.close();
  });

  it('refetches only the kommune whose data changed: the unchanged one costs conditional requests answered 304', async () => {
    const double = await start();
    const folder = dataFolder();
    folders.push(folder);
    const night = async () => {
      const { registry, cache } = registryFor({ napUrl: double.url, cacheDir: folder.cacheDir });
      const source = registry.plan('nap', 'kommuneplan');
      const as = await source.fetchKommune!('3218', 'kommuneplan');
      const follo = await source.fetchKommune!('3207', 'kommuneplan');
      await registry.close();
      return { as, follo, cache: cache!.stats() };
    };
    const first = await night();
    const firstRequests = double.requests.length;

    double.setApis(
      napApisFor([AS, generatePlans('3207', utm33(10.85, 59.75), { zones: 30, plans: 4, version: 2 })]),
    );
    const second = await night();
    const tonight = double.requests.slice(firstRequests);
    const of = (kommune: string) => tonight.filter((r) => r.url.includes(`kommunenummer=${kommune}`));

    // Ås unchanged: every request conditional, every answer a bodiless 304.
    expect(of('3218').length).toBeGreaterThanOrEqual(8);
    expect(of('3218').every((r) => r.conditional && r.status === 304 && r.bytes === 0)).toBe(true);
    // Nordre Follo changed: its KpOmråde (new plan name) came back in full.
    expect(
      of('3207')
        .filter((r) => r.status === 200)
        .map((r) => new URL(r.url, 'http://x').pathname),
    ).toEqual(['/services/rest/kommuneplaner/collections/kpomrade/items']);
    expect(second.as.features).toEqual(first.as.features);
    const outline = second.follo.features.find((f) => f.objekttypenavn === 'KpOmråde')!;
    expect(outline.properties.plannavn).toMatch(/v2/);
    expect(second.cache.revalidated).toBe(tonight.filter((r) => r.status === 304).length);
  });

  it('refuses data of another kommune when the server ignores the kommune filter', async () => {
    const double = await start({ ignoreFilters: true });
    const { registry } = registryFor({ napUrl: double.url, cacheDir: null });
    const error = await registry.plan('nap', 'kommuneplan').fetchKommune!('3207', 'kommuneplan').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ kind: 'malformed', context: { source: 'nap', kommune: '3207' } });
    expect((error as Error).message).toMatch(
      /returned a feature of kommune 3218: the kommune filter "arealplanId.kommunenummer" was ignored/,
    );
    await registry.close();
  });

  it('fails as "auth" with wrong credentials, and as "not-configured" without any, never printing the key', async () => {
    const double = await start();
    const wrong = registryFor({
      napUrl: double.url,
      cacheDir: null,
      credentials: { id: 'x', key: 'wrong-key-value' },
    });
    const error = await wrong.registry.plan('nap', 'kommuneplan').fetchKommune!('3218', 'kommuneplan').catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ kind: 'auth', context: { status: 401, source: 'nap', kommune: '3218' } });
    expect((error as Error).message).not.toContain('wrong-key-value');
    await wrong.registry.close();
    const none = registryFor({ napUrl: double.url, cacheDir: null, credentials: null });
    expect(() => none.registry.plan('nap', 'kommuneplan')).toThrow(/NAP_CLIENT_ID, NAP_CLIENT_KEY/);
    await none.registry.close();
  });

  it('probes a point with a bbox query over every collection', async () => {
    const double = await start();
    const { registry } = registryFor({ napUrl: double.url, cacheDir: null });
    const [x, y] = utm33(10.79, 59.66);
    const probe = await registry.plan('nap', 'reguleringsplan').probe!([x + 50, y + 50], {
      kommunenummer: '3218',
    });
    expect(countByType(probe.features)).toEqual([
      ['KpArealformålOmråde', 1],
      ['KpFareSone', 1],
      ['KpOmråde', 1],
      ['RpArealformålOmråde', 1],
      ['RpOmråde', 1],
    ]);
    await registry.close();
  });
});
