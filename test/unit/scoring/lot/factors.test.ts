import { describe, expect, it } from 'vitest';
import type { ConstraintCoverage } from '../../../../sync/src/domain/lot.js';
import { capacityFactor } from '../../../../sync/src/scoring/lot/factors/capacity.js';
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
      reason: 'Tomten er 12,0 daa; full score fra 20,0 daa.',
    });
  });

  it('scores only the part outside severe constraints, and says how much that is', () => {
    const result = sizeFactor(30_000, 7_500, rules.storrelse);
    expect(result.value).toBeCloseTo(0.375, 6);
    expect(result.reason).toBe(
      'Tomten er 30,0 daa, hvorav 7,5 daa utenfor alvorlige begrensninger; full score fra 20,0 daa.',
    );
  });

  it('does not mention a difference of half a square metre or less (rounding of the overlay)', () => {
    expect(sizeFactor(10_000, 9_999.5, rules.storrelse).reason).toBe(
      'Tomten er 10,0 daa; full score fra 20,0 daa.',
    );
    expect(sizeFactor(10_000, 9_999.6, rules.storrelse).reason).toBe(
      'Tomten er 10,0 daa; full score fra 20,0 daa.',
    );
    expect(sizeFactor(10_000, 9_999.4, rules.storrelse).reason).toContain('hvorav 10,0 daa utenfor');
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
      'Dekker tomten: Flomfare 10 % (alvorlig), Ras- og skredfare 10 % (alvorlig), ' +
        'Gul støysone 90 % og Bevaring kulturmiljø 20 %.',
    );
  });

  it('puts a small severe constraint before a larger non-severe one', () => {
    const result = conflictFactor([covering('landbruk', 0.8), covering('hoyspent', 0.05)]);
    expect(result.reason).toBe(
      'Dekker tomten: Høyspenningsanlegg 5 % (alvorlig) og Landbruk og dyrka mark 80 %.',
    );
  });

  it('orders constraints of equal weight and share by key, whatever order they come in', () => {
    const a = covering('friluftsliv', 0.5);
    const b = covering('gronnstruktur', 0.5);
    const expected = 'Dekker tomten: Friluftsliv 50 % og Grønnstruktur 50 %.';
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
      'Anslagsvis ingen boliger (5 boliger per daa); full score fra 200 boliger.',
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
  it('has no value without any centre point', () => {
    expect(centralityFactor(null, false, rules.sentralitet)).toEqual({
      value: null,
      reason: 'Ingen sentrumspunkt er kjent for kommunen.',
    });
  });

  it('says when the lot contains the centre itself', () => {
    expect(centralityFactor({ name: 'Ås sentrum', distance: 0 }, false, rules.sentralitet)).toEqual({
      value: 1,
      reason: 'Tomten omfatter Ås sentrum.',
    });
  });

  it('names the representative point when it stands in for a configured centre', () => {
    const result = centralityFactor(
      { name: 'kommunens representasjonspunkt', distance: 2_750 },
      true,
      rules.sentralitet,
    );
    expect(result.value).toBeCloseTo(0.5, 6);
    expect(result.reason).toBe(
      '2,8 km til kommunens representasjonspunkt (ikke et konfigurert sentrum) (full score innen 500 m, ingen fra 5,0 km).',
    );
  });
});

describe('Kommunal vilje', () => {
  it('is the kommune ranking score as a share', () => {
    expect(kommuneWillFactor(73)).toEqual({
      value: 0.73,
      reason: 'Kommunen har score 73 av 100 i kommunerangeringen.',
    });
  });

  it('has no value for an unranked kommune or a score that is not a number', () => {
    const none = { value: null, reason: 'Kommunen har ingen score i kommunerangeringen ennå.' };
    expect(kommuneWillFactor(null)).toEqual(none);
    expect(kommuneWillFactor(Number.NaN)).toEqual(none);
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
