import { describe, expect, it } from 'vitest';
import { tomterCellsOf } from '../../../sync/src/crm/tomter/cells.js';
import { lotViewFromFields } from '../../../sync/src/crm/tomter/lot-view-from-cells.js';
import { lotViewOf } from '../../../sync/src/presentation/lot-view-of.js';
import { lotPanelSections } from '../../../sync/src/presentation/panel.js';
import { trackedLotPanel } from '../../../sync/src/presentation/lot-panel.js';
import { aasLots, aasRecords } from '../../fixtures/crm/lots.js';

const records = aasRecords(aasLots({ count: 40 }));

describe('one lot record, two renderings', () => {
  it('the service map and the extension (reading Airtable cells) show the same panel for every lot', () => {
    for (const record of records) {
      const fromRecord = lotViewOf(record);
      const fromCells = lotViewFromFields({ ...tomterCellsOf(record), 'Tomt-ID': record.tomtId });
      expect(lotPanelSections(fromRecord)).toEqual(lotPanelSections(fromCells));
      expect(fromCells.centre).toEqual(fromRecord.centre);
    }
  });

  it('draws the record in lon/lat around Ås', () => {
    const view = lotViewOf(records[0]!);
    const ring = (view.geometry!.coordinates as number[][][])[0]!;
    expect(ring[0]![0]).toBeCloseTo(10.76, 1);
    expect(ring[0]![1]).toBeCloseTo(59.67, 1);
  });

  it('leads a vanished lot’s panel with the reason it is gone', () => {
    const lifecycle = {
      state: 'vanished' as const,
      firstSeen: '2026-03-01T01:00:00Z',
      lastSeen: '2026-03-01T01:00:00Z',
      changedAt: '2026-03-02T01:00:00Z',
      vanishedAt: '2026-03-02T01:00:00Z',
      vanishedReason: 'Regulert: vedtatt reguleringsplan 3218-2025011',
      revivedAt: null,
      timesVanished: 1,
    };
    const panel = trackedLotPanel({ ...lifecycle, record: records[0]! });
    expect(panel.sections[0]).toEqual({
      title: 'Utgått',
      rows: [{ label: 'Årsak', value: 'Regulert: vedtatt reguleringsplan 3218-2025011' }],
    });
  });
});
