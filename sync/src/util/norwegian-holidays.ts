import { DAY_MS } from './iso-week.js';

/**
 * Norway's public holidays (helligdager, 1 May and 17 May) and Easter Sunday, on calendar days
 * given as UTC midnight milliseconds (as `Date.UTC(year, month - 1, day)` gives them).
 */

/** Easter Sunday of a Gregorian year (the anonymous algorithm: Meeus, Jones, Butcher), UTC midnight. */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, day);
}

/** Days after Easter Sunday: Maundy Thursday, Good Friday, Easter, Easter Monday, Ascension, Whitsun, Whit Monday. */
const EASTER_HOLIDAYS = [-3, -2, 0, 1, 39, 49, 50];
/** [month, day]: New Year's Day, Labour Day, Constitution Day, Christmas Day and Boxing Day. */
const FIXED_HOLIDAYS = [
  [1, 1],
  [5, 1],
  [5, 17],
  [12, 25],
  [12, 26],
] as const;

/** Whether a calendar day (UTC midnight) is a Norwegian public holiday. */
export function isPublicHoliday(day: number): boolean {
  const date = new Date(day);
  const [year, month, dayOfMonth] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  if (FIXED_HOLIDAYS.some(([m, d]) => m === month && d === dayOfMonth)) return true;
  const easter = easterSunday(year);
  return EASTER_HOLIDAYS.some((offset) => easter + offset * DAY_MS === day);
}
