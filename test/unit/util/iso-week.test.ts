import { describe, expect, it } from 'vitest';
import {
  isoWeekOf,
  parseIsoWeek,
  weekBefore,
  weekBounds,
  weeksEndingWith,
  weeksInYear,
} from '../../../sync/src/util/iso-week.js';

const OSLO = 'Europe/Oslo';

describe('ISO weeks in Europe/Oslo', () => {
  it('reads the week of an instant on the Oslo calendar, not UTC', () => {
    // Sunday 6 December 2026, 23:30 UTC is Monday 00:30 in Oslo: week 50 there.
    expect(isoWeekOf(new Date('2026-12-06T23:30:00Z'), 'UTC')).toBe('2026-W49');
    expect(isoWeekOf(new Date('2026-12-06T23:30:00Z'), OSLO)).toBe('2026-W50');
    expect(isoWeekOf(new Date('2026-11-30T00:30:00+01:00'), OSLO)).toBe('2026-W49');
  });

  it('puts the days around New Year in the week their Thursday belongs to', () => {
    expect(isoWeekOf(new Date('2026-01-01T12:00:00Z'), OSLO)).toBe('2026-W01');
    expect(isoWeekOf(new Date('2027-01-01T12:00:00Z'), OSLO)).toBe('2026-W53');
    expect(isoWeekOf(new Date('2027-01-04T12:00:00Z'), OSLO)).toBe('2027-W01');
    expect(isoWeekOf(new Date('2024-12-30T12:00:00Z'), OSLO)).toBe('2025-W01');
    expect([weeksInYear(2026), weeksInYear(2025), weeksInYear(2020)]).toEqual([53, 52, 53]);
  });

  it('parses a week and refuses what is not one', () => {
    expect(parseIsoWeek('2026-W49')).toEqual({ year: 2026, week: 49 });
    expect(parseIsoWeek('2026-W53')).toEqual({ year: 2026, week: 53 });
    for (const text of ['2025-W53', '2026-W00', '2026-49', '2026-W5', 'uke 49'])
      expect(parseIsoWeek(text)).toBeNull();
  });

  it('bounds a week by Oslo midnights, an hour off UTC in winter and two in summer', () => {
    expect(weekBounds('2026-W49', OSLO)).toEqual({
      from: '2026-11-29T23:00:00.000Z',
      to: '2026-12-06T23:00:00.000Z',
      firstDay: '2026-11-30',
      lastDay: '2026-12-06',
    });
    expect(weekBounds('2026-W27', OSLO).from).toBe('2026-06-28T22:00:00.000Z');
    // The week summer time ends in (Sunday 25 October 2026) is 169 hours long.
    const dst = weekBounds('2026-W43', OSLO);
    expect((Date.parse(dst.to) - Date.parse(dst.from)) / 3_600_000).toBe(169);
  });

  it('steps back across a year with 53 weeks', () => {
    expect(weekBefore('2027-W01')).toBe('2026-W53');
    expect(weekBefore('2026-W01')).toBe('2025-W52');
    expect(weeksEndingWith('2027-W02', 4)).toEqual(['2026-W52', '2026-W53', '2027-W01', '2027-W02']);
  });
});
