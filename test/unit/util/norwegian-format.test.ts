import { describe, expect, it } from 'vitest';
import {
  formatArea,
  formatKroner,
  formatKronerRange,
  formatPercent,
  formatPoints,
  formatUpToOneDecimal,
} from '../../../sync/src/util/norwegian-format.js';

describe('Norwegian number formatting', () => {
  it('groups thousands with a plain space and writes a decimal comma', () => {
    expect(formatArea(12_345)).toBe('12 345 m² (12,3 daa)');
    expect(formatPoints(7)).toBe('7,0');
    expect(formatPercent(0.4849)).toBe('48 %');
  });

  it('writes a rate with its decimal only where it has one', () => {
    expect(formatUpToOneDecimal(6.44)).toBe('6,4');
    expect(formatUpToOneDecimal(12)).toBe('12');
    expect(formatUpToOneDecimal(12_345.67)).toBe('12 345,7');
    expect(formatUpToOneDecimal(-1.5)).toBe('-1,5');
  });

  it('writes kroner in the unit that reads best, a range in the higher end’s unit', () => {
    expect(formatKroner(850_000)).toBe('850 000 kr');
    expect(formatKroner(212_400_000)).toBe('212,4 mill. kr');
    expect(formatKroner(1_100_000_000)).toBe('1,1 mrd. kr');
    expect(formatKronerRange(162_200_000, 270_300_000)).toBe('162,2–270,3 mill. kr');
  });
});
