import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { HmacFn } from './hotp.js';
import { verifyHotp } from './verify-hotp.js';

// RFC 4226 Appendix D: secret "12345678901234567890", 6 digits, counters 0-9.
const SECRET = Buffer.from('12345678901234567890');
const RFC4226 = [
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
const base = { hmac, digits: 6, initialCounter: 0, lookAhead: 10 };

describe('verifyHotp (RFC 4226, look-ahead and single use)', () => {
  it('accepts the first OTP from the initial counter', () => {
    expect(verifyHotp({ ...base, otp: RFC4226[0] ?? '', lastCounter: null })).toEqual({
      result: 'ok',
      step: 0,
      drift: 0,
    });
    expect(
      verifyHotp({ ...base, otp: RFC4226[3] ?? '', lastCounter: null, initialCounter: 3 }),
    ).toEqual({ result: 'ok', step: 3, drift: 0 });
  });

  it('a used counter is replayed; the next one is ok; presses in between within the look-ahead are ok', () => {
    expect(verifyHotp({ ...base, otp: RFC4226[0] ?? '', lastCounter: 0 })).toEqual({
      result: 'replayed',
      step: 0,
    });
    expect(verifyHotp({ ...base, otp: RFC4226[1] ?? '', lastCounter: 0 })).toEqual({
      result: 'ok',
      step: 1,
      drift: 0,
    });
    expect(verifyHotp({ ...base, otp: RFC4226[5] ?? '', lastCounter: 0 })).toEqual({
      result: 'ok',
      step: 5,
      drift: 4,
    });
  });

  it('beyond the look-ahead, or before the initial counter, is invalid', () => {
    expect(verifyHotp({ ...base, otp: RFC4226[9] ?? '', lastCounter: 0, lookAhead: 3 })).toEqual({
      result: 'invalid',
    });
    expect(
      verifyHotp({ ...base, otp: RFC4226[1] ?? '', lastCounter: null, initialCounter: 4 }),
    ).toEqual({ result: 'invalid' });
  });

  it('malformed input is invalid, never an exception; a bad policy throws', () => {
    for (const otp of ['', '75522', '7552244', 'abcdef', '７５５２２４']) {
      expect(verifyHotp({ ...base, otp, lastCounter: null })).toEqual({ result: 'invalid' });
    }
    expect(() => verifyHotp({ ...base, otp: '755224', lastCounter: null, lookAhead: -1 })).toThrow(
      RangeError,
    );
    expect(() => verifyHotp({ ...base, otp: '755224', lastCounter: -2 })).toThrow(RangeError);
  });
});
