import { describe, expect, it } from 'vitest';
import type { ConstraintCoverage } from '../../../../sync/src/domain/lot.js';
import { capacityFactor, homesWords } from '../../../../sync/src/scoring/lot/factors/capacity.js';
import { centralityFactor } from '../../../../sync/src/scoring/lot/factors/centrality.js';
import { conflictFactor } from '../../../../sync/src/scoring/lot/factors/conflict.js';
import { infrastructureFactor } from '../../../../sync/src/scoring/lot/factors/infrastructure.js';
import { kommuneWillFactor } from '../../../../sync/src/scoring/lot/factors/kommune-will.js';
import { ownershipFactor, ownershipInputs } from '../../../../sync/src/scoring/lot/factors/ownership.js';
import { sizeFactor } from '../../../../sync/src/scoring/lot/factors/size.js';
import { formatDistance, joinNorwegian } from '../../../../sync/src/scoring/lot/wording.js';
import { defaultLotRules } from './lot-fixtures.js';

const rules = defaultLotRules();

/** A constraint type as the defaults configure it, covering `fraction` of the lot. */
const covering = (key: string, fraction: number): ConstraintCoverage => {
  const type = rules.constraints.types[key]!;
  return { key, label: type.label, fraction, weight: type.weight, severe: type.severe, sources: [] };
};

describe('Størrelse', () => {
  it('gives a 12 daa lot free of severe constraints 0.6 and names its size and the full-score size', () => {
    expect(sizeFactor(12_000, 12_000, rules.storrelse)).toEqual({
      value: 0.6,
      reason: 'Tomten er på 12,0 daa; full score fra 20,0 daa.',
    });
  });

  it('scores only the part outside severe constraints, and says how much that is', () => {
    const result = sizeFactor(30_000, 7_500, rules.storrelse);
    expect(result.value).toBeCloseTo(0.375, 6);
    expect(result.reason).toBe(
      'Tomten er på 30,0 daa, og 7,5 daa av den ligger utenfor alvorlige begrensninger; full score fra 20,0 daa.',
    );
  });

  it('does not mention a difference of half a square metre or less (rounding of the overlay)', () => {
    expect(sizeFactor(10_000, 9_999.5, rules.storrelse).reason).toBe(
      'Tomten er på 10,0 daa; full score fra 20,0 daa.',
    );
    expect(sizeFactor(10_000, 9_999.6, rules.storrelse).reason).toBe(
      'Tomten er på 10,0 daa; full score fra 20,0 daa.',
    );
    expect(sizeFactor(10_000, 9_999.4, rules.storrelse).reason).toContain(
      'og 10,0 daa av den ligger utenfor',
    );
  });
});

describe('Konfliktfrihet', () => {
  it('says no constraint touches a lot that is free of them (types at 0 % do not count)', () => {
    expect(conflictFactor([covering('flom', 0), covering('stoyGul', 0)])).toEqual({
      value: 1,
      reason: 'Ingen hensynssoner, båndlegginger eller andre begrensninger berører tomten i dataene vi har.',
    });
  });

  it('lists severe constraints first, then by weighted share, equal ones by key', () => {
    const result = conflictFactor([
      covering('stoyGul', 0.9), // 0.2 × 0.9 = 0.18
      covering('radon', 0), // not on the lot
      covering('kulturmiljo', 0.2), // 0.5 × 0.2 = 0.10
      covering('skred', 0.1), // severe, 1 × 0.1
      covering('flom', 0.1), // severe, 1 × 0.1
    ]);
    expect(result.value).toBeCloseTo(1 - 0.18 - 0.1 - 0.1 - 0.1, 6);
    expect(result.reason).toBe(
      'Begrensninger: flomfare på 10 % av tomten (alvorlig), ras- og skredfare på 10 % av tomten (alvorlig), ' +
        'gul støysone på 90 % av tomten og bevaring kulturmiljø på 20 % av tomten.',
    );
  });

  it('puts a small severe constraint before a larger non-severe one', () => {
    const result = conflictFactor([covering('landbruk', 0.8), covering('hoyspent', 0.05)]);
    expect(result.reason).toBe(
      'Begrensninger: høyspenningsanlegg på 5 % av tomten (alvorlig) og landbruk og dyrka mark på 80 % av tomten.',
    );
  });

  it('orders constraints of equal weight and share by key, whatever order they come in', () => {
    const a = covering('friluftsliv', 0.5);
    const b = covering('gronnstruktur', 0.5);
    const expected = 'Begrensninger: friluftsliv på 50 % av tomten og grønnstruktur på 50 % av tomten.';
    expect(conflictFactor([a, b]).reason).toBe(expected);
    expect(conflictFactor([b, a]).reason).toBe(expected);
  });

  it('never goes below 0 when the weighted shares add up to more than the lot', () => {
    expect(conflictFactor([covering('flom', 1), covering('marka', 1)]).value).toBe(0);
  });
});

describe('Kapasitet', () => {
  const estimate = (homes: number, method: string, basis: 'utnytting' | 'density' | 'not-buildable') => ({
    homes,
    method,
    detail: '',
    basis,
  });

  it('says a plan that forbids building gives no homes', () => {
    expect(capacityFactor(estimate(0, 'Ikke tillatt å bebygge', 'not-buildable'), rules.kapasitet)).toEqual({
      value: 0,
      reason: 'Planen tillater ikke ny bebyggelse (Ikke tillatt å bebygge).',
    });
  });

  it('counts homes in words: none, one, and many with a thousands space', () => {
    expect(capacityFactor(estimate(0, '5 boliger per daa', 'density'), rules.kapasitet).reason).toBe(
      'Ingen boliger etter anslaget (5 boliger per daa); full score fra 200 boliger.',
    );
    expect(capacityFactor(estimate(1, '5 boliger per daa', 'density'), rules.kapasitet)).toEqual({
      value: 1 / 200,
      reason: 'Anslagsvis 1 bolig (5 boliger per daa); full score fra 200 boliger.',
    });
    expect(capacityFactor(estimate(1_250, '%-BYA 40', 'utnytting'), rules.kapasitet)).toEqual({
      value: 1,
      reason: 'Anslagsvis 1 250 boliger (%-BYA 40); full score fra 200 boliger.',
    });
  });
});

describe('Sentralitet', () => {
  const rail = { name: 'Ås stasjon', modes: ['rail'], lines: 2, departuresPerHour: 4, weight: 1 };
  const bus = { name: 'Torget', modes: ['bus'], lines: 3, departuresPerHour: 8, weight: 0.6 };
  const centre = { name: 'Ås sentrum', distance: 1_200 };
  const input = (over: Partial<Parameters<typeof centralityFactor>[0]> = {}) => ({
    centre,
    fallback: false,
    transitKnown: true,
    transit: null,
    ...over,
  });

  it('says "ukjent transportmiddel" for a stop whose modes are not known', () => {
    const transit = { ...rail, modes: [], departuresPerHour: null, distance: 300, value: 1 };
    expect(centralityFactor(input({ transit }), rules.sentralitet).reason).toContain(
      'Ås stasjon (ukjent transportmiddel), 300 m unna',
    );
  });

  it('has no value without stop data or a centre point', () => {
    expect(centralityFactor(input({ centre: null, transitKnown: false }), rules.sentralitet)).toEqual({
      value: null,
      reason: 'Verken holdeplassdata eller et sentrumspunkt er kjent for kommunen.',
    });
  });

  it('weights the nearest stop with regular departures 60 % and the centre 40 %, and names both', () => {
    // A station 900 m away: 1 × (2 000 − 900) / 1 600 = 0.6875; the centre 1.2 km: (5 000 − 1 200) / 4 500.
    const transit = { ...rail, distance: 900, value: 0.6875 };
    const result = centralityFactor(input({ transit }), rules.sentralitet);
    expect(result.value).toBeCloseTo(0.6 * 0.6875 + 0.4 * (3_800 / 4_500), 9);
    expect(result.reason).toBe(
      'Nærmeste holdeplass med jevnlige avganger er Ås stasjon (tog, 4 avganger i timen), 900 m unna, og det er 1,2 km til Ås sentrum; kollektivtilbudet teller 60 %, avstanden til sentrum 40 %.',
    );
  });

  it('writes departures an hour as counted, and leaves them out when a kept copy never counted them', () => {
    const words = (departuresPerHour: number | null) =>
      centralityFactor(
        input({ transit: { ...rail, departuresPerHour, distance: 420, value: 0.6 } }),
        rules.sentralitet,
      ).reason;
    expect(words(1)).toContain('Ås stasjon (tog, 1 avgang i timen), 420 m unna');
    expect(words(1.5)).toContain('(tog, 1,5 avganger i timen)');
    expect(words(null)).toContain('Ås stasjon (tog), 420 m unna');
  });

  it('gives transit nothing when no stop with regular departures is within reach', () => {
    const result = centralityFactor(input({ centre: { ...centre, distance: 0 } }), rules.sentralitet);
    expect(result.value).toBeCloseTo(0.4, 9);
    expect(result.reason).toBe(
      'Ingen holdeplass med jevnlige avganger innen 2,0 km, og tomten omfatter Ås sentrum; kollektivtilbudet teller 60 %, avstanden til sentrum 40 %.',
    );
  });

  it('measures from the centre alone without stop data, and from the stops alone without a centre', () => {
    const noStops = centralityFactor(
      input({
        centre: { name: 'kommunens representasjonspunkt', distance: 2_750 },
        fallback: true,
        transitKnown: false,
        transitUnavailable: true,
      }),
      rules.sentralitet,
    );
    expect(noStops.value).toBeCloseTo(0.5, 6);
    expect(noStops.reason).toBe(
      '2,8 km til kommunens representasjonspunkt (ikke et konfigurert sentrum) (full score innen 500 m, ingen fra 5,0 km); holdeplassdata mangler, så bare avstanden til sentrum teller.',
    );
    const transit = { ...bus, distance: 0, value: 0.6 };
    expect(centralityFactor(input({ centre: null, transit }), rules.sentralitet)).toEqual({
      value: 0.6,
      reason:
        'Nærmeste holdeplass med jevnlige avganger er Torget (buss, 8 avganger i timen) på tomten; sentrumspunkt mangler, så bare kollektivtilbudet teller.',
    });
  });
});

describe('homesWords', () => {
  it('says "ingen boliger", "1 bolig" and "61 boliger"', () => {
    expect([0, 1, 61, 1_200].map(homesWords)).toEqual([
      'ingen boliger',
      '1 bolig',
      '61 boliger',
      '1 200 boliger',
    ]);
  });
});

describe('Størrelse at the edge of "all under serious constraints"', () => {
  it('counts 50 m² outside the constraints as buildable land, less as none', () => {
    expect(sizeFactor(10_000, 50, rules.storrelse).reason).toMatch(
      /^Tomten er på 10,0 daa, og 0,1 daa av den ligger utenfor/,
    );
    expect(sizeFactor(10_000, 49.9, rules.storrelse).reason).toMatch(
      /men hele tomten ligger under alvorlige begrensninger/,
    );
  });
});

describe('Kommunal vilje', () => {
  it('is the kommune ranking’s will-to-build factor, not the kommune score', () => {
    expect(kommuneWillFactor({ value: 0.73, raw: 6.4, year: '2024' })).toEqual({
      value: 0.73,
      reason:
        'Byggeviljen (i snitt 6,4 igangsatte boliger per 1 000 innbyggere i året, siste år 2024) er høyere enn i 73 % av kommunene.',
    });
    expect(kommuneWillFactor({ value: 0.2, raw: null, year: null }).reason).toBe(
      'Byggeviljen er høyere enn i 20 % av kommunene.',
    );
    expect(kommuneWillFactor({ value: 0.456, raw: 12, year: null })).toEqual({
      value: 0.456,
      reason:
        'Byggeviljen (i snitt 12 igangsatte boliger per 1 000 innbyggere i året) er høyere enn i 46 % av kommunene.',
    });
  });

  it('keeps the percentile within 0–1', () => {
    expect(kommuneWillFactor({ value: 1.2, raw: null, year: null })).toMatchObject({ value: 1 });
    expect(kommuneWillFactor({ value: -0.1, raw: null, year: null }).reason).toBe(
      'Byggeviljen er høyere enn i 0 % av kommunene.',
    );
  });

  it('has no value without the factor or with a value that is not a number', () => {
    const none = { value: null, reason: 'Kommunen har ingen tall for byggevilje i kommunerangeringen ennå.' };
    expect(kommuneWillFactor(null)).toEqual(none);
    expect(kommuneWillFactor({ value: Number.NaN, raw: null, year: null })).toEqual(none);
  });
});

describe('Eierstruktur', () => {
  const base = { properties: 1, opportunityArealM2: 8_400, propertiesWithKnownOwners: 0, knownOwners: 0 };

  it('counts one property in the singular while owners are unknown', () => {
    expect(ownershipFactor(base, rules.eierstruktur)).toEqual({
      value: 1,
      reason: 'Mulighetsområdet (8,4 daa) omfatter 1 eiendom; eierne er ikke slått opp ennå.',
    });
  });

  it('names the known owners when every property is looked up', () => {
    expect(
      ownershipFactor(
        { ...base, properties: 2, propertiesWithKnownOwners: 2, knownOwners: 3 },
        rules.eierstruktur,
      ),
    ).toEqual({
      value: 0.65,
      reason: 'Mulighetsområdet (8,4 daa) omfatter 2 eiendommer med 3 kjente eiere.',
    });
    expect(
      ownershipFactor({ ...base, propertiesWithKnownOwners: 1, knownOwners: 1 }, rules.eierstruktur).reason,
    ).toBe('Mulighetsområdet (8,4 daa) omfatter 1 eiendom med 1 kjent eier.');
  });

  it('says which properties are looked up and that the rest are not', () => {
    expect(
      ownershipFactor(
        { ...base, properties: 4, propertiesWithKnownOwners: 2, knownOwners: 2 },
        rules.eierstruktur,
      ),
    ).toEqual({
      value: 0.45,
      reason:
        'Mulighetsområdet (8,4 daa) omfatter 4 eiendommer: 2 kjente eiere på 2 eiendommer, resten ikke slått opp.',
    });
  });

  it('ignores owner counts that are missing, zero or not a number, and counts a single owner', () => {
    const lots = ['10/1', '10/2', '10/3', '10/4'].map((matrikkel) => ({
      tomtId: `3218-${matrikkel}-zone-1`,
      opportunityId: 'zone-1#0',
      matrikkelnummertekst: matrikkel,
      parcelsInOpportunity: 4,
      opportunityArealM2: 40_000,
    }));
    const counts = new Map([
      [lots[0]!.tomtId, 1],
      [lots[1]!.tomtId, 0],
      [lots[2]!.tomtId, Number.NaN],
    ]);
    expect(ownershipInputs(lots, counts).get(lots[3]!.tomtId)).toEqual({
      properties: 4,
      opportunityArealM2: 40_000,
      propertiesWithKnownOwners: 1,
      knownOwners: 1,
    });
  });
});

describe('Infrastruktur', () => {
  it('says a road that touches the lot borders it, and gives the distance to one further off', () => {
    expect(
      infrastructureFactor({ label: 'regulert veg o_SKV1', distance: 0 }, true, rules.infrastruktur),
    ).toEqual({ value: 1, reason: 'Regulert veg o_SKV1 grenser til tomten.' });
    expect(
      infrastructureFactor({ label: 'regulert veg o_SKV1', distance: 1.4 }, true, rules.infrastruktur).reason,
    ).toBe('Regulert veg o_SKV1 0 m unna (full score innen 100 m).');
  });
});

describe('wording', () => {
  it('writes distances in metres (10 m steps) under 1 km and in km with one decimal from there', () => {
    expect(formatDistance(344)).toBe('340 m');
    expect(formatDistance(2_449)).toBe('2,4 km');
    expect(formatDistance(12_345_678)).toBe('12 345,7 km');
  });

  it('joins nothing, one, two and more items the Norwegian way', () => {
    expect(joinNorwegian([])).toBe('');
    expect(joinNorwegian(['flomfare'])).toBe('flomfare');
    expect(joinNorwegian(['flomfare', 'skredfare', 'støy'])).toBe('flomfare, skredfare og støy');
  });
});
