/**
 * The passkey tables of migration 007 (src/storage/passkey-store.ts) on whichever database
 * DATABASE_URL names: a challenge is taken once (one conditional DELETE, so concurrent takers get
 * it once), never after it expires, never for another bank or purpose; a sign count moves only by
 * compare-and-set; a credential ID is unique per bank; removal by tokens takes only those tokens'.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type NewPasskey, type PasskeyStore } from '../../src/core/index.js';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import { openTestStore } from '../support/harness.js';

const SERVICE = '10112235';
const NOW = Date.UTC(2026, 11, 3, 0, 0, 0);
let store: KyselyStore;
let pk: PasskeyStore;
let drop: () => Promise<void>;

beforeEach(async () => {
  const opened = await openTestStore();
  store = opened.store;
  drop = opened.drop;
  pk = store.passkeys();
  for (const serviceId of [SERVICE, '20000001'])
    await store.createTenant({ serviceId, name: 'x', policy: DEFAULT_POLICY, createdAt: NOW });
});
afterEach(async () => {
  await drop();
});

const challenge = (
  c: string,
  o: Partial<{ serviceId: string; purpose: 'register' | 'authenticate' }> = {},
) =>
  pk.addChallenge({
    challenge: c,
    serviceId: o.serviceId ?? SERVICE,
    purpose: o.purpose ?? 'authenticate',
    customerId: null,
    createdAt: NOW,
    expiresAt: NOW + 120_000,
  });

async function newPasskey(ref: string, o: Partial<NewPasskey> = {}) {
  const c = await store.ensureCustomer(SERVICE, ref, NOW);
  return pk.insert({
    serviceId: SERVICE,
    customerId: c.id,
    credentialId: `cred-${ref}`,
    publicKey: 'pk',
    signCount: 0,
    transports: ['internal'],
    deviceName: 'iPhone',
    createdAt: NOW,
    tokenId: null,
    ...o,
  });
}

describe('passkey store', () => {
  it('takes a challenge once, even when 10 take it at once', async () => {
    await challenge('ch-1');
    const taken = await Promise.all(
      Array.from({ length: 10 }, () =>
        pk.consumeChallenge(SERVICE, 'authenticate', 'ch-1', NOW + 1),
      ),
    );
    expect(taken.filter((t) => t !== null)).toHaveLength(1);
    expect(await pk.consumeChallenge(SERVICE, 'authenticate', 'ch-1', NOW + 2)).toBeNull();
  });

  it('never after it expires, nor for another bank or purpose; purge removes the expired', async () => {
    await challenge('ch-2');
    expect(await pk.consumeChallenge('20000001', 'authenticate', 'ch-2', NOW)).toBeNull();
    expect(await pk.consumeChallenge(SERVICE, 'register', 'ch-2', NOW)).toBeNull();
    expect(await pk.consumeChallenge(SERVICE, 'authenticate', 'ch-2', NOW + 120_000)).toBeNull();
    expect(await pk.purgeChallenges(NOW + 120_000)).toBe(1);
    await challenge('ch-3', { purpose: 'register' });
    expect(await pk.consumeChallenge(SERVICE, 'register', 'ch-3', NOW + 119_999)).toMatchObject({
      challenge: 'ch-3',
      purpose: 'register',
      customerId: null,
    });
  });

  it('a credential ID is unique per bank', async () => {
    expect(await newPasskey('c-1')).toMatchObject({
      customerRef: 'c-1',
      signCount: 0,
      transports: ['internal'],
    });
    expect(await newPasskey('c-2', { credentialId: 'cred-c-1' })).toBeNull();
  });

  it('moves the sign count only from the value read (compare-and-set)', async () => {
    const p = await newPasskey('c-1');
    if (p === null) throw new Error('not stored');
    const both = await Promise.all([
      pk.recordUse(p.id, 0, 1, NOW + 1),
      pk.recordUse(p.id, 0, 1, NOW + 2),
    ]);
    expect(both.filter(Boolean)).toHaveLength(1);
    expect(await pk.recordUse(p.id, 0, 2, NOW + 3)).toBe(false);
    expect(await pk.byCredentialId(SERVICE, p.credentialId)).toMatchObject({ signCount: 1 });
    expect(await pk.byCredentialId('20000001', p.credentialId)).toBeNull();
  });

  it("removes one customer's passkey only for that customer, and by tokens only those tokens'", async () => {
    const a = await newPasskey('c-1', { tokenId: 7 });
    const b = await newPasskey('c-2', { tokenId: 8 });
    const c = await newPasskey('c-3');
    if (a === null || b === null || c === null) throw new Error('not stored');
    expect(await pk.remove(b.customerId, a.id)).toBeNull();
    expect((await pk.removeForTokens([7])).map((p) => p.id)).toEqual([a.id]);
    expect(await pk.removeForTokens([])).toEqual([]);
    expect(await pk.listForCustomer(b.customerId)).toHaveLength(1);
    expect(await pk.remove(c.customerId, c.id)).toMatchObject({ id: c.id });
    expect(await pk.listForCustomer(c.customerId)).toEqual([]);
  });
});
