/** Japan Standard Time is UTC+9 with no daylight saving (SPEC: times kept in UTC, shown in JST). */
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** The JST calendar date of an instant, as `YYYY-MM-DD`. */
export function jstDate(epochMs: number): string {
  return new Date(epochMs + JST_OFFSET_MS).toISOString().slice(0, 10);
}
