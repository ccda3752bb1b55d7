import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, startServer, type TestServer } from '../../helpers/http-server.js';
import type { Clock } from '../../../sync/src/sources/ssb/clock.js';
import { reformMapping } from './fixtures.js';
import {
  buildWorld,
  KOMM_SUMMER_LISTS,
  type DoubleTable,
  type DoubleVariable,
  type DoubleWorld,
} from './tables.js';

export interface SsbDoubleOptions {
  /** Shared with the client under test, so rate windows are measured on the same time line. */
  clock: Clock;
  /** Queries per 60 s before 429 (SSB's guide: 30). */
  rateLimit?: number;
  /** Cells per extract (SSB: 800,000). */
  cellLimit?: number;
  /** SSB's API answers 400 to too many cells; its spec and guide say 403. */
  tooManyCellsStatus?: 400 | 403;
  /** GET URLs longer than this answer 404 (SSB: about 2,100 characters). */
  maxUrlLength?: number;
  seed?: number;
}

export interface LoggedRequest {
  at: number;
  method: string;
  path: string;
  status: number;
  urlLength: number;
  cells?: number;
  /** The selection of a data request: variable → codelist and codes (GET or POST alike). */
  selection?: Record<string, { codelist?: string; codes: string[] }>;
}

export interface SsbDouble {
  url: string;
  /** PxWebApi v2 base URL. */
  ssbBaseUrl: string;
  klassBaseUrl: string;
  world: DoubleWorld;
  requests: LoggedRequest[];
  /** Requests to /tables/{id}/data only. */
  dataRequests(): LoggedRequest[];
  /** Every SSB request answers 503 while set (a maintenance window). */
  setUnavailable(unavailable: boolean): void;
  /** The next `count` SSB requests answer with this status. */
  failNext(status: number, count?: number): void;
  setKlassAvailable(available: boolean): void;
  setDiscontinued(tableId: string, discontinued: boolean): void;
  /** Serve `alias` with the structure and figures of `tableId` (a replacement table). */
  alias(alias: string, tableId: string): void;
  removeTable(tableId: string): void;
  reset(): void;
  close(): Promise<void>;
}

const SSB_PREFIX = '/api/pxwebapi/v2';
const KLASS_PREFIX = '/api/klass/v1';
const WINDOW_MS = 60_000;

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly emptyBody = false,
  ) {
    super(title);
  }
}

/**
 * A local SSB: PxWebApi v2 (/tables/{id}, /metadata, /data by GET and POST, /codeLists) and
 * KLASS (codesAt, changes), behaving as ssb.md records — rate limit with x-ratelimit-* headers
 * and 429, the cell limit, 404 for over-long GET URLs, 500 with an empty body for duplicate
 * codes, "Missing selection for mandantory variable", 503 on demand.
 */
export async function startSsbDouble(options: SsbDoubleOptions): Promise<SsbDouble> {
  const world = buildWorld(options.seed ?? 1);
  const rateLimit = options.rateLimit ?? 30;
  const cellLimit = options.cellLimit ?? 800_000;
  const maxUrl = options.maxUrlLength ?? 2_100;
  const requests: LoggedRequest[] = [];
  let windowStarts: number[] = [];
  let unavailable = false;
  let failing: { status: number; count: number } | null = null;
  let klassAvailable = true;
  const discontinued = new Set<string>();
  const aliases = new Map<string, string>();
  const removed = new Set<string>();

  const tableOf = (id: string): DoubleTable | undefined => {
    if (removed.has(id)) return undefined;
    const base = world.tables.get(aliases.get(id) ?? id);
    return base ? { ...base, id, discontinued: discontinued.has(id) } : undefined;
  };

  const server: TestServer = await startServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://double');
    const path = url.pathname;
    if (path.startsWith(KLASS_PREFIX)) return klass(url, res);
    const entry: LoggedRequest = {
      at: options.clock.now(),
      method: req.method ?? 'GET',
      path: path.slice(SSB_PREFIX.length),
      status: 200,
      urlLength: (req.url ?? '').length + 'http://127.0.0.1:00000'.length,
    };
    requests.push(entry);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };

    // Rate limit: a sliding 60 s window per caller, told in headers on every answer.
    const now = options.clock.now();
    windowStarts = windowStarts.filter((t) => t > now - WINDOW_MS);
    const rateHeaders = (remaining: number) => ({
      'x-ratelimit-limit': String(rateLimit),
      'x-ratelimit-remaining': String(Math.max(0, remaining)),
      'x-ratelimit-policy': `${rateLimit};w=60s`,
      'x-ratelimit-resource': 'SB_API_1MIN',
    });
    if (windowStarts.length >= rateLimit)
      return send(429, { title: 'Too Many Requests', status: 429 }, rateHeaders(0));
    windowStarts.push(now);
    const headers = rateHeaders(rateLimit - windowStarts.length);

    if (unavailable) return send(503, { title: 'Service Unavailable', status: 503 }, headers);
    if (failing && failing.count > 0) {
      failing.count -= 1;
      return send(failing.status, { title: 'Injected failure', status: failing.status }, headers);
    }
    try {
      const body = await route(req, url, entry);
      send(200, body, headers);
    } catch (error) {
      if (!(error instanceof HttpProblem)) throw error;
      if (error.emptyBody) return send(error.status, undefined, headers);
      const problem: Record<string, unknown> = {
        type: 'Parameter error',
        title: error.title,
        status: error.status,
      };
      if (/too many cells/i.test(error.title)) problem.detail = error.title;
      send(error.status, problem, headers);
    }
  });

  async function route(req: IncomingMessage, url: URL, entry: LoggedRequest): Promise<unknown> {
    const rest = url.pathname.slice(SSB_PREFIX.length);
    const codelist = /^\/codeLists\/([^/]+)$/i.exec(rest);
    if (codelist) {
      const list = KOMM_SUMMER_LISTS.find((l) => l.id === codelist[1]);
      if (!list) throw new HttpProblem(404, 'Not found');
      return {
        id: list.id,
        label: list.label,
        language: 'no',
        type: 'Aggregation',
        values: world.kommuner.map((k) => ({
          code: `${list.prefix}${k.nr}`,
          label: k.navn,
          valueMap: [k.nr],
        })),
      };
    }
    const match = /^\/tables\/([^/]+)(\/metadata|\/data)?$/.exec(rest);
    const table = match ? tableOf(decodeURIComponent(match[1]!)) : undefined;
    if (!match || !table) throw new HttpProblem(404, 'Not found');
    if (!match[2]) {
      if (url.toString().length > maxUrl) throw new HttpProblem(404, 'Not found');
      return tableInfo(table);
    }
    if (match[2] === '/metadata') return metadata(table);
    if (req.method === 'GET' && entry.urlLength > maxUrl) throw new HttpProblem(404, 'Not found');
    const selection = req.method === 'POST' ? postSelection(await readBody(req), url) : getSelection(url);
    entry.selection = Object.fromEntries(
      [...selection].map(([variable, sel]) => [variable, { codelist: sel.codelist, codes: sel.codes }]),
    );
    return data(table, selection, entry);
  }

  function klass(url: URL, res: ServerResponse) {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (!klassAvailable) return reply(503, { error: 'unavailable' });
    const rest = url.pathname.slice(KLASS_PREFIX.length);
    if (rest === '/classifications/131/codesAt.json') {
      if (!url.searchParams.get('date')) return reply(400, { error: 'date is required' });
      const codes = [...world.kommuner, { nr: '9999', navn: 'Uoppgitt' }].map((k) => ({
        code: k.nr,
        parentCode: null,
        level: '1',
        name: k.navn,
        shortName: '',
        presentationName: '',
        validFrom: null,
        validTo: null,
        notes: '',
      }));
      return reply(200, { codes });
    }
    if (rest === '/classifications/131/changes.json') {
      const from = url.searchParams.get('from') ?? '0001-01-01';
      const to = url.searchParams.get('to') ?? '9999-12-31';
      const codeChanges = reformMapping()
        .map((r) => ({ ...r, date: `${r.year}-01-01` }))
        .filter((r) => r.date >= from && r.date <= to)
        .map((r) => ({
          oldCode: r.oldCode,
          oldName: r.oldName,
          oldShortName: null,
          newCode: r.newCode,
          newName: world.names.get(r.newCode) ?? r.newCode,
          newShortName: null,
          changeOccurred: r.date,
        }));
      return reply(200, { codeChanges });
    }
    if (rest === '/classifications/131/correspondsAt.json') {
      // The KLASS answer's shape (correspondenceItems of sourceCode/targetCode); the classes are test
      // values, not SSB's: Oslo 1, the rest spread over 2–6 by number.
      if (url.searchParams.get('targetClassificationId') !== '128' || !url.searchParams.get('date'))
        return reply(400, { error: 'targetClassificationId and date are required' });
      const correspondenceItems = world.kommuner.map((k) => {
        const klasse = k.nr === '0301' ? 1 : 2 + (Number(k.nr) % 5);
        return {
          sourceCode: k.nr,
          sourceName: k.navn,
          sourceShortName: '',
          targetCode: String(klasse),
          targetName: `Sentralitetsklasse ${klasse}`,
          targetShortName: '',
          validFrom: null,
          validTo: null,
        };
      });
      return reply(200, { correspondenceItems });
    }
    reply(404, { error: 'not found' });
  }

  function tableInfo(table: DoubleTable) {
    const time = table.variables.find((v) => v.code === 'Tid')!.values;
    return {
      language: 'no',
      id: table.id,
      label: table.label,
      description: '',
      updated: table.updated,
      firstPeriod: time[0]!.code,
      lastPeriod: time.at(-1)!.code,
      category: 'public',
      variableNames: table.variables.map((v) => v.label),
      source: 'Statistisk sentralbyrå',
      timeUnit: table.timeUnit,
      discontinued: table.discontinued ?? false,
      links: [{ rel: 'self', hreflang: 'no', href: `${server.url}${SSB_PREFIX}/tables/${table.id}?lang=no` }],
    };
  }

  function metadata(table: DoubleTable) {
    return dataset(
      table,
      table.variables.map((v) => ({ variable: v, codes: v.values.map((x) => x.code), labels: labelsOf(v) })),
      [],
      {},
      true,
    );
  }

  interface Selected {
    variable: DoubleVariable;
    codes: string[];
    labels: Map<string, string>;
    kommSummer?: boolean;
  }

  function data(table: DoubleTable, selection: RawSelection, entry: LoggedRequest) {
    const known = new Map(table.variables.map((v) => [v.code.toLowerCase(), v]));
    for (const name of selection.keys())
      if (!known.has(name)) throw new HttpProblem(400, 'Non-existent variable');
    const selected: Selected[] = [];
    for (const variable of table.variables) {
      const sel = selection.get(variable.code.toLowerCase());
      if (!sel || sel.codes.length === 0) {
        if (!variable.elimination) throw new HttpProblem(400, 'Missing selection for mandantory variable');
        continue;
      }
      let values = variable.values;
      let kommSummer = false;
      if (sel.codelist) {
        const list = KOMM_SUMMER_LISTS.find((l) => l.id === sel.codelist);
        if (list && variable.codelists?.some((c) => c.id === sel.codelist)) {
          values = world.kommuner.map((k) => ({ code: `${list.prefix}${k.nr}`, label: k.navn }));
          kommSummer = true;
        } else if (!variable.codelists?.some((c) => c.id === sel.codelist)) {
          throw new HttpProblem(400, 'Non-existent codelist');
        }
      }
      const literal = sel.codes.filter((c) => !isExpression(c));
      if (new Set(literal).size !== literal.length) throw new HttpProblem(500, '', true);
      const codes = expand(
        sel.codes,
        values.map((v) => v.code),
      );
      selected.push({ variable, codes, labels: new Map(values.map((v) => [v.code, v.label])), kommSummer });
    }
    const cells = selected.reduce((n, s) => n * s.codes.length, 1);
    entry.cells = cells;
    if (cells > cellLimit)
      throw new HttpProblem(options.tooManyCellsStatus ?? 400, 'Too many cells selected');

    const value: Array<number | null> = [];
    const status: Record<string, string> = {};
    const ids = selected.map((s) => s.variable.code);
    const positions = selected.map(() => 0);
    for (let flat = 0; flat < cells; flat += 1) {
      const coords: Record<string, string> = {};
      let share = 1;
      selected.forEach((s, d) => {
        const code = s.codes[positions[d]!]!;
        coords[ids[d]!] = s.kommSummer ? code.slice(2) : code;
        if (s.variable.elimination && s.variable.shares) share *= s.variable.shares[code] ?? 0;
      });
      const cell = table.value(coords);
      const v = typeof cell === 'object' && cell !== null ? cell.value : cell;
      if (typeof cell === 'object' && cell !== null) status[String(flat)] = cell.status;
      value.push(v === null ? null : share === 1 ? v : Math.round(v * share));
      for (let d = selected.length - 1; d >= 0; d -= 1) {
        positions[d]! += 1;
        if (positions[d]! < selected[d]!.codes.length) break;
        positions[d] = 0;
      }
    }
    return dataset(table, selected, value, status, false);
  }

  function dataset(
    table: DoubleTable,
    selected: Array<{ variable: DoubleVariable; codes: string[]; labels: Map<string, string> }>,
    value: Array<number | null>,
    status: Record<string, string>,
    isMetadata: boolean,
  ) {
    const dimension: Record<string, unknown> = {};
    for (const s of selected) {
      dimension[s.variable.code] = {
        label: s.variable.label,
        category: {
          index: Object.fromEntries(s.codes.map((c, i) => [c, i])),
          label: Object.fromEntries(s.codes.map((c) => [c, s.labels.get(c) ?? c])),
        },
        extension: isMetadata
          ? { elimination: s.variable.elimination, show: 'value', codelists: s.variable.codelists ?? [] }
          : { elimination: false, show: 'value' },
      };
    }
    const ids = selected.map((s) => s.variable.code);
    return {
      version: '2.0',
      class: 'dataset',
      label: table.label,
      source: 'Statistisk sentralbyrå',
      updated: table.updated,
      role: {
        time: ['Tid'],
        metric: ['ContentsCode'],
        ...(ids.includes('Region') ? { geo: ['Region'] } : {}),
      },
      id: ids,
      size: selected.map((s) => s.codes.length),
      dimension,
      extension: { px: { tableid: table.id, decimals: 0, language: 'no', aggregallowed: true } },
      value,
      ...(Object.keys(status).length > 0 ? { status } : {}),
    };
  }

  return {
    url: server.url,
    ssbBaseUrl: `${server.url}${SSB_PREFIX}`,
    klassBaseUrl: `${server.url}${KLASS_PREFIX}`,
    world,
    requests,
    dataRequests: () => requests.filter((r) => r.path.endsWith('/data')),
    setUnavailable: (value) => {
      unavailable = value;
    },
    failNext: (status, count = 1) => {
      failing = { status, count };
    },
    setKlassAvailable: (value) => {
      klassAvailable = value;
    },
    setDiscontinued: (tableId, value) => {
      if (value) discontinued.add(tableId);
      else discontinued.delete(tableId);
    },
    alias: (alias, tableId) => {
      aliases.set(alias, tableId);
    },
    removeTable: (tableId) => {
      removed.add(tableId);
    },
    reset: () => {
      requests.length = 0;
      windowStarts = [];
    },
    close: () => server.close(),
  };
}

function labelsOf(variable: DoubleVariable): Map<string, string> {
  return new Map(variable.values.map((v) => [v.code, v.label]));
}

type RawSelection = Map<string, { codes: string[]; codelist?: string; outputValues?: string }>;

const isExpression = (code: string) => /[*?()]/.test(code);

/** Splits a GET value list on commas outside brackets: "2020,[range(2020,2022)]". */
function splitCodes(text: string): string[] {
  const codes: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '[') depth += 1;
    if (ch === ']') depth -= 1;
    if (ch === ',' && depth === 0) {
      codes.push(current);
      current = '';
    } else current += ch;
  }
  if (current !== '') codes.push(current);
  return codes.map((c) => c.replace(/^\[(.*)\]$/, '$1'));
}

function getSelection(url: URL): RawSelection {
  const selection: RawSelection = new Map();
  for (const [key, value] of url.searchParams) {
    const m = /^(valueCodes|codelist|outputValues)\[(.+)\]$/i.exec(key);
    if (!m) continue;
    const name = m[2]!.toLowerCase();
    const entry = selection.get(name) ?? { codes: [] };
    if (m[1]!.toLowerCase() === 'valuecodes') {
      const codes = splitCodes(value);
      if (codes.some((c) => /,/.test(c) && !/^(range|top|bottom)\(/i.test(c)))
        throw new HttpProblem(400, 'Illegal selection expression');
      entry.codes.push(...codes);
    } else if (m[1]!.toLowerCase() === 'codelist') entry.codelist = value;
    else entry.outputValues = value;
    selection.set(name, entry);
  }
  // An unbracketed "range(2020,2022)" arrives as "range(2020" and "2022)".
  for (const entry of selection.values())
    if (entry.codes.some((c) => /\([^)]*$/.test(c)))
      throw new HttpProblem(400, 'Illegal selection expression');
  return selection;
}

function postSelection(body: string, url: URL): RawSelection {
  let parsed: { selection?: Array<{ variableCode: string; valueCodes: string[]; codelist?: string }> };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    throw new HttpProblem(400, 'Invalid body');
  }
  const selection: RawSelection = new Map();
  for (const s of parsed.selection ?? [])
    selection.set(s.variableCode.toLowerCase(), { codes: s.valueCodes, codelist: s.codelist || undefined });
  for (const [key, value] of url.searchParams) {
    const m = /^outputValues\[(.+)\]$/i.exec(key);
    if (m) {
      const entry = selection.get(m[1]!.toLowerCase());
      if (entry) entry.outputValues = value;
    }
  }
  return selection;
}

/** Resolves codes and expressions against a variable's values, in the table's order. */
function expand(codes: string[], values: string[]): string[] {
  const wanted = new Set<string>();
  const lower = new Map(values.map((v) => [v.toLowerCase(), v]));
  for (const code of codes) {
    const top = /^(top|bottom)\((\d+)\)$/i.exec(code);
    const range = /^range\(([^,]+),([^)]+)\)$/i.exec(code);
    if (top) {
      const n = Number(top[2]);
      (top[1]!.toLowerCase() === 'top' ? values.slice(-n) : values.slice(0, n)).forEach((v) => wanted.add(v));
    } else if (range) {
      const from = values.indexOf(range[1]!);
      const to = values.indexOf(range[2]!);
      if (from < 0 || to < 0) throw new HttpProblem(400, 'Non-existent value');
      values.slice(from, to + 1).forEach((v) => wanted.add(v));
    } else if (/[*?]/.test(code)) {
      const pattern = new RegExp(
        `^${code
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
        'i',
      );
      values.filter((v) => pattern.test(v)).forEach((v) => wanted.add(v));
    } else {
      const hit = lower.get(code.toLowerCase());
      if (!hit) throw new HttpProblem(400, 'Non-existent value');
      wanted.add(hit);
    }
  }
  return values.filter((v) => wanted.has(v));
}
