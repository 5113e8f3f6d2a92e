import { describe, expect, it } from 'vitest';
import { formatJstDateTime, jstDate } from './jst.js';

describe('JST (UTC+9, no daylight saving)', () => {
  it('shows an instant as the guides write it', () => {
    const t = Date.UTC(2026, 10, 23, 5, 5, 9); // 14:05:09 in Tokyo
    expect(formatJstDateTime(t)).toBe('2026年11月23日 14時05分');
    expect(formatJstDateTime(t, { seconds: true })).toBe('2026年11月23日 14時05分09秒');
  });

  it('turns the date over at 15:00 UTC', () => {
    const t = Date.UTC(2012, 3, 24, 15, 0, 0);
    expect(formatJstDateTime(t)).toBe('2012年04月25日 00時00分');
    expect(jstDate(t)).toBe('2012-04-25');
  });
});
