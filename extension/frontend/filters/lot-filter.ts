import { LotStatus } from '@tomtejakt/sync/crm/schema';
import { ConfidenceLabel, tierOf, type LotView } from '@tomtejakt/sync/presentation';
import type { LotSummary } from '../lots/lot-summary.js';

export type Tier = NonNullable<LotView['klasse']>;
export const TIERS: Tier[] = ['A', 'B', 'C', 'D'];
export const PLAN_WORK = ['alle', 'med', 'uten'] as const;
export type PlanWorkFilter = (typeof PLAN_WORK)[number];

/** Lots with no status or confidence are filtered under this value. */
export const NONE = '';

export interface LotFilter {
  /** 0 shows every lot, also those without a score. */
  minScore: number;
  /** Empty: every tier. */
  tiers: Tier[];
  /** Kommunenummer, or null for all. */
  kommune: string | null;
  /** Empty: every status. */
  statuses: string[];
  /** Empty: every confidence. */
  confidences: string[];
  planWork: PlanWorkFilter;
  /** Hide the records kept below the Airtable policy ("Under terskel"). */
  hideUnderTerskel: boolean;
}

export const NO_FILTER: LotFilter = {
  minScore: 0,
  tiers: [],
  kommune: null,
  statuses: [],
  confidences: [],
  planWork: 'alle',
  hideUnderTerskel: false,
};

export const STATUS_VALUES: string[] = Object.values(LotStatus);
export const CONFIDENCE_VALUES: string[] = Object.values(ConfidenceLabel);

const tierOfLot = (lot: LotSummary): Tier | null =>
  lot.klasse ?? (lot.score === null ? null : tierOf(lot.score));

export function matchesFilter(lot: LotSummary, filter: LotFilter): boolean {
  if (filter.minScore > 0 && (lot.score === null || lot.score < filter.minScore)) return false;
  if (filter.tiers.length) {
    const tier = tierOfLot(lot);
    if (!tier || !filter.tiers.includes(tier)) return false;
  }
  if (filter.kommune !== null && (lot.kommunenummer ?? lot.kommune) !== filter.kommune) return false;
  if (filter.statuses.length && !filter.statuses.includes(lot.status ?? NONE)) return false;
  if (filter.confidences.length && !filter.confidences.includes(lot.konfidens ?? NONE)) return false;
  if (filter.planWork === 'med' && !lot.hasPlanWork) return false;
  if (filter.planWork === 'uten' && lot.hasPlanWork) return false;
  if (filter.hideUnderTerskel && lot.underTerskel) return false;
  return true;
}

export const applyFilter = (lots: ReadonlyArray<LotSummary>, filter: LotFilter): LotSummary[] =>
  lots.filter((lot) => matchesFilter(lot, filter));

export function activeFilterCount(filter: LotFilter): number {
  return (
    (filter.minScore > 0 ? 1 : 0) +
    (filter.tiers.length ? 1 : 0) +
    (filter.kommune !== null ? 1 : 0) +
    (filter.statuses.length ? 1 : 0) +
    (filter.confidences.length ? 1 : 0) +
    (filter.planWork !== 'alle' ? 1 : 0) +
    (filter.hideUnderTerskel ? 1 : 0)
  );
}

export interface KommuneOption {
  value: string;
  label: string;
  count: number;
}

/** The kommuner that have lots, by name, with how many lots each has. */
export function kommuneOptions(lots: ReadonlyArray<LotSummary>): KommuneOption[] {
  const byKey = new Map<string, KommuneOption>();
  for (const lot of lots) {
    const value = lot.kommunenummer ?? lot.kommune;
    if (!value) continue;
    const option = byKey.get(value);
    if (option) option.count += 1;
    else {
      const label = [lot.kommune, lot.kommunenummer && `(${lot.kommunenummer})`].filter(Boolean).join(' ');
      byKey.set(value, { value, label, count: 1 });
    }
  }
  return [...byKey.values()].sort((a, b) => a.label.localeCompare(b.label, 'nb'));
}

const stringsIn = (value: unknown, allowed?: ReadonlyArray<string>): string[] =>
  Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && (!allowed || allowed.includes(v)))
    : [];

/** Reads a stored filter back, dropping anything a newer or damaged copy put there. */
export function sanitizeFilter(value: unknown): LotFilter {
  if (!value || typeof value !== 'object') return NO_FILTER;
  const v = value as Partial<Record<keyof LotFilter, unknown>>;
  const minScore = typeof v.minScore === 'number' && Number.isFinite(v.minScore) ? v.minScore : 0;
  return {
    minScore: Math.min(100, Math.max(0, Math.round(minScore))),
    tiers: stringsIn(v.tiers, TIERS) as Tier[],
    kommune: typeof v.kommune === 'string' && v.kommune !== '' ? v.kommune : null,
    statuses: stringsIn(v.statuses),
    confidences: stringsIn(v.confidences),
    planWork: PLAN_WORK.includes(v.planWork as PlanWorkFilter) ? (v.planWork as PlanWorkFilter) : 'alle',
    hideUnderTerskel: v.hideUnderTerskel === true,
  };
}
