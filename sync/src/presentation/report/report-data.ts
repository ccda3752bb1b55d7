import type { Alert, AlertType } from '../../domain/alert.js';
import type { AreaGeometry } from '../../domain/geometry.js';
import type { Tier } from '../../domain/lot.js';
import type { TierCounts, WeekCounts } from '../../domain/week-counts.js';
import { TIERS } from '../labels.js';

/** A new lot as the report shows it (no owner, no person: the report names none). */
export interface ReportLot {
  tomtId: string;
  kommunenummer: string;
  kommuneNavn: string;
  matrikkelnummertekst: string;
  tier: Tier;
  score: number;
  homes: number;
  arealM2: number;
  /** EPSG:25833, drawn as the lot's small map. */
  geometry: AreaGeometry;
}

/** A kommune entering or leaving the top list in the week. */
export interface RankingChange {
  kommunenummer: string;
  navn: string;
  change: 'entered' | 'left';
  rank: number | null;
  previousRank: number | null;
  date: string;
}

/** The team's pipeline from Airtable (Tomter): Status counts and next steps past their date. */
export type PipelineFacts =
  | {
      available: true;
      statuses: Record<string, number>;
      /** Worked lots whose "Neste handling dato" has passed; null where no record carries the field. */
      overdue: number | null;
    }
  | { available: false; reason: string };

export interface KommuneHealth {
  kommunenummer: string;
  navn: string;
  outcome: 'failed' | 'skipped';
  stage: string | null;
  error: string | null;
}

/** Everything the report is made of, as read from the store, the alerts and Airtable. */
export interface ReportInputs {
  week: string;
  firstDay: string;
  lastDay: string;
  madeAt: string;
  /** The 12 weeks ending with the report's, oldest first; null counts where no snapshot was taken. */
  history: Array<{ week: string; counts: WeekCounts | null }>;
  /** The active lots of the tiers the report calls new (A and B) first seen in the week, best first. */
  newLots: ReportLot[];
  /** Lots that vanished in the week (for any reason). */
  vanishedLots: number;
  alerts: Alert[];
  rankingChanges: RankingChange[];
  pipeline: PipelineFacts;
  ownerLookups: { doneInWeek: number; failedInWeek: number; pending: number };
  health: {
    kommuner: KommuneHealth[];
    /** Top-list kommuner without a successful run in the week. */
    gaps: Array<{ kommunenummer: string; navn: string }>;
    records: { total: number; limit: number; countedAt: string } | null;
  };
}

export interface TierLine {
  tier: Tier;
  lots: number;
  lotsChange: number | null;
  homes: number;
  homesChange: number | null;
}

/** The report as it is rendered: the inputs shaped into what the first page and the details say. */
export interface ReportData {
  week: string;
  weekNumber: number;
  firstDay: string;
  lastDay: string;
  madeAt: string;
  /** Whether the week has a snapshot of the counts; without one its counts read as 0 and say so. */
  counted: boolean;
  tiers: TierLine[];
  totals: { lots: number; lotsChange: number | null; homes: number; homesChange: number | null };
  newLots: { count: number; best: ReportLot[]; rest: ReportLot[] };
  competitors: Alert[];
  lost: Alert[];
  otherAlerts: Alert[];
  vanishedLots: number;
  rankingChanges: RankingChange[];
  kommuner: Array<{
    kommunenummer: string;
    navn: string;
    lotsAB: number;
    change: number | null;
    homes: number;
  }>;
  tierHistory: Array<{ week: string; lots: TierCounts | null }>;
  pipeline: PipelineFacts;
  ownerLookups: ReportInputs['ownerLookups'];
  health: ReportInputs['health'] & { headroom: number | null };
}

/** How many new lots get a map on the first pages; the rest are a table. */
export const BEST_NEW_LOTS = 5;
/** How many kommuner the ranking of lots shows. */
const KOMMUNER_SHOWN = 10;

const COMPETITOR: AlertType[] = ['planarbeid'];
const LOST: AlertType[] = ['tomt_tapt'];
const OTHER: AlertType[] = ['klasse_opp', 'score_fall', 'kommuneplan_endret'];

export function reportDataOf(input: ReportInputs): ReportData {
  const current = input.history.at(-1)?.counts ?? null;
  const previous = input.history.at(-2)?.counts ?? null;
  const change = (now: number, before: number | undefined) => (before === undefined ? null : now - before);
  const tiers = TIERS.map((tier) => ({
    tier,
    lots: current?.lots[tier] ?? 0,
    lotsChange: change(current?.lots[tier] ?? 0, previous?.lots[tier]),
    homes: current?.homes[tier] ?? 0,
    homesChange: change(current?.homes[tier] ?? 0, previous?.homes[tier]),
  }));
  const sum = (counts: TierCounts | undefined) =>
    counts ? TIERS.reduce((total, tier) => total + counts[tier], 0) : undefined;
  const byType = (types: AlertType[]) => input.alerts.filter((alert) => types.includes(alert.type));
  return {
    week: input.week,
    weekNumber: Number(input.week.slice(6)),
    firstDay: input.firstDay,
    lastDay: input.lastDay,
    madeAt: input.madeAt,
    counted: current !== null,
    tiers,
    totals: {
      lots: sum(current?.lots) ?? 0,
      lotsChange: change(sum(current?.lots) ?? 0, sum(previous?.lots)),
      homes: sum(current?.homes) ?? 0,
      homesChange: change(sum(current?.homes) ?? 0, sum(previous?.homes)),
    },
    newLots: {
      count: input.newLots.length,
      best: input.newLots.slice(0, BEST_NEW_LOTS),
      rest: input.newLots.slice(BEST_NEW_LOTS),
    },
    competitors: byType(COMPETITOR),
    lost: byType(LOST),
    otherAlerts: byType(OTHER),
    vanishedLots: input.vanishedLots,
    rankingChanges: input.rankingChanges,
    kommuner: kommuneLines(current, previous),
    tierHistory: input.history.map(({ week, counts }) => ({ week, lots: counts?.lots ?? null })),
    pipeline: input.pipeline,
    ownerLookups: input.ownerLookups,
    health: {
      ...input.health,
      headroom: input.health.records ? input.health.records.limit - input.health.records.total : null,
    },
  };
}

/** The kommuner with the most A and B lots, and how that changed since last week. */
function kommuneLines(current: WeekCounts | null, previous: WeekCounts | null): ReportData['kommuner'] {
  const before = new Map((previous?.byKommune ?? []).map((k) => [k.kommunenummer, k.lotsAB]));
  return [...(current?.byKommune ?? [])]
    .sort(
      (a, b) => b.lotsAB - a.lotsAB || b.homes - a.homes || a.kommunenummer.localeCompare(b.kommunenummer),
    )
    .slice(0, KOMMUNER_SHOWN)
    .map((k) => ({
      kommunenummer: k.kommunenummer,
      navn: k.navn,
      lotsAB: k.lotsAB,
      homes: k.homes,
      change: previous ? k.lotsAB - (before.get(k.kommunenummer) ?? 0) : null,
    }));
}
