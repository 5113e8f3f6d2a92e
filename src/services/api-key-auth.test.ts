import { describe, expect, it } from 'vitest';
import type { ApiKeyRecord, PasswordHasher, Store } from '../core/index.js';
import { createApiKeyAuthenticator } from './tenants.js';

const KEY = `inkan_${'a'.repeat(16)}_${'b'.repeat(43)}`;

function fakes(record: ApiKeyRecord | null) {
  let verifies = 0;
  const hasher: PasswordHasher = {
    hash: async () => 'h',
    verify: async (pw) => {
      verifies += 1;
      await new Promise((r) => setTimeout(r, 10));
      return pw === 'b'.repeat(43);
    },
  };
  const store = { findApiKey: async () => record } as unknown as Store;
  return { hasher, store, verifies: () => verifies };
}

const record: ApiKeyRecord = {
  keyId: 'a'.repeat(16),
  serviceId: '10112235',
  hash: 'h',
  createdAt: 0,
  revokedAt: null,
};

describe('API key authentication', () => {
  it('checks the slow hash once for requests that arrive together, then answers from the cache', async () => {
    const f = fakes(record);
    let now = 0;
    const auth = createApiKeyAuthenticator(f.store, f.hasher, { now: () => now }, 60_000);
    const results = await Promise.all(Array.from({ length: 50 }, () => auth.authenticate(KEY)));
    expect(results.every((r) => r?.serviceId === '10112235')).toBe(true);
    expect(f.verifies()).toBe(1);
    await auth.authenticate(KEY);
    expect(f.verifies()).toBe(1);
    now = 60_000; // the cache entry has expired: checked again
    await auth.authenticate(KEY);
    expect(f.verifies()).toBe(2);
  });

  it('refuses a wrong secret, a malformed key, an unknown key and a revoked key', async () => {
    const wrong = `inkan_${'a'.repeat(16)}_${'c'.repeat(43)}`;
    expect(
      await createApiKeyAuthenticator(fakes(record).store, fakes(record).hasher, {
        now: () => 0,
      }).authenticate(wrong),
    ).toBeNull();
    expect(
      await createApiKeyAuthenticator(fakes(record).store, fakes(record).hasher, {
        now: () => 0,
      }).authenticate('Bearer x'),
    ).toBeNull();
    expect(
      await createApiKeyAuthenticator(fakes(null).store, fakes(null).hasher, {
        now: () => 0,
      }).authenticate(KEY),
    ).toBeNull();
    const revoked = fakes({ ...record, revokedAt: 1 });
    expect(
      await createApiKeyAuthenticator(revoked.store, revoked.hasher, { now: () => 0 }).authenticate(
        KEY,
      ),
    ).toBeNull();
  });

  it('does not cache a refusal: a failed check is repeated next time', async () => {
    const f = fakes(record);
    const auth = createApiKeyAuthenticator(f.store, f.hasher, { now: () => 0 });
    const wrong = `inkan_${'a'.repeat(16)}_${'c'.repeat(43)}`;
    await auth.authenticate(wrong);
    await auth.authenticate(wrong);
    expect(f.verifies()).toBe(2);
  });
});
