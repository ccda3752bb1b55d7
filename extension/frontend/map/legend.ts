import L from 'leaflet';
import { MISSING_SCORE_COLOR, TIER_COLORS, TIER_LABELS } from '@tomtejakt/sync/presentation';

/** The legend row for records kept below the Airtable policy, drawn dashed and faint on the map. */
export const UNDER_TERSKEL_LEGEND = 'Under terskel (stiplet): beholdt, men under grensen for Airtable';

/** The tier colours with the shared Norwegian labels, in the map's lower left corner. */
export function addLegend(map: L.Map): void {
  const legend = new L.Control({ position: 'bottomleft' });
  legend.onAdd = () => {
    const box = L.DomUtil.create('div', 'tomtekart-legend');
    box.setAttribute('aria-label', 'Tegnforklaring');
    const rows = [
      ...(Object.keys(TIER_COLORS) as Array<keyof typeof TIER_COLORS>).map((tier) => [
        TIER_COLORS[tier],
        TIER_LABELS[tier],
      ]),
      [MISSING_SCORE_COLOR, 'Uten score'],
    ];
    for (const [color, label] of rows) {
      const row = L.DomUtil.create('div', 'tomtekart-legend-row', box);
      const swatch = L.DomUtil.create('span', 'tomtekart-swatch', row);
      swatch.style.background = color!;
      row.append(label!);
    }
    const row = L.DomUtil.create('div', 'tomtekart-legend-row', box);
    L.DomUtil.create('span', 'tomtekart-swatch tomtekart-swatch-under-terskel', row);
    row.append(UNDER_TERSKEL_LEGEND);
    return box;
  };
  legend.addTo(map);
}
