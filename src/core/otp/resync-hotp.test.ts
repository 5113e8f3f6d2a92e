import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { HmacFn } from './hotp.js';
import { resyncHotp } from './resync-hotp.js';

// RFC 4226 Appendix D: secret "12345678901234567890", 6 digits, counters 0-9.
const SECRET = Buffer.from('12345678901234567890');
const D = [
  '755224',
  '287082',
  '359152',
  '969429',
  '338314',
  '254676',
  '287922',
  '162583',
  '399871',
  '520489',
];
const hmac: HmacFn = (m) => new Uint8Array(createHmac('sha1', SECRET).update(m).digest());
const base = { hmac, digits: 6, initialCounter: 0, window: 100 };
const at = (i: number) => D[i] ?? '';

/** oathtool's HOTP at counter c (an independent implementation). */
function oath(c: number): string {
  return execFileSync('oathtool', ['--hotp', '-c', String(c), SECRET.toString('hex')])
    .toString()
    .trim();
}

describe('resyncHotp (RFC 4226 §7.4: two consecutive OTPs, bounded window)', () => {
  it('finds two consecutive RFC vectors and answers the second counter', () => {
    expect(resyncHotp({ ...base, first: at(6), second: at(7), lastCounter: 0 })).toEqual({
      result: 'ok',
      counter: 7,
    });
    expect(resyncHotp({ ...base, first: at(0), second: at(1), lastCounter: null })).toEqual({
      result: 'ok',
      counter: 1,
    });
  });

  it('far ahead of the server (oathtool as oracle), inside the window only', () => {
    const first = oath(850);
    const second = oath(851);
    expect(resyncHotp({ ...base, window: 1000, first, second, lastCounter: 3 })).toEqual({
      result: 'ok',
      counter: 851,
    });
    expect(resyncHotp({ ...base, window: 500, first, second, lastCounter: 3 })).toEqual({
      result: 'invalid',
    });
  });

  it('not consecutive, reversed, used or malformed is invalid', () => {
    expect(resyncHotp({ ...base, first: at(5), second: at(7), lastCounter: 0 })).toEqual({
      result: 'invalid',
    });
    expect(resyncHotp({ ...base, first: at(7), second: at(6), lastCounter: 0 })).toEqual({
      result: 'invalid',
    });
    // Counters at or below the last used one are never searched.
    expect(resyncHotp({ ...base, first: at(3), second: at(4), lastCounter: 4 })).toEqual({
      result: 'invalid',
    });
    for (const bad of ['', '12345', 'abcdef', '１２３４５６'])
      expect(resyncHotp({ ...base, first: bad, second: at(1), lastCounter: null })).toEqual({
        result: 'invalid',
      });
  });

  it('a window outside 1..10000 is a programming error', () => {
    expect(() =>
      resyncHotp({ ...base, window: 0, first: at(1), second: at(2), lastCounter: 0 }),
    ).toThrow(RangeError);
    expect(() =>
      resyncHotp({ ...base, window: 10_001, first: at(1), second: at(2), lastCounter: 0 }),
    ).toThrow(RangeError);
  });
});
