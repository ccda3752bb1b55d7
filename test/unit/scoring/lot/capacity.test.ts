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
const GROSS = 'brutto, veger og lekeplasser medregnet';
const CHECK = 'Kontroll: kundens tommelfingerregel (400 m² tomt per bolig) gir 25 boliger.';

describe('estimateCapacity from the zone’s utnytting', () => {
  it.each([
    // [utnyttingstype, tall, homes, method]: a 10 000 m² lot (7 500 m² net after 25 % for roads, play
    // areas and parking) in a 40 000 m² zone of a "by" kommune: 2,5 storeys on BYA, 80 % of BRA is
    // homes, 90 m² a home.
    [16, 30, 50, '%-BYA 30'], // 7 500 × 30 % × 2,5 = 5 625 BRA × 0,8 = 4 500 ÷ 90
    [12, 24, 40, '%-BYA-97 24'],
    [1, 25, 41, 'BYA-87 25'],
    [1, 8_000, 44, 'BYA-87 8 000 m²'], // 8 000 × ¼ × 2,5 = 5 000 BRA
    [15, 6_000, 33, 'BYA 6 000 m²'],
    [18, 60, 40, '%-BRA 60'],
    [17, 12_000, 26, 'BRA 12 000 m²'], // m² for the field: not reduced, the lot's quarter
    [13, 20_000, 44, 'T-BRA 20 000 m²'],
    [14, 45, 30, '%-TU 45'],
    [3, 35, 23, 'TU 35'],
    [2, 40, 26, 'BRA-87 40'],
    [4, 0.5, 33, 'U 0,5'],
    [4, 50, 33, 'U 50'],
    // A %-BRA above 100 (dense centres) is still a percentage; BRA-87 and BYA-87 are % up to 100, m² above.
    [18, 150, 100, '%-BRA 150'],
    [2, 100, 66, 'BRA-87 100'],
    [2, 8_000, 17, 'BRA-87 8 000 m²'],
    [1, 100, 166, 'BYA-87 100'],
    // U up to 5 is a ratio.
    [4, 5, 333, 'U 5'],
  ])('type %i with %d gives %i homes (%s)', (type, tall, homes, method) => {
    const result = estimateCapacity(input({ type, tall }), rules);
    expect(result).toMatchObject({ homes, method, basis: 'utnytting', utnyttingLost: false });
  });

  it('writes the calculation, its assumptions and the customer’s rule of thumb out in Norwegian', () => {
    expect(estimateCapacity(input({ type: 16, tall: 30 }), rules)).toEqual({
      homes: 50,
      method: '%-BYA 30',
      detail:
        'netto byggeareal 7 500 m² (10 000 m² minus 25 % til veger, lekeplasser og parkering) × 30 % = 2 250 m² bebygd areal × 2,5 etasjer = 5 625 m² BRA; ' +
        '80 % boligareal = 4 500 m² ÷ 90 m² per bolig (bykommune). ' +
        'Kontroll: kundens tommelfingerregel (400 m² tomt per bolig) gir 25 boliger.',
      basis: 'utnytting',
      utnyttingLost: false,
      averageHomeM2: 90,
      ruleOfThumbHomes: 25,
    });
  });

  it.each([
    [
      15,
      6_000,
      'BYA 6 000 m²',
      '6 000 m² for feltet, tomtens andel 33,3 % = 2 000 m² bebygd areal × 2,5 etasjer = 5 000 m² BRA; 80 % boligareal = 4 000 m² ÷ 90 m² per bolig',
    ],
    [
      17,
      12_000,
      'BRA 12 000 m²',
      '12 000 m² for feltet, tomtens andel 33,3 % = 4 000 m² BRA; 80 % boligareal = 3 200 m² ÷ 90 m² per bolig',
    ],
    [
      18,
      60,
      '%-BRA 60',
      'netto byggeareal 7 500 m² (10 000 m² minus 25 % til veger, lekeplasser og parkering) × 60 % = 4 500 m² BRA; 80 % boligareal = 3 600 m² ÷ 90 m² per bolig',
    ],
    [
      4,
      0.5,
      'U 0,5',
      'netto byggeareal 7 500 m² (10 000 m² minus 25 % til veger, lekeplasser og parkering) × 0,5 = 3 750 m² BRA; 80 % boligareal = 3 000 m² ÷ 90 m² per bolig',
    ],
  ])('writes out the calculation for type %i with %d (%s)', (type, tall, method, detail) => {
    const result = estimateCapacity(input({ type, tall, zoneAreaM2: 30_000 }), rules);
    expect(result).toMatchObject({ method, basis: 'utnytting' });
    expect(result.detail.startsWith(detail)).toBe(true);
  });

  it('uses the storeys and home size of the kommune’s density class, and says where the class came from', () => {
    // storby: 7 500 × 30 % × 4 = 9 000 BRA × 0,8 ÷ 70 = 102; bygd: 7 500 × 30 % × 2 = 4 500 × 0,8 ÷ 120 = 30.
    const storby = estimateCapacity(
      input({ type: 16, tall: 30, kommuneClass: 'storby', classSource: 'sentralitetsklasse 1 hos SSB' }),
      rules,
    );
    expect(storby).toMatchObject({ homes: 102, averageHomeM2: 70 });
    expect(storby.detail).toContain('× 4 etasjer');
    expect(storby.detail).toContain('÷ 70 m² per bolig (storbykommune, sentralitetsklasse 1 hos SSB)');
    expect(estimateCapacity(input({ type: 16, tall: 30, kommuneClass: 'bygd' }), rules)).toMatchObject({
      homes: 30,
      averageHomeM2: 120,
    });
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
      detail: 'Planen sier «Ikke tillatt med ytterligere bebyggelse» for feltet.',
      basis: 'not-buildable',
      utnyttingLost: false,
    });
  });

  it('follows the rules for deductions, usable share, home size and storeys', () => {
    const custom = lotRules({
      capacity: {
        deductions: { roads: 0, playAreas: 0, parking: 0 },
        usableShareOfBra: 1,
        averageHomeM2: { by: 75 },
        storeysForBya: { by: 4 },
      },
    }).capacity;
    // 30 % × 10 000 × 4 = 12 000 m² ÷ 75 = 160
    expect(estimateCapacity(input({ type: 16, tall: 30 }), custom).homes).toBe(160);
  });
});

describe('estimateCapacity by density', () => {
  it('uses homes per daa by arealformål and kommune class where the zone gives no utnytting', () => {
    expect(estimateCapacity(input(), rules)).toMatchObject({
      homes: 50,
      method: 'standardtetthet 5 boliger/daa',
      basis: 'density',
    });
    expect(estimateCapacity(input({ kommuneClass: 'storby' }), rules)).toMatchObject({
      homes: 80,
      detail: `8 boliger per daa (${GROSS}) for boligbebyggelse i storbykommune × 10,0 daa. ${CHECK}`,
    });
    expect(estimateCapacity(input({ kommuneClass: 'bygd' }), rules)).toMatchObject({
      homes: 25,
      detail: `2,5 boliger per daa (${GROSS}) for boligbebyggelse i distriktskommune × 10,0 daa. ${CHECK}`,
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
      method: 'standardtetthet 5 boliger/daa',
      detail: `5 boliger per daa (${GROSS}) for boligbebyggelse i bykommune × 10,0 daa. ${CHECK}`,
      basis: 'density',
      utnyttingLost: false,
      averageHomeM2: 90,
      ruleOfThumbHomes: 25,
    });
    expect(estimateCapacity(input({ zone: zoneUse({ arealformal: 1300 }) }), rules).detail).toBe(
      `3 boliger per daa (${GROSS}) for andre formål i bykommune × 10,0 daa. ${CHECK}`,
    );
    // A zone with neither code, or an old-law code no group lists: the fallback density.
    for (const zone of [
      zoneUse({ arealformal: null, arealbruk: null }),
      zoneUse({ arealformal: null, arealbruk: 130 }),
    ])
      expect(estimateCapacity(input({ zone }), rules)).toMatchObject({
        homes: 30,
        detail: `3 boliger per daa (${GROSS}) for andre formål i bykommune × 10,0 daa. ${CHECK}`,
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
    expect(result.detail).toContain(
      '× 6,0 daa. 4 000 m² under alvorlige begrensninger er holdt utenfor. Kontroll:',
    );
    // The rule of thumb is on the same buildable land: 6 000 ÷ 400.
    expect(result.ruleOfThumbHomes).toBe(15);
  });

  it('names one square metre left out, but not less', () => {
    expect(estimateCapacity(input({ lotAreaM2: 9_999, unbuildableM2: 1 }), rules).detail).toContain(
      ' 1 m² under alvorlige begrensninger er holdt utenfor.',
    );
    expect(estimateCapacity(input({ lotAreaM2: 9_999.5, unbuildableM2: 0.5 }), rules).detail).not.toContain(
      'holdt utenfor',
    );
  });
});
