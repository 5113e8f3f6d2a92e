/**
 * The hole: a transaction approved twice, or one offline code approving two transfers, because
 * single use was held in one server's memory or decided by a read followed by a write. Two
 * platforms (two stateless servers) on one PostgreSQL schema receive the same 承認 at once; the
 * conditional UPDATE on state = 'pending' lets exactly one through. The same offline 取引認証コード
 * sent at once for two transactions of the same payee and amount approves exactly one (the unique
 * index on token, question and minute). PostgreSQL only (see peer-platform.ts); the in-process
 * race on either database is in test/e2e/transactions-api.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TransactionDetails } from '../../src/core/otp/index.js';
import { activeCustomer, createHarness, ON_POSTGRES, type Harness } from '../support/harness.js';
import { openPeerPlatform, type PeerPlatform } from '../support/peer-platform.js';
import { transactionApp } from '../support/transaction-app.js';

const transfer: TransactionDetails = {
  payeeBank: 'みずなら銀行',
  payeeBranch: '本店',
  payeeAccount: '1234567',
  payeeName: 'ヤマダ タロウ',
  amount: 30_000,
  currency: 'JPY',
};

describe.skipIf(!ON_POSTGRES)('取引認証 across two servers on one PostgreSQL', () => {
  let h: Harness;
  let peer: PeerPlatform;
  beforeEach(async () => {
    h = await createHarness();
    peer = await openPeerPlatform(h);
  });
  afterEach(async () => {
    await peer.close();
    await h.close();
  });

  it('20 simultaneous approvals of one transaction over both servers: exactly one ok', async () => {
    const token = await activeCustomer(h, 'c-1');
    const app = transactionApp(h, token);
    const created = await h.call('POST', '/api/v1/customers/c-1/transactions', transfer);
    const id = String(created.json['transactionId']);
    const response = app.response(id, transfer);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const body = { ...app.proofBody('approve', id), decision: 'approve', response };
        const server = i % 2 === 0 ? h.app : peer.app;
        return server
          .inject({ method: 'POST', url: `/api/v1/app/transactions/${id}/respond`, payload: body })
          .then((r) => JSON.parse(r.body) as Record<string, unknown>);
      }),
    );
    expect(
      answers.filter((a) => a['result'] === 'ok'),
      JSON.stringify(answers),
    ).toHaveLength(1);
    // The others: `replayed`, or 401 where a request's proof time arrived after a later one's
    // (the app clock only moves forward: a reordered request is refused like a replayed one).
    expect(
      answers.every(
        (a) => a['result'] === 'ok' || a['result'] === 'replayed' || a['code'] === 'UNAUTHORIZED',
      ),
      JSON.stringify(answers),
    ).toBe(true);
    const rows = await h.store.listAudit({
      serviceId: h.serviceId,
      customerRef: 'c-1',
      limit: 100,
    });
    expect(rows.filter((r) => r.action === 'transaction.approved')).toHaveLength(1);
  });

  it('the conditional write itself: 20 simultaneous settles over both stores, one wins', async () => {
    await activeCustomer(h, 'c-3');
    const created = await h.call('POST', '/api/v1/customers/c-3/transactions', transfer);
    const id = String(created.json['transactionId']);
    const now = h.clock.now();
    const wins = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? h.store : peer.store).settleTransaction({
          id,
          to: i % 3 === 0 ? 'rejected' : 'approved',
          channel: 'app',
          now,
        }),
      ),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it("the bank's offline verify of one transaction sent 10 times at once over both: one ok", async () => {
    const token = await activeCustomer(h, 'c-4');
    const app = transactionApp(h, token);
    const created = await h.call('POST', '/api/v1/customers/c-4/transactions', transfer);
    const id = String(created.json['transactionId']);
    const code = app.offlineCode(transfer.payeeAccount, transfer.amount);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 === 0 ? h : peer).call('POST', `/api/v1/customers/c-4/transactions/${id}/verify`, {
          code,
        }),
      ),
    );
    expect(answers.map((a) => a.json['result']).sort()).toEqual([
      'ok',
      ...Array(9).fill('replayed'),
    ]);
  });

  it('one offline code sent at once for two same transfers approves one', async () => {
    const token = await activeCustomer(h, 'c-2');
    const app = transactionApp(h, token);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await h.call('POST', '/api/v1/customers/c-2/transactions', transfer);
      ids.push(String(r.json['transactionId']));
    }
    const code = app.offlineCode(transfer.payeeAccount, transfer.amount);
    const answers = await Promise.all(
      ids.flatMap((id) => [
        h.call('POST', `/api/v1/customers/c-2/transactions/${id}/verify`, { code }),
        peer.call('POST', `/api/v1/customers/c-2/transactions/${id}/verify`, { code }),
      ]),
    );
    expect(answers.filter((a) => a.json['result'] === 'ok')).toHaveLength(1);
    const states = await Promise.all(
      ids.map(
        async (id) =>
          (await h.call('GET', `/api/v1/customers/c-2/transactions/${id}`)).json['state'],
      ),
    );
    expect(states.sort()).toEqual(['approved', 'pending']);
  });
});
