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
    // A %-BRA above 100 (dense centres) is still a percentage; BRA-87 and BYA-87 are % up to 100, m² above.
    [18, 150, 150, '%-BRA 150'],
    [2, 100, 100, 'BRA-87 100'],
    [2, 8_000, 20, 'BRA-87 8 000 m²'],
    [1, 100, 250, 'BYA-87 100'],
    // U up to 5 is a ratio.
    [4, 5, 500, 'U 5'],
  ])('type %i with %d gives %i homes (%s)', (type, tall, homes, method) => {
    const result = estimateCapacity(input({ type, tall }), rules);
    expect(result).toMatchObject({ homes, method, basis: 'utnytting', utnyttingLost: false });
  });

  it('writes the calculation out in Norwegian', () => {
    expect(estimateCapacity(input({ type: 16, tall: 30 }), rules).detail).toBe(
      '30 % av 10 000 m² = 3 000 m² bebygd areal × 2,5 etasjer = 7 500 m² BRA ÷ 100 m² per bolig',
    );
  });

  it.each([
    [
      15,
      6_000,
      'BYA 6 000 m²',
      '6 000 m² for feltet, tomtens andel 33,3 % = 2 000 m² bebygd areal × 2,5 etasjer = 5 000 m² BRA ÷ 100 m² per bolig',
    ],
    [
      17,
      12_000,
      'BRA 12 000 m²',
      '12 000 m² for feltet, tomtens andel 33,3 % = 4 000 m² BRA ÷ 100 m² per bolig',
    ],
    [18, 60, '%-BRA 60', '60 % av 10 000 m² = 6 000 m² BRA ÷ 100 m² per bolig'],
    [4, 0.5, 'U 0,5', '0,5 × 10 000 m² = 5 000 m² BRA ÷ 100 m² per bolig'],
  ])('writes out the calculation for type %i with %d (%s)', (type, tall, method, detail) => {
    const result = estimateCapacity(input({ type, tall, zoneAreaM2: 30_000 }), rules);
    expect(result).toMatchObject({ method, detail, basis: 'utnytting' });
  });

  it('gives no homes where the plan forbids building', () => {
    expect(estimateCapacity(input({ type: 10, tall: null }), rules)).toMatchObject({
      homes: 0,
      basis: 'not-buildable',
      method: 'Ikke tillatt å bebygge',
    });
    expect(estimateCapacity(input({ type: 11, tall: 30 }), rules)).toEqual({
      homes: 0,
      method: 'Ikke tillatt med ytterligere bebyggelse',
      detail: 'Planen sier «Ikke tillatt med ytterligere bebyggelse» for feltet',
      basis: 'not-buildable',
      utnyttingLost: false,
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
    expect(estimateCapacity(input({ kommuneClass: 'storby' }), rules)).toMatchObject({
      homes: 80,
      detail: '8 boliger per daa for Boligbebyggelse i storbykommune × 10,0 daa',
    });
    expect(estimateCapacity(input({ kommuneClass: 'bygd' }), rules)).toMatchObject({
      homes: 25,
      detail: '2,5 boliger per daa for Boligbebyggelse i distriktskommune × 10,0 daa',
    });
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

  it('names the density, the group or "andre formål", the kommune class and the area', () => {
    expect(estimateCapacity(input(), rules)).toEqual({
      homes: 50,
      method: 'Standardtetthet 5 boliger/daa',
      detail: '5 boliger per daa for Boligbebyggelse i bykommune × 10,0 daa',
      basis: 'density',
      utnyttingLost: false,
    });
    expect(estimateCapacity(input({ zone: zoneUse({ arealformal: 1300 }) }), rules).detail).toBe(
      '3 boliger per daa for andre formål i bykommune × 10,0 daa',
    );
    // A zone with neither code, or an old-law code no group lists: the fallback density.
    for (const zone of [
      zoneUse({ arealformal: null, arealbruk: null }),
      zoneUse({ arealformal: null, arealbruk: 130 }),
    ])
      expect(estimateCapacity(input({ zone }), rules)).toMatchObject({
        homes: 30,
        detail: '3 boliger per daa for andre formål i bykommune × 10,0 daa',
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

  it('falls back for a number of 0, an unknown type, and an m² figure in a zone without area', () => {
    expect(estimateCapacity(input({ type: 16, tall: 0 }), rules)).toMatchObject({
      homes: 50,
      basis: 'density',
      utnyttingLost: false,
    });
    expect(estimateCapacity(input({ type: 16, tall: 0 }), rules).detail).toContain(
      '(%-BYA gir ikke boligareal)',
    );
    expect(estimateCapacity(input({ type: 99, tall: 40 }), rules).detail).toContain(
      '(type 99 gir ikke boligareal)',
    );
    for (const zoneAreaM2 of [null, 0])
      expect(estimateCapacity(input({ type: 15, tall: 6_000, zoneAreaM2 }), rules).basis).toBe('density');
  });

  it('names the area left out under severe constraints', () => {
    const result = estimateCapacity(input({ lotAreaM2: 6_000, unbuildableM2: 4_000 }), rules);
    expect(result.homes).toBe(30);
    expect(result.detail).toMatch(/4 000 m² under alvorlige begrensninger er holdt utenfor\)$/);
  });

  it('names one square metre left out, but not less', () => {
    expect(estimateCapacity(input({ lotAreaM2: 9_999, unbuildableM2: 1 }), rules).detail).toContain(
      '(1 m² under alvorlige begrensninger er holdt utenfor)',
    );
    expect(estimateCapacity(input({ lotAreaM2: 9_999.5, unbuildableM2: 0.5 }), rules).detail).not.toContain(
      'holdt utenfor',
    );
  });
});
