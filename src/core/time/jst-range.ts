/**
 * JST calendar days as instants (SPEC.md: times kept in UTC, shown in JST): the console's date
 * filters, the dashboard's "today" and the shipping list's day.
 */
const JST_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 86_400_000;

/** `[from, to)` of the JST day `YYYY-MM-DD`; null when it is not a real date. */
export function jstDayRange(date: string): { from: number; to: number } | null {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(date);
  if (m === null) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(y, mo - 1, d);
  const back = new Date(utc);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return null;
  const from = utc - JST_OFFSET_MS;
  return { from, to: from + DAY_MS };
}

/** The start of the JST day of `now`. */
export function jstStartOfDay(now: number): number {
  return Math.floor((now + JST_OFFSET_MS) / DAY_MS) * DAY_MS - JST_OFFSET_MS;
}

/** The start of the JST week (Monday 00:00 JST) of `now`. */
export function jstStartOfWeek(now: number): number {
  const day = jstStartOfDay(now);
  // 1970-01-01 (day 0) was a Thursday: Monday-based weekday = (days + 3) mod 7.
  const weekday = (Math.round((day + JST_OFFSET_MS) / DAY_MS) + 3) % 7;
  return day - weekday * DAY_MS;
}
