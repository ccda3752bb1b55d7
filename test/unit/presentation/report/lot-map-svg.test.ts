import { describe, expect, it } from 'vitest';
import type { AreaGeometry } from '../../../../sync/src/domain/geometry.js';
import { funnelSvg, tierHistorySvg } from '../../../../sync/src/presentation/report/charts-svg.js';
import { lotMapSvg } from '../../../../sync/src/presentation/report/lot-map-svg.js';

/** A 100 m × 50 m lot in Ås (EPSG:25833), its long side east–west. */
const LOT: AreaGeometry = {
  type: 'Polygon',
  coordinates: [
    [
      [262_000, 6_621_000],
      [262_100, 6_621_000],
      [262_100, 6_621_050],
      [262_000, 6_621_050],
      [262_000, 6_621_000],
    ],
  ],
};

const pathPoints = (svg: string) =>
  [...svg.matchAll(/<path d="M([^"]+)Z"/g)].flatMap((m) =>
    m[1]!.split('L').map((pair) => pair.split(' ').map(Number) as [number, number]),
  );

describe('lot map without a tile server', () => {
  it('draws UTM metres north up at one scale both ways, inside the picture', () => {
    const svg = lotMapSvg([{ geometry: LOT, fill: '#1a9850' }], { width: 160, height: 120, label: 'lot' });
    const points = pathPoints(svg);
    expect(points).toHaveLength(5);
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(160);
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ys)).toBeLessThanOrEqual(120);
    // Northing 6 621 050 (north) is drawn above 6 621 000: smaller y.
    expect(points[2]![1]).toBeLessThan(points[1]![1]);
    // The same scale east and north: 100 m wide is twice 50 m high.
    const width = Math.max(...xs) - Math.min(...xs);
    const height = Math.max(...ys) - Math.min(...ys);
    expect(width / height).toBeCloseTo(2, 1);
    expect(svg).toMatch(/>(20|50) m</);
  });

  it('keeps a hole as a hole (even-odd fill) and draws several lots in one frame', () => {
    const holed: AreaGeometry = {
      type: 'Polygon',
      coordinates: [
        LOT.coordinates[0]!,
        [
          [262_040, 6_621_020],
          [262_060, 6_621_020],
          [262_060, 6_621_030],
          [262_040, 6_621_020],
        ],
      ],
    };
    const far = {
      ...LOT,
      coordinates: [LOT.coordinates[0]!.map(([x, y]) => [x + 2_000, y] as [number, number])],
    };
    const svg = lotMapSvg(
      [
        { geometry: holed, fill: '#1a9850', title: 'a' },
        { geometry: far, fill: '#91cf60', title: 'b' },
      ],
      { width: 520, height: 260, label: 'uke' },
    );
    expect(svg.match(/fill-rule="evenodd"/g)).toHaveLength(2);
    expect(svg.match(/M/g)!.length).toBeGreaterThanOrEqual(3);
    expect(svg).toContain('<title>b</title>');
    expect(svg).toMatch(/>(500|1 000) m</);
  });

  it('says there are no lots rather than drawing an empty frame', () => {
    expect(lotMapSvg([], { width: 100, height: 80, label: 'x' })).toContain('Ingen tomter');
  });
});

describe('charts', () => {
  it('marks a week without a snapshot as a gap instead of a zero bar', () => {
    const svg = tierHistorySvg([
      { week: '2026-W48', lots: null },
      { week: '2026-W49', lots: { A: 3, B: 31, C: 79, D: 22 } },
    ]);
    expect(svg.match(/<rect [^>]*fill="#/g)!.length).toBe(4 + 4); // four tier parts and the legend's four
    expect(svg).toContain('>–<');
    expect(svg).toContain('>135<');
  });

  it('draws the funnel with widths in proportion to the counts', () => {
    const svg = funnelSvg([
      { label: 'Kontaktet', count: 8 },
      { label: 'Dialog', count: 2 },
    ]);
    const widths = [...svg.matchAll(/<rect [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths[0]! / widths[1]!).toBeCloseTo(4, 5);
  });
});
