/**
 * The hole: トークン発行 reads the customer's live tokens and ends the unfinished one, while a
 * concurrent 利用開始 of that same token commits in between. Without a common lock the issuance
 * then ends a token the bank was just told is active: the customer is left with no working
 * token and no error anywhere. A store that pauses after each read of the live tokens inside a
 * transaction widens the window so that the race is hit every time.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/index.js';
import { createKeyring } from '../../src/crypto/keyring.js';
import { createPlatform, type Platform } from '../../src/services/index.js';
import { createHarness, issueAndProvision, testHasher, type Harness } from '../support/harness.js';

/** The store, with a pause after liveTokens inside transactions. */
function pausingStore(store: Store, ms: number, inTx = false): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'transaction') {
        return <T>(fn: (tx: Store) => Promise<T>) =>
          target.transaction((tx) => fn(pausingStore(tx, ms, true)));
      }
      if (prop === 'liveTokens' && inTx) {
        return async (customerId: number) => {
          const r = await target.liveTokens(customerId);
          await new Promise((res) => setTimeout(res, ms));
          return r;
        };
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

let h: Harness;
let racing: Platform;
let closeRacing: () => Promise<void>;

beforeEach(async () => {
  h = await createHarness();
  // A second platform over the same store whose issuance pauses mid-transaction.
  racing = createPlatform({
    store: pausingStore(h.store, 300),
    clock: h.clock,
    keyring: createKeyring([{ version: 1, key: h.masterKey }]),
    hasher: testHasher,
  });
  closeRacing = () => racing.close();
});
afterEach(async () => {
  await closeRacing();
  await h.close();
});

describe('issuance racing activation of the token it would replace', () => {
  it('never ends a token that was just answered active', async () => {
    const t = await issueAndProvision(h, 'c-race');
    const ctx = { serviceId: h.serviceId, actor: 'test', clientIp: null };
    const issuing = racing
      .issueToken(ctx, 'c-race', { type: 'software', email: 'a@b.jp', activationPassword: '1234' })
      .then(
        (r) => ({ ok: true as const, r }),
        (e: unknown) => ({ ok: false as const, code: (e as { code?: string }).code }),
      );
    await new Promise((res) => setTimeout(res, 50)); // the issuance holds its read
    const activated = await h.platform.activateToken(ctx, 'c-race', { otp: t.otp() });
    const issued = await issuing;
    const live = await h.store.findCustomerTokens(h.serviceId, 'c-race');
    if (activated.result === 'ok') {
      // Activation won: the issuance must refuse (TOKEN_EXISTS) and the token stays active.
      expect(issued).toMatchObject({ ok: false, code: 'TOKEN_EXISTS' });
      expect(live?.tokens.some((x) => x.state === 'active')).toBe(true);
    } else {
      // Issuance won: the old token ended before activation, which then found nothing to activate.
      expect(issued.ok).toBe(true);
      expect(live?.tokens.map((x) => x.state)).toEqual(['issued']);
    }
  });
});
