import { createHash } from 'node:crypto';
import type { LotRecord } from '../../lot-record/lot-record.js';
import { LOT_COLUMNS, lotRow } from '../lot-properties.js';

/** What the mirror compares to know whether a lot's row is in step: nothing else it holds changes alone. */
export interface MirrorKey {
  tomtId: string;
  state: 'active' | 'vanished';
  fingerprint: string;
}

/** A lot as the store keeps it, as much as the mirror shows (the store's `StoredLot` fits). */
export interface MirrorLot extends MirrorKey {
  record: LotRecord;
  firstSeen: string | null;
  changedAt: string | null;
  vanishedAt: string | null;
  vanishedReason: string | null;
}

/** A kommune's score in the newest ranking, as the mirror's `kommuner` table holds it. */
export interface MirrorKommune {
  kommunenummer: string;
  navn: string;
  fylkesnummer: string | null;
  fylkesnavn: string | null;
  score: number | null;
  rank: number | null;
  top: boolean;
  confidence: string | null;
  weightShare: number | null;
  population: number | null;
}

type PgType = 'text' | 'integer' | 'double precision' | 'timestamptz' | 'boolean';
// Whole-number columns travel as doubles: PostgreSQL's assignment cast rounds a stray fraction
// (a score of 71.4 from a hand-made lot) where an integer array would reject the whole batch.
const PG_TYPE = { TEXT: 'text', INTEGER: 'double precision', REAL: 'double precision' } as const;

export interface MirrorColumn {
  name: string;
  /** The type its values are sent as; the table's column may be narrower (see PG_TYPE). */
  type: PgType;
}

/** The `lots` columns the mirror writes, besides the two geometries, in the order of `lotValues`. */
export const LOT_MIRROR_COLUMNS: MirrorColumn[] = [
  ...LOT_COLUMNS.map((c) => ({ name: c.name, type: PG_TYPE[c.type] })),
  { name: 'kommune_navn', type: 'text' },
  { name: 'state', type: 'text' },
  { name: 'fingerprint', type: 'text' },
  { name: 'first_seen', type: 'timestamptz' },
  { name: 'changed_at', type: 'timestamptz' },
  { name: 'vanished_at', type: 'timestamptz' },
  { name: 'vanished_reason', type: 'text' },
];

type Cell = string | number | boolean | null;

/** One lot's values for `LOT_MIRROR_COLUMNS`, then its geometry (GeoJSON text) and label point. */
export function lotValues(lot: MirrorLot): { cells: Cell[]; geometry: string; east: number; north: number } {
  const row = lotRow(lot.record);
  const extra: Record<string, Cell> = {
    kommune_navn: lot.record.kommuneNavn,
    state: lot.state,
    fingerprint: lot.fingerprint,
    first_seen: lot.firstSeen,
    changed_at: lot.changedAt,
    vanished_at: lot.vanishedAt,
    vanished_reason: lot.vanishedReason,
  };
  return {
    cells: LOT_MIRROR_COLUMNS.map((c) => (c.name in extra ? extra[c.name]! : (row[c.name] ?? null))),
    geometry: JSON.stringify(lot.record.geometry),
    east: lot.record.centre.east,
    north: lot.record.centre.north,
  };
}

export const KOMMUNE_MIRROR_COLUMNS: MirrorColumn[] = [
  { name: 'kommunenummer', type: 'text' },
  { name: 'navn', type: 'text' },
  { name: 'fylkesnummer', type: 'text' },
  { name: 'fylkesnavn', type: 'text' },
  { name: 'score', type: 'double precision' },
  { name: 'rank', type: 'integer' },
  { name: 'top', type: 'boolean' },
  { name: 'confidence', type: 'text' },
  { name: 'weight_share', type: 'double precision' },
  { name: 'population', type: 'integer' },
  { name: 'fingerprint', type: 'text' },
];

/** One kommune's values for `KOMMUNE_MIRROR_COLUMNS`; the last, its fingerprint, digests the others. */
export function kommuneValues(k: MirrorKommune): Cell[] {
  const cells: Cell[] = [
    k.kommunenummer,
    k.navn,
    k.fylkesnummer,
    k.fylkesnavn,
    k.score,
    k.rank,
    k.top,
    k.confidence,
    k.weightShare,
    k.population,
  ];
  return [...cells, createHash('sha1').update(JSON.stringify(cells)).digest('hex')];
}
