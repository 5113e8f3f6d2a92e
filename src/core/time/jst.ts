/** Japan Standard Time is UTC+9 with no daylight saving (SPEC: times kept in UTC, shown in JST). */
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** The JST calendar date of an instant, as `YYYY-MM-DD`. */
export function jstDate(epochMs: number): string {
  return new Date(epochMs + JST_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The instant as Japanese customers read it in JST, e.g. 「2026年11月23日 14時05分」, with
 * 「10秒」 added when `seconds` is set (the guides' 送信日時: 「2012年04月25日 10時26分10秒」).
 */
export function formatJstDateTime(epochMs: number, o: { seconds?: boolean } = {}): string {
  const d = new Date(epochMs + JST_OFFSET_MS);
  const two = (n: number) => String(n).padStart(2, '0');
  const text =
    `${d.getUTCFullYear()}年${two(d.getUTCMonth() + 1)}月${two(d.getUTCDate())}日 ` +
    `${two(d.getUTCHours())}時${two(d.getUTCMinutes())}分`;
  return o.seconds === true ? `${text}${two(d.getUTCSeconds())}秒` : text;
}
