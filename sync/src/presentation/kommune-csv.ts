import { spreadsheetSafeText } from './csv-text.js';
import { norwegianNumber, type KommuneDashboard } from './kommune-dashboard.js';

/**
 * The dashboard's table as a file Norwegian Excel opens with a double click: UTF-8 with a byte
 * order mark (so æøå survive), `;` between fields and a decimal comma (Excel's list separator
 * and number format in the nb-NO locale), CRLF line ends, numbers without thousands separators
 * (so they stay numbers). One column group per factor of the ranking: value, year, points, rank.
 */
export function kommuneRankingCsv(dashboard: KommuneDashboard): string {
  const header = ['Rang', 'Forrige rang', 'Kommunenummer', 'Kommune', 'Fylke'];
  if (dashboard.hasPopulation) header.push('Folketall');
  header.push(
    'Score',
    `Topp ${dashboard.topCount}`,
    'Konfidens',
    'Andel av vekten med tall',
    'Manglende faktorer',
  );
  for (const f of dashboard.factors)
    header.push(
      f.unit ? `${f.label} (${f.unit})` : f.label,
      `${f.label} år`,
      `${f.label} poeng`,
      `${f.label} rang (av ${f.of})`,
    );
  const lines = [header.map(text)];
  for (const k of dashboard.kommuner) {
    const cells = [number(k.rank, 0), number(k.previousRank, 0), text(k.nr), text(k.navn), text(k.fylke)];
    if (dashboard.hasPopulation) cells.push(number(k.population, 0));
    cells.push(
      number(k.score, 2),
      k.top ? 'ja' : 'nei',
      text(k.confidenceLabel),
      number(k.weightShare, 3),
      text(k.missing.join(', ')),
    );
    for (const f of dashboard.factors) {
      const cell = k.factors[f.key]!;
      cells.push(
        number(cell.value, Math.max(f.decimals, 2)),
        text(cell.year ?? ''),
        number(cell.points, 2),
        number(cell.rank, 0),
      );
    }
    lines.push(cells);
  }
  return `\uFEFF${lines.map((cells) => cells.join(';')).join('\r\n')}\r\n`;
}

/** The file name offered for download: `kommunerangering-2026-03-10.csv`. */
export function kommuneRankingCsvName(dashboard: KommuneDashboard): string {
  return `kommunerangering-${dashboard.updatedAt?.slice(0, 10) ?? 'ukjent'}.csv`;
}

function number(value: number | null, decimals: number): string {
  return value === null ? '' : norwegianNumber(value, decimals).replace(/ /g, '');
}

/** Quoted when needed; made spreadsheet-safe (no formula, no control characters). */
function text(value: string): string {
  const safe = spreadsheetSafeText(value);
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
