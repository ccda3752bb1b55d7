import { readJsonStat, type JsonStatDataset } from './jsonstat.js';
import { readSsbMetadata, type SsbCodelistRef, type SsbTableMetadata } from './metadata.js';
import { isExpression, type SsbQuery } from './query.js';
import type { SsbCodelist } from './table-info.js';

/**
 * An SSB table held in memory (the bundled snapshot), answering metadata and data requests in
 * the JSON-stat 2.0 shapes PxWebApi v2 answers them, so the ranking reads it with the same code
 * as a live table.
 */
export interface MemoryVariable {
  code: string;
  label: string;
  elimination: boolean;
  values: Array<{ code: string; label: string }>;
  codelists?: SsbCodelistRef[];
}

/** A cell: a figure, or no figure with SSB's symbol for why (".." not available, ":" confidential). */
export type MemoryCell = number | { value: null; status: string };

export interface MemoryTable {
  id: string;
  label: string;
  updated: string;
  variables: MemoryVariable[];
  /** The figure at these coordinates (Region is the table's own code, e.g. "0301"). */
  cell(coords: Record<string, string>): MemoryCell;
}

const ROLE_TIME = 'Tid';
const ROLE_METRIC = 'ContentsCode';
const ROLE_GEO = 'Region';

export function memoryMetadata(table: MemoryTable): SsbTableMetadata {
  return readSsbMetadata(
    jsonStat(
      table,
      table.variables.map((v) => ({ variable: v, values: v.values })),
      [],
      {},
      true,
    ),
    table.id,
  );
}

/**
 * The extract a query selects. A codelist selection (agg_KommSummer …) reads each group's code
 * through the codelist's `valueMap`; an eliminable variable left out is not a dimension (the
 * snapshot's tables hold totals only for those).
 */
export function memoryData(
  table: MemoryTable,
  query: SsbQuery,
  codelists: ReadonlyMap<string, SsbCodelist>,
): JsonStatDataset {
  const selected: Selected[] = [];
  for (const variable of table.variables) {
    const selection = query.selection.find(
      (s) => s.variableCode.toLowerCase() === variable.code.toLowerCase(),
    );
    if (!selection || selection.valueCodes.length === 0) {
      if (!variable.elimination)
        throw new Error(`table ${table.id}: missing selection for mandatory variable ${variable.code}`);
      continue;
    }
    let values = variable.values;
    let sourceOf = (code: string) => code;
    if (selection.codelist) {
      const list = codelists.get(selection.codelist);
      if (!list || !variable.codelists?.some((c) => c.id === selection.codelist))
        throw new Error(`table ${table.id}: ${variable.code} has no codelist ${selection.codelist}`);
      values = list.values.map((v) => ({ code: v.code, label: v.label }));
      const map = new Map(list.values.map((v) => [v.code, v.valueMap?.[0] ?? v.code]));
      sourceOf = (code) => map.get(code) ?? code;
    }
    const known = values.map((v) => v.code);
    const codes = selection.valueCodes.some(isExpression)
      ? known
      : selection.valueCodes.filter((c) => known.includes(c));
    const labels = new Map(values.map((v) => [v.code, v.label]));
    selected.push({
      variable,
      values: codes.map((code) => ({ code, label: labels.get(code) ?? code })),
      sourceOf,
    });
  }
  const value: Array<number | null> = [];
  const status: Record<string, string> = {};
  forEachCell(selected, (coords, flat) => {
    const cell = table.cell(coords);
    if (typeof cell === 'number') value.push(cell);
    else {
      value.push(null);
      status[String(flat)] = cell.status;
    }
  });
  return readJsonStat(jsonStat(table, selected, value, status, false));
}

interface Selected {
  variable: MemoryVariable;
  values: Array<{ code: string; label: string }>;
  sourceOf?: (code: string) => string;
}

function forEachCell(selected: Selected[], visit: (coords: Record<string, string>, flat: number) => void) {
  const total = selected.reduce((n, s) => n * s.values.length, 1);
  const positions = selected.map(() => 0);
  for (let flat = 0; flat < total; flat += 1) {
    const coords: Record<string, string> = {};
    selected.forEach((s, d) => {
      const code = s.values[positions[d]!]!.code;
      coords[s.variable.code] = s.sourceOf ? s.sourceOf(code) : code;
    });
    visit(coords, flat);
    for (let d = selected.length - 1; d >= 0; d -= 1) {
      positions[d]! += 1;
      if (positions[d]! < selected[d]!.values.length) break;
      positions[d] = 0;
    }
  }
}

function jsonStat(
  table: MemoryTable,
  selected: Selected[],
  value: Array<number | null>,
  status: Record<string, string>,
  isMetadata: boolean,
): unknown {
  const dimension: Record<string, unknown> = {};
  for (const s of selected) {
    dimension[s.variable.code] = {
      label: s.variable.label,
      category: {
        index: Object.fromEntries(s.values.map((v, i) => [v.code, i])),
        label: Object.fromEntries(s.values.map((v) => [v.code, v.label])),
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
      time: [ROLE_TIME],
      metric: [ROLE_METRIC],
      ...(ids.includes(ROLE_GEO) ? { geo: [ROLE_GEO] } : {}),
    },
    id: ids,
    size: selected.map((s) => s.values.length),
    dimension,
    extension: { px: { tableid: table.id, decimals: 0, language: 'no' } },
    value,
    ...(Object.keys(status).length > 0 ? { status } : {}),
  };
}
