import { WEEKDAY_NAMES, type DepartureWindowRule } from '../../config/lot-score-rules.js';
import { DAY_MS, localDay, offsetAt } from '../../util/iso-week.js';
import { easterSunday, isPublicHoliday } from '../../util/norwegian-holidays.js';

const TIME_ZONE = 'Europe/Oslo';
const HOUR_MS = 3_600_000;

/** The window a stop's departures are counted in, as the Journey Planner takes it. */
export interface DepartureWindow {
  /** ISO 8601 with the Oslo offset, e.g. "2026-12-08T07:00:00+01:00" (`estimatedCalls(startTime:)`). */
  startTime: string;
  /** Seconds (`estimatedCalls(timeRange:)`). */
  timeRangeS: number;
  hours: number;
}

/**
 * The next `rule.weekday` strictly after today (Oslo calendar) that runs a normal timetable
 * (`isNormalTimetableDay`), at `rule.from` Oslo time: a whole future window, so a run at 08:00 on
 * a Tuesday does not count half a morning. Daylight saving is taken from the day itself (the
 * clocks change on a Sunday at 01:00 UTC: only a Sunday window from 02:00–03:00 could straddle it).
 */
export function nextDepartureWindow(rule: DepartureWindowRule, now: Date): DepartureWindow {
  const [year, month, day] = localDay(now, TIME_ZONE);
  const today = Date.UTC(year, month - 1, day);
  const wanted = (WEEKDAY_NAMES.indexOf(rule.weekday) + 1) % 7; // getUTCDay: Sunday 0
  let ahead = (wanted - new Date(today).getUTCDay() + 7) % 7 || 7;
  while (!isNormalTimetableDay(today + ahead * DAY_MS)) ahead += 7;
  const [hh, mm] = rule.from.split(':').map(Number) as [number, number];
  const wallClock = today + ahead * DAY_MS + hh * HOUR_MS + mm * 60_000;
  const offset = offsetAt(wallClock - offsetAt(wallClock, TIME_ZONE), TIME_ZONE);
  return {
    startTime: `${new Date(wallClock).toISOString().slice(0, 19)}${offsetText(offset)}`,
    timeRangeS: rule.hours * 3600,
    hours: rule.hours,
  };
}

/**
 * Whether a calendar day (UTC midnight) runs a normal week's timetable: not a public holiday, not
 * 21 December to 2 January (operators run holiday timetables from 24 December to 1 or 2 January,
 * and schools, whose routes are much of a rural kommune's morning, close a few days before), not
 * Easter week from Monday to Easter Monday (schools are closed, buses run without school routes).
 * Skipping a normal day only moves the window a week on; counting a holiday undercounts the stop.
 */
function isNormalTimetableDay(day: number): boolean {
  if (isPublicHoliday(day)) return false;
  const date = new Date(day);
  const [month, dayOfMonth] = [date.getUTCMonth() + 1, date.getUTCDate()];
  if ((month === 12 && dayOfMonth >= 21) || (month === 1 && dayOfMonth <= 2)) return false;
  const easter = easterSunday(date.getUTCFullYear());
  return day < easter - 6 * DAY_MS || day > easter + DAY_MS;
}

function offsetText(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${offsetMs < 0 ? '-' : '+'}${hh}:${mm}`;
}
