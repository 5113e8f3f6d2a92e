import { describe, expect, it } from 'vitest';
import { createPasswordHasher, DEFAULT_SCRYPT_COST } from './password-hash.js';

describe('password hashing (scrypt)', () => {
  it('uses the production cost by default, stores it in the hash, and verifies', async () => {
    const hasher = createPasswordHasher();
    const h = await hasher.hash('1234');
    expect(h.split('$').slice(0, 4)).toEqual(['scrypt', String(DEFAULT_SCRYPT_COST.N), '8', '1']);
    expect(DEFAULT_SCRYPT_COST.N).toBeGreaterThanOrEqual(2 ** 15);
    expect(await hasher.verify('1234', h)).toBe(true);
    expect(await hasher.verify('1235', h)).toBe(false);
  });

  it('salts: the same password hashes differently each time', async () => {
    const hasher = createPasswordHasher({ N: 2 ** 10, r: 8, p: 1 });
    const [a, b] = await Promise.all([hasher.hash('5678'), hasher.hash('5678')]);
    expect(a).not.toBe(b);
    expect(a).not.toContain('5678');
  });

  it('reads the cost from the stored hash, so hashes made at another cost still verify', async () => {
    const low = await createPasswordHasher({ N: 2 ** 10, r: 8, p: 1 }).hash('0000');
    expect(await createPasswordHasher().verify('0000', low)).toBe(true);
  });

  it('refuses a hash of another form instead of throwing', async () => {
    const hasher = createPasswordHasher({ N: 2 ** 10, r: 8, p: 1 });
    expect(await hasher.verify('1234', 'plain:1234')).toBe(false);
    expect(await hasher.verify('1234', '')).toBe(false);
  });

  it('treats full-width digits typed on a phone like ASCII digits (NFKC)', async () => {
    const hasher = createPasswordHasher({ N: 2 ** 10, r: 8, p: 1 });
    expect(await hasher.verify('１２３４', await hasher.hash('1234'))).toBe(true);
  });
});
