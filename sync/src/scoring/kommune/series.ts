import type { BoundaryChanges } from '../../sources/ssb/harmonise.js';
import { formatInteger } from '../../util/norwegian-format.js';
import { periodYear } from './table-plan.js';
import type { TableValues } from './table-values.js';

/**
 * Growth from a yearly series on today's kommuner, checked year by year: never from a zero, never
 * across a gap, never across an implausible jump (a change of more than `maxYearlyChange` in one
 * year where the kommune's boundary did not change), and never from a figure that is not on the
 * kommune's own boundary (before a split). Where a split leaves the early years unknowable and no
 * own-boundary figure is at hand, the window starts at the split and the growth is scaled to the
 * full window (compound), with a note.
 */
export interface SeriesContext {
  boundaries?: BoundaryChanges;
  /** Own-boundary figures for the years before a split (the bundled 14288 extract), population only. */
  ownBoundary?: ReadonlyMap<string, ReadonlyMap<number, number>>;
  maxYearlyChange: number;
}

export type SeriesGrowth =
  | {
      ok: true;
      /** % over `years` (scaled to `years` when the window was shortened). */
      growth: number;
      startYear: number;
      endYear: number;
      end: string;
      startValue: number;
      endValue: number;
      /** Norwegian: how the window was shortened or own-boundary figures used; null when plain. */
      note: string | null;
    }
  | {
      ok: false;
      /** English, for logs and reports. */
      missing: string;
      /** Norwegian, for the explanation, when the figure was flagged as implausible. */
      flag: string | null;
      /** The latest figure, when there is one (population is still known when growth is flagged). */
      endValue: number | null;
      end: string | null;
    };

interface Point {
  value: number | null;
  own: boolean;
  missing?: string;
}

const pct = (x: number) =>
  // Stryker disable next-line EqualityOperator: pct only formats a change beyond maxYearlyChange, never 0
  `${x >= 0 ? '+' : '−'}${Math.abs(x * 100)
    .toFixed(1)
    .replace('.', ',')} %`;

export function seriesGrowth(
  values: TableValues,
  nr: string,
  measure: string,
  opts: { years: number; fallback: number; useOwnBoundary: boolean },
  ctx: SeriesContext,
): SeriesGrowth {
  const periods = values.plan.periods.slice().sort();
  const byYear = new Map(periods.map((p) => [periodYear(p), p]));
  // No split: every year is on today's boundary (no year is before -Infinity).
  const split = ctx.boundaries?.splitSince.get(nr) ?? Number.NEGATIVE_INFINITY;
  const own = opts.useOwnBoundary ? ctx.ownBoundary?.get(nr) : undefined;
  const point = (year: number): Point => {
    if (year < split) {
      const figure = own?.get(year);
      return figure === undefined
        ? // Stryker disable next-line BooleanLiteral: `own` of a point without a figure is never read (the null check comes first)
          { value: null, own: false, missing: 'before the split' }
        : { value: figure, own: true };
    }
    const period = byYear.get(year);
    const v = period ? values.get(nr, { measure, period }) : { value: null, missing: 'not-in-extract' };
    return { value: v.value, own: false, missing: v.missing };
  };

  const latest = periods.at(-1);
  // Stryker disable next-line StringLiteral: planTable never plans an empty period list, so the loop always sets the reason
  let reason = 'not-available';
  let lastKnown: { value: number; end: string } | null = null;
  // Stryker disable next-line MethodExpression: periods is this function's own sorted copy, not read after the loop, so reversing it in place would change nothing seen
  for (const end of periods.slice().reverse()) {
    if (!latest || periodYear(latest) - periodYear(end) > opts.fallback) break;
    const endYear = periodYear(end);
    const endPoint = point(endYear);
    if (endPoint.value === null) {
      reason = endPoint.missing ?? reason;
      continue;
    }
    lastKnown ??= { value: endPoint.value, end };
    let startYear = endYear - opts.years;
    let note: string | null = null;
    // Stryker disable next-line EqualityOperator: at startYear === split the window starts at the split either way
    if (startYear < split && point(startYear).value === null) {
      startYear = split;
      note = `kortere vindu ${startYear}–${endYear}: kommunen ble delt ${split}, eldre tall gjelder ikke dagens grenser`;
    }
    if (endYear - startYear < 1) {
      return missing(`only ${endYear - startYear} years since the split in ${split}`, null, lastKnown);
    }
    const check = checkSeries(point, nr, startYear, endYear, ctx);
    if (!check.ok) return missing(check.missing, check.flag, lastKnown);
    const startValue = point(startYear).value!;
    const span = endYear - startYear;
    const growth = ((endPoint.value / startValue) ** (opts.years / span) - 1) * 100;
    if (note) note += `; veksten er regnet om til ${opts.years} år`;
    if (check.ownYears.length > 0 && !note)
      note = `egne tall for dagens grenser ${rangeText(check.ownYears)} (kommunen ble delt ${split})`;
    return { ok: true, growth, startYear, endYear, end, startValue, endValue: endPoint.value, note };
  }
  return missing(reason, null, lastKnown);
}

function missing(
  reason: string,
  flag: string | null,
  lastKnown: { value: number; end: string } | null,
): SeriesGrowth {
  return {
    ok: false,
    missing: reason,
    flag,
    endValue: lastKnown?.value ?? null,
    end: lastKnown?.end ?? null,
  };
}

function checkSeries(
  point: (year: number) => Point,
  nr: string,
  startYear: number,
  endYear: number,
  ctx: SeriesContext,
): { ok: true; ownYears: number[] } | { ok: false; missing: string; flag: string | null } {
  const ownYears: number[] = [];
  let previous: { year: number; value: number } | null = null;
  for (let year = startYear; year <= endYear; year += 1) {
    const p = point(year);
    if (p.value === null) return { ok: false, missing: `no figure for ${year} (${p.missing})`, flag: null };
    if (p.value <= 0)
      return {
        ok: false,
        missing: `zero figure for ${year}`,
        flag: `tallet for ${year} er 0: trolig ikke på dagens grenser`,
      };
    if (p.own) ownYears.push(year);
    if (previous) {
      const change = p.value / previous.value - 1;
      const explained = ctx.boundaries?.changeYears.get(nr)?.has(year) ?? false;
      if (Math.abs(change) > ctx.maxYearlyChange && !explained)
        return {
          ok: false,
          missing: `implausible change ${(change * 100).toFixed(1)} % ${previous.year}→${year} (${previous.value} → ${p.value}) without a boundary change`,
          flag: `${pct(change)} fra ${previous.year} til ${year} (${formatInteger(previous.value)} → ${formatInteger(p.value)}) uten grenseendring: usikkert tall, faktoren er holdt utenfor`,
        };
    }
    previous = { year, value: p.value };
  }
  return { ok: true, ownYears };
}

function rangeText(years: number[]): string {
  return years.length === 1 ? String(years[0]) : `${years[0]}–${years.at(-1)}`;
}
