import type { TierCounts } from '../../domain/week-counts.js';
import { formatInteger } from '../../util/norwegian-format.js';
import { TIERS } from '../labels.js';
import { TIER_COLORS } from '../style.js';
import { escapeXml } from './escape.js';

const svgOpen = (width: number, height: number, label: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(label)}" class="chart">`;

const text = (x: number, y: number, content: string, attributes = '', size = 10) =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${size}"${attributes ? ` ${attributes}` : ''}>${escapeXml(content)}</text>`;

/**
 * Lots by tier over the weeks, as stacked bars (A at the bottom, where the eye starts). A week
 * with no snapshot is a gap marked "–": the chart never invents a count.
 */
export function tierHistorySvg(history: Array<{ week: string; lots: TierCounts | null }>): string {
  const width = 520;
  const height = 190;
  const left = 40;
  const bottom = height - 34;
  const top = 12;
  const totals = history.map((h) => (h.lots ? TIERS.reduce((sum, tier) => sum + h.lots![tier], 0) : 0));
  const max = Math.max(1, ...totals);
  const slot = (width - left - 8) / Math.max(1, history.length);
  const barWidth = Math.min(28, slot * 0.7);
  const scale = (bottom - top) / max;
  const bars = history.map((h, i) => {
    const x = left + i * slot + (slot - barWidth) / 2;
    const label = text(x + barWidth / 2, bottom + 12, `u${Number(h.week.slice(6))}`, 'text-anchor="middle"');
    if (!h.lots)
      return `${label}${text(x + barWidth / 2, bottom - 4, '–', 'text-anchor="middle" fill="#888"')}`;
    let y = bottom;
    const parts = TIERS.map((tier) => {
      const value = h.lots![tier];
      const heightOf = value * scale;
      y -= heightOf;
      return value > 0
        ? `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${heightOf.toFixed(1)}" fill="${TIER_COLORS[tier]}"><title>${escapeXml(`${h.week} ${tier}: ${formatInteger(value)}`)}</title></rect>`
        : '';
    });
    return `${parts.join('')}${label}${text(x + barWidth / 2, y - 3, formatInteger(totals[i]!), 'text-anchor="middle"', 8)}`;
  });
  const axis =
    `<path d="M${left} ${top}V${bottom}H${width - 4}" stroke="#999" fill="none"/>` +
    text(left - 4, top + 8, formatInteger(max), 'text-anchor="end"') +
    text(left - 4, bottom, '0', 'text-anchor="end"');
  const legend = TIERS.map(
    (tier, i) =>
      `<rect x="${left + i * 70}" y="${height - 12}" width="10" height="10" fill="${TIER_COLORS[tier]}"/>` +
      text(left + i * 70 + 14, height - 3, `Klasse ${tier}`),
  ).join('');
  return `${svgOpen(width, height, 'Tomter per klasse de siste 12 ukene')}${axis}${bars.join('')}${legend}</svg>`;
}

/** The pipeline as a funnel: one bar per stage, its width the stage's count, centred. */
export function funnelSvg(stages: Array<{ label: string; count: number }>): string {
  const width = 520;
  const row = 26;
  const height = stages.length * row + 8;
  const max = Math.max(1, ...stages.map((s) => s.count));
  const labelWidth = 110;
  const room = width - labelWidth - 50;
  const bars = stages.map((stage, i) => {
    const barWidth = Math.max(2, (stage.count / max) * room);
    const x = labelWidth + (room - barWidth) / 2;
    const y = 4 + i * row;
    const shade = `hsl(210, 55%, ${Math.round(35 + (i / Math.max(1, stages.length - 1)) * 30)}%)`;
    return (
      text(labelWidth - 8, y + 15, stage.label, 'text-anchor="end"', 11) +
      `<rect x="${x.toFixed(1)}" y="${y}" width="${barWidth.toFixed(1)}" height="${row - 6}" fill="${shade}" rx="2"/>` +
      text(labelWidth + room + 8, y + 15, formatInteger(stage.count), 'font-weight="bold"', 11)
    );
  });
  return `${svgOpen(width, height, 'Salgstrakten')}${bars.join('')}</svg>`;
}
