import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PasswordHasher } from '../core/ports.js';

/** scrypt cost (RFC 7914): N=2^15, r=8, p=1 uses 32 MiB and tens of milliseconds per guess. */
export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** The production cost (OWASP's scrypt minimum is N=2^17 with r=8 for passwords of users; ours
 * are short-lived activation passwords behind attempt limits, and API keys of 256 bits). */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };

function scryptAsync(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, 32, options, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/**
 * Slow, salted password hashes: `scrypt$N$r$p$salt$hash` (base64url). Verification compares in
 * constant time and reads the cost from the stored hash, so the cost can rise later.
 */
export function createPasswordHasher(cost: ScryptCost = DEFAULT_SCRYPT_COST): PasswordHasher {
  return {
    async hash(password: string): Promise<string> {
      const salt = randomBytes(16);
      const key = await scryptAsync(password, salt, cost);
      return [
        'scrypt',
        cost.N,
        cost.r,
        cost.p,
        salt.toString('base64url'),
        key.toString('base64url'),
      ].join('$');
    },
    async verify(password: string, stored: string): Promise<boolean> {
      const [alg, n, r, p, salt, hash] = stored.split('$');
      if (
        alg !== 'scrypt' ||
        n === undefined ||
        r === undefined ||
        p === undefined ||
        salt === undefined ||
        hash === undefined
      ) {
        return false;
      }
      const expected = Buffer.from(hash, 'base64url');
      const key = await scryptAsync(password, Buffer.from(salt, 'base64url'), {
        N: Number(n),
        r: Number(r),
        p: Number(p),
      });
      return key.length === expected.length && timingSafeEqual(key, expected);
    },
  };
}
