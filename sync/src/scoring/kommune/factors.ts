import type { KommuneRules } from '../../config/kommune-rules.js';
import { councilFigures } from './politics.js';
import { seriesGrowth, type SeriesContext } from './series.js';
import { periodYear, periodYearsBefore, type TableSpec } from './table-plan.js';
import type { TableValues } from './table-values.js';
import type { FactorRaw, KommuneFactorKey } from './types.js';

export interface ExtractContext {
  kommuner: string[];
  rules: KommuneRules;
  /** Population per kommune (from the population factor), for per-1,000 figures. */
  population?: ReadonlyMap<string, { value: number; year: string }>;
  /** Kommune changes and own-boundary figures, for checking yearly series (growth factors). */
  series?: Omit<SeriesContext, 'maxYearlyChange'>;
}

interface FactorBase {
  key: KommuneFactorKey;
  /** Norwegian, as the sales team reads it. */
  label: string;
  /** Unit of the raw figure, Norwegian. */
  unit: string;
  /** One line for the method table (English, docs). */
  measures: string;
  /** Weights of the components percentile-ranked and averaged into the factor's 0–1 value. */
  components(rules: KommuneRules): Record<string, number>;
}

/** A factor read from one SSB table. */
export interface TableFactorDefinition extends FactorBase {
  table(rules: KommuneRules): TableSpec;
  extract(values: TableValues, ctx: ExtractContext): Map<string, FactorRaw>;
}

/** A factor computed from other factors' figures (their tables are fetched even at weight 0). */
export interface DerivedFactorDefinition extends FactorBase {
  inputs: KommuneFactorKey[];
  derive(
    raws: Partial<Record<KommuneFactorKey, ReadonlyMap<string, FactorRaw>>>,
    ctx: ExtractContext,
  ): Map<string, FactorRaw>;
}

export type FactorDefinition = TableFactorDefinition | DerivedFactorDefinition;

export const isTableFactor = (def: FactorDefinition): def is TableFactorDefinition => 'table' in def;

const lastN = (n: number) => (periods: string[]) => periods.slice(-n);

function missing(reason: string, detail?: FactorRaw['detail']): FactorRaw {
  return { value: null, year: null, components: {}, missing: reason, ...(detail ? { detail } : {}) };
}

/** Every period of the last `n` years (a growth factor checks each year of its window). */
const lastYears = (n: number) => (periods: string[]) => periods.slice(-n);

/** The latest period (within the fallback) where the kommune has a value. */
function latestLevel(
  values: TableValues,
  nr: string,
  measure: string,
  fallback: number,
  extra: Record<string, string> = {},
) {
  // The plan's periods are ascending (planTable sorts the table's years); newest first here.
  const periods = [...values.plan.periods].reverse();
  const latest = periods[0];
  for (const period of periods) {
    if (latest && periodYear(latest) - periodYear(period) > fallback) break;
    const v = values.get(nr, { measure, period, ...extra });
    if (v.value !== null) return { value: v.value, period };
  }
  const reason = latest ? values.get(nr, { measure, period: latest, ...extra }).missing : undefined;
  // Stryker disable next-line StringLiteral: a null value from table-values always has a reason (jsonstat.ts: 'unknown' at worst), and a plan has periods
  return { value: null, period: null, reason: reason ?? 'not-available' };
}

const single = () => ({ value: 1 });

/**
 * The price change over `years`, from the longest span of `years` down to `years − 2` whose start
 * has a price, scaled to `years` (compound) when shorter: 06035 has 2019 prices for few of today's
 * kommuner (the upstream extract does not carry them across the 2020 mergers).
 */
function priceChange(
  level: { value: number; period: string },
  years: number,
  periods: string[],
  priceAt: (period: string) => number | null,
): { change: number; from: string } | null {
  for (let span = years; span >= Math.max(1, years - 2); span -= 1) {
    const startPeriod = periodYearsBefore(level.period, span, periods);
    // A missing start price counts as none (0): the span is shortened.
    const start = (startPeriod ? priceAt(startPeriod) : null) ?? 0;
    if (start > 0 && startPeriod)
      return { change: ((level.value / start) ** (years / span) - 1) * 100, from: startPeriod };
  }
  return null;
}

/**
 * A growth factor: % change over `growthYears` per kommune from a series checked year by year
 * (series.ts). The end figure (population, employed) and the change in persons are kept as detail,
 * also when the growth itself is missing or flagged.
 */
function growthExtract(
  measure: string,
  detailKey: string,
  addedKey: string,
  useOwnBoundary: boolean,
): TableFactorDefinition['extract'] {
  return (values, { kommuner, rules, series }) => {
    const out = new Map<string, FactorRaw>();
    const ctx = { ...series, maxYearlyChange: rules.maxYearlyChange };
    const opts = { years: rules.growthYears, fallback: rules.levelFallbackYears, useOwnBoundary };
    for (const nr of kommuner) {
      const g = seriesGrowth(values, nr, measure, opts, ctx);
      if (!g.ok) {
        const detail = { [detailKey]: g.endValue, ...(g.end ? { ar: g.end } : {}) };
        out.set(nr, missing(g.missing, g.flag ? { ...detail, flagg: g.flag } : detail));
        continue;
      }
      out.set(nr, {
        value: g.growth,
        year: g.end,
        components: { value: g.growth },
        detail: {
          [detailKey]: g.endValue,
          [addedKey]: g.endValue - g.startValue,
          fraAr: String(g.startYear),
          ...(g.note ? { merknad: g.note } : {}),
        },
      });
    }
    return out;
  };
}

/**
 * Dwellings per 1,000 inhabitants per year, averaged over the table's periods (small kommuner
 * build in bursts); the yearly average count kept as detail (`detailKey`) for market size.
 */
function perThousandExtract(measure: string, detailKey: string): TableFactorDefinition['extract'] {
  return (values, { kommuner, population }) => {
    const out = new Map<string, FactorRaw>();
    const periods = values.plan.periods;
    for (const nr of kommuner) {
      const people = population?.get(nr);
      if (!people || people.value <= 0) {
        out.set(nr, missing('population unavailable'));
        continue;
      }
      const yearly = periods.map((period) => values.get(nr, { measure, period }));
      const known = yearly.filter((v) => v.value !== null).map((v) => v.value!);
      if (known.length === 0) {
        // Stryker disable next-line StringLiteral: a null value from table-values always has a reason (jsonstat.ts: 'unknown' at worst)
        out.set(nr, missing(yearly[0]!.missing ?? 'not-available'));
        continue;
      }
      const average = known.reduce((a, b) => a + b, 0) / known.length;
      const perThousand = (average / people.value) * 1000;
      out.set(nr, {
        value: perThousand,
        year: periods.at(-1)!,
        components: { value: perThousand },
        detail: { [detailKey]: average, ar: known.length },
      });
    }
    return out;
  };
}

/** A number from another factor's detail (present or not: detail survives a missing figure). */
function detailNumber(
  raws: Partial<Record<KommuneFactorKey, ReadonlyMap<string, FactorRaw>>>,
  key: KommuneFactorKey,
  nr: string,
  field: string,
): number | null {
  const value = raws[key]?.get(nr)?.detail?.[field];
  return Number.isFinite(value) ? (value as number) : null;
}

/**
 * Market size (issue 12, point 2): absolute demand beside the rates. Three counts, each
 * percentile-ranked and averaged: persons the projection adds to the projection year (14288/14746
 * MMMM), persons added over the last `growthYears` (07459), owner-occupied sales in the latest
 * year (06035), and dwellings completed per year where 05940 is at hand. A growth the series
 * check flagged gives no persons added.
 */
const marketSize: DerivedFactorDefinition = {
  key: 'markedsstorrelse',
  label: 'Markedsstørrelse',
  unit: 'personer framskrevet tilvekst til 2040 (hovedalternativet)',
  measures:
    'Absolute demand: projected growth in persons to 2040, persons added over the last 5 years, sales per year, completions per year',
  inputs: ['framskrevetVekst', 'befolkningsvekst', 'boligpris', 'boligbygging'],
  components: () => ({ projected: 1, added: 1, sales: 1, completed: 1 }),
  derive(raws, { kommuner }) {
    const out = new Map<string, FactorRaw>();
    for (const nr of kommuner) {
      const projected = detailNumber(raws, 'framskrevetVekst', nr, 'framskrevetTilvekst');
      const added =
        raws.befolkningsvekst?.get(nr)?.value === null
          ? null
          : detailNumber(raws, 'befolkningsvekst', nr, 'tilvekst');
      const sales = detailNumber(raws, 'boligpris', nr, 'omsetninger');
      const completed = detailNumber(raws, 'boligbygging', nr, 'fullforteSnitt');
      const components = { projected, added, sales, completed };
      if (Object.values(components).every((v) => v === null)) {
        out.set(nr, missing('no market figure (projection, population, sales)'));
        continue;
      }
      out.set(nr, {
        value: projected ?? added,
        year: raws.framskrevetVekst?.get(nr)?.year ?? raws.befolkningsvekst?.get(nr)?.year ?? null,
        components,
        detail: {
          framskrevetTilvekst: projected,
          tilvekst5ar: added,
          omsetningerPerAr: sales,
          fullfortePerAr: completed,
        },
      });
    }
    return out;
  },
};

export const FACTORS: FactorDefinition[] = [
  {
    key: 'befolkningsvekst',
    label: 'Befolkningsvekst',
    unit: '% siste 5 år',
    measures: 'Population change over the last 5 years (1 January figures)',
    table: (r) => ({
      measures: {
        population: { codes: ['Personer1', 'Personer'], labels: [/personer|persons|folkemengde/i] },
      },
      periods: lastYears(r.levelFallbackYears + r.growthYears + 1),
      harmonise: 'sum',
    }),
    components: single,
    extract: growthExtract('population', 'folketall', 'tilvekst', true),
  },
  {
    key: 'framskrevetVekst',
    label: 'Framskrevet vekst',
    unit: '% til 2040 (hovedalternativet)',
    measures: 'Projected population change from the projection’s first year to 2040, main alternative (MMMM)',
    table: (r) => ({
      measures: {
        projection: {
          // Stryker disable next-line ArrayDeclaration: no SSB ContentsCode is the placeholder Stryker puts in
          codes: [],
          labels: [
            /hovedalternativ/i,
            /\bMMMM\b/,
            /main alternative/i,
            /framskrevet folkemengde|projected population/i,
            // 14288/14746 as ContentsCode "Personer", the alternative in a variable of its own (prefer).
            /^personer$/i,
          ],
        },
      },
      prefer: [/hovedalternativ/i, /\bMMMM\b/, /main alternative/i],
      // planTable keeps only years the table has, so a projection year outside it drops out.
      periods: (periods) => [periods[0]!, String(r.projectionYear), periods.at(-1)!],
      harmonise: 'sum',
    }),
    components: single,
    extract(values, { kommuner, rules }) {
      const out = new Map<string, FactorRaw>();
      const periods = values.plan.periods;
      const base = periods[0]!;
      const target = periods.includes(String(rules.projectionYear))
        ? String(rules.projectionYear)
        : // Stryker disable next-line UnaryOperator: without the projection year the plan holds only the first and last year, so index 1 is the last
          periods.at(-1)!;
      for (const nr of kommuner) {
        const v0 = values.get(nr, { measure: 'projection', period: base });
        const v1 = values.get(nr, { measure: 'projection', period: target });
        // Stryker disable next-line ConditionalExpression: null <= 0 is true, so a missing base takes this branch either way
        if (v0.value === null || v1.value === null || v0.value <= 0) {
          out.set(nr, missing((v0.value === null ? v0.missing : v1.missing) ?? 'not-available'));
          continue;
        }
        const change = (v1.value / v0.value - 1) * 100;
        out.set(nr, {
          value: change,
          year: target,
          components: { value: change },
          detail: { fraAr: base, framskrevet: v1.value, framskrevetTilvekst: v1.value - v0.value },
        });
      }
      return out;
    },
  },
  marketSize,
  {
    key: 'boligpris',
    label: 'Boligpris',
    unit: 'kr per m²',
    measures: 'Average price per m² of owner-occupied dwellings (level) and its change over 5 years',
    table: (r) => ({
      measures: {
        price: { codes: ['KvPris'], labels: [/kvadratmeterpris|per m|price per/i] },
        sales: { codes: ['Omsetninger'], labels: [/omsetninger|transactions|antall/i] },
      },
      // Stryker disable next-line Regex: the anchors keep a category that names the total mid-label ("Eneboliger i alt") from being taken for it; no table the ranking reads has one today
      prefer: [/^alle (bolig|hus)/i, /^boliger i alt/i],
      periods: lastYears(r.levelFallbackYears + r.growthYears + 1),
      harmonise: 'renumber-only',
    }),
    components: (r) => ({ level: r.priceLevelShare, change: 1 - r.priceLevelShare }),
    extract(values, { kommuner, rules }) {
      const out = new Map<string, FactorRaw>();
      const typeVariable = Object.keys(values.plan.spread)[0];
      // The coordinates of each dwelling type (one empty one for a table without types).
      const types: Array<Record<string, string>> = typeVariable
        ? values.plan.spread[typeVariable]!.map((type) => ({ [typeVariable]: type }))
        : [{}];
      // With no "all dwellings" category, the price is the average over types weighted by sales.
      const priceAt = (nr: string, period: string) => {
        let weighted = 0;
        let sales = 0;
        let reason: string | undefined;
        for (const extra of types) {
          const price = values.get(nr, { measure: 'price', period, ...extra });
          const count = values.get(nr, { measure: 'sales', period, ...extra });
          if (price.value === null) {
            reason ??= price.missing;
            continue;
          }
          const n = types.length === 1 ? 1 : (count.value ?? 0);
          weighted += price.value * n;
          sales += n;
        }
        return sales > 0 ? { value: weighted / sales } : { value: null, reason: reason ?? 'not-available' };
      };
      // Sales in a year, all dwelling types (06035 publishes counts also where it suppresses the price).
      const salesAt = (nr: string, period: string) => {
        let total: number | null = null;
        for (const extra of types) {
          const count = values.get(nr, { measure: 'sales', period, ...extra }).value;
          if (count !== null) total = (total ?? 0) + count;
        }
        return total;
      };
      const periods = [...values.plan.periods].reverse();
      const latest = periods[0]!;
      for (const nr of kommuner) {
        let level: { value: number; period: string } | null = null;
        // Stryker disable next-line StringLiteral: replaced by priceAt's reason in the first period, which is always within the fallback
        let reason = 'not-available';
        for (const period of periods) {
          if (periodYear(latest) - periodYear(period) > rules.levelFallbackYears) break;
          const p = priceAt(nr, period);
          if (p.value !== null) {
            level = { value: p.value, period };
            break;
          }
          reason = p.reason ?? reason;
        }
        if (!level) {
          out.set(nr, missing(reason));
          continue;
        }
        const change = priceChange(
          level,
          rules.growthYears,
          values.plan.periods,
          (p) => priceAt(nr, p).value,
        );
        out.set(nr, {
          value: level.value,
          year: level.period,
          components: { level: level.value, change: change?.change ?? null },
          detail: {
            endring5ar: change?.change ?? null,
            endringFraAr: change?.from ?? null,
            omsetninger: salesAt(nr, level.period),
          },
        });
      }
      return out;
    },
  },
  {
    key: 'boligbygging',
    label: 'Boligbygging',
    unit: 'fullførte boliger per 1 000 innbyggere per år',
    measures: 'Completed dwellings per 1,000 inhabitants, yearly average of the last 3 years',
    table: (r) => ({
      measures: { completed: { codes: ['Fullforte'], labels: [/fullf[øo]rte/i, /completed/i] } },
      periods: lastN(r.completionsYears),
      harmonise: 'sum',
    }),
    components: single,
    extract: perThousandExtract('completed', 'fullforteSnitt'),
  },
  {
    key: 'inntekt',
    label: 'Inntekt',
    unit: 'kr, median husholdningsinntekt etter skatt',
    measures: 'Median household income after tax, all households',
    table: (r) => ({
      measures: {
        income: { codes: ['InntSkatt'], labels: [/etter skatt.*median|median.*etter skatt|after tax/i] },
      },
      // Stryker disable next-line Regex: the anchors keep a category that names the total mid-label ("Eneboliger i alt") from being taken for it; no table the ranking reads has one today
      prefer: [/^alle husholdninger/i, /^all households/i],
      periods: lastN(r.levelFallbackYears + 1),
      harmonise: 'renumber-only',
    }),
    components: single,
    extract(values, { kommuner, rules }) {
      const out = new Map<string, FactorRaw>();
      for (const nr of kommuner) {
        const level = latestLevel(values, nr, 'income', rules.levelFallbackYears);
        out.set(
          nr,
          level.value === null
            ? missing(level.reason)
            : { value: level.value, year: level.period, components: { value: level.value } },
        );
      }
      return out;
    },
  },
  {
    key: 'sysselsetting',
    label: 'Sysselsettingsvekst',
    unit: '% siste 5 år',
    measures: 'Change in employed persons (by place of residence) over the last 5 years',
    table: (r) => ({
      measures: {
        employed: { codes: ['Sysselsatte', 'SysselBosted'], labels: [/sysselsatte/i, /employed/i] },
      },
      periods: lastYears(r.levelFallbackYears + r.growthYears + 1),
      harmonise: 'sum',
    }),
    components: single,
    extract: growthExtract('employed', 'sysselsatte', 'nyeSysselsatte', false),
  },
  {
    key: 'byggevilje',
    label: 'Byggevilje',
    unit: 'igangsatte boliger per 1 000 innbyggere per år; for skannede kommuner også andel av kommuneplanens boligreserve regulert per år',
    measures:
      'Dwellings started per 1,000 inhabitants (yearly average of the last 3 years) and, where the nightly run has the plans, the share of the kommuneplan housing reserve regulated per year',
    table: (r) => ({
      measures: { started: { codes: ['Igangsatte'], labels: [/igangsatte/i, /started/i] } },
      periods: lastN(r.completionsYears),
      harmonise: 'sum',
    }),
    // `plan` is added from the nightly run's plan evidence (plan-evidence.ts), not from SSB.
    components: (r) => ({ value: r.byggeviljeComponents.started, plan: r.byggeviljeComponents.plan }),
    extract: perThousandExtract('started', 'igangsatteSnitt'),
  },
  {
    key: 'partistandpunkt',
    label: 'Partistandpunkt',
    unit: 'stemmevektet standpunkt til boligbygging, −1 til 1 (brukerens partistandpunkter)',
    measures:
      'Optional: how the latest kommunestyrevalg leans by configured party stances on housing (vote-share weighted)',
    table: () => ({
      measures: {
        votes: { codes: ['Godkjente1', 'Godkjente'], labels: [/godkjente/i, /approved|valid votes/i] },
      },
      selectAll: /parti/i,
      periods: lastN(1),
      harmonise: 'sum',
    }),
    components: single,
    extract(values, { kommuner, rules }) {
      const out = new Map<string, FactorRaw>();
      const partyVariable = Object.keys(values.plan.all)[0];
      const parties = partyVariable ? values.plan.all[partyVariable]! : [];
      const period = values.plan.periods.at(-1)!;
      for (const nr of kommuner) {
        const votes = new Map<string, number>();
        for (const party of parties) {
          const v = values.get(nr, { measure: 'votes', period, [partyVariable!]: party });
          // Stryker disable next-line ConditionalExpression: councilFigures drops non-finite counts, so a null vote count never counts
          if (v.value !== null) votes.set(party, v.value);
        }
        const figures = councilFigures(votes, rules.partyStances);
        if (!figures) {
          const why =
            Object.keys(rules.partyStances).length === 0
              ? 'no party stances configured'
              : 'no votes recorded';
          out.set(nr, missing(why));
          continue;
        }
        out.set(nr, {
          value: figures.stance,
          year: period,
          components: { value: figures.stance },
          detail: {
            storstePartiKode: figures.largestParty,
            storstePartiAndel: figures.largestShare,
            dekketAndel: figures.coveredShare,
          },
        });
      }
      return out;
    },
  },
];

export function factorDefinition(key: KommuneFactorKey): FactorDefinition {
  return FACTORS.find((f) => f.key === key)!;
}

/** A factor read from a table (throws for a derived one). */
export function tableFactor(key: KommuneFactorKey): TableFactorDefinition {
  const def = factorDefinition(key);
  if (!isTableFactor(def))
    throw new Error(`factor ${key} is derived from other factors, not read from a table`);
  return def;
}
