import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { bundledKommuner } from './bundled.js';
import type { SsbClient } from './client.js';
import { memoryData, memoryMetadata, type MemoryCell, type MemoryTable } from './memory-table.js';
import type { SsbCodelistRef } from './metadata.js';
import type { SsbCodelist, SsbTableInfo } from './table-info.js';

/**
 * The bundled SSB snapshot (`sync/assets/ssb/snapshot/`, sources in its SOURCES.md): real
 * extracts of the tables the ranking uses, served through the same `SsbClient` interface as the
 * live API, so the ranking reads them with the same table plans, codes and extraction.
 */
const SNAPSHOT = new URL('../../../assets/ssb/snapshot/', import.meta.url);

export const SNAPSHOT_KOMM_SUMMER: SsbCodelistRef = {
  id: 'agg_KommSummer',
  label: 'Kommuner 2024, sammenslåtte tidsserier',
  type: 'Aggregation',
};

const manifestSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  description: z.string().optional(),
  tables: z.record(
    z.string(),
    z.object({
      file: z.string(),
      label: z.string(),
      firstPeriod: z.string(),
      lastPeriod: z.string(),
      updated: z.string().optional(),
    }),
  ),
});

export interface SnapshotTableInfo {
  id: string;
  label: string;
  firstPeriod: string;
  lastPeriod: string;
}

export interface SsbSnapshot {
  /** The day the snapshot was put together (YYYY-MM-DD). */
  date: string;
  tables: SnapshotTableInfo[];
  /** The snapshot as an SSB client: tables not in it do not exist (tableInfo answers null). */
  client(): SsbClient;
  /**
   * Population on 1 January on each 2024 kommune's own boundary, 2000–2024 (the 14288 extract):
   * where a kommune was split (Ålesund/Haram 2024; Heim, Hitra, Orkland, Narvik, Hamarøy 2020)
   * these are its own figures, where `agg_KommSummer` has the whole former kommune or 0.
   */
  ownBoundaryPopulation(): Map<string, Map<number, number>>;
}

/** CSV lines split into cells; quoted cells ("3101") unquoted. */
function readCsv(url: URL): { header: string[]; rows: string[][] } {
  const lines = readFileSync(url, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  const cells = (line: string) => line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  return { header: cells(lines[0]!), rows: lines.slice(1).map(cells) };
}

const pad = (code: string) => code.padStart(4, '0');
const key = (...parts: string[]) => parts.join('|');
const NOT_AVAILABLE = { value: null, status: '..' } as const;
const years = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => String(from + i)).map((c) => ({ code: c, label: c }));

/** Loads the bundled snapshot (files are read once, when first used). */
export function loadSsbSnapshot(dir: URL = SNAPSHOT): SsbSnapshot {
  const manifest = manifestSchema.parse(JSON.parse(readFileSync(new URL('snapshot.json', dir), 'utf8')));
  const file = (id: string) => new URL(manifest.tables[id]!.file, dir);
  let built: { tables: Map<string, MemoryTable>; codelists: Map<string, SsbCodelist> } | undefined;
  const build = () => (built ??= buildTables(manifest, file));
  const tables = Object.entries(manifest.tables).map(([id, t]) => ({
    id,
    label: t.label,
    firstPeriod: t.firstPeriod,
    lastPeriod: t.lastPeriod,
  }));
  return {
    date: manifest.date,
    tables,
    client: () => snapshotClient(manifest, build),
    ownBoundaryPopulation: () => ownBoundary(file('14288')),
  };
}

type Manifest = z.infer<typeof manifestSchema>;
type Built = { tables: Map<string, MemoryTable>; codelists: Map<string, SsbCodelist> };

function snapshotClient(manifest: Manifest, build: () => Built): SsbClient {
  const table = (id: string) => {
    const t = build().tables.get(id);
    if (!t) throw new Error(`table ${id} is not in the bundled SSB snapshot`);
    return t;
  };
  return {
    tableInfo(tableId) {
      const entry = manifest.tables[tableId];
      if (!entry) return Promise.resolve(null);
      const info: SsbTableInfo = {
        id: tableId,
        label: entry.label,
        updated: entry.updated ?? null,
        firstPeriod: entry.firstPeriod,
        lastPeriod: entry.lastPeriod,
        timeUnit: 'Annual',
        discontinued: false,
      };
      return Promise.resolve(info);
    },
    metadata: (tableId) => Promise.resolve(memoryMetadata(table(tableId))),
    codelist(codelistId) {
      const list = build().codelists.get(codelistId);
      if (!list)
        return Promise.reject(new Error(`codelist ${codelistId} is not in the bundled SSB snapshot`));
      return Promise.resolve(list);
    },
    data: (tableId, query) => Promise.resolve([memoryData(table(tableId), query, build().codelists)]),
    stats: () => ({ requests: 0, rateLimited: 0, splits: 0, postRequests: 0, starts: [] }),
    close: () => Promise.resolve(),
  };
}

function buildTables(manifest: Manifest, file: (id: string) => URL): Built {
  const kommuner = bundledKommuner().map((k) => ({ code: k.kommunenummer, label: k.navn }));
  const region = (codelists: SsbCodelistRef[] = []) => ({
    code: 'Region',
    label: 'region',
    elimination: true,
    values: kommuner,
    codelists,
  });
  const contents = (values: Array<[string, string]>) => ({
    code: 'ContentsCode',
    label: 'statistikkvariabel',
    elimination: false,
    values: values.map(([code, label]) => ({ code, label })),
  });
  const time = (id: string, codes?: string[]) => ({
    code: 'Tid',
    label: 'år',
    elimination: false,
    values: codes
      ? codes.map((c) => ({ code: c, label: c }))
      : years(Number(manifest.tables[id]!.firstPeriod), Number(manifest.tables[id]!.lastPeriod)),
  });
  const base = (id: string) => ({
    id,
    label: manifest.tables[id]!.label,
    updated: manifest.tables[id]!.updated ?? `${manifest.date}T00:00:00Z`,
  });
  const tables = new Map<string, MemoryTable>();

  const population = cellsOf(file('07459'), (r) => [key(pad(r[0]!), r[2]!), r[3]!]);
  tables.set('07459', {
    ...base('07459'),
    variables: [region([SNAPSHOT_KOMM_SUMMER]), contents([['Personer1', 'Personer']]), time('07459')],
    cell: (c) => population.get(key(c.Region!, c.Tid!)) ?? NOT_AVAILABLE,
  });

  const projection = projectionCells(file('14288'));
  tables.set('14288', {
    ...base('14288'),
    variables: [
      region(),
      {
        code: 'Framskrivingsalternativ',
        label: 'alternativ',
        elimination: false,
        values: [{ code: 'MMMM', label: 'Hovedalternativet (MMMM)' }],
      },
      contents([['Personer', 'Personer']]),
      time('14288'),
    ],
    cell: (c) => projection.get(key(c.Region!, c.Tid!)) ?? NOT_AVAILABLE,
  });

  const prices = cellsOf(file('06035'), (r) => [key(r[0]!, r[2]!, 'KvPris', r[4]!), r[5]!]);
  const sales = cellsOf(file('06035'), (r) => [key(r[0]!, r[2]!, 'Omsetninger', r[4]!), r[6]!]);
  tables.set('06035', {
    ...base('06035'),
    variables: [
      region(),
      {
        code: 'Boligtype',
        label: 'boligtype',
        elimination: false,
        values: [
          { code: '01', label: 'Eneboliger' },
          { code: '02', label: 'Småhus' },
          { code: '03', label: 'Blokkleiligheter' },
        ],
      },
      contents([
        ['KvPris', 'Gjennomsnittlig kvadratmeterpris (kr)'],
        ['Omsetninger', 'Omsetninger (antall)'],
      ]),
      time('06035'),
    ],
    cell: (c) => {
      const k = key(c.Region!, c.Boligtype!, c.ContentsCode!, c.Tid!);
      return (c.ContentsCode === 'KvPris' ? prices : sales).get(k) ?? NOT_AVAILABLE;
    },
  });

  const income = incomeCells(file('06944'));
  tables.set('06944', {
    ...base('06944'),
    variables: [
      region(),
      {
        code: 'HusholdType',
        label: 'husholdningstype',
        elimination: false,
        values: [{ code: '0000', label: 'Alle husholdninger' }],
      },
      contents([['InntSkatt', 'Inntekt etter skatt, median (kr)']]),
      time('06944', ['2021', '2024']),
    ],
    cell: (c) => income.get(key(c.Region!, c.Tid!)) ?? NOT_AVAILABLE,
  });

  const votes = cellsOf(file('01180'), (r) => [key(r[0]!, r[1]!), r[2]!]);
  tables.set('01180', {
    ...base('01180'),
    variables: [
      region(),
      {
        code: 'PolitParti',
        label: 'parti/valgliste',
        elimination: true,
        values: Object.entries(PARTY_LABELS).map(([code, label]) => ({ code, label })),
      },
      contents([['Godkjente1', 'Godkjente stemmer']]),
      time('01180'),
    ],
    // A list code absent for a kommune means no list there or no votes: 0.
    cell: (c) => votes.get(key(c.Region!, c.PolitParti!)) ?? 0,
  });

  const kommSummer: SsbCodelist = {
    id: SNAPSHOT_KOMM_SUMMER.id,
    label: SNAPSHOT_KOMM_SUMMER.label,
    type: 'Aggregation',
    values: kommuner.map((k) => ({ code: `K-${k.code}`, label: k.label, valueMap: [k.code] })),
  };
  return { tables, codelists: new Map([[kommSummer.id, kommSummer]]) };
}

/** SSB's PolitParti codes in 01180 2023 (labels from valg_analyser `kv_fasit_nasjonal.csv`). */
export const PARTY_LABELS: Readonly<Record<string, string>> = {
  '01': 'Arbeiderpartiet',
  '02': 'Fremskrittspartiet',
  '03': 'Høyre',
  '04': 'Kristelig Folkeparti',
  '05': 'Senterpartiet',
  '06': 'Sosialistisk Venstreparti',
  '07': 'Venstre',
  '08': 'Miljøpartiet De Grønne',
  '10': 'Pensjonistpartiet',
  '55': 'Rødt',
  '90': 'Felleslister',
  '91': 'Lokale lister',
  '92': 'Andre lister',
};

/** A map of cells from a CSV; an empty figure is ".." (SSB published none). */
function cellsOf(url: URL, entry: (row: string[]) => [string, string]): Map<string, MemoryCell> {
  const cells = new Map<string, MemoryCell>();
  for (const row of readCsv(url).rows) {
    const [k, v] = entry(row);
    cells.set(k, v === '' ? NOT_AVAILABLE : Number(v));
  }
  return cells;
}

/** 14288: the registered 2024 population and the MMMM projection 2025–2050, per 2024 kommune. */
function projectionCells(url: URL): Map<string, MemoryCell> {
  const { header, rows } = readCsv(url);
  const nr = header.indexOf('kommunenummer');
  const cells = new Map<string, MemoryCell>();
  for (const row of rows)
    header.forEach((column, i) => {
      const year = /^pop(\d{4})$/.exec(column)?.[1];
      if (year && Number(year) >= 2024) cells.set(key(pad(row[nr]!), year), Number(row[i]));
    });
  return cells;
}

function ownBoundary(url: URL): Map<string, Map<number, number>> {
  const { header, rows } = readCsv(url);
  const nr = header.indexOf('kommunenummer');
  const result = new Map<string, Map<number, number>>();
  for (const row of rows) {
    const series = new Map<number, number>();
    header.forEach((column, i) => {
      const year = Number(/^pop(\d{4})$/.exec(column)?.[1]);
      if (year && year <= 2024 && row[i] !== '') series.set(year, Number(row[i]));
    });
    result.set(pad(row[nr]!), series);
  }
  return result;
}

/** 06944: median household income after tax, 2021 and 2024 columns. */
function incomeCells(url: URL): Map<string, MemoryCell> {
  const cells = new Map<string, MemoryCell>();
  for (const [nr, y2021, y2024] of readCsv(url).rows) {
    cells.set(key(nr!, '2021'), y2021 ? Number(y2021) : NOT_AVAILABLE);
    cells.set(key(nr!, '2024'), y2024 ? Number(y2024) : NOT_AVAILABLE);
  }
  return cells;
}

let bundledOwn: Map<string, Map<number, number>> | undefined;

/** The bundled snapshot's own-boundary population (read once per process). */
export function bundledOwnBoundaryPopulation(): ReadonlyMap<string, ReadonlyMap<number, number>> {
  return (bundledOwn ??= loadSsbSnapshot().ownBoundaryPopulation());
}
