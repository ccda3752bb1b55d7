import type { TrackedLot } from '../lot-record/lifecycle.js';
import { lotViewOf } from './lot-view-of.js';
import { lotPanelSections, type PanelSection } from './panel.js';

/** A known lot's side panel (Norwegian): the lot's sections, led by why it is gone when it is. */
export function trackedLotPanel(lot: TrackedLot): { tomtId: string; sections: PanelSection[] } {
  const sections = lotPanelSections(lotViewOf(lot.record));
  if (lot.state === 'vanished')
    sections.unshift({
      title: 'Utgått',
      rows: [{ label: 'Årsak', value: lot.vanishedReason ?? 'Ikke funnet i siste kjøring' }],
    });
  return { tomtId: lot.record.tomtId, sections };
}
