import { describe, expect, it } from 'vitest';
import { estimateValue } from '../../../../sync/src/scoring/lot/value.js';
import { formatKroner, formatKronerRange } from '../../../../sync/src/util/norwegian-format.js';
import { defaultLotRules, lotRules } from './lot-fixtures.js';

const capacity = (homes: number, averageHomeM2?: number) => ({
  homes,
  method: '%-BYA 30',
  detail: '',
  basis: 'utnytting' as const,
  ...(averageHomeM2 ? { averageHomeM2 } : {}),
});
const price = { value: 97_979, year: '2024' };

describe('estimateValue', () => {
  it('names the price’s year only when it has one', () => {
    const value = estimateValue(capacity(40, 70), { value: 97_979, year: null }, defaultLotRules().value)!;
    expect(value.method).toContain('(SSB 06035, selveierboliger i kommunen) = ');
  });

  it('is homes × the average home size × the kommune’s price per m², with a land-value band of shares', () => {
    // 40 × 70 × 97 979 = 274 341 200 → 274 300 000; 15 % and 25 % of that, to the nearest 100 000.
    const value = estimateValue(capacity(40, 70), price, defaultLotRules().value)!;
    expect(value).toMatchObject({
      salesValue: 274_300_000,
      landValueLow: 41_100_000,
      landValueHigh: 68_600_000,
      homes: 40,
      averageHomeM2: 70,
      pricePerM2: 97_979,
      priceYear: '2024',
    });
    expect(value.method).toBe(
      'Anslag, ikke takst: 40 boliger × 70 m² × 97 979 kr/m² (SSB 06035, selveierboliger i kommunen 2024) = ' +
        '274,3 mill. kr i salgsverdi; tomteverdi 15–25 % av salgsverdien = 41,1–68,6 mill. kr.',
    );
  });

  it('follows the configured land shares, one share giving one figure', () => {
    const rules = lotRules({ value: { landShareLow: 0.2, landShareHigh: 0.2 } }).value;
    const value = estimateValue(capacity(40, 70), price, rules)!;
    expect(value.landValueLow).toBe(value.landValueHigh);
    expect(value.method).toContain('tomteverdi 20 % av salgsverdien = 54,9 mill. kr.');
  });

  it('gives nothing without homes, without a price, or without the home size the capacity assumed', () => {
    const rules = defaultLotRules().value;
    expect(estimateValue(capacity(0, 70), price, rules)).toBeNull();
    expect(estimateValue(capacity(40, 70), null, rules)).toBeNull();
    expect(estimateValue(capacity(40, 70), { value: 0, year: null }, rules)).toBeNull();
    expect(estimateValue(capacity(40), price, rules)).toBeNull();
  });
});

describe('kroner in Norwegian', () => {
  it('writes kroner, millions and billions, and a range in the unit of its top', () => {
    expect(formatKroner(850_000)).toBe('850 000 kr');
    expect(formatKroner(212_400_000)).toBe('212,4 mill. kr');
    expect(formatKroner(1_081_300_000)).toBe('1,1 mrd. kr');
    expect(formatKronerRange(900_000, 1_500_000)).toBe('0,9–1,5 mill. kr');
    expect(formatKronerRange(162_200_000, 270_300_000)).toBe('162,2–270,3 mill. kr');
  });
});
