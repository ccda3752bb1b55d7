import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LetterConfig } from '../../../sync/src/config/letter-config.js';
import { isPdfUnavailable, openHtmlToPdf, type HtmlToPdf } from '../../../sync/src/export/pdf/html-to-pdf.js';
import { writeOwnerLetters, type LettersReport } from '../../../sync/src/jobs/owner-letters.js';
import type { LotRecord } from '../../../sync/src/lot-record/lot-record.js';
import { parseEnhet } from '../../../sync/src/sources/brreg/enhet.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { saveEnhet } from '../../../sync/src/store/owner-enrichment.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { aasLots, aasRecords } from '../../fixtures/crm/lots.js';
import { chromiumPath } from '../../helpers/chromium.js';
import { writeKommuneRun } from '../../helpers/map-lots.js';
import { hasPdfToText, pdfText } from '../../helpers/pdf-text.js';

const ready = chromiumPath() !== null && hasPdfToText();
/** Python's csv module reads the file the way Excel's ";" dialect does (no CSV parser is an npm dependency here). */
const hasPython = (() => {
  try {
    execFileSync('python3', ['-c', 'import csv'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const CONFIG: LetterConfig = {
  sender: {
    name: 'Follo Tomteutvikling AS',
    address: ['Storgata 1', '1430 Ås'],
    phone: '64 00 00 00',
    email: 'tomt@example.no',
    logoSvg:
      '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="18" fill="#9a5b00"/></svg>',
  },
  signature: { name: 'Kari Selger', title: 'Tomtesjef' },
  place: 'Ås',
};
const HOSTILE = '=HYPERLINK("http://evil.example","klikk")\u001b[31m Ola';

let dir: string;
let db: Db;
let pdf: HtmlToPdf;
let report: LettersReport;
let records: LotRecord[];

function owner(tomtId: string, person: string, name: string, kind = 'person', orgnr: string | null = null) {
  db.prepare(
    `INSERT INTO lot_owners (ownership_id, tomt_id, record_id, job_id, parcel, matrikkel_person_id, kind, name,
       organisasjonsnummer, share, role, registered, fetched_at, current)
     VALUES (?, ?, NULL, 1, ?, ?, ?, ?, ?, '1/1', 'hjemmelshaver', 1, '2026-09-01T10:00:00Z', 1)`,
  ).run(`${tomtId}-${person}`, tomtId, tomtId, person, kind, name, orgnr);
}

function pythonCsv(file: string): string[][] {
  const script =
    'import csv,json,sys\nwith open(sys.argv[1], newline="", encoding="utf-8-sig") as f:\n  print(json.dumps(list(csv.reader(f, delimiter=";"))))';
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' })) as string[][];
}

describe.skipIf(!ready)('owner letters (tomtejakt owners letters)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'letters-'));
    db = openStore(':memory:');
    records = aasRecords(aasLots({ count: 8, seed: 11 })).map((r, i) => ({
      ...r,
      score: { ...r.score, tier: i < 6 ? 'A' : 'C' },
    }));
    db.prepare(
      `INSERT INTO runs (id, started_at, status, trigger) VALUES (1, '2026-09-01T00:00:00Z', 'ok', 'cli')`,
    ).run();
    writeKommuneRun(db, '3218', records, { runId: 1, now: '2026-09-01T00:00:00Z' });
    const [a, b, c, d, e, , g] = records.map((r) => r.tomtId);
    owner(a!, 'p1', 'Kari Nordmann');
    owner(b!, 'p1', 'Kari Nordmann');
    owner(c!, 'o1', 'BORTIGARD AS', 'organisation', '810202572');
    owner(d!, 'p2', HOSTILE);
    owner(e!, 'x1', 'Eiendom 3218-5/1', 'other');
    owner(g!, 'p3', 'Per Lavklasse'); // a tier C lot: no letter
    const recorded = JSON.parse(
      readFileSync('test/fixtures/brreg/enhet-810202572-bygg.json', 'utf8'),
    ) as unknown;
    saveEnhet(db, '810202572', parseEnhet(recorded, 'fixture'), '2026-09-01T00:00:00Z');
    const opened = await openHtmlToPdf(process.env.CHROMIUM_PATH);
    if (isPdfUnavailable(opened)) throw new Error(opened.reason);
    pdf = opened;
    report = await writeOwnerLetters({
      db,
      kommunenummer: '3218',
      tier: 'A',
      config: CONFIG,
      pdf,
      outDir: path.join(dir, 'brev'),
      date: '2026-09-07',
      logger: createMemoryLogger(),
    });
  }, 120_000);
  afterAll(async () => {
    await pdf?.close();
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const letterText = (file: string) => pdfText(readFileSync(path.join(report.dir, file)));

  it('writes one PDF per owner of the tier, all their lots in one letter, that a PDF reader opens', () => {
    const files = readdirSync(report.dir)
      .filter((f) => f.endsWith('.pdf'))
      .sort();
    expect(report).toMatchObject({ letters: 3, unaddressed: 2, lots: 6 });
    expect(report.lotsWithoutOwners).toEqual([records[5]!.tomtId]);
    expect(files).toHaveLength(3);
    for (const file of files) {
      const { text, pages } = letterText(file);
      expect(pages).toBeGreaterThanOrEqual(1);
      expect(text).toContain('Follo Tomteutvikling AS');
      expect(text).toContain('Kari Selger');
      expect(text).toContain('7. september 2026');
      expect(text).toMatch(/Kommuneplanen viser framtidig/);
      // No score, tier or its wording reaches the owner.
      expect(text).not.toMatch(/Score|Klasse|poeng/i);
      expect(statSync(path.join(report.dir, file)).mode & 0o777).toBe(0o600);
    }
    const kari = letterText(files.find((f) => f.includes('kari-nordmann'))!).text;
    expect(kari.match(/gnr\. \d+, bnr\. \d+/g)).toHaveLength(2);
    expect(kari).toMatch(/Areal: [\d ]+ m² \([\d,]+ daa\)/);
    expect(kari).toContain('ADRESSE MANGLER');
  });

  it('addresses a company from the Enhetsregisteret and leaves persons for the team to address', () => {
    const files = readdirSync(report.dir);
    const company = letterText(files.find((f) => f.includes('bortigard'))!).text;
    expect(company).toContain('Løkkeveien 18');
    expect(company).toContain('3085 HOLMESTRAND');
    expect(company).not.toContain('ADRESSE MANGLER');
  });

  it.skipIf(!hasPython)(
    'writes a mail-merge CSV a spreadsheet parser reads, with formulas neutralised and control characters stripped',
    () => {
      const rows = pythonCsv(report.csv);
      // The columns a mail merge uses, by name.
      const column = (name: string) => rows[0]!.indexOf(name);
      for (const name of ['Navn', 'Adresselinje 1', 'Adresselinje 2', 'Adresse mangler', 'Eiendommer', 'Fil'])
        expect(column(name)).toBeGreaterThanOrEqual(0);
      expect(rows).toHaveLength(4);
      const byName = new Map(rows.slice(1).map((r) => [r[2]!, r]));
      expect(byName.get('BORTIGARD AS')).toEqual(
        expect.arrayContaining([
          'Organisasjon',
          '810202572',
          'Løkkeveien 18',
          '3085 HOLMESTRAND',
          'nei',
          'Ås',
        ]),
      );
      expect(byName.get('Kari Nordmann')![column('Adresse mangler')]).toBe('ja');
      const hostile = rows.slice(1).find((r) => r[2]!.includes('HYPERLINK'))!;
      expect(hostile[column('Navn')]).toBe(`'=HYPERLINK("http://evil.example","klikk")[31m Ola`);
      expect(readdirSync(report.dir)).toContain(hostile[column('Fil')]);
    },
  );
});
