import type { KommunePin } from '../domain/kommune.js';
import type { LatestRanks, RankedEntry } from '../store/kommune-top.js';
import { ConfigError } from '../util/errors.js';

/**
 * Something about the choice of kommuner the operator should know, with a stable name to search
 * the log for.
 */
export interface SelectionWarning {
  code:
    | 'prioritet-read-failed'
    | 'prioritet-conflict'
    | 'prioritet-without-kommunenummer'
    | 'ikke-aktuell-overridden'
    | 'nothing-to-run';
  message: string;
}

/** A kommune the run covers, with every reason it is in (Norwegian, as the team reads them). */
export interface SelectedKommune {
  kommunenummer: string;
  navn: string | null;
  /** Rank in the latest ranking (null when unranked or there is no ranking). */
  rank: number | null;
  reasons: string[];
}

/** A kommune that would have been in, and why it is not. */
export interface ExcludedKommune {
  kommunenummer: string;
  navn: string | null;
  rank: number | null;
  /** Why it is out. */
  reasons: string[];
  /** Why it would have been in. */
  candidateFor: string[];
}

export interface KommuneSelection {
  /** In run order: KOMMUNER, then "Alltid med", then the top 50 by rank (or exactly --kommune). */
  kommuner: SelectedKommune[];
  excluded: ExcludedKommune[];
  warnings: SelectionWarning[];
  /** Plain remarks (e.g. why the ranking chose nothing). */
  notes: string[];
}

export interface SelectionInput {
  /** `--kommune`: exactly these, nothing else considered. */
  requested?: string[];
  /** KOMMUNER: added to the top 50, even when the team marked one "Ikke aktuell". */
  envKommuner?: string[];
  /** The latest successful ranking, null before the first. */
  ranking: LatestRanks | null;
  /** The ranking rules' top N, for the wording ("top 50"). */
  topN: number;
  /** The team's pins (Prioritet "Alltid med" / "Ikke aktuell"); empty without Airtable. */
  pins: ReadonlyMap<string, KommunePin>;
  /**
   * The bundled sample kommune when no sources are configured (the embedded default): then only it
   * has data, so the ranking chooses nothing and the sample is run unless KOMMUNER or a pin names others.
   */
  sampleKommune: string | null;
  /** Warnings met while gathering the inputs (a failed Prioritet read), passed on. */
  warnings?: SelectionWarning[];
}

/** The reasons, for the run summary and the log (naming Airtable's Prioritet choices and the env variable as they are spelt). */
export const Reason = {
  requested: '--kommune',
  env: 'KOMMUNER',
  top: (topN: number, rank: number | null) => `top ${topN} (rank ${rank ?? '–'})`,
  always: 'Prioritet: Alltid med',
  sample: 'the sample kommune',
  never: 'Prioritet: Ikke aktuell',
  neverOverridden: 'Prioritet: Ikke aktuell, but named in KOMMUNER',
  noSources: 'no sources configured (SOURCES_FILE or NAP)',
} as const;

type Candidates = Map<string, string[]>;

/**
 * Which kommuner the nightly run covers, and why each is in or out. Pure: the caller reads the
 * ranking, KOMMUNER and the team's pins.
 *
 * - `--kommune` means exactly those kommuner.
 * - Otherwise: KOMMUNER, then every kommune pinned "Alltid med", then the ranking's current top 50.
 * - "Ikke aktuell" takes a kommune out, except one named in KOMMUNER: the operator's explicit
 *   wish wins, and the reasons and a warning say so.
 * - With no sources configured only the sample kommune has data: the ranking chooses nothing (its
 *   top 50 are listed as excluded) and the sample is run when KOMMUNER and the pins name nothing.
 * - Nothing to choose from at all (no ranking, no KOMMUNER, no pin, no sample): a ConfigError, as
 *   before there was a ranking.
 */
export function selectKommuner(input: SelectionInput): KommuneSelection {
  const ranks = new Map((input.ranking?.kommuner ?? []).map((k) => [k.kommunenummer, k]));
  const warnings = [...(input.warnings ?? [])];
  if (input.requested?.length)
    return {
      kommuner: input.requested.map((nr) => selected(nr, [Reason.requested], ranks)),
      excluded: [],
      warnings,
      notes: [],
    };
  const candidates: Candidates = new Map();
  const add = (nr: string, reason: string) => candidates.set(nr, [...(candidates.get(nr) ?? []), reason]);
  for (const nr of input.envKommuner ?? []) add(nr, Reason.env);
  for (const nr of pinned(input.pins, 'always', ranks)) add(nr, Reason.always);
  if (input.sampleKommune !== null && candidates.size === 0) add(input.sampleKommune, Reason.sample);
  const excluded: ExcludedKommune[] = [];
  const top = input.ranking?.kommuner.filter((k) => k.top) ?? [];
  for (const k of top) {
    const reason = Reason.top(input.topN, k.rank);
    if (candidates.has(k.kommunenummer) || input.sampleKommune === null) add(k.kommunenummer, reason);
    else
      excluded.push({
        ...entry(k.kommunenummer, ranks),
        reasons: [Reason.noSources],
        candidateFor: [reason],
      });
  }
  excluded.push(...applyNever(candidates, input.pins, ranks, warnings));
  const notes = sampleNotes(input, top.length);
  const kommuner = [...candidates].map(([nr, reasons]) => selected(nr, orderReasons(reasons), ranks));
  if (kommuner.length === 0) {
    if (excluded.length === 0) throw nothingToChoose(input);
    warnings.push({ code: 'nothing-to-run', message: 'no kommune to run: every candidate is excluded' });
  }
  return { kommuner, excluded, warnings, notes };
}

/** Takes out the kommuner the team pinned "Ikke aktuell", unless KOMMUNER names them. */
function applyNever(
  candidates: Candidates,
  pins: ReadonlyMap<string, KommunePin>,
  ranks: Map<string, RankedEntry>,
  warnings: SelectionWarning[],
): ExcludedKommune[] {
  const excluded: ExcludedKommune[] = [];
  for (const [nr, reasons] of [...candidates]) {
    if (pins.get(nr) !== 'never') continue;
    if (reasons.includes(Reason.env)) {
      reasons.push(Reason.neverOverridden);
      warnings.push({
        code: 'ikke-aktuell-overridden',
        message: `kommune ${nr} is "Ikke aktuell" in Airtable but named in KOMMUNER: it is run (KOMMUNER wins)`,
      });
      continue;
    }
    candidates.delete(nr);
    excluded.push({ ...entry(nr, ranks), reasons: [Reason.never], candidateFor: orderReasons(reasons) });
  }
  return excluded;
}

/** The pinned kommuner, best ranked first (unranked ones last, by number). */
function pinned(pins: ReadonlyMap<string, KommunePin>, pin: KommunePin, ranks: Map<string, RankedEntry>) {
  const rankOf = (nr: string) => ranks.get(nr)?.rank ?? Number.POSITIVE_INFINITY;
  return [...pins]
    .filter(([, p]) => p === pin)
    .map(([nr]) => nr)
    .sort((a, b) => rankOf(a) - rankOf(b) || a.localeCompare(b));
}

function sampleNotes(input: SelectionInput, topCount: number): string[] {
  if (input.sampleKommune === null || topCount === 0) return [];
  return [
    `the kommune ranking's top ${input.topN} is not run: with no SOURCES_FILE or NAP credentials only ` +
      `the sample kommune ${input.sampleKommune} has data`,
  ];
}

function nothingToChoose(input: SelectionInput): ConfigError {
  const ranking = input.ranking
    ? `the kommune ranking of ${input.ranking.finishedAt.slice(0, 10)} flags no top kommune`
    : 'there is no kommune ranking yet (`tomtejakt kommuner --refresh`)';
  return new ConfigError(
    'KOMMUNER',
    `no kommuner to run: ${ranking} and KOMMUNER is not set: set KOMMUNER (e.g. 3207,3218) or pass --kommune`,
  );
}

const REASON_ORDER = ['top ', Reason.env, Reason.always, Reason.sample];

/** Reasons in a fixed order: top 50, KOMMUNER, Alltid med, sample; anything else after. */
function orderReasons(reasons: string[]): string[] {
  const at = (reason: string) => {
    const i = REASON_ORDER.findIndex((r) => reason.startsWith(r));
    return i === -1 ? REASON_ORDER.length : i;
  };
  return [...reasons].sort((a, b) => at(a) - at(b));
}

function entry(nr: string, ranks: Map<string, RankedEntry>) {
  const ranked = ranks.get(nr);
  return { kommunenummer: nr, navn: ranked?.navn ?? null, rank: ranked?.rank ?? null };
}

function selected(nr: string, reasons: string[], ranks: Map<string, RankedEntry>): SelectedKommune {
  return { ...entry(nr, ranks), reasons };
}
