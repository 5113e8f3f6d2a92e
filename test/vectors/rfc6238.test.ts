/**
 * RFC 6238 Appendix B: every row, through the public engine (`core/otp`), once over Inkan's
 * Node HMAC and once over a plain `createHmac` reference, so that a fault in either shows.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { HashAlgorithm, HmacFn } from '../../src/core/otp/index.js';
import { generateTotp, timeStep, verifyOtp } from '../../src/core/otp/index.js';
import { createNodeHmac } from '../../src/crypto/node-hmac.js';
import {
  RFC6238_DIGITS,
  RFC6238_PERIOD,
  RFC6238_SEEDS,
  RFC6238_VECTORS,
} from './rfc6238-vectors.js';

const NODE_NAMES: Readonly<Record<HashAlgorithm, string>> = {
  SHA1: 'sha1',
  SHA256: 'sha256',
  SHA512: 'sha512',
};

const referenceHmac =
  (key: Uint8Array, algorithm: HashAlgorithm): HmacFn =>
  (message) =>
    new Uint8Array(createHmac(NODE_NAMES[algorithm], key).update(message).digest());

const HMACS: readonly (readonly [string, (key: Uint8Array, a: HashAlgorithm) => HmacFn])[] = [
  ['createNodeHmac', createNodeHmac],
  ['createHmac reference', referenceHmac],
];

const seed = (algorithm: HashAlgorithm): Uint8Array =>
  new TextEncoder().encode(RFC6238_SEEDS[algorithm]);

describe('RFC 6238 Appendix B', () => {
  it('has all 18 rows: 6 times × 3 modes', () => {
    expect(RFC6238_VECTORS).toHaveLength(18);
  });

  it('uses seeds of 20, 32 and 64 bytes', () => {
    expect([seed('SHA1').length, seed('SHA256').length, seed('SHA512').length]).toEqual([
      20, 32, 64,
    ]);
  });

  describe.each(RFC6238_VECTORS)('$time s ($utc UTC), $algorithm', (vector) => {
    const now = vector.time * 1000;

    it(`T = 0x${vector.stepHex} (RFC 6238 §4.2)`, () => {
      expect(timeStep({ now, period: RFC6238_PERIOD })).toBe(Number.parseInt(vector.stepHex, 16));
      expect(new Date(now).toISOString().replace('T', ' ').slice(0, 19)).toBe(vector.utc);
    });

    it.each(HMACS)(`TOTP = ${vector.totp} over %s`, (_name, create) => {
      const hmac = create(seed(vector.algorithm), vector.algorithm);
      const options = { hmac, now, period: RFC6238_PERIOD, digits: RFC6238_DIGITS };
      expect(generateTotp(options)).toBe(vector.totp);
      expect(verifyOtp({ ...options, otp: vector.totp, window: 0, lastStep: null })).toEqual({
        result: 'ok',
        step: Number.parseInt(vector.stepHex, 16),
        drift: 0,
      });
    });
  });
});
