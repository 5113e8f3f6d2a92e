/**
 * The pieces the catalogues format amounts and instants from. Japan has one time zone and no
 * daylight saving, so an instant in JST is UTC plus nine hours (SPEC.md: times are shown in JST).
 */

/** An instant's calendar fields in Japan time. */
export interface JstFields {
  readonly year: number;
  /** 1-12. */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** The JST fields of an instant (ms since the epoch). */
export function jstFields(ms: number): JstFields {
  const d = new Date(ms + 9 * 3600_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** Two digits: 5 → 05. */
export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** The JST fields of an ISO instant; null when there is none. */
export function jstFieldsOfIso(iso: string | null | undefined): JstFields | null {
  return iso === null || iso === undefined ? null : jstFields(Date.parse(iso));
}
