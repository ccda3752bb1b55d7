/**
 * SSB refreshes metadata at 05:00 and publishes new figures at 08:00; between those, figures due
 * for revision read 0 or "." and tables can be unavailable (ssb.md, janbrus api-details.md). No
 * query is sent between 05:00 and 08:15 Oslo time.
 */
export const SSB_QUIET_HOURS = { from: { hour: 5, minute: 0 }, to: { hour: 8, minute: 15 } } as const;

const osloTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Oslo',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Minutes after midnight, Oslo time. */
export function osloMinuteOfDay(epochMs: number): number {
  const parts = osloTime.formatToParts(new Date(epochMs));
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return hour * 60 + minute;
}

export function inSsbQuietHours(epochMs: number): boolean {
  const minute = osloMinuteOfDay(epochMs);
  const from = SSB_QUIET_HOURS.from.hour * 60 + SSB_QUIET_HOURS.from.minute;
  const to = SSB_QUIET_HOURS.to.hour * 60 + SSB_QUIET_HOURS.to.minute;
  return minute >= from && minute < to;
}

/** Milliseconds until the quiet hours end (0 outside them). */
export function msUntilQuietHoursEnd(epochMs: number): number {
  if (!inSsbQuietHours(epochMs)) return 0;
  const minute = osloMinuteOfDay(epochMs);
  const to = SSB_QUIET_HOURS.to.hour * 60 + SSB_QUIET_HOURS.to.minute;
  const seconds = new Date(epochMs).getUTCSeconds() * 1000 + new Date(epochMs).getUTCMilliseconds();
  return (to - minute) * 60_000 - seconds;
}
