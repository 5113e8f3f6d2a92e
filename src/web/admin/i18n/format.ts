/** Instants as the console shows them: JST, dense, e.g. 2026/11/23 14:05:10 (SPEC.md: shown in JST). */
const JST_OFFSET_MS = 9 * 3600_000;

/** `YYYY/MM/DD HH:mm:ss` in JST of an ISO instant; '' for none. */
export function jstStamp(iso: string | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const d = new Date(ms + JST_OFFSET_MS).toISOString();
  return `${d.slice(0, 10).replace(/-/g, '/')} ${d.slice(11, 19)}`;
}
