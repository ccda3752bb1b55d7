import { describe, expect, it } from 'vitest';
import { estimateCapacity, type CapacityInput } from '../../../../sync/src/scoring/lot/capacity.js';
import { defaultLotRules, lotRules, zoneUse } from './lot-fixtures.js';

const input = (
  over: Partial<CapacityInput> & { type?: number | null; tall?: number | null } = {},
): CapacityInput => {
  const { type, tall, ...rest } = over;
  return {
    lotAreaM2: 10_000,
    zoneAreaM2: 40_000,
    kommuneClass: 'by',
    zone: zoneUse(
      type === undefined && tall === undefined
        ? {}
        : { utnytting: { type: type ?? null, tall: tall ?? null, tallMinimum: null } },
    ),
    ...rest,
  };
};
const rules = defaultLotRules().capacity;

describe('estimateCapacity from the zone’s utnytting', () => {
  it.each([
    // [utnyttingstype, tall, homes, method]: 10 000 m² lot in a 40 000 m² zone, 100 m² BRA a home, 2.5 storeys on BYA
    [16, 30, 75, '%-BYA 30'],
    [12, 24, 60, '%-BYA-97 24'],
    [1, 25, 62, 'BYA-87 25'],
    [1, 8_000, 50, 'BYA-87 8 000 m²'],
    [15, 6_000, 37, 'BYA 6 000 m²'],
    [18, 60, 60, '%-BRA 60'],
    [17, 12_000, 30, 'BRA 12 000 m²'],
    [13, 20_000, 50, 'T-BRA 20 000 m²'],
    [14, 45, 45, '%-TU 45'],
    [3, 35, 35, 'TU 35'],
    [2, 40, 40, 'BRA-87 40'],
    [4, 0.5, 50, 'U 0,5'],
    [4, 50, 50, 'U 50'],
  ])('type %i with %d gives %i homes (%s)', (type, tall, homes, method) => {
    const result = estimateCapacity(input({ type, tall }), rules);
    expect(result).toMatchObject({ homes, method, basis: 'utnytting', utnyttingLost: false });
  });

  it('writes the calculation out in Norwegian', () => {
    expect(estimateCapacity(input({ type: 16, tall: 30 }), rules).detail).toBe(
      '30 % av 10 000 m² = 3 000 m² bebygd areal × 2,5 etasjer = 7 500 m² BRA ÷ 100 m² per bolig',
    );
  });

  it('gives no homes where the plan forbids building', () => {
    expect(estimateCapacity(input({ type: 10, tall: null }), rules)).toMatchObject({
      homes: 0,
      basis: 'not-buildable',
      method: 'Ikke tillatt å bebygge',
    });
  });

  it('follows the rules for floor area per home and storeys', () => {
    const custom = lotRules({ capacity: { floorAreaPerHomeM2: 75, storeysForBya: 4 } }).capacity;
    // 30 % × 10 000 × 4 = 12 000 m² ÷ 75 = 160
    expect(estimateCapacity(input({ type: 16, tall: 30 }), custom).homes).toBe(160);
  });
});

describe('estimateCapacity by density', () => {
  it('uses homes per daa by arealformål and kommune class where the zone gives no utnytting', () => {
    expect(estimateCapacity(input(), rules)).toMatchObject({
      homes: 50,
      method: 'Standardtetthet 5 boliger/daa',
      basis: 'density',
    });
    expect(estimateCapacity(input({ kommuneClass: 'storby' }), rules).homes).toBe(80);
    expect(estimateCapacity(input({ kommuneClass: 'bygd' }), rules).homes).toBe(25);
    expect(estimateCapacity(input({ zone: zoneUse({ arealformal: 1130 }) }), rules).homes).toBe(120);
    // Old plans: arealbruk 110 boligområde.
    expect(
      estimateCapacity(input({ zone: zoneUse({ arealformal: null, arealbruk: 110 }) }), rules).homes,
    ).toBe(50);
    // Anything else: the configured fallback.
    expect(estimateCapacity(input({ zone: zoneUse({ arealformal: 1300 }) }), rules)).toMatchObject({
      homes: 30,
    });
  });

  it('falls back when the source lost the number, and says so', () => {
    const lost = estimateCapacity(input({ type: 16, tall: null }), rules);
    expect(lost).toMatchObject({ homes: 50, basis: 'density', utnyttingLost: true });
    expect(lost.detail).toContain('planens %-BYA mangler tall i datakilden');
  });

  it('falls back for types that say nothing about floor area, and for m² figures without the zone’s size', () => {
    const f = estimateCapacity(input({ type: 5, tall: 3 }), rules);
    expect(f).toMatchObject({ basis: 'density', utnyttingLost: false });
    expect(f.detail).toContain('F gir ikke boligareal');
    expect(estimateCapacity(input({ type: 17, tall: 12_000, zoneAreaM2: null }), rules).basis).toBe(
      'density',
    );
  });

  it('names the area left out under severe constraints', () => {
    const result = estimateCapacity(input({ lotAreaM2: 6_000, unbuildableM2: 4_000 }), rules);
    expect(result.homes).toBe(30);
    expect(result.detail).toMatch(/4 000 m² under alvorlige begrensninger er holdt utenfor\)$/);
  });
});
