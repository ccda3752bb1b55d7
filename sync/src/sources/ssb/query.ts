import type { SsbTableMetadata } from './metadata.js';

/** One variable's selection, as PxWebApi v2 takes it in a POST body. */
export interface SsbSelection {
  variableCode: string;
  valueCodes: string[];
  codelist?: string;
  /** With an `agg_` codelist: 'aggregated' sums the source codes into each group. */
  outputValues?: 'aggregated' | 'single';
}

export interface SsbQuery {
  selection: SsbSelection[];
}

const EXPRESSION = /[*?]|^(top|bottom|from|to|range)\(/i;

export function isExpression(code: string): boolean {
  return EXPRESSION.test(code);
}

/**
 * The query as it must be sent: duplicate value codes removed (a duplicate answers 500 with an
 * empty body; codes are case-insensitive, so "k-0301" duplicates "K-0301") and one selection per
 * variable.
 */
export function normaliseQuery(query: SsbQuery): SsbQuery {
  const byVariable = new Map<string, SsbSelection>();
  for (const selection of query.selection) {
    const key = selection.variableCode.toLowerCase();
    const existing = byVariable.get(key);
    const merged = existing
      ? { ...existing, valueCodes: [...existing.valueCodes, ...selection.valueCodes] }
      : { ...selection };
    byVariable.set(key, merged);
  }
  return {
    selection: [...byVariable.values()].map((s) => {
      const seen = new Set<string>();
      const valueCodes = s.valueCodes.filter((code) => {
        const k = code.trim().toLowerCase();
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
      return { ...s, valueCodes };
    }),
  };
}

/**
 * `ContentsCode` and `Tid` are never eliminable in v2, and neither is any variable the metadata
 * marks `elimination: false`: a query that leaves one out answers 400 "Missing selection for
 * mandantory variable". Returns the variables missing.
 */
export function missingMandatory(query: SsbQuery, metadata?: SsbTableMetadata): string[] {
  const selected = new Set(
    query.selection.filter((s) => s.valueCodes.length > 0).map((s) => s.variableCode.toLowerCase()),
  );
  const mandatory = metadata
    ? metadata.variables.filter((v) => !v.elimination || v.role === 'time' || v.role === 'metric')
    : [{ code: 'ContentsCode' }, { code: 'Tid' }];
  return mandatory.map((v) => v.code).filter((code) => !selected.has(code.toLowerCase()));
}

/** In a GET URL a comma separates codes, so an expression holding one must be bracketed. */
export function encodeValueCodes(codes: string[]): string {
  return codes.map((code) => (code.includes(',') && !code.startsWith('[') ? `[${code}]` : code)).join(',');
}

/** URL-encodes a query value but keeps the characters PxWebApi's syntax uses readable. */
function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/%2C/gi, ',').replace(/%5B/gi, '[').replace(/%5D/gi, ']');
}

export function dataUrl(
  baseUrl: string,
  tableId: string,
  params: Record<string, string>,
  query?: SsbQuery,
): string {
  const parts = Object.entries(params).map(([k, v]) => `${k}=${encodeValue(v)}`);
  for (const s of query?.selection ?? []) {
    const name = encodeValue(s.variableCode);
    parts.push(`valueCodes[${name}]=${encodeValue(encodeValueCodes(s.valueCodes))}`);
    if (s.codelist) parts.push(`codelist[${name}]=${encodeValue(s.codelist)}`);
    if (s.outputValues) parts.push(`outputValues[${name}]=${s.outputValues}`);
  }
  return `${baseUrl.replace(/\/$/, '')}/tables/${encodeURIComponent(tableId)}/data?${parts.join('&')}`;
}

export function postBody(query: SsbQuery): string {
  return JSON.stringify({
    selection: query.selection.map((s) => ({
      variableCode: s.variableCode,
      codelist: s.codelist,
      valueCodes: s.valueCodes,
    })),
  });
}

/** `outputValues` goes in the query string of a POST too (it is not part of the body's selection). */
export function postParams(query: SsbQuery): Record<string, string> {
  const params: Record<string, string> = {};
  for (const s of query.selection)
    if (s.outputValues) params[`outputValues[${s.variableCode}]`] = s.outputValues;
  return params;
}

/**
 * How many cells the query extracts (empty cells count). Explicit codes count one each;
 * expressions are resolved against the metadata's values where possible, else counted as every
 * value of the variable (an over-estimate, which only makes the split safer).
 */
export function countCells(query: SsbQuery, metadata?: SsbTableMetadata): number {
  return query.selection.reduce((cells, s) => cells * selectionSize(s, metadata), 1);
}

function selectionSize(s: SsbSelection, metadata?: SsbTableMetadata): number {
  const values = s.codelist ? undefined : metadata?.variable(s.variableCode)?.values.map((v) => v.code);
  let size = 0;
  for (const code of s.valueCodes) {
    if (!isExpression(code)) size += 1;
    else size += resolveExpression(code, values) ?? values?.length ?? 1_000;
  }
  return Math.max(size, 1);
}

function resolveExpression(expression: string, values?: string[]): number | undefined {
  const e = expression.replace(/^\[|\]$/g, '');
  const call = /^(top|bottom|from|to|range)\(([^)]*)\)$/i.exec(e);
  if (call) {
    const name = call[1]!.toLowerCase();
    const args = call[2]!.split(',').map((a) => a.trim());
    if (name === 'top' || name === 'bottom') return Number(args[0]) || undefined;
    if (!values) return undefined;
    const at = (code: string | undefined) => (code === undefined ? -1 : values.indexOf(code));
    if (name === 'from') return at(args[0]) >= 0 ? values.length - at(args[0]) : undefined;
    if (name === 'to') return at(args[0]) >= 0 ? at(args[0]) + 1 : undefined;
    if (at(args[0]) >= 0 && at(args[1]) >= 0) return at(args[1]) - at(args[0]) + 1;
    return undefined;
  }
  if (!values) return undefined;
  const pattern = new RegExp(
    `^${e
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return values.filter((v) => pattern.test(v)).length;
}

/**
 * Splits a query so each part stays within `maxCells`: the selection with the most explicit
 * codes is cut into equal runs. Expressions are never cut (their size is not known exactly).
 */
export function splitQuery(query: SsbQuery, maxCells: number, metadata?: SsbTableMetadata): SsbQuery[] {
  const cells = countCells(query, metadata);
  if (cells <= maxCells) return [query];
  const candidates = query.selection
    .map((s, index) => ({ s, index }))
    .filter(({ s }) => s.valueCodes.length > 1 && !s.valueCodes.some(isExpression))
    .sort((a, b) => b.s.valueCodes.length - a.s.valueCodes.length);
  const target = candidates[0];
  if (!target) throw new Error(`the query selects ${cells} cells and cannot be split below ${maxCells}`);
  const others = cells / target.s.valueCodes.length;
  const perPart = Math.max(1, Math.floor(maxCells / others));
  const parts: SsbQuery[] = [];
  for (let start = 0; start < target.s.valueCodes.length; start += perPart) {
    const selection = query.selection.map((s, i) =>
      i === target.index ? { ...s, valueCodes: s.valueCodes.slice(start, start + perPart) } : s,
    );
    parts.push(...splitQuery({ selection }, maxCells, metadata));
  }
  return parts;
}

/** Cuts a query in two along its largest explicit selection (after the server said "Too many cells"). */
export function halveQuery(query: SsbQuery): [SsbQuery, SsbQuery] | null {
  const target = query.selection
    .map((s, index) => ({ s, index }))
    .filter(({ s }) => s.valueCodes.length > 1 && !s.valueCodes.some(isExpression))
    .sort((a, b) => b.s.valueCodes.length - a.s.valueCodes.length)[0];
  if (!target) return null;
  const half = Math.ceil(target.s.valueCodes.length / 2);
  const part = (codes: string[]): SsbQuery => ({
    selection: query.selection.map((s, i) => (i === target.index ? { ...s, valueCodes: codes } : s)),
  });
  return [part(target.s.valueCodes.slice(0, half)), part(target.s.valueCodes.slice(half))];
}
