import { WEEKDAY_NAMES, type DepartureWindowRule } from '../../config/lot-score-rules.js';
import { localDay, offsetAt } from '../../util/iso-week.js';

const TIME_ZONE = 'Europe/Oslo';
const DAY_MS = 86_400_000;
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
 * The next `rule.weekday` strictly after today (Oslo calendar) at `rule.from` Oslo time: a whole
 * future window, so a run at 08:00 on a Tuesday does not count half a morning. Daylight saving is
 * taken from the day itself.
 */
export function nextDepartureWindow(rule: DepartureWindowRule, now: Date): DepartureWindow {
  const [year, month, day] = localDay(now, TIME_ZONE);
  const today = Date.UTC(year, month - 1, day);
  const wanted = (WEEKDAY_NAMES.indexOf(rule.weekday) + 1) % 7; // getUTCDay: Sunday 0
  const ahead = (wanted - new Date(today).getUTCDay() + 7) % 7 || 7;
  const [hh, mm] = rule.from.split(':').map(Number) as [number, number];
  const wallClock = today + ahead * DAY_MS + hh * HOUR_MS + mm * 60_000;
  const offset = offsetAt(wallClock - offsetAt(wallClock, TIME_ZONE), TIME_ZONE);
  return {
    startTime: `${new Date(wallClock).toISOString().slice(0, 19)}${offsetText(offset)}`,
    timeRangeS: rule.hours * 3600,
    hours: rule.hours,
  };
}

function offsetText(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${offsetMs < 0 ? '-' : '+'}${hh}:${mm}`;
}
