import { z } from 'zod';

/**
 * A generic JSON-stat 2.0 dataset reader (json-stat.org/format). Reads both SSB PxWebApi v2
 * responses (data and metadata) and the v1 API's `json-stat2` output, which share the shape.
 *
 * - dimension order comes from `id`/`size`; `value` is row-major over it (the last id varies
 *   fastest), as an array or as a sparse object keyed by flat index;
 * - `category.index` may be an array, an object or absent (a single category named in `label`);
 * - `status` may be one string for every cell, an array or a sparse object. SSB's standard
 *   symbols (ssb.no/en/diverse/standardtegn-i-tabeller) become a missing reason; "-" (nil) is a
 *   true zero and "*" a preliminary figure.
 */

export type MissingReason =
  | 'not-applicable' // "."
  | 'not-available' // ".."
  | 'confidential' // ":"
  | 'not-yet-available' // "..."
  | 'unknown'; // null without a known symbol

const MISSING_BY_SYMBOL: Record<string, MissingReason> = {
  '.': 'not-applicable',
  '..': 'not-available',
  ':': 'confidential',
  '...': 'not-yet-available',
};

export interface JsonStatCategory {
  code: string;
  label: string;
  position: number;
  unit?: { base?: string; decimals?: number; [key: string]: unknown };
}

export interface JsonStatDimension {
  id: string;
  label: string;
  /** In position order. */
  categories: JsonStatCategory[];
  positionOf(code: string): number | undefined;
  /** Provider extension (SSB: elimination, codelists, refperiod …). */
  extension: Record<string, unknown>;
}

export interface JsonStatCell {
  value: number | null;
  /** The provider's symbol for this cell, when it has one. */
  status?: string;
  /** Set when `value` is null. */
  missing?: MissingReason;
  preliminary?: boolean;
}

export interface JsonStatObservation {
  coords: Record<string, string>;
  cell: JsonStatCell;
}

export interface JsonStatDataset {
  label?: string;
  source?: string;
  updated?: string;
  note: string[];
  ids: string[];
  size: number[];
  dimensions: Record<string, JsonStatDimension>;
  role: { time: string[]; geo: string[]; metric: string[] };
  extension: Record<string, unknown>;
  cellCount: number;
  cellAt(flatIndex: number): JsonStatCell;
  /** The cell at these category codes, one per dimension; undefined when a code is not in the dataset. */
  cell(coords: Record<string, string>): JsonStatCell | undefined;
  observations(): Generator<JsonStatObservation>;
}

export class JsonStatError extends Error {
  constructor(message: string) {
    super(`JSON-stat: ${message}`);
    this.name = 'JsonStatError';
  }
}

const categorySchema = z.looseObject({
  index: z.union([z.array(z.string()), z.record(z.string(), z.number().int().min(0))]).optional(),
  label: z.record(z.string(), z.string()).optional(),
  unit: z.record(z.string(), z.looseObject({})).optional(),
});

const dimensionSchema = z.looseObject({
  label: z.string().optional(),
  category: categorySchema,
  extension: z.record(z.string(), z.unknown()).optional(),
});

const cellValue = z.union([z.number(), z.null(), z.string()]);

const datasetSchema = z.looseObject({
  version: z.string().optional(),
  class: z.literal('dataset', { error: 'class must be "dataset"' }),
  label: z.string().optional(),
  source: z.string().optional(),
  updated: z.string().optional(),
  note: z.union([z.array(z.string()), z.string()]).optional(),
  id: z.array(z.string()).min(1),
  size: z.array(z.number().int().min(0)).min(1),
  role: z
    .looseObject({
      time: z.array(z.string()).optional(),
      geo: z.array(z.string()).optional(),
      metric: z.array(z.string()).optional(),
    })
    .optional(),
  dimension: z.record(z.string(), dimensionSchema),
  value: z.union([z.array(cellValue), z.record(z.string(), cellValue)]),
  status: z.union([z.string(), z.array(z.string().nullable()), z.record(z.string(), z.string())]).optional(),
  extension: z.record(z.string(), z.unknown()).optional(),
});

export function readJsonStat(input: unknown): JsonStatDataset {
  const parsed = datasetSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new JsonStatError(`${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const raw = parsed.data;
  if (raw.id.length !== raw.size.length)
    throw new JsonStatError(`id has ${raw.id.length} entries but size has ${raw.size.length}`);

  const dimensions: Record<string, JsonStatDimension> = {};
  raw.id.forEach((id, i) => {
    const dim = raw.dimension[id];
    if (!dim) throw new JsonStatError(`dimension "${id}" is listed in id but not described`);
    dimensions[id] = readDimension(id, dim, raw.size[i]!);
  });

  const cellCount = raw.size.reduce((a, b) => a * b, 1);
  const values = raw.value;
  if (Array.isArray(values) && values.length !== cellCount && !(values.length === 0 && isMetadata(raw)))
    throw new JsonStatError(`value has ${values.length} cells but size implies ${cellCount}`);
  const valueAt = (i: number): number | null => {
    const v = Array.isArray(values) ? values[i] : values[String(i)];
    if (v === undefined || v === null) return null;
    if (typeof v === 'number') return v;
    const n = Number(v);
    return Number.isFinite(n) && v.trim() !== '' ? n : null;
  };
  const status = raw.status;
  const statusAt = (i: number): string | undefined => {
    if (status === undefined) return undefined;
    if (typeof status === 'string') return status;
    if (Array.isArray(status)) return (status.length === 1 ? status[0] : status[i]) ?? undefined;
    return status[String(i)];
  };

  const cellAt = (i: number): JsonStatCell => {
    const symbol = statusAt(i);
    let value = valueAt(i);
    const cell: JsonStatCell = { value };
    if (symbol !== undefined) cell.status = symbol;
    if (value === null && symbol === '-') value = cell.value = 0;
    if (symbol === '*') cell.preliminary = true;
    if (value === null) cell.missing = (symbol && MISSING_BY_SYMBOL[symbol]) || 'unknown';
    return cell;
  };

  const strides = raw.size.map((_, i) => raw.size.slice(i + 1).reduce((a, b) => a * b, 1));
  const ids = raw.id;

  const role = {
    time: raw.role?.time ?? ids.filter((id) => /^(tid|time)$/i.test(id)),
    geo: raw.role?.geo ?? [],
    metric: raw.role?.metric ?? ids.filter((id) => id === 'ContentsCode'),
  };

  return {
    label: raw.label,
    source: raw.source,
    updated: raw.updated,
    note: raw.note === undefined ? [] : Array.isArray(raw.note) ? raw.note : [raw.note],
    ids,
    size: raw.size,
    dimensions,
    role,
    extension: raw.extension ?? {},
    cellCount,
    cellAt,
    cell(coords) {
      let flat = 0;
      for (let d = 0; d < ids.length; d += 1) {
        const id = ids[d]!;
        const code = coords[id];
        const dim = dimensions[id]!;
        const position = code === undefined && dim.categories.length === 1 ? 0 : dim.positionOf(code ?? '');
        if (position === undefined) return undefined;
        flat += position * strides[d]!;
      }
      return cellAt(flat);
    },
    *observations() {
      for (let flat = 0; flat < cellCount; flat += 1) {
        const coords: Record<string, string> = {};
        let rest = flat;
        for (let d = 0; d < ids.length; d += 1) {
          const position = Math.floor(rest / strides[d]!);
          rest -= position * strides[d]!;
          coords[ids[d]!] = dimensions[ids[d]!]!.categories[position]!.code;
        }
        yield { coords, cell: cellAt(flat) };
      }
    },
  };
}

function isMetadata(raw: { value: unknown }): boolean {
  return Array.isArray(raw.value) && raw.value.length === 0;
}

function readDimension(id: string, dim: z.infer<typeof dimensionSchema>, size: number): JsonStatDimension {
  const { index, label = {}, unit = {} } = dim.category;
  let codes: string[];
  if (Array.isArray(index)) {
    codes = index;
  } else if (index) {
    codes = [];
    for (const [code, position] of Object.entries(index)) {
      if (position >= size)
        throw new JsonStatError(`dimension "${id}": "${code}" at ${position} ≥ size ${size}`);
      if (codes[position] !== undefined)
        throw new JsonStatError(`dimension "${id}": two categories at position ${position}`);
      codes[position] = code;
    }
  } else {
    codes = Object.keys(label);
    if (codes.length !== 1)
      throw new JsonStatError(`dimension "${id}" has no category index and ${codes.length} labels`);
  }
  if (codes.length !== size || codes.some((c) => c === undefined))
    throw new JsonStatError(`dimension "${id}" has ${codes.length} categories but size ${size}`);
  const positions = new Map(codes.map((code, position) => [code, position]));
  return {
    id,
    label: dim.label ?? id,
    categories: codes.map((code, position) => ({
      code,
      label: label[code] ?? code,
      position,
      ...(unit[code] ? { unit: unit[code] as JsonStatCategory['unit'] } : {}),
    })),
    positionOf: (code) => positions.get(code),
    extension: dim.extension ?? {},
  };
}
