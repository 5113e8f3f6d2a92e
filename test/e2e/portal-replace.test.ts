/**
 * 電話番号認証 inside the procedures (guide 000 STEP 1 ④⑤) and 機種変更 without paper (SPEC.md):
 * the issuance waits on the phone step until the registered phone calls; 機種変更 needs the login
 * password and the call, issues with `replace`, keeps the old token working until the new one
 * is activated (on the screen, or by the new app's first login) and then ends it and says so by
 * mail. Calls arrive as signed webhooks, as the provider sends them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  signTelephonyRequest,
  TELEPHONY_WEBHOOK_PATH,
} from '../../src/web/shared/telephony-signature.js';
import { activeCustomer, provisionIssued } from '../support/harness.js';
import { Browser, cell, fieldError, login, postLogin } from '../support/portal-browser.js';
import { createPortalHarness, YAMADA, type PortalHarness } from '../support/portal-harness.js';

const TOKEN = 'test-telephony-auth-token';
const PUBLIC_URL = 'https://ib.inkan-bank.example';

let ph: PortalHarness;

afterEach(async () => {
  await ph?.close();
});

async function harness(policy: Record<string, unknown>): Promise<PortalHarness> {
  ph = await createPortalHarness({
    policy,
    portal: { telephonyAuthToken: TOKEN, publicUrl: PUBLIC_URL, phoneCheckNumber: '0120-000-111' },
  });
  return ph;
}

/** The provider's webhook for a call from `from` to the 認証先電話番号, signed. */
async function call(from: string): Promise<string> {
  const params: [string, string][] = [
    ['CallSid', `CA${Math.random().toString(16).slice(2).padEnd(32, '0')}`],
    ['From', from],
    ['To', '+81120000111'],
    ['Timestamp', String(Math.floor(ph.h.clock.now() / 1000))],
  ];
  const res = await ph.app.inject({
    method: 'POST',
    url: TELEPHONY_WEBHOOK_PATH,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-inkan-signature': signTelephonyRequest(
        TOKEN,
        `${PUBLIC_URL}${TELEPHONY_WEBHOOK_PATH}`,
        params,
      ),
    },
    payload: new URLSearchParams(params).toString(),
  });
  expect(res.statusCode).toBe(200);
  return res.body;
}

const TELL = '+81 90-1234-5678'; // YAMADA's registered 09012345678, as a provider writes it

describe('トークン発行 with 電話番号認証', () => {
  it('waits on the phone step until the registered phone calls, then issues once', async () => {
    await harness({ issuePhoneCheck: true });
    const b = new Browser(ph.app);
    await login(b, YAMADA);
    await b.post('/ib/otp/issue/start');
    await b.post('/ib/otp/issue/select', { type: 'software' });
    await b.post('/ib/otp/issue/software', {
      email: 'taro@example.jp',
      emailConfirm: 'taro@example.jp',
      activationPassword: '1234',
      activationPasswordConfirm: '1234',
    });
    const confirm = await b.get('/ib/otp/issue/software/confirm');
    expect(confirm.body).toContain('電話番号認証を行う');
    const toPhone = await b.post('/ib/otp/issue/software/confirm', {
      confirmPassword: YAMADA.confirmPassword,
    });
    expect(toPhone.location).toBe('/ib/otp/issue/phone');
    const screen = await b.follow(toPhone);
    expect(screen.body).toContain('090-1234-5678');
    expect(screen.body).toContain('0120-000-111');

    // 実行 before the call: refused, nothing issued.
    const early = await b.post('/ib/otp/issue/phone');
    expect(early.status).toBe(400);
    expect(await ph.client.getToken(YAMADA.platformRef)).toBeNull();
    // A call from another phone does not count.
    await call('+81 80-0000-0000');
    expect((await b.post('/ib/otp/issue/phone')).status).toBe(400);

    await call(TELL);
    const done = await b.post('/ib/otp/issue/phone');
    expect(done.location).toBe('/ib/otp/issue/software/done');
    const page = await b.follow(done);
    expect(cell(page.body, 'user-id')).toBe((await ph.client.getToken(YAMADA.platformRef))?.userId);
    // The verified screen posting once more (the page's own script) issues nothing more.
    const again = await b.post('/ib/otp/issue/phone');
    expect(again.location).toBe('/ib/otp/issue/software/done');
    const events = await ph.h.store.listAudit({
      serviceId: ph.h.serviceId,
      customerRef: YAMADA.platformRef,
      limit: 100,
    });
    expect(events.filter((e) => e.action === 'token.issued')).toHaveLength(1);
  });

  it('an expired check offers a new one; 戻る leads back to the confirm screen', async () => {
    await harness({ issuePhoneCheck: true });
    const b = new Browser(ph.app);
    await login(b, YAMADA);
    await b.post('/ib/otp/issue/start');
    await b.post('/ib/otp/issue/select', { type: 'hardware' });
    await b.get('/ib/otp/issue/hardware');
    expect(
      (await b.post('/ib/otp/issue/hardware', { confirmPassword: YAMADA.confirmPassword }))
        .location,
    ).toBe('/ib/otp/issue/phone');
    ph.h.clock.advance(121_000);
    await call(TELL); // too late: the check expired
    const expired = await b.post('/ib/otp/issue/phone');
    expect(expired.status).toBe(400);
    expect(await ph.client.getToken(YAMADA.platformRef)).toBeNull();
    expect((await b.post('/ib/otp/issue/phone/retry')).location).toBe('/ib/otp/issue/phone');
    await call(TELL);
    expect((await b.post('/ib/otp/issue/phone')).location).toBe('/ib/otp/issue/hardware/done');
    expect((await ph.client.getToken(YAMADA.platformRef))?.type).toBe('hardware');

    const b2 = new Browser(ph.app);
    await login(b2, YAMADA);
    await b2.post('/ib/otp/issue/start');
    await b2.post('/ib/otp/issue/select', { type: 'hardware' });
    await b2.get('/ib/otp/issue/hardware');
    await b2.post('/ib/otp/issue/hardware', { confirmPassword: YAMADA.confirmPassword });
    const back = await b2.post('/ib/flow/back');
    expect(back.location).toBe('/ib/otp/issue/hardware');
  });
});

describe('機種変更 without paper', () => {
  it('is offered only when the bank allows it', async () => {
    await harness({});
    const t = await activeCustomer(ph.h, YAMADA.platformRef);
    const b = new Browser(ph.app);
    await login(b, YAMADA);
    const r = await b.post('/ib/login/otp', { otp: t.otp() });
    await b.follow(r);
    expect((await b.get('/ib/otp')).body).not.toContain('機種変更によるトークン再発行');
    const forced = await b.post('/ib/otp/replace/start');
    expect(forced.location).toBe('/ib/otp');
    expect((await b.follow(forced)).body).toContain('このお手続きはできません');
  });

  it('login password + phone call → new token; the old one works until the new one is activated', async () => {
    await harness({ selfServiceReplace: true, issuePhoneCheck: true });
    const old = await activeCustomer(ph.h, YAMADA.platformRef);
    const b = new Browser(ph.app);
    await login(b, YAMADA);
    await b.follow(await b.post('/ib/login/otp', { otp: old.otp() }));
    expect((await b.get('/ib/otp')).body).toContain('機種変更によるトークン再発行');
    expect((await b.post('/ib/otp/replace/start')).location).toBe('/ib/otp/replace');
    const wrong = await b.post('/ib/otp/replace', { password: 'not-the-password' });
    expect(fieldError(wrong.body, 'password')).toBe('ログインパスワードが正しくありません。');
    const toPhone = await b.post('/ib/otp/replace', { password: YAMADA.password });
    expect(toPhone.location).toBe('/ib/otp/replace/phone');
    expect((await b.follow(toPhone)).body).toContain('機種変更（電話番号認証）');
    expect((await b.post('/ib/otp/replace/phone')).status).toBe(400);
    await call(TELL);
    expect((await b.post('/ib/otp/replace/phone')).location).toBe('/ib/otp/issue/software');
    await b.post('/ib/otp/issue/software', {
      email: 'new-phone@example.jp',
      emailConfirm: 'new-phone@example.jp',
      activationPassword: '9876',
      activationPasswordConfirm: '9876',
    });
    const confirm = await b.get('/ib/otp/issue/software/confirm');
    expect(confirm.body).not.toContain('電話番号認証を行う'); // proven already
    const done = await b.follow(
      await b.post('/ib/otp/issue/software/confirm', { confirmPassword: YAMADA.confirmPassword }),
    );
    const newUserId = cell(done.body, 'user-id');
    const during = await ph.client.getToken(YAMADA.platformRef);
    expect(during?.state).toBe('active');
    expect(during?.pending?.userId).toBe(newUserId);

    // The old token still logs in.
    ph.h.clock.advance(old.period * 1000);
    expect((await ph.client.verify(YAMADA.platformRef, old.otp())).result).toBe('ok');

    // The new phone sets up and activates on the screen; the old token ends by itself.
    const fresh = await provisionIssued(ph.h, newUserId, '9876');
    expect((await b.post('/ib/otp/activate/start')).location).toBe('/ib/otp/activate');
    ph.h.clock.advance(old.period * 1000);
    const activated = await b.post('/ib/otp/activate', { otp: fresh.otp() });
    expect(activated.location).toBe('/ib/otp/activate/done');
    const after = await ph.client.getToken(YAMADA.platformRef);
    expect(after?.userId).toBe(newUserId);
    expect(after?.pending).toBeUndefined();
    ph.h.clock.advance(old.period * 1000);
    expect((await ph.client.verify(YAMADA.platformRef, old.otp())).result).not.toBe('ok');
    await new Promise((r) => setTimeout(r, 10));
    expect(ph.mails.some((m) => m.kind === 'token_replaced' && m.to === YAMADA.email)).toBe(true);
  });

  it('the new app’s first login activates it and ends the old token', async () => {
    await harness({ selfServiceReplace: true });
    const old = await activeCustomer(ph.h, YAMADA.platformRef);
    const issued = await ph.client.issueToken(YAMADA.platformRef, {
      type: 'software',
      email: 'new-phone@example.jp',
      activationPassword: '5555',
      replace: true,
    });
    const fresh = await provisionIssued(ph.h, issued.userId, '5555');
    // A wrong app OTP counts once and asks for the current token's OTP.
    const b0 = new Browser(ph.app);
    const bad = await postLogin(b0, YAMADA, { appOtp: '00000000' });
    expect(bad.location).toBe('/ib/login/otp');
    expect((await ph.client.getToken(YAMADA.platformRef))?.failCount).toBe(0); // the old token's count is untouched

    const b = new Browser(ph.app);
    const r = await postLogin(b, YAMADA, { appOtp: fresh.otp() });
    expect(r.location).toBe('/ib/top');
    expect((await b.follow(r)).body).toContain('これまでのトークンは利用解除されました');
    const now = await ph.client.getToken(YAMADA.platformRef);
    expect(now?.userId).toBe(issued.userId);
    expect(now?.state).toBe('active');
    ph.h.clock.advance(old.period * 1000);
    expect((await ph.client.verify(YAMADA.platformRef, old.otp())).result).not.toBe('ok');
  });
});
