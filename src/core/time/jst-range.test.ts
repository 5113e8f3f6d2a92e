import { describe, expect, it } from 'vitest';
import { jstDayRange, jstStartOfDay, jstStartOfWeek } from './jst-range.js';

describe('JST days', () => {
  it('a JST day starts at 15:00 UTC the day before', () => {
    expect(jstDayRange('2026-12-03')).toEqual({
      from: Date.parse('2026-12-02T15:00:00Z'),
      to: Date.parse('2026-12-03T15:00:00Z'),
    });
  });
  it('refuses what is not a date', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '26-12-03', '2026/12/03', '', '2026-12-3'])
      expect(jstDayRange(bad), bad).toBeNull();
  });
  it('today and this week (Monday) in JST', () => {
    // 2026-12-03 is a Thursday; 23:30 UTC on the 2nd is already the 3rd in JST.
    const now = Date.parse('2026-12-02T23:30:00Z');
    expect(jstStartOfDay(now)).toBe(Date.parse('2026-12-02T15:00:00Z'));
    expect(jstStartOfWeek(now)).toBe(Date.parse('2026-11-29T15:00:00Z'));
    // Monday 00:00 JST is its own week's start.
    expect(jstStartOfWeek(Date.parse('2026-11-29T15:00:00Z'))).toBe(
      Date.parse('2026-11-29T15:00:00Z'),
    );
    expect(jstStartOfWeek(Date.parse('2026-11-29T14:59:59Z'))).toBe(
      Date.parse('2026-11-22T15:00:00Z'),
    );
  });
});
