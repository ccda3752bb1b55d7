import { describe, expect, it } from 'vitest';
import {
  colorForScore,
  formatArea,
  formatPercent,
  lotPanelSections,
  parseScoreDetails,
  TIER_COLORS,
} from '../../../sync/src/presentation/index.js';
import { lotViewFromFields } from '../../../sync/src/crm/tomter/lot-view-from-cells.js';

const details = {
  version: 1,
  factors: [
    { key: 'size', label: 'Størrelse', weight: 15, value: 0.5, points: 7.5, reason: 'Tomten er 10 daa.' },
    {
      key: 'municipal',
      label: 'Kommunal vilje',
      weight: 10,
      value: null,
      points: 5,
      reason: 'Kommunen er ikke rangert.',
    },
  ],
  constraints: [{ key: 'flom', label: 'Flomfare', fraction: 0.48, severe: true }],
  capacity: { homes: 42, method: '%-BYA', detail: '30 %-BYA' },
  confidenceReasons: [],
};

describe('presentation', () => {
  it('formats areas and shares the Norwegian way', () => {
    expect(formatArea(12345)).toBe('12 345 m² (12,3 daa)');
    expect(formatPercent(0.48)).toBe('48 %');
  });

  it('colours by tier and greys a missing score', () => {
    expect(colorForScore(85)).toBe(TIER_COLORS.A);
    expect(colorForScore(59)).toBe(TIER_COLORS.C);
    expect(colorForScore(null)).toBe('#9e9e9e');
  });

  it('reads a Tomter record, including single selects as the Blocks SDK gives them', () => {
    const view = lotViewFromFields({
      'Tomt-ID': '3218-45/12-abc',
      Score: 73,
      Klasse: { id: 'sel1', name: 'B', color: 'green' },
      Scoredetaljer: JSON.stringify(details),
      'Planarbeid pågår': '3218-2019001\n3218-2020002',
      Geometri: '{"type":"Polygon","coordinates":[[[10.7,59.6],[10.8,59.6],[10.8,59.7],[10.7,59.6]]]}',
    });
    expect(view.klasse).toBe('B');
    expect(view.planarbeidPagar).toEqual(['3218-2019001', '3218-2020002']);
    expect(view.geometry?.type).toBe('Polygon');
    expect(view.details?.factors).toHaveLength(2);
  });

  it('lists broken geometry as a problem instead of throwing', () => {
    expect(lotViewFromFields({ Geometri: '{"type":"Polyg' }).geometryProblem).toMatch(/ugyldig GeoJSON/);
    expect(lotViewFromFields({}).geometryProblem).toBe('Mangler geometri');
    expect(parseScoreDetails('{"version":2}')).toBeNull();
  });

  it('builds the panel with factor points, missing factors and constraint fractions', () => {
    const view = lotViewFromFields({ 'Tomt-ID': 'x', Score: 73, Scoredetaljer: JSON.stringify(details) });
    const sections = lotPanelSections(view);
    const score = sections.find((s) => s.title === 'Score')!;
    expect(score.rows.find((r) => r.label === 'Størrelse')?.value).toBe(
      '7,5 av 15 poeng – Tomten er 10 daa.',
    );
    expect(score.rows.find((r) => r.label === 'Kommunal vilje')?.value).toBe(
      '5,0 av 10 poeng (uten data) – Kommunen er ikke rangert.',
    );
    const constraints = sections.find((s) => s.title === 'Begrensninger')!;
    expect(constraints.rows[0]).toEqual({ label: 'Flomfare', value: '48 % av tomten (alvorlig)' });
  });
});
