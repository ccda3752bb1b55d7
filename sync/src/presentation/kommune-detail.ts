import {
  norwegianNumber,
  osloDate,
  type KommuneDashboard,
  type KommuneFactorColumn,
  type KommuneRow,
} from './kommune-dashboard.js';

/*
 * One kommune's panel on the dashboard: its factors with value, points and rank, its figures
 * over the stored refreshes as small line charts, and its explanation (the method's own text
 * when the ranking has one, else a summary of the factors that lift and pull, generated here).
 */

/** One successful refresh as the store remembers it for a kommune. */
export interface KommuneHistoryInput {
  refreshId: number;
  finishedAt: string | null;
  score: number | null;
  rank: number | null;
  factors?: Readonly<Record<string, { raw: number | null; points: number }>>;
}

/** A line chart in SVG user units, drawn by the page with DOM calls (no markup from data). */
export interface ChartModel {
  width: number;
  height: number;
  /** The plot area inside the axes. */
  plot: { x0: number; x1: number; y0: number; y1: number };
  /** SVG path data; breaks where a value is missing. Empty with fewer than two values. */
  path: string;
  dots: Array<{ x: number; y: number; title: string }>;
  yTicks: Array<{ y: number; label: string }>;
  xLabels: Array<{ x: number; label: string; anchor: 'start' | 'middle' | 'end' }>;
}

export interface KommuneDetailFactor {
  key: string;
  label: string;
  unit: string | null;
  weight: number;
  valueText: string;
  year: string | null;
  points: number;
  pointsText: string;
  rank: number | null;
  of: number;
  missing: string | null;
  /** The factor's value over the refreshes; null with no history of it. */
  spark: ChartModel | null;
}

export interface KommuneDetail {
  kommune: KommuneRow;
  title: string;
  /** "Nr. 12 av 357 · 78,4 poeng · topp 50". */
  headline: string;
  factors: KommuneDetailFactor[];
  explanation: { source: 'ranking' | 'generated'; paragraphs: string[] };
  /** Oldest first. */
  history: Array<{ refreshId: number; date: string; score: number | null; rank: number | null }>;
  /** Score (0–100) over the refreshes. */
  chart: ChartModel;
}

const points1 = (value: number) => norwegianNumber(value, 1);

export function factorValueText(column: KommuneFactorColumn, value: number | null): string {
  if (value === null) return 'mangler';
  return norwegianNumber(value, column.decimals);
}

/** The panel of kommune `nr`, or null when the ranking does not have it. */
export function kommuneDetail(
  dashboard: KommuneDashboard,
  nr: string,
  history: readonly KommuneHistoryInput[],
  explanation?: string | readonly string[] | null,
): KommuneDetail | null {
  const row = dashboard.kommuner.find((k) => k.nr === nr);
  if (!row) return null;
  const oldestFirst = [...history].sort((a, b) => a.refreshId - b.refreshId);
  const given = typeof explanation === 'string' ? explanation.split(/\n+/) : (explanation ?? []);
  const paragraphs = given.map((p) => p.trim()).filter(Boolean);
  return {
    kommune: row,
    title: `${row.navn} (${row.nr})`,
    headline: headline(dashboard, row),
    factors: dashboard.factors.map((column) => detailFactor(column, row, oldestFirst)),
    explanation: paragraphs.length
      ? { source: 'ranking', paragraphs }
      : { source: 'generated', paragraphs: kommuneSummary(dashboard, row) },
    history: oldestFirst.map((h) => ({
      refreshId: h.refreshId,
      date: h.finishedAt ? osloDate(h.finishedAt) : '–',
      score: h.score,
      rank: h.rank,
    })),
    chart: lineChart(
      oldestFirst.map((h) => ({
        at: h.finishedAt,
        value: h.score,
        title: `${h.finishedAt ? osloDate(h.finishedAt) : '–'}: ${h.score === null ? 'ingen score' : `${points1(h.score)} poeng, nr. ${h.rank ?? '–'}`}`,
      })),
      { width: 320, height: 130, pad: { left: 30, right: 10, top: 8, bottom: 20 }, min: 0, max: 100 },
    ),
  };
}

function headline(dashboard: KommuneDashboard, row: KommuneRow): string {
  const parts = [
    row.rank === null ? 'Ikke rangert' : `Nr. ${row.rank} av ${dashboard.count}`,
    row.score === null ? 'ingen score' : `${points1(row.score)} poeng`,
    `konfidens ${row.confidenceLabel.toLowerCase()}`,
  ];
  if (row.top) parts.push(`topp ${dashboard.topCount}`);
  else if (row.belowMinPopulation) parts.push('under minste folketall');
  return parts.join(' · ');
}

function detailFactor(
  column: KommuneFactorColumn,
  row: KommuneRow,
  history: readonly KommuneHistoryInput[],
): KommuneDetailFactor {
  const cell = row.factors[column.key]!;
  const known = history.filter((h) => h.factors?.[column.key] !== undefined);
  return {
    key: column.key,
    label: column.label,
    unit: column.unit,
    weight: column.weight,
    valueText: factorValueText(column, cell.value),
    year: cell.year,
    points: cell.points,
    pointsText: points1(cell.points),
    rank: cell.rank,
    of: column.of,
    missing: cell.missing,
    spark: known.length
      ? lineChart(
          known.map((h) => {
            const raw = h.factors![column.key]!.raw;
            const date = h.finishedAt ? osloDate(h.finishedAt) : '–';
            return { at: h.finishedAt, value: raw, title: `${date}: ${factorValueText(column, raw)}` };
          }),
          { width: 72, height: 22, pad: { left: 3, right: 3, top: 3, bottom: 3 } },
        )
      : null,
  };
}

/**
 * The generated explanation: rank and score, the (at most three) factors that lift the kommune
 * most and pull it down most, what is missing and what that did to the confidence, the move since
 * the previous refresh.
 */
export function kommuneSummary(dashboard: KommuneDashboard, row: KommuneRow): string[] {
  if (row.score === null)
    return [`${row.navn} har ingen score: ingen av faktorene kunne beregnes.`, missingText(row)];
  const paragraphs = [
    `${row.navn} er nr. ${row.rank} av ${dashboard.count} med ${points1(row.score)} poeng` +
      (row.top
        ? ` og står på topp ${dashboard.topCount}-listen.`
        : ` og er ikke på topp ${dashboard.topCount}-listen.`),
  ];
  const present = dashboard.factors
    .map((column) => ({ column, cell: row.factors[column.key]! }))
    .filter((f) => f.cell.normalised !== null);
  const lifting = present
    .filter((f) => f.cell.normalised! >= 0.6)
    .sort((a, b) => b.cell.normalised! - a.cell.normalised!)
    .slice(0, 3);
  const pulling = present
    .filter((f) => f.cell.normalised! <= 0.4)
    .sort((a, b) => a.cell.normalised! - b.cell.normalised!)
    .slice(0, 3);
  const list = (fs: typeof present) =>
    fs
      .map(
        ({ column, cell }) =>
          `${column.label} (nr. ${cell.rank} av ${column.of}, ${points1(cell.points)} poeng av vekt ${column.weight})`,
      )
      .join(', ');
  paragraphs.push(
    lifting.length
      ? `Trekker opp: ${list(lifting)}.`
      : 'Ingen faktor trekker tydelig opp (ingen blant de beste 40 %).',
  );
  paragraphs.push(
    pulling.length
      ? `Trekker ned: ${list(pulling)}.`
      : 'Ingen faktor trekker tydelig ned (ingen blant de svakeste 40 %).',
  );
  paragraphs.push(missingText(row));
  if (row.rank !== null && row.previousRank !== null && row.previousRank !== row.rank) {
    const moved = row.previousRank - row.rank;
    paragraphs.push(
      `${moved > 0 ? 'Opp' : 'Ned'} ${Math.abs(moved)} ${Math.abs(moved) === 1 ? 'plass' : 'plasser'} siden forrige oppdatering (var nr. ${row.previousRank}).`,
    );
  }
  return paragraphs;
}

function missingText(row: KommuneRow): string {
  const confidence = `konfidensen er ${row.confidenceLabel.toLowerCase()}`;
  if (!row.missing.length) return `Alle faktorene har tall, og ${confidence}.`;
  return (
    `Mangler tall for ${row.missing.join(', ')}: vekten er fordelt på de andre faktorene ` +
    `(${norwegianNumber(row.weightShare * 100, 0)} % av vekten har tall), og ${confidence}.`
  );
}

interface ChartBox {
  width: number;
  height: number;
  pad: { left: number; right: number; top: number; bottom: number };
  /** Fixed value range; by default the values' own (a flat series sits in the middle). */
  min?: number;
  max?: number;
}

/**
 * A line over time: x by date (evenly spaced when dates are missing or equal), y by value.
 * With axis ticks when the range is fixed (the score chart), without for sparklines.
 */
export function lineChart(
  points: ReadonlyArray<{ at: string | null; value: number | null; title: string }>,
  box: ChartBox,
): ChartModel {
  const { width, height, pad } = box;
  const times = points.map((p, i) => (p.at ? Date.parse(p.at) : NaN) || i);
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const min = box.min ?? Math.min(...values);
  const max = box.max ?? Math.max(...values);
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const xOf = (i: number) =>
    round1(pad.left + (t1 === t0 ? innerW / 2 : ((times[i]! - t0) / (t1 - t0)) * innerW));
  const yOf = (v: number) =>
    round1(pad.top + (max === min ? innerH / 2 : (1 - (v - min) / (max - min)) * innerH));
  const dots = points.flatMap((p, i) =>
    p.value === null ? [] : [{ x: xOf(i), y: yOf(p.value), title: p.title }],
  );
  let path = '';
  let pen = false;
  points.forEach((p, i) => {
    if (p.value === null) pen = false;
    else {
      path += `${pen ? 'L' : 'M'}${xOf(i)} ${yOf(p.value)}`;
      pen = true;
    }
  });
  const fixed = box.min !== undefined && box.max !== undefined;
  const first = points[0];
  const last = points[points.length - 1];
  return {
    width,
    height,
    plot: { x0: pad.left, x1: width - pad.right, y0: pad.top, y1: height - pad.bottom },
    path: dots.length > 1 ? path : '',
    dots,
    yTicks: fixed
      ? [min, (min + max) / 2, max].map((v) => ({ y: yOf(v), label: norwegianNumber(v, 0) }))
      : [],
    xLabels:
      fixed && first && last
        ? first === last
          ? [{ x: xOf(0), label: dateOf(first.at), anchor: 'middle' as const }]
          : [
              { x: xOf(0), label: dateOf(first.at), anchor: 'start' as const },
              { x: xOf(points.length - 1), label: dateOf(last.at), anchor: 'end' as const },
            ]
        : [],
  };
}

const dateOf = (at: string | null) => (at ? osloDate(at) : '–');
const round1 = (v: number) => Math.round(v * 10) / 10;
