import type { Db } from '../store/database.js';
import { activeLotContents, getLot } from '../store/lots.js';
import {
  lotPanelSections,
  lotPolygonStyle,
  lotViewFromFields,
  type PanelSection,
} from '../presentation/index.js';

/** The current lots as GeoJSON for the map: geometry, id, score and the tier style. */
export function lotsFeatureCollection(db: Db) {
  const features = [];
  let withoutGeometry = 0;
  for (const row of activeLotContents(db)) {
    const view = lotViewFromFields(JSON.parse(row.content) as Record<string, unknown>, undefined, row.tomtId);
    if (!view.geometry) {
      withoutGeometry += 1;
      continue;
    }
    features.push({
      type: 'Feature' as const,
      id: row.tomtId,
      geometry: view.geometry,
      properties: {
        tomtId: row.tomtId,
        score: view.score,
        klasse: view.klasse,
        style: lotPolygonStyle(view.score),
        selectedStyle: lotPolygonStyle(view.score, true),
      },
    });
  }
  return { type: 'FeatureCollection' as const, features, withoutGeometry };
}

/** A lot's side panel (Norwegian), as the map page and the extension show it. */
export function lotPanel(db: Db, tomtId: string): { tomtId: string; sections: PanelSection[] } | null {
  const lot = getLot(db, tomtId);
  if (!lot) return null;
  const view = lotViewFromFields(JSON.parse(lot.content) as Record<string, unknown>, undefined, lot.tomtId);
  const sections = lotPanelSections(view);
  if (lot.state === 'vanished')
    sections.unshift({
      title: 'Utgått',
      rows: [{ label: 'Årsak', value: lot.vanishedReason ?? 'Ikke funnet i siste kjøring' }],
    });
  return { tomtId: lot.tomtId, sections };
}
