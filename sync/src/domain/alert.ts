/**
 * A change alert (issue 15): something a run found that the sales team should hear about. Each
 * has a stable key built from what it is about, so a rerun of the same night never repeats one.
 * Text is Norwegian bokmål and never names an owner person (alerts go to webhooks too).
 */
export const ALERT_TYPES = [
  'ny_tomt',
  'klasse_opp',
  'tomt_tapt',
  'planarbeid',
  'score_fall',
  'kommune_inn_topp',
  'kommune_ut_topp',
  'kommuneplan_endret',
] as const;

export type AlertType = (typeof ALERT_TYPES)[number];

/** The type as the team reads it (Airtable single-select option, map panel, report). */
export const ALERT_TYPE_LABELS: Record<AlertType, string> = {
  ny_tomt: 'Ny tomt',
  klasse_opp: 'Klasse opp',
  tomt_tapt: 'Tapt til regulering',
  planarbeid: 'Planarbeid pågår',
  score_fall: 'Score falt',
  kommune_inn_topp: 'Inn på topplisten',
  kommune_ut_topp: 'Ut av topplisten',
  kommuneplan_endret: 'Ny kommuneplan',
};

export interface Alert {
  /** Stable identity, e.g. `tomt_tapt:<lotId>:<planId>`: the same finding always gives the same key. */
  key: string;
  type: AlertType;
  /** The run that found it. */
  runId: number;
  /** ISO timestamp of the finding. */
  createdAt: string;
  kommunenummer: string;
  /** The lot it is about, when it is about one. */
  lotId: string | null;
  /** One line, Norwegian (e.g. "Ny A-tomt i Bærum: Gnr 12 Bnr 4, 3,1 daa"). */
  title: string;
  /** A few sentences, Norwegian, with the plan's name, id and date where it is about a plan. */
  text: string;
  /** The facts behind the text (plan id, name, date, link, tiers, scores, factors that moved …). */
  details: Record<string, unknown>;
}
