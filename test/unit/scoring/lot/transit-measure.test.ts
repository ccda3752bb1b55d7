import { afterEach, describe, expect, it } from 'vitest';
import type { TransitStop } from '../../../../sync/src/domain/transit.js';
import { bboxOf } from '../../../../sync/src/geo/crs.js';
import { getGeos, type GeomPtr } from '../../../../sync/src/geo/geos.js';
import {
  modeWeightOf,
  regularStop,
  TransitIndex,
  type TransitMeasure,
} from '../../../../sync/src/scoring/lot/transit-measure.js';
import { at, polygon, rect } from '../../../helpers/plan-data.js';
import { lotRules } from './lot-fixtures.js';

/** The default transit rules: bus 0.6, rail 1, others 0.2; full score within 400 m, none from 2 000 m. */
const rules = lotRules({}).sentralitet.transit;

const stop = (
  name: string,
  east: number,
  north: number,
  modes: string[],
  extra: Partial<TransitStop> = {},
): TransitStop => ({
  id: `NSR:StopPlace:${name}`,
  name,
  position: at(east, north),
  modes,
  lines: 2,
  ...extra,
});

/** A 100 × 100 m lot at the origin; distances below are from its edge. */
const lot = polygon(rect(0, 0, 100, 100));
/** Its south-west half: a stop north-east of it is nearer its box than the lot itself. */
const triangle = polygon([at(0, 0), at(100, 0), at(0, 100), at(0, 0)]);

describe('modeWeightOf', () => {
  it('takes the best listed mode, the other-mode weight for unlisted modes and for none', () => {
    expect(modeWeightOf(['bus', 'rail'], rules)).toBe(1);
    expect(modeWeightOf(['bus'], rules)).toBe(0.6);
    expect(modeWeightOf(['funicular'], rules)).toBe(0.2);
    expect(modeWeightOf(['funicular', 'coach'], rules)).toBe(0.4);
    expect(modeWeightOf([], rules)).toBe(0.2);
  });
});

describe('regularStop', () => {
  it('keeps the modes with at least their minimum an hour, sorted, and adds up only their departures', () => {
    const mixed = stop('Knutepunkt', 0, 0, ['rail', 'bus', 'tram'], {
      departuresPerHour: { tram: 3, rail: 1, bus: 4 },
    });
    expect(regularStop(mixed, rules)).toEqual({ stop: mixed, modes: ['bus', 'rail'], departuresPerHour: 5 });
  });

  it('uses the other-mode minimum for a mode the rule file does not list', () => {
    const ferry = (perHour: number) =>
      stop('Kai', 0, 0, ['cableway'], { departuresPerHour: { cableway: perHour } });
    expect(regularStop(ferry(2), rules)?.modes).toEqual(['cableway']);
    expect(regularStop(ferry(1.9), rules)).toBeNull();
  });

  it('counts a stop without counted departures by its lines: at least minLines', () => {
    const strict = lotRules({ sentralitet: { transit: { minLines: 3 } } }).sentralitet.transit;
    const old = stop('Gammel', 0, 0, ['bus', 'rail'], { lines: 3 });
    expect(regularStop(old, strict)).toEqual({ stop: old, modes: ['bus', 'rail'], departuresPerHour: null });
    expect(regularStop({ ...old, lines: 2 }, strict)).toBeNull();
  });

  it('drops a stop whose departures were counted and came to nothing', () => {
    expect(regularStop(stop('Tom', 0, 0, ['bus'], { lines: 5, departuresPerHour: {} }), rules)).toBeNull();
  });
});

describe('TransitIndex', () => {
  const disposers: (() => void)[] = [];
  afterEach(() => disposers.splice(0).forEach((dispose) => dispose()));

  async function bestFor(stops: TransitStop[], shape = lot): Promise<TransitMeasure | null> {
    const geos = await getGeos();
    const index = new TransitIndex(geos, stops, rules);
    const ptr: GeomPtr = geos.fromGeometry(shape);
    disposers.push(() => {
      geos.destroy(ptr);
      index.dispose();
    });
    return index.best(ptr, bboxOf(shape));
  }

  it('indexes the regular stops only', async () => {
    const geos = await getGeos();
    const index = new TransitIndex(
      geos,
      [
        stop('Hyppig', 300, 50, ['bus'], { departuresPerHour: { bus: 6 } }),
        stop('Sjelden', 200, 50, ['bus'], { departuresPerHour: { bus: 1 } }),
      ],
      rules,
    );
    expect(index.stopCount).toBe(1);
    index.dispose();
  });

  it('measures from the lot’s edge and reports the stop, its regular modes and departures', async () => {
    const best = await bestFor([
      stop('Torget', 1_200, 50, ['bus'], { lines: 4, departuresPerHour: { bus: 8 } }),
    ]);
    // 1 100 m from the east edge: 0.6 × (2 000 − 1 100) / 1 600.
    expect(best).toEqual({
      name: 'Torget',
      modes: ['bus'],
      lines: 4,
      departuresPerHour: 8,
      distance: 1_100,
      weight: 0.6,
      value: expect.closeTo((0.6 * 900) / 1_600, 12),
    });
  });

  it('gives full value within the full-score distance and none at or beyond the zero-score distance', async () => {
    expect((await bestFor([stop('Nær', 500, 50, ['rail'])]))?.value).toBe(1);
    expect(await bestFor([stop('Grensen', 2_100, 50, ['rail'])])).toBeNull();
    expect(await bestFor([stop('Fjern', 5_000, 5_000, ['rail'])])).toBeNull();
    // 1 980 m from the triangle's box but 2 051 m from the triangle itself: no value.
    expect(await bestFor([stop('Hjørnet', 1_500, 1_500, ['rail'])], triangle)).toBeNull();
  });

  it('takes the best mode-weighted value, not the nearest stop, even when the nearer stop is found first', async () => {
    // Bus 100 m off: 0.6. Rail 500 m off: 1 × (2 000 − 500) / 1 600 ≈ 0.94.
    const best = await bestFor([stop('Buss', 200, 50, ['bus']), stop('Stasjon', 600, 50, ['rail'])]);
    expect(best?.name).toBe('Stasjon');
    expect(best?.value).toBeCloseTo(1_500 / 1_600, 12);
  });

  it('measures the nearest boxes first, so the early stop never skips a better stop', async () => {
    // Given far to near: rail 400 m off (1), a bus 1 800 m off (0.075) and rail 100 m off (1, nearer).
    const best = await bestFor([
      stop('Midt', 500, 50, ['rail']),
      stop('Fjern', 1_900, 50, ['bus']),
      stop('Nærmest', 200, 50, ['rail']),
    ]);
    expect(best).toMatchObject({ name: 'Nærmest', distance: 100 });
  });

  it('stops searching only when no farther stop could beat the best', async () => {
    // Bus 700 m off: 0.6 × 1 300 / 1 600 ≈ 0.49; rail 1 200 m off: 1 × 800 / 1 600 = 0.5 still beats it.
    const best = await bestFor([stop('Buss', 800, 50, ['bus']), stop('Stasjon', 1_300, 50, ['rail'])]);
    expect(best?.name).toBe('Stasjon');
    // Rail beyond what any stop could beat: the bus stays.
    const busOnly = await bestFor([stop('Buss', 800, 50, ['bus']), stop('Stasjon', 1_500, 50, ['rail'])]);
    expect(busOnly?.name).toBe('Buss');
  });

  it('between equal values takes the stop nearer the lot (not its box), and between equal stops the first given', async () => {
    // Both worth 1 (within 400 m). North-east: 71 m from the triangle's box, 141 m from the
    // triangle, so it is measured first; west: 130 m from both, and nearer.
    const best = await bestFor(
      [stop('Nordøst', 150, 150, ['rail']), stop('Vest', -130, 50, ['rail'])],
      triangle,
    );
    expect(best).toMatchObject({ name: 'Vest', distance: 130, value: 1 });
    // Same distance, same weight: the order given decides, so a run is repeatable.
    const east = stop('Øst', 300, 50, ['bus']);
    const north = stop('Nord', 50, 300, ['bus']);
    expect((await bestFor([east, north]))?.name).toBe('Øst');
    expect((await bestFor([north, east]))?.name).toBe('Nord');
  });
});
