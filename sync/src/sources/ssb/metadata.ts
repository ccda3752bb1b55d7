import { readJsonStat, type JsonStatDataset } from './jsonstat.js';

/** A codelist a variable offers (`dimension.{var}.extension.codelists`). */
export interface SsbCodelistRef {
  id: string;
  label: string;
  /** "Aggregation" (agg_…) or "Valueset" (vs_…). */
  type?: string;
}

export interface SsbVariable {
  code: string;
  label: string;
  /** Whether the variable may be left out of a query (the server then returns its total). */
  elimination: boolean;
  role: 'time' | 'metric' | 'geo' | 'other';
  values: Array<{ code: string; label: string }>;
  codelists: SsbCodelistRef[];
}

/** What `/tables/{id}/metadata` says about a table, in the terms a query needs. */
export interface SsbTableMetadata {
  tableId: string;
  label: string;
  updated?: string;
  variables: SsbVariable[];
  variable(code: string): SsbVariable | undefined;
  time: SsbVariable;
  contents: SsbVariable;
  /** The geographic variable (`role.geo`, else `Region`), when the table has one. */
  region?: SsbVariable;
  dataset: JsonStatDataset;
}

export function readSsbMetadata(json: unknown, tableId: string): SsbTableMetadata {
  const dataset = readJsonStat(json);
  const role = (id: string): SsbVariable['role'] =>
    dataset.role.time.includes(id)
      ? 'time'
      : dataset.role.metric.includes(id)
        ? 'metric'
        : dataset.role.geo.includes(id)
          ? 'geo'
          : 'other';
  const variables = dataset.ids.map((id): SsbVariable => {
    const dim = dataset.dimensions[id]!;
    const ext = dim.extension;
    // The live API writes "codelists"; the PxWebApi user guide's example writes "codeLists".
    const lists = (ext.codelists ?? ext.codeLists ?? []) as unknown[];
    return {
      code: id,
      label: dim.label,
      elimination: ext.elimination === true,
      role: role(id),
      values: dim.categories.map((c) => ({ code: c.code, label: c.label })),
      codelists: lists.flatMap((entry) => {
        const e = entry as Partial<SsbCodelistRef>;
        return typeof e.id === 'string'
          ? [{ id: e.id, label: typeof e.label === 'string' ? e.label : e.id, type: e.type }]
          : [];
      }),
    };
  });
  const byCode = new Map(variables.map((v) => [v.code.toLowerCase(), v]));
  const time = variables.find((v) => v.role === 'time');
  const contents = variables.find((v) => v.role === 'metric');
  if (!time || !contents)
    throw new Error(`table ${tableId}: metadata names no ${time ? 'metric' : 'time'} variable`);
  const region = variables.find((v) => v.role === 'geo') ?? byCode.get('region');
  return {
    tableId,
    label: dataset.label ?? tableId,
    updated: dataset.updated,
    variables,
    // Variable codes are case-insensitive at SSB (janbrus troubleshooting.md).
    variable: (code) => byCode.get(code.toLowerCase()),
    time,
    contents,
    region,
    dataset,
  };
}
