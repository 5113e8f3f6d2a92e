/**
 * 取引認証 over the platform API (SPEC.md, "Transaction authentication"; issue 7): the bank
 * creates a transaction, the app approves it with OCRA or rejects it, the offline code typed in
 * the bank's screen approves it; single use, expiry, lockout, the app's proof of possession, and
 * the audit trail. Runs on SQLite, and on PostgreSQL with DATABASE_URL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TransactionDetails } from '../../src/core/otp/index.js';
import {
  activeCustomer,
  createHarness,
  type Harness,
  type ProvisionedToken,
} from '../support/harness.js';
import { transactionApp } from '../support/transaction-app.js';

const transfer: TransactionDetails = {
  payeeBank: 'みずなら銀行',
  payeeBranch: '本店',
  payeeAccount: '1234567',
  payeeName: 'ヤマダ タロウ',
  amount: 50_000,
  currency: 'JPY',
};

let h: Harness;
let token: ProvisionedToken;
let app: ReturnType<typeof transactionApp>;

beforeEach(async () => {
  h = await createHarness({ policy: { transactionTtlSeconds: 300 } });
  token = await activeCustomer(h, 'cust-1');
  app = transactionApp(h, token);
});
afterEach(async () => h.close());

async function create(details: Partial<TransactionDetails> = {}, ref = 'cust-1') {
  const r = await h.call('POST', `/api/v1/customers/${ref}/transactions`, {
    ...transfer,
    ...details,
  });
  return r;
}

async function audits(): Promise<string[]> {
  const rows = await h.store.listAudit({
    serviceId: h.serviceId,
    customerRef: 'cust-1',
    limit: 100,
  });
  return rows.map((r) => `${r.action}:${r.result ?? ''}`).reverse();
}

describe('create and read', () => {
  it('201 with a random ID, the challenge, the suites and the expiry; GET reads it', async () => {
    const r = await create();
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      state: 'pending',
      ...transfer,
      suite: 'OCRA-1:HOTP-SHA1-8:QH64',
      offlineSuite: 'OCRA-1:HOTP-SHA1-8:QN19-T1M',
      expiresAt: new Date(h.clock.now() + 300_000).toISOString(),
    });
    expect(r.json['transactionId']).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(r.json['challenge']).toMatch(/^[0-9a-f]{64}$/);
    const again = await create();
    expect(again.json['transactionId']).not.toBe(r.json['transactionId']);
    // Same payee and amount, another transaction: another challenge.
    expect(again.json['challenge']).not.toBe(r.json['challenge']);
    const got = await h.call(
      'GET',
      `/api/v1/customers/cust-1/transactions/${String(r.json['transactionId'])}`,
    );
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ state: 'pending', transactionId: r.json['transactionId'] });
  });

  it('bad input is 400 VALIDATION_FAILED and stores nothing; unknown IDs are 404', async () => {
    for (const bad of [
      { payeeAccount: '123' },
      { amount: 0 },
      { amount: 1.5 },
      { amount: '100' },
      { payeeName: '' },
      { payeeName: 'ヤマダ\nタロウ' },
      { currency: 'yen' },
    ]) {
      const r = await create(bad as Partial<TransactionDetails>);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.json['code']).toBe('VALIDATION_FAILED');
    }
    expect((await app.pending()).json['transactions']).toEqual([]);
    const r = await h.call('GET', '/api/v1/customers/cust-1/transactions/AAAAAAAAAAAAAAAAAAAAAA');
    expect([r.status, r.json['code']]).toEqual([404, 'NOT_FOUND']);
    const bad = await h.call('GET', '/api/v1/customers/cust-1/transactions/..%2f');
    expect(bad.status).toBe(404);
  });

  it('a customer without an active token: 409 NO_ACTIVE_TOKEN', async () => {
    const r = await create({}, 'nobody');
    expect(r.status).toBe(404);
    await h.call('POST', '/api/v1/customers/cust-2/tokens', {
      type: 'software',
      email: 'b@example.jp',
      activationPassword: '1234',
    });
    const r2 = await create({}, 'cust-2');
    expect([r2.status, r2.json['code']]).toEqual([409, 'NO_ACTIVE_TOKEN']);
  });

  it("another customer's transaction is not found", async () => {
    await activeCustomer(h, 'cust-2');
    const r = await create();
    const got = await h.call(
      'GET',
      `/api/v1/customers/cust-2/transactions/${String(r.json['transactionId'])}`,
    );
    expect(got.status).toBe(404);
  });
});

describe('the app: 承認 and 拒否', () => {
  it('finds the pending transaction, approves with OCRA; once only; audited', async () => {
    const id = String((await create()).json['transactionId']);
    const pending = await app.pending();
    expect(pending.status).toBe(200);
    const list = pending.json['transactions'] as Record<string, unknown>[];
    expect(list.map((t) => t['transactionId'])).toEqual([id]);
    const r = await app.respond(id, 'approve', app.response(id, transfer));
    expect(r.json).toEqual({ result: 'ok', state: 'approved' });
    const again = await app.respond(id, 'approve', app.response(id, transfer));
    expect(again.json).toMatchObject({ result: 'replayed', state: 'approved' });
    const got = await h.call('GET', `/api/v1/customers/cust-1/transactions/${id}`);
    expect(got.json).toMatchObject({ state: 'approved', channel: 'app' });
    expect((await app.pending()).json['transactions']).toEqual([]);
    expect(await audits()).toEqual(
      expect.arrayContaining(['transaction.created:pending', 'transaction.approved:ok']),
    );
  });

  it('relay: the response for one transaction fails on another (amount changed) and counts', async () => {
    const a = String((await create()).json['transactionId']);
    const b = String((await create({ amount: 990_000 })).json['transactionId']);
    // The customer approves what the app shows for A; the attacker submits it for B.
    const r = await app.respond(b, 'approve', app.response(a, transfer));
    expect(r.json).toMatchObject({
      result: 'invalid',
      state: 'pending',
      failCount: 1,
      locked: false,
    });
    // Even computed over B's id, the original amount does not fit B.
    const r2 = await app.respond(b, 'approve', app.response(b, transfer));
    expect(r2.json).toMatchObject({ result: 'invalid', failCount: 2 });
    const tok = await h.call('GET', '/api/v1/customers/cust-1/token');
    expect(tok.json['failCount']).toBe(2);
    // The third wrong response ends the transaction (TRANSACTION_MAX_FAILURES).
    const r3 = await app.respond(b, 'approve', '00000000');
    expect(r3.json).toMatchObject({ result: 'invalid', state: 'failed' });
    expect(await audits()).toContain('transaction.failed:invalid');
  });

  it('a right response ends the run of wrong ones, as a right OTP does', async () => {
    const a = String((await create()).json['transactionId']);
    await app.respond(a, 'approve', '00000000');
    await app.respond(a, 'approve', '11111111');
    expect((await h.call('GET', '/api/v1/customers/cust-1/token')).json['failCount']).toBe(2);
    expect((await app.respond(a, 'approve', app.response(a, transfer))).json['result']).toBe('ok');
    expect((await h.call('GET', '/api/v1/customers/cust-1/token')).json['failCount']).toBe(0);
  });

  it('wrong responses lock the token like wrong OTPs (閉塞)', async () => {
    for (let i = 0; i < 2; i++) {
      const id = String((await create()).json['transactionId']);
      for (let k = 0; k < 2; k++) await app.respond(id, 'approve', '00000000');
    }
    const id = String((await create()).json['transactionId']);
    const r = await app.respond(id, 'approve', '11111111');
    expect(r.json).toMatchObject({
      result: 'invalid',
      failCount: 5,
      locked: true,
      state: 'failed',
    });
    expect(await audits()).toContain('token.locked:locked');
    // A locked token cannot create or approve.
    expect((await create()).json['code']).toBe('NO_ACTIVE_TOKEN');
  });

  it('拒否 cancels the transaction, audited; a later 承認 is refused', async () => {
    const id = String((await create()).json['transactionId']);
    const r = await app.respond(id, 'reject');
    expect(r.json).toEqual({ result: 'ok', state: 'rejected' });
    const after = await app.respond(id, 'approve', app.response(id, transfer));
    expect(after.json).toMatchObject({ result: 'not_active', state: 'rejected' });
    expect(await audits()).toContain('transaction.rejected:rejected');
  });

  it('the proof of possession: a replayed, stale, altered or foreign request is 401', async () => {
    const id = String((await create()).json['transactionId']);
    const body = app.proofBody('pending', '');
    expect((await app.pending(body)).status).toBe(200);
    // The same request again: its time is not later than the last accepted one.
    expect((await app.pending(body)).status).toBe(401);
    // Stale: three minutes old.
    expect((await app.pending(app.proofBody('pending', '', h.clock.now() - 180_000))).status).toBe(
      401,
    );
    // A proof for 拒否 of this transaction does not authorise its 承認, nor another action.
    const rejectProof = app.proofBody('reject', id);
    const r = await app.respond(id, 'approve', app.response(id, transfer), rejectProof);
    expect(r.status).toBe(401);
    // A proof made with another key.
    const other = transactionApp(h, { ...token, secret: new Uint8Array(20).fill(7) });
    expect((await other.pending()).status).toBe(401);
    expect((await h.call('GET', `/api/v1/customers/cust-1/transactions/${id}`)).json['state']).toBe(
      'pending',
    );
    expect(await audits()).not.toContain('transaction.rejected:rejected');
    // Malformed: 400.
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/v1/app/transactions/pending',
      payload: { serviceId: h.serviceId, userId: token.userId, time: 'now', proof: 'x' },
    });
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body).code).toBe('VALIDATION_FAILED');
  });
});

describe('a token not 利用中', () => {
  it('a set-up token not yet active polls without error and finds nothing; it cannot approve', async () => {
    const r = await h.call('POST', '/api/v1/customers/cust-9/tokens', {
      type: 'software',
      email: 'c9@example.jp',
      activationPassword: '1234',
    });
    const { provisionIssued } = await import('../support/harness.js');
    const t9 = await provisionIssued(h, String(r.json['userId']), '1234');
    const app9 = transactionApp(h, t9);
    const pending = await app9.pending();
    expect([pending.status, pending.json['transactions']]).toEqual([200, []]);
    // The customer's transaction belongs to cust-1's token: another token cannot see or answer it.
    const id = String((await create()).json['transactionId']);
    expect((await app9.respond(id, 'approve', app9.response(id, transfer))).status).toBe(404);
  });
});

describe('the offline code typed into the bank screen', () => {
  it('approves once; the same code cannot approve another transaction', async () => {
    const id = String((await create()).json['transactionId']);
    h.clock.advance(30_000);
    const code = app.offlineCode(transfer.payeeAccount, transfer.amount);
    const r = await h.call('POST', `/api/v1/customers/cust-1/transactions/${id}/verify`, { code });
    expect(r.json).toEqual({ result: 'ok', state: 'approved' });
    const again = await h.call('POST', `/api/v1/customers/cust-1/transactions/${id}/verify`, {
      code,
    });
    expect(again.json).toMatchObject({ result: 'replayed', state: 'approved' });
    // A second transfer to the same account for the same amount needs a code of its own minute.
    const id2 = String((await create()).json['transactionId']);
    const reuse = await h.call('POST', `/api/v1/customers/cust-1/transactions/${id2}/verify`, {
      code,
    });
    expect(reuse.json).toMatchObject({ result: 'replayed', state: 'pending' });
    expect(await audits()).toEqual(expect.arrayContaining(['transaction.approved:ok']));
  });

  it('a code for another account or amount is invalid and counts', async () => {
    const id = String((await create()).json['transactionId']);
    const wrong = app.offlineCode('7654321', transfer.amount);
    const r = await h.call('POST', `/api/v1/customers/cust-1/transactions/${id}/verify`, {
      code: wrong,
    });
    expect(r.json).toMatchObject({ result: 'invalid', failCount: 1, state: 'pending' });
    const r2 = await h.call('POST', `/api/v1/customers/cust-1/transactions/${id}/verify`, {
      code: app.offlineCode(transfer.payeeAccount, transfer.amount + 1),
    });
    expect(r2.json).toMatchObject({ result: 'invalid', failCount: 2 });
    const bad = await h.call('POST', `/api/v1/customers/cust-1/transactions/${id}/verify`, {
      code: '12',
    });
    expect([bad.status, bad.json['code']]).toEqual([400, 'VALIDATION_FAILED']);
  });
});

describe("the bank's cancel (申込を中止する)", () => {
  const cancel = (id: string, ref = 'cust-1') =>
    h.call('POST', `/api/v1/customers/${ref}/transactions/${id}/cancel`, {});

  it('pending → cancelled, audited; the app can no longer approve, nor the offline code', async () => {
    const id = String((await create()).json['transactionId']);
    const before = (await h.call('GET', '/api/v1/customers/cust-1/token')).json;
    expect((await cancel(id)).json).toEqual({ result: 'ok', state: 'cancelled' });
    const got = await h.call('GET', `/api/v1/customers/cust-1/transactions/${id}`);
    expect(got.json).toMatchObject({ state: 'cancelled', channel: null });
    expect(got.json['resultAt']).toEqual(expect.any(String));
    const late = await app.respond(id, 'approve', app.response(id, transfer));
    expect(late.json).toEqual({ result: 'not_active', state: 'cancelled' });
    const code = await h.call('POST', `/api/v1/customers/cust-1/transactions/${id}/verify`, {
      code: app.offlineCode(transfer.payeeAccount, transfer.amount),
    });
    expect(code.json).toEqual({ result: 'not_active', state: 'cancelled' });
    const pending = (await app.pending()).json['transactions'] as unknown[];
    expect(pending).toHaveLength(0);
    // A second cancel changes nothing and says so; nothing counted toward the lockout.
    expect((await cancel(id)).json).toEqual({ result: 'not_active', state: 'cancelled' });
    expect((await h.call('GET', '/api/v1/customers/cust-1/token')).json).toEqual(before);
    expect((await audits()).filter((a) => a.startsWith('transaction.cancelled'))).toEqual([
      'transaction.cancelled:cancelled',
    ]);
  });

  it('a settled transaction keeps its state: approved answers replayed, expired answers expired', async () => {
    const approved = String((await create()).json['transactionId']);
    await app.respond(approved, 'approve', app.response(approved, transfer));
    expect((await cancel(approved)).json).toEqual({ result: 'replayed', state: 'approved' });
    h.clock.advance(60_000);
    const old = String((await create()).json['transactionId']);
    h.clock.advance(300_000);
    expect((await cancel(old)).json).toEqual({ result: 'expired', state: 'expired' });
  });

  it("unknown IDs, another customer's transaction and malformed IDs are 404; no 5xx", async () => {
    await activeCustomer(h, 'cust-2');
    const id = String((await create()).json['transactionId']);
    expect((await cancel(id, 'cust-2')).status).toBe(404);
    expect((await cancel('AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    for (const bad of ['x', '%00', 'a'.repeat(200), '..']) {
      const r = await cancel(encodeURIComponent(bad));
      expect(r.status, bad).toBeGreaterThanOrEqual(400);
      expect(r.status, bad).toBeLessThan(500);
    }
    expect((await h.call('GET', `/api/v1/customers/cust-1/transactions/${id}`)).json['state']).toBe(
      'pending',
    );
  });

  it('cancel and 承認 at once: exactly one of them wins', async () => {
    for (let round = 0; round < 5; round++) {
      const id = String((await create()).json['transactionId']);
      const [c, a] = await Promise.all([
        cancel(id),
        app.respond(id, 'approve', app.response(id, transfer)),
      ]);
      const won = [c, a].filter((r) => r.json['result'] === 'ok');
      expect(won, JSON.stringify([c.json, a.json])).toHaveLength(1);
      const state = (await h.call('GET', `/api/v1/customers/cust-1/transactions/${id}`)).json[
        'state'
      ];
      expect(state).toBe(c.json['result'] === 'ok' ? 'cancelled' : 'approved');
      h.clock.advance(60_000);
    }
  });
});

describe('expiry (tenant transactionTtlSeconds)', () => {
  it('after the TTL the transaction is expired: no 承認, no code, audited once', async () => {
    const id = String((await create()).json['transactionId']);
    h.clock.advance(300_000);
    const r = await app.respond(id, 'approve', app.response(id, transfer));
    expect(r.json).toMatchObject({ result: 'expired', state: 'expired' });
    const c = await h.call('POST', `/api/v1/customers/cust-1/transactions/${id}/verify`, {
      code: app.offlineCode(transfer.payeeAccount, transfer.amount),
    });
    expect(c.json).toMatchObject({ result: 'expired', state: 'expired' });
    expect((await h.call('GET', `/api/v1/customers/cust-1/transactions/${id}`)).json['state']).toBe(
      'expired',
    );
    expect((await audits()).filter((a) => a === 'transaction.expired:expired')).toHaveLength(1);
    const tok = await h.call('GET', '/api/v1/customers/cust-1/token');
    expect(tok.json['failCount']).toBe(0);
  });
});

describe('concurrency', () => {
  it('the same approval sent twice at once succeeds once', async () => {
    for (let round = 0; round < 5; round++) {
      const id = String((await create()).json['transactionId']);
      const response = app.response(id, transfer);
      const answers = await Promise.all([
        app.respond(id, 'approve', response),
        app.respond(id, 'approve', response),
        h.call('POST', `/api/v1/customers/cust-1/transactions/${id}/verify`, {
          code: app.offlineCode(transfer.payeeAccount, transfer.amount),
        }),
      ]);
      const ok = answers.filter((a) => a.json['result'] === 'ok');
      expect(ok, JSON.stringify(answers.map((a) => a.json))).toHaveLength(1);
      h.clock.advance(60_000);
    }
    const approvals = (await audits()).filter((a) => a === 'transaction.approved:ok');
    expect(approvals).toHaveLength(5);
  });
});

describe('per-customer rule (transaction-policy)', () => {
  it("reads the tenant's rule, sets the customer's own, clears it; audited; bad input 400", async () => {
    const url = '/api/v1/customers/cust-1/transaction-policy';
    expect((await h.call('GET', url)).json).toEqual({
      transactionAuth: 'off',
      transactionAuthAmount: 100_000,
      source: 'tenant',
    });
    // A customer the platform has not met yet reads the tenant's rule too.
    expect(
      (await h.call('GET', '/api/v1/customers/new-one/transaction-policy')).json['source'],
    ).toBe('tenant');
    const set = await h.app.inject({
      method: 'PUT',
      url,
      headers: { authorization: `Bearer ${h.apiKey}`, 'content-type': 'application/json' },
      payload: { transactionAuth: 'above_amount', transactionAuthAmount: 30_000 },
    });
    expect(JSON.parse(set.body)).toEqual({
      transactionAuth: 'above_amount',
      transactionAuthAmount: 30_000,
      source: 'customer',
    });
    expect((await h.call('GET', url)).json['transactionAuthAmount']).toBe(30_000);
    for (const bad of [
      { transactionAuth: 'sometimes' },
      { transactionAuth: 'always', transactionAuthAmount: 0 },
      { transactionAuth: 'always', extra: 1 },
      {},
    ]) {
      const r = await h.app.inject({
        method: 'PUT',
        url,
        headers: { authorization: `Bearer ${h.apiKey}`, 'content-type': 'application/json' },
        payload: bad,
      });
      expect(r.statusCode, JSON.stringify(bad)).toBe(400);
      expect(JSON.parse(r.body).code).toBe('VALIDATION_FAILED');
    }
    expect((await h.call('GET', url)).json['transactionAuth']).toBe('above_amount');
    const cleared = await h.app.inject({
      method: 'PUT',
      url,
      headers: { authorization: `Bearer ${h.apiKey}`, 'content-type': 'application/json' },
      payload: { transactionAuth: null },
    });
    expect(JSON.parse(cleared.body)['source']).toBe('tenant');
    expect(await audits()).toEqual(
      expect.arrayContaining([
        'customer.transaction_policy:above_amount',
        'customer.transaction_policy:tenant',
      ]),
    );
  });
});

describe('OpenAPI', () => {
  it('documents the new calls', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/docs/json' });
    const doc = JSON.parse(res.body) as { paths: Record<string, unknown> };
    for (const p of [
      '/api/v1/customers/{ref}/transactions',
      '/api/v1/customers/{ref}/transactions/{id}',
      '/api/v1/customers/{ref}/transactions/{id}/verify',
      '/api/v1/customers/{ref}/transactions/{id}/cancel',
      '/api/v1/app/transactions/pending',
      '/api/v1/app/transactions/{id}/respond',
      '/api/v1/customers/{ref}/transaction-policy',
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
  });
});
