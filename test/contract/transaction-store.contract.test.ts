/**
 * The 取引認証 part of the Store contract (TransactionStore in src/core/transaction), run on the
 * configured database: SQLite by default, PostgreSQL with DATABASE_URL.
 *
 * The holes it guards: a transaction settled twice (approved and rejected, or approved twice), a
 * settle after the expiry, an offline code used for two transactions, a lost failure count, and
 * an app request time that moves backwards (a replayed request accepted). Each method must be one
 * conditional statement, exact when called many times at once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NewTransaction, type Store } from '../../src/core/index.js';
import { openTestStore } from '../support/harness.js';
import { softwareTokenRow, TEST_SERVICE_ID as SERVICE, testBank } from '../support/store-rows.js';

const NOW = Date.UTC(2026, 10, 23, 3, 0, 0);

let store: Store;
let drop: () => Promise<void>;
let tokenId = 0;
let customerId = 0;
let seq = 0;

beforeEach(async () => {
  const opened = await openTestStore();
  store = opened.store;
  drop = opened.drop;
  await store.createTenant(testBank(NOW));
  const customer = await store.ensureCustomer(SERVICE, 'c-1', NOW);
  customerId = customer.id;
  const token = await store.insertToken(softwareTokenRow(customerId, NOW, { passwordHash: null }));
  tokenId = token.id;
});
afterEach(async () => {
  await drop();
});

async function insert(o: Partial<NewTransaction> = {}): Promise<string> {
  seq += 1;
  const id = `tx${String(seq).padStart(20, '0')}`;
  await store.insertTransaction({
    id,
    serviceId: SERVICE,
    customerId,
    customerRef: 'c-1',
    tokenId,
    algorithm: 'SHA1',
    payeeBank: 'みずなら銀行',
    payeeBranch: '本店',
    payeeAccount: '1234567',
    payeeName: 'ヤマダ タロウ',
    amount: 10_000,
    currency: 'JPY',
    challenge: 'ab'.repeat(32),
    createdAt: NOW,
    expiresAt: NOW + 300_000,
    ...o,
  });
  return id;
}

describe('TransactionStore', () => {
  it('stores and reads a transaction; another tenant does not see it', async () => {
    const id = await insert();
    expect(await store.getTransaction(SERVICE, id)).toMatchObject({
      id,
      state: 'pending',
      amount: 10_000,
      failures: 0,
      channel: null,
      resultAt: null,
    });
    expect(await store.getTransaction('99999999', id)).toBeNull();
    expect((await store.pendingTransactions(tokenId, NOW)).map((t) => t.id)).toEqual([id]);
    expect(await store.pendingTransactions(tokenId, NOW + 300_000)).toEqual([]);
  });

  it('settles once: of 20 concurrent approvals and rejections exactly one wins', async () => {
    const id = await insert();
    const wins = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.settleTransaction({
          id,
          to: i % 2 === 0 ? 'approved' : 'rejected',
          channel: 'app',
          now: NOW + 1,
        }),
      ),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    const t = await store.getTransaction(SERVICE, id);
    expect(['approved', 'rejected']).toContain(t?.state);
    expect(t?.resultAt).toBe(NOW + 1);
  });

  it('does not settle at or after the expiry; expires only then, once', async () => {
    const id = await insert();
    expect(await store.expireTransaction(id, NOW + 299_999)).toBe(false);
    expect(
      await store.settleTransaction({ id, to: 'approved', channel: 'app', now: NOW + 300_000 }),
    ).toBe(false);
    const expired = await Promise.all([
      store.expireTransaction(id, NOW + 300_000),
      store.expireTransaction(id, NOW + 300_001),
    ]);
    expect(expired.filter(Boolean)).toHaveLength(1);
    expect((await store.getTransaction(SERVICE, id))?.state).toBe('expired');
  });

  it('an offline code (question, minute) approves one transaction of the token', async () => {
    const a = await insert();
    const b = await insert();
    const offline = { offlineStep: 29_000_000, offlineQuestion: '0000000100001234567' };
    const wins = await Promise.all(
      [a, b].map((id) =>
        store.settleTransaction({
          id,
          to: 'approved',
          channel: 'offline',
          now: NOW + 1,
          ...offline,
        }),
      ),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    // Another minute is another code.
    const c = await insert();
    expect(
      await store.settleTransaction({
        id: c,
        to: 'approved',
        channel: 'offline',
        now: NOW + 2,
        ...offline,
        offlineStep: 29_000_001,
      }),
    ).toBe(true);
  });

  it('counts failures exactly under concurrency and fails at the limit', async () => {
    const id = await insert();
    const counts = await Promise.all(
      Array.from({ length: 5 }, () => store.recordTransactionFailure(id, 3, NOW + 1)),
    );
    const counted = counts.filter((c) => c !== null);
    // Three count (the third fails it); the rest find it no longer pending.
    expect(counted.map((c) => c?.failures).sort()).toEqual([1, 2, 3]);
    expect(counted.filter((c) => c?.failed)).toHaveLength(1);
    expect(await store.getTransaction(SERVICE, id)).toMatchObject({ state: 'failed', failures: 3 });
    expect(await store.failTransaction(id, NOW + 2)).toBe(false);
  });

  it('the app clock moves forward only, exactly once per time under concurrency', async () => {
    expect(await store.advanceAppClock(tokenId, 1000)).toBe(true);
    expect(await store.advanceAppClock(tokenId, 1000)).toBe(false);
    expect(await store.advanceAppClock(tokenId, 999)).toBe(false);
    const same = await Promise.all(
      Array.from({ length: 10 }, () => store.advanceAppClock(tokenId, 2000)),
    );
    expect(same.filter(Boolean)).toHaveLength(1);
  });

  it("keeps a customer's own rule, replaces it, clears it", async () => {
    expect(await store.getCustomerTransactionPolicy(customerId)).toBeNull();
    await store.setCustomerTransactionPolicy(
      customerId,
      { transactionAuth: 'always', transactionAuthAmount: null },
      NOW,
    );
    await store.setCustomerTransactionPolicy(
      customerId,
      { transactionAuth: 'above_amount', transactionAuthAmount: 5000 },
      NOW,
    );
    expect(await store.getCustomerTransactionPolicy(customerId)).toEqual({
      transactionAuth: 'above_amount',
      transactionAuthAmount: 5000,
    });
    await store.setCustomerTransactionPolicy(customerId, null, NOW);
    expect(await store.getCustomerTransactionPolicy(customerId)).toBeNull();
  });
});
