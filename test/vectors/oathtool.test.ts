/**
 * Cross-check against an independent implementation: `oathtool` of OATH Toolkit (Debian package
 * `oathtool`). Random keys, times, steps, digits and hashes; each oathtool run prints several
 * consecutive OTPs (`-w`), which Inkan must reproduce one by one.
 *
 * oathtool is required: CI installs it, and a missing binary fails this file rather than
 * skipping it, so that the cross-check cannot silently stop running.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HashAlgorithm } from '../../src/core/otp/index.js';
import { generateHotp, generateTotp, verifyOtp } from '../../src/core/otp/index.js';
import { createNodeHmac } from '../../src/crypto/node-hmac.js';
import { appOtp, type AppToken } from '../../src/token-app/provision-in-browser.js';

const OATHTOOL = 'oathtool';
// OTPs printed per oathtool run: the requested one and this many after it.
const FOLLOWING = 4;

function oathtool(args: readonly string[]): string[] {
  return execFileSync(OATHTOOL, args, { encoding: 'utf8', timeout: 10_000 }).trim().split('\n');
}

// oathtool's --now takes a date; an explicit UTC zone keeps the host's TZ out of it.
function utcDate(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

const keyArb = fc.uint8Array({ minLength: 10, maxLength: 64 });
// oathtool itself supports 6, 7 and 8 digits.
const digitsArb = fc.integer({ min: 6, max: 8 });
const algorithmArb = fc.constantFrom<HashAlgorithm>('SHA1', 'SHA256', 'SHA512');
const periodArb = fc.oneof(fc.constantFrom(30, 60), fc.integer({ min: 1, max: 300 }));
// Whole seconds up to 2^34 (year 2514): with 1 s steps T passes 2^32, exercising the high half
// of the 8-byte counter (RFC 4226 §5.2).
const secondsArb = fc.integer({ min: 0, max: 2 ** 34 });
const millisArb = fc.integer({ min: 0, max: 999 });

describe('oathtool cross-check', () => {
  it('oathtool is installed (apt-get install -y oathtool)', () => {
    expect(oathtool(['--version'])[0]).toMatch(/^oathtool/);
  });

  it('TOTP: SHA1/256/512, 6-8 digits, steps 30/60/1-300 s, random times', () => {
    fc.assert(
      fc.property(
        keyArb,
        algorithmArb,
        digitsArb,
        periodArb,
        secondsArb,
        millisArb,
        (key, algorithm, digits, period, seconds, millis) => {
          const expected = oathtool([
            `--totp=${algorithm.toLowerCase()}`,
            `--digits=${digits}`,
            `--time-step-size=${period}s`,
            `--now=${utcDate(seconds)}`,
            `--window=${FOLLOWING}`,
            hex(key),
          ]);
          expect(expected).toHaveLength(FOLLOWING + 1);
          const hmac = createNodeHmac(key, algorithm);
          // Milliseconds within the second never change the step: X is whole seconds.
          const now = seconds * 1000 + millis;
          const ours = expected.map((_, i) =>
            generateTotp({ hmac, now: now + i * period * 1000, period, digits }),
          );
          expect(ours).toEqual(expected);
          // And the verifier accepts oathtool's OTP of the next step at drift +1.
          const next = expected[1] ?? '';
          expect(
            verifyOtp({ otp: next, hmac, now, period, digits, window: 1, lastStep: null }),
          ).toMatchObject({ result: 'ok', drift: 1 });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('HOTP: 6-8 digits, counters across the whole safe range', () => {
    fc.assert(
      fc.property(
        keyArb,
        digitsArb,
        fc.oneof(
          fc.integer({ min: 0, max: 1000 }),
          fc.integer({ min: 2 ** 32 - FOLLOWING, max: 2 ** 32 + 10 }),
          fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER - FOLLOWING }),
        ),
        (key, digits, counter) => {
          const expected = oathtool([
            '--hotp',
            `--counter=${counter}`,
            `--digits=${digits}`,
            `--window=${FOLLOWING}`,
            hex(key),
          ]);
          expect(expected).toHaveLength(FOLLOWING + 1);
          const hmac = createNodeHmac(key, 'SHA1');
          const ours = expected.map((_, i) => generateHotp({ hmac, counter: counter + i, digits }));
          expect(ours).toEqual(expected);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('oathtool cross-check of the token app', () => {
  it('the app’s OTP (WebCrypto HMAC key, the code the phone runs) equals oathtool’s', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 20, maxLength: 64 }),
        algorithmArb,
        fc.constantFrom(6, 7, 8),
        fc.constantFrom(30, 60),
        fc.integer({ min: 0, max: 2 ** 33 }),
        async (secret, algorithm, digits, period, seconds) => {
          // A non-extractable key, as the app keeps it in IndexedDB.
          const key = await globalThis.crypto.subtle.importKey(
            'raw',
            secret,
            { name: 'HMAC', hash: algorithm.replace('SHA', 'SHA-') },
            false,
            ['sign'],
          );
          const token = { key, algorithm, digits, period } as unknown as AppToken;
          const { otp } = await appOtp(token, seconds * 1000);
          const expected = oathtool([
            `--totp=${algorithm.toLowerCase()}`,
            `--digits=${digits}`,
            `--time-step-size=${period}s`,
            `--now=${utcDate(seconds)}`,
            hex(secret),
          ])[0];
          expect(otp).toBe(expected);
        },
      ),
      { numRuns: 25 },
    );
  });
});
