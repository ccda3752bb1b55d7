import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { healthReport } from '../../../sync/src/app/health.js';
import { storeLotReader } from '../../../sync/src/app/lot-reader.js';
import { ScheduledJob } from '../../../sync/src/app/scheduled-job.js';
import { defaultRules } from '../../../sync/src/config/rules.js';
import { runNightly } from '../../../sync/src/jobs/nightly.js';
import { TIER_COLORS } from '../../../sync/src/presentation/style.js';
import { createApp } from '../../../sync/src/server/app.js';
import { insertNewAlerts } from '../../../sync/src/store/alerts.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { aasLots, fixtureStages } from '../../fixtures/crm/lots.js';

let server: Server | undefined;
let db: Db;
let nightly: ScheduledJob | undefined;
afterEach(async () => {
  await nightly?.stop(1000);
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
  if (db.open) db.close();
});

async function serve(routers: Parameters<typeof createApp>[0]['routers'] = []) {
  nightly = new ScheduledJob({
    name: 'nightly',
    cron: '0 2 * * *',
    timeZone: 'Europe/Oslo',
    run: async () => null,
    logger: createMemoryLogger(),
  });
  nightly.start();
  const app = createApp({
    lots: storeLotReader(db),
    health: () => healthReport({ db, airtable: false, nightly: nightly!, jobs: [nightly!], parts: [] }),
    routers,
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function storeWithLots(count: number, kommuner = ['3218']) {
  db = openStore(':memory:');
  const lots = aasLots({ count });
  await runNightly({
    db,
    stages: fixtureStages((k) => (k === '3218' ? lots : []), { failing: new Set(['3207']) }),
    kommuner,
    airtable: null,
    rules: defaultRules(),
    timeZone: 'Europe/Oslo',
    trigger: 'cli',
    logger: createMemoryLogger(),
  });
  return lots;
}

describe('service HTTP', () => {
  it('answers /health on an empty store', async () => {
    db = openStore(':memory:');
    const url = await serve();
    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      store: 'ok',
      airtable: 'not configured (store only)',
      running: false,
      nextRun: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z$/),
      jobs: { nightly: expect.objectContaining({ schedule: '0 2 * * *', running: false, last: null }) },
      lots: { active: 0, vanished: 0 },
      lastRun: null,
    });
  });

  it('reports the last run per kommune, degraded when a kommune failed, and 503 when the store is gone', async () => {
    await storeWithLots(3, ['3218', '3207']);
    const url = await serve();
    const body = (await (await fetch(`${url}/health`)).json()) as {
      status: string;
      lastRun: { status: string; trigger: string; kommuner: unknown[] };
    };
    expect(body.status).toBe('degraded');
    expect(body.lastRun).toMatchObject({ status: 'partial', trigger: 'cli' });
    // In the run's own order, though both start in the same moment here.
    expect(body.lastRun.kommuner).toEqual([
      expect.objectContaining({ kommunenummer: '3218', outcome: 'ok', lots: 3 }),
      expect.objectContaining({ kommunenummer: '3207', outcome: 'failed', failedStage: 'load' }),
    ]);
    db.close();
    const down = await fetch(`${url}/health`);
    expect(down.status).toBe(503);
    expect(((await down.json()) as { status: string }).status).toBe('down');
  });

  it('serves the map page with Leaflet from this service, no CDN', async () => {
    db = openStore(':memory:');
    const url = await serve();
    const html = await (await fetch(`${url}/`)).text();
    expect(html).toContain('<script src="vendor/leaflet/leaflet.js">');
    expect(html).toContain('href="vendor/leaflet/leaflet.css"');
    expect(html).not.toMatch(/unpkg|cdnjs|jsdelivr/);
    expect(html).toContain('A (80–100): kontakt nå');
    const leaflet = await fetch(`${url}/vendor/leaflet/leaflet.js`);
    expect(leaflet.status).toBe(200);
    expect(leaflet.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${url}/vendor/leaflet/images/marker-icon.png`)).status).toBe(200);
    expect((await fetch(`${url}/vendor/leaflet/nothing.js`)).status).toBe(404);
  });

  it('gives the lots as lon/lat GeoJSON coloured by tier, and a lot’s panel in Norwegian', async () => {
    const lots = await storeWithLots(10);
    const url = await serve();
    const collection = (await (await fetch(`${url}/api/lots`)).json()) as {
      features: Array<{
        geometry: { coordinates: number[][][] };
        properties: { tomtId: string; style: { fillColor: string } };
      }>;
    };
    expect(collection.features).toHaveLength(10);
    const feature = collection.features.find((f) => f.properties.tomtId === lots[0]!.tomtId)!;
    const [lon, lat] = feature.geometry.coordinates[0]![0]!;
    expect(lon).toBeCloseTo(10.76, 1);
    expect(lat).toBeCloseTo(59.67, 1);
    expect(feature.properties.style.fillColor).toBe(TIER_COLORS[lots[0]!.score.tier]);
    const panel = (await (await fetch(`${url}/api/lots/${encodeURIComponent(lots[0]!.tomtId)}`)).json()) as {
      sections: Array<{ title: string; rows: Array<{ label: string; value: string; href?: string }> }>;
    };
    expect(panel.sections.map((s) => s.title)).toEqual([
      'Tomt',
      'Score',
      'Begrensninger',
      'Planarbeid',
      'Eiere',
      'Lenker',
    ]);
    expect(panel.sections[0]!.rows[0]).toEqual({ label: 'Tomt-ID', value: lots[0]!.tomtId });
    expect(panel.sections[1]!.rows.map((r) => r.label)).toContain('Konfliktfrihet');
    expect(panel.sections.at(-1)!.rows[0]!.href).toBe(
      'https://seeiendom.kartverket.no/eiendom/3218/45/1/0/0',
    );
    expect((await fetch(`${url}/api/lots/nope`)).status).toBe(404);
  });

  it('shows a lot’s change alerts, newest first, at the top of its panel, with a link to the plan', async () => {
    const lots = await storeWithLots(3);
    const tomtId = lots[1]!.tomtId;
    const alert = (key: string, createdAt: string, details: Record<string, unknown>) => ({
      key,
      type: 'planarbeid' as const,
      runId: 1,
      createdAt,
      kommunenummer: '3218',
      lotId: tomtId,
      title: 'Planarbeid ved tomt teamet jobber med i Ås: 45/2 (3,1 daa)',
      text: 'Planforslag «Detaljregulering Brekkeveien 4» (3218-2026004) ligger 54 m fra tomten.',
      details,
    });
    insertNewAlerts(db, [
      alert('planarbeid:a', '2026-03-03T01:00:00Z', {
        planId: '3218-2026004',
        link: 'https://www.arealplaner.no/aas3218/gi?funksjon=VisPlan&kommunenummer=3218&planidentifikasjon=2026004',
      }),
      alert('planarbeid:b', '2026-03-05T01:00:00Z', { planId: '3218-2026009', link: 'javascript:alert(1)' }),
    ]);
    const url = await serve();
    const panel = (await (await fetch(`${url}/api/lots/${encodeURIComponent(tomtId)}`)).json()) as {
      sections: Array<{ title: string; rows: Array<{ label: string; value: string; href?: string }> }>;
    };
    expect(panel.sections[0]!.title).toBe('Varsler');
    expect(panel.sections[0]!.rows).toEqual([
      {
        label: '2026-03-05 · Planarbeid pågår',
        value: expect.stringMatching(/^Planarbeid ved tomt .*\. Planforslag/),
      },
      { label: '2026-03-03 · Planarbeid pågår', value: expect.stringContaining('54 m fra tomten') },
      {
        label: 'Planen',
        value: '3218-2026004',
        href: 'https://www.arealplaner.no/aas3218/gi?funksjon=VisPlan&kommunenummer=3218&planidentifikasjon=2026004',
      },
    ]);
    const other = (await (await fetch(`${url}/api/lots/${encodeURIComponent(lots[0]!.tomtId)}`)).json()) as {
      sections: Array<{ title: string }>;
    };
    expect(other.sections[0]!.title).toBe('Tomt');
  });

  it('mounts extra routers that read the raw body', async () => {
    db = openStore(':memory:');
    const router = express.Router();
    router.post('/', express.raw({ type: '*/*' }), (req, res) => {
      res.json({ bytes: (req.body as Buffer).length });
    });
    const url = await serve([{ path: '/webhooks/owner-lookup', router }]);
    const response = await fetch(`${url}/webhooks/owner-lookup`, {
      method: 'POST',
      body: '{"recordId":"rec1"}',
    });
    expect(await response.json()).toEqual({ bytes: 19 });
    expect((await fetch(`${url}/webhooks/other`)).status).toBe(404);
  });
});
