import { createHmac, webcrypto } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AsyncHmacFn, HashAlgorithm, HmacFn, VerifyOtpOptions } from './index.js';
import {
  constantTimeEqual,
  generateTotp,
  secondsLeft,
  timeStep,
  verifyOtp,
  verifyOtpAsync,
} from './index.js';

const NODE_NAMES: Readonly<Record<HashAlgorithm, string>> = {
  SHA1: 'sha1',
  SHA256: 'sha256',
  SHA512: 'sha512',
};
const WEBCRYPTO_NAMES: Readonly<Record<HashAlgorithm, string>> = {
  SHA1: 'SHA-1',
  SHA256: 'SHA-256',
  SHA512: 'SHA-512',
};

// A reference HMAC, independent of Inkan's crypto/ folder.
const hmacOf =
  (key: Uint8Array, algorithm: HashAlgorithm = 'SHA1'): HmacFn =>
  (message) =>
    new Uint8Array(createHmac(NODE_NAMES[algorithm], key).update(message).digest());

// The browser's way: a non-extractable WebCrypto key.
async function webCryptoHmacOf(key: Uint8Array, algorithm: HashAlgorithm): Promise<AsyncHmacFn> {
  const cryptoKey = await webcrypto.subtle.importKey(
    'raw',
    key,
    { name: 'HMAC', hash: WEBCRYPTO_NAMES[algorithm] },
    false,
    ['sign'],
  );
  return async (message) => new Uint8Array(await webcrypto.subtle.sign('HMAC', cryptoKey, message));
}

const KEY = new TextEncoder().encode('12345678901234567890');
const hmac = hmacOf(KEY);
const PERIOD = 30;
// 2009-02-13 23:31:30 UTC, step 0x273EF07 at 30 s (RFC 6238 Appendix B).
const NOW = 1_234_567_890_000;
const CURRENT = 0x273ef07;

const otpAt = (stepOffset: number, digits = 8, period = PERIOD, key = hmac, now = NOW): string =>
  generateTotp({ hmac: key, now: now + stepOffset * period * 1000, period, digits });

const base = (otp: string, overrides: Partial<VerifyOtpOptions> = {}): VerifyOtpOptions => ({
  otp,
  hmac,
  now: NOW,
  period: PERIOD,
  digits: 8,
  window: 1,
  lastStep: null,
  ...overrides,
});

describe('verifyOtp: the window (RFC 6238 §5.2)', () => {
  it.each([-1, 0, 1])('accepts the OTP of drift %d with window 1', (drift) => {
    expect(verifyOtp(base(otpAt(drift)))).toEqual({
      result: 'ok',
      step: CURRENT + drift,
      drift,
    });
  });

  it.each([-3, -2, 2, 3])('rejects the OTP of drift %d with window 1', (drift) => {
    expect(verifyOtp(base(otpAt(drift)))).toEqual({ result: 'invalid' });
  });

  it('window 0 accepts only the current step', () => {
    expect(verifyOtp(base(otpAt(0), { window: 0 }))).toMatchObject({ result: 'ok', drift: 0 });
    expect(verifyOtp(base(otpAt(-1), { window: 0 }))).toEqual({ result: 'invalid' });
    expect(verifyOtp(base(otpAt(1), { window: 0 }))).toEqual({ result: 'invalid' });
  });

  it('a wider window reaches further', () => {
    expect(verifyOtp(base(otpAt(-3), { window: 3 }))).toMatchObject({ result: 'ok', drift: -3 });
    expect(verifyOtp(base(otpAt(4), { window: 3 }))).toEqual({ result: 'invalid' });
  });

  it('does not look before step 0 (T0)', () => {
    const calls: number[] = [];
    const counting: HmacFn = (m) => {
      calls.push(Buffer.from(m).readUInt32BE(4));
      return hmac(m);
    };
    const otp = generateTotp({ hmac, now: 0, period: PERIOD, digits: 8 });
    expect(verifyOtp(base(otp, { hmac: counting, now: 5_000, window: 2 }))).toEqual({
      result: 'ok',
      step: 0,
      drift: 0,
    });
    expect(calls).toEqual([0, 1, 2]);
  });

  it('computes every candidate even when the first one matches (no early exit)', () => {
    for (const window of [0, 1, 2, 5]) {
      let calls = 0;
      const counting: HmacFn = (m) => {
        calls++;
        return hmac(m);
      };
      verifyOtp(base(otpAt(-window), { hmac: counting, window }));
      expect(calls).toBe(2 * window + 1);
    }
  });
});

describe('verifyOtp: single use (「一度使用したワンタイムパスワードは無効」)', () => {
  it('an OTP of the step already accepted is replayed', () => {
    expect(verifyOtp(base(otpAt(0), { lastStep: CURRENT }))).toEqual({
      result: 'replayed',
      step: CURRENT,
    });
  });

  it('an OTP of an earlier step than the one accepted is replayed', () => {
    expect(verifyOtp(base(otpAt(-1), { lastStep: CURRENT }))).toEqual({
      result: 'replayed',
      step: CURRENT - 1,
    });
  });

  it('an OTP of a later step than the one accepted is ok', () => {
    expect(verifyOtp(base(otpAt(1), { lastStep: CURRENT }))).toEqual({
      result: 'ok',
      step: CURRENT + 1,
      drift: 1,
    });
    expect(verifyOtp(base(otpAt(0), { lastStep: CURRENT - 1 }))).toMatchObject({ result: 'ok' });
  });

  it('a barrier beyond the window makes every match replayed', () => {
    expect(verifyOtp(base(otpAt(1), { lastStep: CURRENT + 5 }))).toEqual({
      result: 'replayed',
      step: CURRENT + 1,
    });
  });

  it('a wrong OTP stays invalid whatever the barrier', () => {
    const wrong = otpAt(7);
    expect(verifyOtp(base(wrong, { lastStep: CURRENT }))).toEqual({ result: 'invalid' });
  });

  it('collision: an OTP matching a used and a fresh step is ok at the fresh step', () => {
    // An HMAC with the same output for every counter makes every step's OTP equal.
    const mac = hmac(new Uint8Array(8));
    const constant: HmacFn = () => mac.slice();
    const otp = generateTotp({ hmac: constant, now: NOW, period: PERIOD, digits: 8 });
    expect(verifyOtp(base(otp, { hmac: constant, lastStep: CURRENT - 1 }))).toEqual({
      result: 'ok',
      step: CURRENT + 1,
      drift: 1,
    });
    expect(verifyOtp(base(otp, { hmac: constant, lastStep: CURRENT }))).toEqual({
      result: 'ok',
      step: CURRENT + 1,
      drift: 1,
    });
    expect(verifyOtp(base(otp, { hmac: constant, lastStep: CURRENT + 1 }))).toEqual({
      result: 'replayed',
      step: CURRENT + 1,
    });
  });

  it('among several fresh matches the highest step wins, so the OTP cannot be used twice', () => {
    const mac = hmac(new Uint8Array(8));
    const constant: HmacFn = () => mac.slice();
    const otp = generateTotp({ hmac: constant, now: NOW, period: PERIOD, digits: 8 });
    const first = verifyOtp(base(otp, { hmac: constant }));
    expect(first).toEqual({ result: 'ok', step: CURRENT + 1, drift: 1 });
    const lastStep = first.result === 'ok' ? first.step : null;
    expect(verifyOtp(base(otp, { hmac: constant, lastStep }))).toMatchObject({
      result: 'replayed',
    });
  });

  it('property: after acceptance, the same OTP is never accepted again', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 64 }),
        fc.integer({ min: -2, max: 2 }),
        fc.integer({ min: 0, max: 3 }),
        (key, drift, later) => {
          const h = hmacOf(key);
          const otp = otpAt(drift, 6, PERIOD, h);
          const first = verifyOtp(base(otp, { hmac: h, digits: 6, window: 2 }));
          expect(first.result).toBe('ok');
          const lastStep = first.result === 'ok' ? first.step : null;
          // Retried at once or a few steps later, while the step is still in the window.
          const now = NOW + Math.min(later, 2 + drift) * PERIOD * 1000;
          const again = verifyOtp(base(otp, { hmac: h, digits: 6, window: 2, lastStep, now }));
          expect(again.result).not.toBe('ok');
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('verifyOtp: user input is never an exception', () => {
  it.each([
    ['empty', ''],
    ['too short', '1234567'],
    ['too long', '123456789'],
    ['a letter', '1234567a'],
    ['a space', '1234 678'],
    ['a sign', '-1234567'],
    ['a decimal point', '1234.567'],
    ['an exponent', '1234e567'],
    ['full-width digits', '１２３４５６７８'],
    ['Arabic-Indic digits', '١٢٣٤٥٦٧٨'],
    ['surrounding spaces', ' 1234567'],
  ])('%s is invalid', (_what, otp) => {
    expect(verifyOtp(base(otp))).toEqual({ result: 'invalid' });
  });

  it.each([null, undefined, 12345678, {}, []])('a non-string (%s) is invalid', (otp) => {
    expect(verifyOtp(base(otp as unknown as string))).toEqual({ result: 'invalid' });
  });

  it('property: arbitrary strings never throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (otp) => {
        const outcome = verifyOtp(base(otp));
        expect(['ok', 'replayed', 'invalid']).toContain(outcome.result);
      }),
      { numRuns: 500 },
    );
  });
});

describe('verifyOtp: policy misuse throws', () => {
  it.each<[string, Partial<VerifyOtpOptions>]>([
    ['digits 5', { digits: 5 }],
    ['digits 11', { digits: 11 }],
    ['period 0', { period: 0 }],
    ['period 1.5', { period: 1.5 }],
    ['window -1', { window: -1 }],
    ['window 0.5', { window: 0.5 }],
    ['now NaN', { now: Number.NaN }],
    ['now before the epoch', { now: -1 }],
    ['lastStep 1.5', { lastStep: 1.5 }],
  ])('%s', (_what, overrides) => {
    expect(() => verifyOtp(base('12345678', overrides))).toThrow(RangeError);
  });
});

describe('verifyOtp: digits, hashes and periods', () => {
  it.each([6, 7, 8, 9, 10])('%d digits', (digits) => {
    const otp = otpAt(0, digits);
    expect(otp).toHaveLength(digits);
    expect(verifyOtp(base(otp, { digits }))).toMatchObject({ result: 'ok', drift: 0 });
    // The same OTP checked against a policy of another length is malformed.
    expect(verifyOtp(base(otp, { digits: digits === 10 ? 9 : digits + 1 }))).toEqual({
      result: 'invalid',
    });
  });

  it('property: ok at every drift in the window, for SHA1/256/512, 6-10 digits, any period', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 64 }),
        fc.constantFrom<HashAlgorithm>('SHA1', 'SHA256', 'SHA512'),
        fc.integer({ min: 6, max: 10 }),
        fc.oneof(fc.constantFrom(30, 60), fc.integer({ min: 1, max: 600 })),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        fc.integer({ min: -3, max: 3 }),
        (key, algorithm, digits, period, window, now, drift) => {
          fc.pre(Math.abs(drift) <= window);
          const h = hmacOf(key, algorithm);
          const current = timeStep({ now, period });
          fc.pre(current + drift >= 0);
          const otp = otpAt(drift, digits, period, h, now);
          const outcome = verifyOtp({ otp, hmac: h, now, period, digits, window, lastStep: null });
          // A collision with a higher step in the window may win: then the OTP is that step's too.
          expect(outcome.result).toBe('ok');
          if (outcome.result !== 'ok') return;
          expect(outcome.step).toBe(current + outcome.drift);
          expect(outcome.drift).toBeGreaterThanOrEqual(drift);
          if (outcome.drift !== drift) {
            expect(otpAt(outcome.drift, digits, period, h, now)).toBe(otp);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('verifyOtpAsync (WebCrypto HMAC, as in the token PWA)', () => {
  it.each<HashAlgorithm>(['SHA1', 'SHA256', 'SHA512'])('accepts drift -1/0/+1 (%s)', async (a) => {
    const key = KEY;
    const asyncHmac = await webCryptoHmacOf(key, a);
    const h = hmacOf(key, a);
    for (const drift of [-1, 0, 1]) {
      const otp = otpAt(drift, 8, PERIOD, h);
      await expect(verifyOtpAsync({ ...base(otp), hmac: asyncHmac })).resolves.toEqual({
        result: 'ok',
        step: CURRENT + drift,
        drift,
      });
    }
  });

  it('property: agrees with verifyOtp on right, wrong, replayed and malformed OTPs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 80 }),
        fc.constantFrom<HashAlgorithm>('SHA1', 'SHA256', 'SHA512'),
        fc.integer({ min: 6, max: 10 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        fc.oneof(
          fc.integer({ min: -3, max: 3 }).map((drift) => ({ drift })),
          fc.string({ maxLength: 11 }).map((text) => ({ text })),
        ),
        fc.option(fc.integer({ min: -2, max: 2 })),
        async (key, algorithm, digits, period, window, now, input, barrier) => {
          const h = hmacOf(key, algorithm);
          const current = timeStep({ now, period });
          const otp =
            'drift' in input
              ? otpAt(Math.max(input.drift, -current), digits, period, h, now)
              : input.text;
          const lastStep = barrier === null ? null : current + barrier;
          const options = { otp, now, period, digits, window, lastStep };
          const asyncHmac = await webCryptoHmacOf(key, algorithm);
          expect(await verifyOtpAsync({ ...options, hmac: asyncHmac })).toEqual(
            verifyOtp({ ...options, hmac: h }),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects policy misuse', async () => {
    const asyncHmac = await webCryptoHmacOf(KEY, 'SHA1');
    await expect(verifyOtpAsync({ ...base('123456'), hmac: asyncHmac, digits: 4 })).rejects.toThrow(
      RangeError,
    );
  });
});

// The pieces verifyOtp is built on.

describe('timeStep (RFC 6238 §4.2: T = floor((now - T0) / X))', () => {
  it('floors, with boundaries belonging to the new step', () => {
    expect(timeStep({ now: 0, period: 30 })).toBe(0);
    expect(timeStep({ now: 29_999, period: 30 })).toBe(0);
    expect(timeStep({ now: 30_000, period: 30 })).toBe(1);
    expect(timeStep({ now: 59_999.9, period: 60 })).toBe(0);
    expect(timeStep({ now: 1_111_111_109_000, period: 30 })).toBe(0x23523ec);
  });

  it('counts from T0 (seconds)', () => {
    expect(timeStep({ now: 100_000, period: 30, t0: 10 })).toBe(3);
    expect(() => timeStep({ now: 9_999, period: 30, t0: 10 })).toThrow(RangeError);
  });

  it('agrees with the seconds-based formula (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: 1, max: 3600 }),
        (seconds, period) => {
          expect(timeStep({ now: seconds * 1000, period })).toBe(Math.floor(seconds / period));
        },
      ),
    );
  });

  it.each([0, -30, 1.5, Number.NaN])('rejects period %d', (period) => {
    expect(() => timeStep({ now: 0, period })).toThrow(RangeError);
  });
});

describe('secondsLeft', () => {
  it('counts down from the period to 1', () => {
    expect(secondsLeft({ now: 0, period: 30 })).toBe(30);
    expect(secondsLeft({ now: 1, period: 30 })).toBe(30);
    expect(secondsLeft({ now: 1_000, period: 30 })).toBe(29);
    expect(secondsLeft({ now: 29_000, period: 30 })).toBe(1);
    expect(secondsLeft({ now: 29_999, period: 30 })).toBe(1);
    expect(secondsLeft({ now: 30_000, period: 30 })).toBe(30);
    // NOW is 30 s into a 60 s step.
    expect(secondsLeft({ now: NOW + 15_000, period: 60 })).toBe(15);
  });

  it('reaches the next step exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 42 }),
        fc.integer({ min: 1, max: 600 }),
        (now, period) => {
          const left = secondsLeft({ now, period });
          expect(left).toBeGreaterThanOrEqual(1);
          expect(left).toBeLessThanOrEqual(period);
          const step = timeStep({ now, period });
          expect(timeStep({ now: now + left * 1000, period })).toBe(step + 1);
          expect(timeStep({ now: now + (left - 1) * 1000, period })).toBe(step);
        },
      ),
    );
  });
});

describe('constantTimeEqual', () => {
  it('compares', () => {
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('123456', '123456')).toBe(true);
    expect(constantTimeEqual('123456', '123457')).toBe(false);
    expect(constantTimeEqual('023456', '123456')).toBe(false);
    expect(constantTimeEqual('123456', '1234567')).toBe(false);
    expect(constantTimeEqual('１', '1')).toBe(false);
  });

  it('agrees with === (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(constantTimeEqual(a, b)).toBe(a === b);
        expect(constantTimeEqual(a, a)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads every character even when the first differs', () => {
    const reads: number[] = [];
    const spy = (text: string): string =>
      new Proxy(new String(text), {
        get(target, property) {
          if (property === 'charCodeAt') {
            return (i: number) => {
              reads.push(i);
              return target.charCodeAt(i);
            };
          }
          return Reflect.get(target, property);
        },
      }) as unknown as string;
    expect(constantTimeEqual(spy('000000'), '999999')).toBe(false);
    expect(reads).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
