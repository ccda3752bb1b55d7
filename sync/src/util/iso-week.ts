/**
 * ISO 8601 weeks ("2026-W49") in a time zone: the week a moment falls in, and the instants a week
 * starts and ends. The weekly report and its snapshots are keyed by them; Norway reads weeks this way.
 */
export interface IsoWeek {
  year: number;
  week: number;
}

export interface WeekBounds {
  /** Monday 00:00 local time, as a UTC ISO instant (inclusive). */
  from: string;
  /** The next Monday 00:00 local time, as a UTC ISO instant (exclusive). */
  to: string;
  /** Monday and Sunday as calendar dates, YYYY-MM-DD. */
  firstDay: string;
  lastDay: string;
}

/** One calendar day in milliseconds (UTC, no daylight saving). */
export const DAY_MS = 86_400_000;

export function formatIsoWeek({ year, week }: IsoWeek): string {
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** "2026-W49" → { year, week }; null for anything else, and for week 53 of a year without one. */
export function parseIsoWeek(text: string): IsoWeek | null {
  const match = /^(\d{4})-W(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const year = Number(match[1]);
  const week = Number(match[2]);
  return week >= 1 && week <= weeksInYear(year) ? { year, week } : null;
}

/** 52 or 53: a year has a week 53 when its 28 December falls in it. */
export function weeksInYear(year: number): number {
  return isoWeekOfDate(Date.UTC(year, 11, 28)).week;
}

/** The ISO week of a calendar day given as UTC midnight milliseconds. */
function isoWeekOfDate(utcMidnight: number): IsoWeek {
  const weekday = (new Date(utcMidnight).getUTCDay() + 6) % 7; // Monday 0
  const thursday = new Date(utcMidnight + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const dayOfYear = Math.round((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS);
  return { year, week: Math.floor(dayOfYear / 7) + 1 };
}

/** The week an instant falls in, as the calendar reads in `timeZone`. */
export function isoWeekOf(instant: Date, timeZone: string): string {
  const [y, m, d] = localDay(instant, timeZone);
  return formatIsoWeek(isoWeekOfDate(Date.UTC(y, m - 1, d)));
}

/** The week before (and the one before that, `steps` back). */
export function weekBefore(week: string, steps = 1): string {
  const monday = mondayOf(parsedOrThrow(week)) - steps * 7 * DAY_MS;
  return formatIsoWeek(isoWeekOfDate(monday));
}

/** The `count` weeks ending with `week`, oldest first. */
export function weeksEndingWith(week: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => weekBefore(week, count - 1 - i));
}

export function weekBounds(week: string, timeZone: string): WeekBounds {
  const monday = mondayOf(parsedOrThrow(week));
  const nextMonday = monday + 7 * DAY_MS;
  return {
    from: localMidnight(monday, timeZone).toISOString(),
    to: localMidnight(nextMonday, timeZone).toISOString(),
    firstDay: dayText(monday),
    lastDay: dayText(nextMonday - DAY_MS),
  };
}

function parsedOrThrow(week: string): IsoWeek {
  const parsed = parseIsoWeek(week);
  if (!parsed) throw new Error(`"${week}" is not an ISO week such as 2026-W49`);
  return parsed;
}

/** Monday of an ISO week as UTC midnight milliseconds. */
function mondayOf({ year, week }: IsoWeek): number {
  const jan4 = Date.UTC(year, 0, 4);
  const mondayOfWeek1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
  return mondayOfWeek1 + (week - 1) * 7 * DAY_MS;
}

const dayText = (utcMidnight: number) => new Date(utcMidnight).toISOString().slice(0, 10);

export function localDay(instant: Date, timeZone: string): [number, number, number] {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return [part('year'), part('month'), part('day')];
}

/** How far `timeZone` is ahead of UTC at an instant, in milliseconds. */
export function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** 00:00 on a calendar day (given as UTC midnight) in `timeZone`, as an instant. */
function localMidnight(utcMidnight: number, timeZone: string): Date {
  const guess = utcMidnight - offsetAt(utcMidnight, timeZone);
  return new Date(utcMidnight - offsetAt(guess, timeZone));
}
