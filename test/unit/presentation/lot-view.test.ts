import { describe, expect, it } from 'vitest';
import { tomterCellsOf } from '../../../sync/src/crm/tomter/cells.js';
import { lotViewFromFields } from '../../../sync/src/crm/tomter/lot-view-from-cells.js';
import { lotViewOf } from '../../../sync/src/presentation/lot-view-of.js';
import { lotPanelSections } from '../../../sync/src/presentation/panel.js';
import { trackedLotPanel } from '../../../sync/src/presentation/lot-panel.js';
import { lotPolygonStyle, TIER_COLORS } from '../../../sync/src/presentation/style.js';
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

  it('leads the extension’s panel with why a record kept below the Airtable policy is there', () => {
    const cells = { ...tomterCellsOf(records[0]!), 'Tomt-ID': records[0]!.tomtId };
    expect(lotViewFromFields(cells).underTerskel).toBe(false);
    const kept = lotViewFromFields({ ...cells, 'Under terskel': true });
    expect(kept.underTerskel).toBe(true);
    expect(lotPanelSections(kept)[0]).toEqual({
      title: 'Under terskel',
      rows: [
        {
          label: 'Hvorfor',
          value:
            'Tomten er under grensen for hva som legges inn i Airtable. Posten beholdes og oppdateres fordi den fantes fra før.',
        },
      ],
    });
    expect(lotPanelSections(kept).slice(1)).toEqual(lotPanelSections(lotViewFromFields(cells)));
  });

  it('draws a record kept below the policy dashed and faint, in its tier’s colour; selected, as any other', () => {
    expect(lotPolygonStyle(45)).toEqual({
      color: TIER_COLORS.C,
      weight: 1,
      fillColor: TIER_COLORS.C,
      fillOpacity: 0.5,
    });
    expect(lotPolygonStyle(45, false, true)).toEqual({
      color: TIER_COLORS.C,
      weight: 1,
      fillColor: TIER_COLORS.C,
      fillOpacity: 0.15,
      dashArray: '4 3',
    });
    expect(lotPolygonStyle(45, true, true).fillOpacity).toBe(lotPolygonStyle(45, true).fillOpacity);
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
