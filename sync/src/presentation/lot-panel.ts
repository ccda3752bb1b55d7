import { ALERT_TYPE_LABELS, type Alert } from '../domain/alert.js';
import type { TrackedLot } from '../lot-record/lifecycle.js';
import { lotViewOf } from './lot-view-of.js';
import { lotPanelSections, type PanelRow, type PanelSection } from './panel.js';

/** Alerts shown in a lot's panel, newest first; the rest are in Airtable's Varsler. */
export const PANEL_ALERTS = 5;

/**
 * A known lot's side panel (Norwegian): the lot's sections, led by why it is gone when it is and
 * by its change alerts (newest first) when it has any.
 */
export function trackedLotPanel(
  lot: TrackedLot,
  alerts: readonly Alert[] = [],
): { tomtId: string; sections: PanelSection[] } {
  const sections = lotPanelSections(lotViewOf(lot.record));
  if (alerts.length) sections.unshift({ title: 'Varsler', rows: alertRows(alerts) });
  if (lot.state === 'vanished')
    sections.unshift({
      title: 'Utgått',
      rows: [{ label: 'Årsak', value: lot.vanishedReason ?? 'Ikke funnet i siste kjøring' }],
    });
  return { tomtId: lot.record.tomtId, sections };
}

/** One row per alert ("2026-03-03 · Tapt til regulering": title and text), and a link to its plan. */
function alertRows(alerts: readonly Alert[]): PanelRow[] {
  const newest = [...alerts].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, PANEL_ALERTS);
  return newest.flatMap((alert) => {
    const row = {
      label: `${alert.createdAt.slice(0, 10)} · ${ALERT_TYPE_LABELS[alert.type]}`,
      value: `${alert.title}. ${alert.text}`,
    };
    const link = alert.details.link;
    return typeof link === 'string' && /^https?:\/\//.test(link)
      ? [row, { label: 'Planen', value: String(alert.details.planId ?? 'Se planen'), href: link }]
      : [row];
  });
}
