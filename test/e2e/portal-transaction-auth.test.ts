/**
 * 取引認証 on the bank portal over HTTP (SPEC.md, "Transaction authentication": "Tenants choose
 * when it is required: always, above an amount, or for new payees"). Each case drives the
 * screens as a browser does, plays the app with the token's key (test/support/transaction-app.ts),
 * and checks the bank's books, never only the page.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { activeCustomer, type ProvisionedToken } from '../support/harness.js';
import { Browser, fieldError, login, type Form, type Page } from '../support/portal-browser.js';
import { createPortalHarness, YAMADA, type PortalHarness } from '../support/portal-harness.js';
import { transactionApp } from '../support/transaction-app.js';

const PAYEE = {
  payeeBank: 'みずほ銀行',
  payeeBranch: '東京営業部',
  payeeType: '普通',
  payeeAccount: '1234567',
  payeeName: 'スズキ イチロウ',
} as const;

let ph: PortalHarness;
afterEach(async () => {
  await ph?.close();
});

async function setUp(policy: Record<string, unknown>) {
  ph = await createPortalHarness({ policy });
  const token = await activeCustomer(ph.h, YAMADA.platformRef);
  const b = new Browser(ph.app);
  const otpScreen = await login(b, YAMADA);
  expect(otpScreen.body).toContain('ワンタイムパスワード認証');
  ph.h.clock.advance(token.period * 1000);
  const r = await b.post('/ib/login/otp', { otp: token.otp() });
  expect(r.location).toBe('/ib/top');
  await b.follow(r);
  ph.h.clock.advance(token.period * 1000);
  const yamada = await ph.bank.customerByLoginId(YAMADA.loginId);
  const [acc] = await ph.bank.accounts(yamada?.id ?? 0);
  return { token, b, accountId: String(acc?.id), customerId: yamada?.id ?? 0 };
}

/** Input → confirm; the confirm page. */
async function toConfirm(b: Browser, form: Form): Promise<Page> {
  await b.get('/ib/transfer');
  const r = await b.post('/ib/transfer', form);
  expect(r.location, r.body.slice(0, 300)).toBe('/ib/transfer/confirm');
  return b.follow(r);
}

/** The transaction the platform holds for the customer, newest. */
async function lastTransactionId(): Promise<string> {
  const rows = await ph.h.store.listAudit({
    serviceId: ph.h.serviceId,
    customerRef: YAMADA.platformRef,
    limit: 50,
  });
  return String(rows.find((r) => r.action === 'transaction.created')?.detail['transactionId']);
}

/** Confirm with the password: to the waiting screen. */
async function toApproval(b: Browser): Promise<Page> {
  const r = await b.post('/ib/transfer/confirm', { confirmPassword: YAMADA.confirmPassword });
  expect(r.location, r.body.slice(0, 500)).toBe('/ib/transfer/approve');
  return b.follow(r);
}

async function approveInApp(token: ProvisionedToken, amount: number): Promise<void> {
  const app = transactionApp(ph.h, token);
  const id = await lastTransactionId();
  const r = await app.respond(
    id,
    'approve',
    app.response(id, { ...PAYEE, amount, currency: 'JPY' }),
  );
  expect(r.json).toEqual({ result: 'ok', state: 'approved' });
}

describe('取引認証 on the portal (/ib/transfer/approve)', () => {
  it('always: the confirm step asks no OTP; the app approves; the transfer is sent once', async () => {
    const { token, b, accountId, customerId } = await setUp({ transactionAuth: 'always' });
    const confirm = await toConfirm(b, { accountId, ...PAYEE, amount: '40000' });
    expect(confirm.body).not.toContain('name="otp"');
    const waiting = await toApproval(b);
    expect(waiting.body).toContain('振込（取引認証）');
    expect(waiting.body).toContain('アプリで取引内容をご確認ください');
    expect(waiting.body).toContain('40,000円');
    expect((await b.get('/ib/transfer/approve/status')).res.json()).toMatchObject({
      state: 'pending',
    });
    // 実行 before the app answered: nothing is sent; the screen says so.
    const early = await b.post('/ib/transfer/approve', {});
    expect(early.status).toBe(400);
    expect(early.body).toContain('まだアプリで承認されていません');
    expect(await ph.bank.transfers(customerId)).toHaveLength(0);

    await approveInApp(token, 40_000);
    expect((await b.get('/ib/transfer/approve/status')).res.json()).toMatchObject({
      state: 'approved',
    });
    const r = await b.post('/ib/transfer/approve', {});
    expect(r.location).toBe('/ib/transfer/done');
    expect((await b.follow(r)).body).toContain('振込（振込受付完了）');
    // The script's second submission (a double click) sends nothing more.
    await b.post('/ib/transfer/approve', {});
    const sent = await ph.bank.transfers(customerId);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ auth: 'transaction', payee_account: '1234567' });
    expect(Number(sent[0]?.amount)).toBe(40_000);
  });

  it('above_amount: up to the threshold the OTP, above it 取引認証', async () => {
    const { b, accountId } = await setUp({
      transactionAuth: 'above_amount',
      transactionAuthAmount: 100_000,
    });
    expect((await toConfirm(b, { accountId, ...PAYEE, amount: '100000' })).body).toContain(
      'name="otp"',
    );
    await b.post('/ib/flow/cancel', {});
    const above = await toConfirm(b, { accountId, ...PAYEE, amount: '100001' });
    expect(above.body).not.toContain('name="otp"');
    expect((await toApproval(b)).body).toContain('100,001円');
  });

  it('new_payee: the first transfer to a payee needs 取引認証, the next one the OTP', async () => {
    const { token, b, accountId } = await setUp({ transactionAuth: 'new_payee' });
    await toConfirm(b, { accountId, ...PAYEE, amount: '1000' });
    await toApproval(b);
    await approveInApp(token, 1000);
    expect((await b.post('/ib/transfer/approve', {})).location).toBe('/ib/transfer/done');
    expect((await toConfirm(b, { accountId, ...PAYEE, amount: '2000' })).body).toContain(
      'name="otp"',
    );
    await b.post('/ib/flow/cancel', {});
    const other = await toConfirm(b, {
      accountId,
      ...PAYEE,
      payeeAccount: '7654321',
      amount: '2000',
    });
    expect(other.body).not.toContain('name="otp"');
  });

  it('off (the default): the OTP as before', async () => {
    const { b, accountId } = await setUp({});
    expect((await toConfirm(b, { accountId, ...PAYEE, amount: '50000' })).body).toContain(
      'name="otp"',
    );
  });

  it("a customer's own rule overrides the tenant's (per customer or for all)", async () => {
    const { b, accountId } = await setUp({ transactionAuth: 'off' });
    await ph.client.setTransactionPolicy(YAMADA.platformRef, { transactionAuth: 'always' });
    expect((await toConfirm(b, { accountId, ...PAYEE, amount: '1000' })).body).not.toContain(
      'name="otp"',
    );
    await b.post('/ib/flow/cancel', {});
    await ph.client.setTransactionPolicy(YAMADA.platformRef, { transactionAuth: null });
    expect((await toConfirm(b, { accountId, ...PAYEE, amount: '1000' })).body).toContain(
      'name="otp"',
    );
  });

  it('拒否 ends the transfer without sending; a bad code is refused in Japanese; no 5xx', async () => {
    const { token, b, accountId, customerId } = await setUp({ transactionAuth: 'always' });
    await toConfirm(b, { accountId, ...PAYEE, amount: '3000' });
    await toApproval(b);
    for (const code of ['12', 'abcdefgh', '１２３']) {
      const r = await b.post('/ib/transfer/approve', { code });
      expect(r.status).toBe(400);
      expect(fieldError(r.body, 'code')).toBe('取引認証コードは半角数字8桁で入力してください。');
    }
    const wrong = await b.post('/ib/transfer/approve', { code: '00000000' });
    expect(fieldError(wrong.body, 'code')).toContain('取引認証コードが正しくありません');
    const garbage: Form[] = [{ code: ['1', '2'] }, { _csrf: '' }, { code: 'x'.repeat(5000) }];
    for (const body of garbage) {
      const r = await b.request('POST', '/ib/transfer/approve', {
        form: { _csrf: b.csrf, ...body },
      });
      expect(r.status).toBeLessThan(500);
    }
    const app = transactionApp(ph.h, token);
    expect((await app.respond(await lastTransactionId(), 'reject')).json['state']).toBe('rejected');
    const stopped = await b.post('/ib/transfer/approve', {});
    expect(stopped.body).toContain('振込（取引中止）');
    expect(stopped.body).toContain('お振込は行われていません');
    expect(await ph.bank.transfers(customerId)).toHaveLength(0);
    // The flow is over: the waiting screen is out of order now.
    expect((await b.get('/ib/transfer/approve')).status).toBe(303);
  });

  it('申込を中止する and 戻る on the waiting screen cancel the transaction: the app can no longer approve', async () => {
    const { token, b, accountId, customerId } = await setUp({ transactionAuth: 'always' });
    const app = transactionApp(ph.h, token);
    for (const button of ['/ib/flow/cancel', '/ib/flow/back']) {
      await toConfirm(b, { accountId, ...PAYEE, amount: '3000' });
      await toApproval(b);
      const id = await lastTransactionId();
      const left = await b.post(button, {});
      expect(left.location).toMatch(/^\/ib\/top/);
      expect((await ph.client.getTransaction(YAMADA.platformRef, id)).state).toBe('cancelled');
      // The app still shows it (a stale screen) and taps 承認: refused, and it says why.
      const late = await app.respond(
        id,
        'approve',
        app.response(id, { ...PAYEE, amount: 3000, currency: 'JPY' }),
      );
      expect(late.json).toEqual({ result: 'not_active', state: 'cancelled' });
      const pending = (await app.pending()).json['transactions'] as { transactionId: string }[];
      expect(pending.map((t) => t.transactionId)).not.toContain(id);
      const audit = await ph.h.store.listAudit({
        serviceId: ph.h.serviceId,
        customerRef: YAMADA.platformRef,
        limit: 5,
      });
      expect(audit.find((e) => e.action === 'transaction.cancelled')?.detail).toEqual({
        transactionId: id,
      });
    }
    expect(await ph.bank.transfers(customerId)).toHaveLength(0);
  });

  it('ログアウト on the waiting screen cancels the transaction as well', async () => {
    const { b, accountId } = await setUp({ transactionAuth: 'always' });
    await toConfirm(b, { accountId, ...PAYEE, amount: '3000' });
    await toApproval(b);
    const id = await lastTransactionId();
    const out = await b.post('/ib/logout', {});
    expect(out.location).toBe('/ib/login?bye=1');
    expect((await ph.client.getTransaction(YAMADA.platformRef, id)).state).toBe('cancelled');
  });

  it('a form without the session CSRF token is refused and changes nothing', async () => {
    const { b, accountId } = await setUp({ transactionAuth: 'always' });
    await toConfirm(b, { accountId, ...PAYEE, amount: '3000' });
    await toApproval(b);
    const r = await b.request('POST', '/ib/transfer/approve', {
      form: { _csrf: 'forged', code: '12345678' },
    });
    expect(r.status).toBe(403);
    const tx = await ph.client.getTransaction(YAMADA.platformRef, await lastTransactionId());
    expect(tx.failures).toBe(0);
  });
});
