/** The working day the bulk lookups are spread over, in the service's time zone. */
export interface WorkingDay {
  /** Local hours, e.g. 8 and 16: lookups start at 08:00 and the last is made before 16:00. */
  startHour: number;
  endHour: number;
  /** ISO weekdays the team works (1 Monday … 7 Sunday). */
  weekdays: readonly number[];
}

export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  /** 1 Monday … 7 Sunday */
  weekday: number;
  /** Minutes since local midnight. */
  minutes: number;
}

const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, format);
  }
  return format;
}

export function localTime(at: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    formatOf(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAY[parts.weekday!] ?? 0,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/**
 * How many lookups the bulk job may have spent by this moment of the day: the budget spread evenly
 * over the working day (the first at its start, the last before its end), nothing outside it.
 */
export function allowedSoFar(budget: number, day: WorkingDay, now: LocalTime): number {
  if (!day.weekdays.includes(now.weekday)) return 0;
  const start = day.startHour * 60;
  const length = (day.endHour - day.startHour) * 60;
  const elapsed = now.minutes - start;
  if (elapsed < 0 || elapsed >= length) return elapsed < 0 ? 0 : budget;
  return Math.min(budget, Math.floor((budget * elapsed) / length) + 1);
}

/**
 * Lookups to queue now: what the pace allows less what is spent, at most one tick's share of the
 * day, so a service started at noon carries on at the pace rather than catching up in a burst.
 */
export function lookupsToQueue(input: {
  budget: number;
  day: WorkingDay;
  now: LocalTime;
  spent: number;
  tickMinutes: number;
}): number {
  const { budget, day, now } = input;
  const allowed = allowedSoFar(budget, day, now);
  const dayMinutes = (day.endHour - day.startHour) * 60;
  const perTick = Math.max(1, Math.ceil((budget * input.tickMinutes) / dayMinutes));
  const withinDay = now.minutes < day.endHour * 60;
  return withinDay ? Math.max(0, Math.min(allowed - input.spent, perTick)) : 0;
}
