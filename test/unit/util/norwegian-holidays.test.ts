import { describe, expect, it } from 'vitest';
import { easterSunday, isPublicHoliday } from '../../../sync/src/util/norwegian-holidays.js';

const day = (text: string) => Date.parse(`${text}T00:00:00Z`);
const text = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('easterSunday', () => {
  it('gives the known Easter Sundays 2024–2030 and the edges of its range', () => {
    const known = {
      2024: '2024-03-31',
      2025: '2025-04-20',
      2026: '2026-04-05',
      2027: '2027-03-28',
      2028: '2028-04-16',
      2029: '2029-04-01',
      2030: '2030-04-21',
      // The earliest and latest possible dates, and a century year.
      2285: '2285-03-22',
      2038: '2038-04-25',
      2000: '2000-04-23',
    };
    for (const [year, date] of Object.entries(known))
      expect(text(easterSunday(Number(year))), year).toBe(date);
  });
});

describe('isPublicHoliday', () => {
  it('knows the fixed and the Easter-bound holidays of 2027, and nothing else', () => {
    const holidays2027 = [
      '2027-01-01',
      '2027-03-25', // skjærtorsdag
      '2027-03-26', // langfredag
      '2027-03-28', // 1. påskedag
      '2027-03-29', // 2. påskedag
      '2027-05-01',
      '2027-05-06', // Kristi himmelfartsdag
      '2027-05-16', // 1. pinsedag
      '2027-05-17', // 2. pinsedag and Grunnlovsdag on the same day
      '2027-12-25',
      '2027-12-26',
    ];
    const all: string[] = [];
    for (let d = day('2027-01-01'); d <= day('2027-12-31'); d += 86_400_000)
      if (isPublicHoliday(d)) all.push(text(d));
    expect(all).toEqual(holidays2027);
  });

  it('never puts an Easter-bound holiday on a Tuesday (only fixed ones fall there)', () => {
    for (let year = 1900; year <= 2200; year++)
      for (let d = day(`${year}-03-01`); d <= day(`${year}-06-30`); d += 86_400_000)
        if (isPublicHoliday(d) && new Date(d).getUTCDay() === 2) expect(text(d)).toMatch(/-05-(01|17)$/);
  });
});
