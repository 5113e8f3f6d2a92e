/**
 * 登録情報の変更 (SPEC.md, "What needs an OTP"): once the OTP is 利用中 every change needs it,
 * and only then may the daily limit go above 200,000 yen; the メール通知パスワード address is
 * changed with a code sent to the new address (guide 004) and only while no OTP is in use.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activeCustomer, type ProvisionedToken } from '../support/harness.js';
import { Browser, fieldError, login, wrongOtp } from '../support/portal-browser.js';
import {
  createPortalHarness,
  SATO,
  YAMADA,
  type PortalHarness,
} from '../support/portal-harness.js';

let ph: PortalHarness;
let b: Browser;

beforeEach(async () => {
  ph = await createPortalHarness();
  b = new Browser(ph.app);
});
afterEach(async () => {
  await ph.close();
});

async function customer(who: typeof YAMADA | typeof SATO) {
  const c = await ph.bank.customerByLoginId(who.loginId);
  if (c === null) throw new Error('no demo customer');
  return c;
}

/** The code of the newest メール通知パスワード mail to `to`. */
function lastCode(to: string): string | undefined {
  const m = [...ph.mails].reverse().find((x) => x.kind === 'mail_otp' && x.to === to);
  return m === undefined ? undefined : /([0-9]{6})/.exec(m.text)?.[1];
}

describe('振込限度額変更', () => {
  it('without OTP: at most 200,000 yen, with the 確認用パスワード alone', async () => {
    await login(b, YAMADA);
    await b.post('/ib/settings/limit/start');
    const tooHigh = await b.post('/ib/settings/limit', { value: '500000' });
    expect(tooHigh.status).toBe(400);
    expect(fieldError(tooHigh.body, 'value')).toContain('20万円まで');
    const odd = await b.post('/ib/settings/limit', { value: '123456' });
    expect(fieldError(odd.body, 'value')).toContain('1万円単位');
    const ok = await b.post('/ib/settings/limit', { value: '１５０，０００' });
    expect(ok.location).toBe('/ib/settings/limit/confirm');
    const confirm = await b.follow(ok);
    expect(confirm.body).toContain('150,000円');
    expect(confirm.body).not.toContain('name="otp"');
    const wrong = await b.post('/ib/settings/limit/confirm', { confirmPassword: 'wrong123' });
    expect(fieldError(wrong.body, 'confirmPassword')).toBe('確認用パスワードが正しくありません。');
    expect(Number((await customer(YAMADA)).daily_limit)).toBe(200_000);
    const done = await b.post('/ib/settings/limit/confirm', {
      confirmPassword: YAMADA.confirmPassword,
    });
    expect(done.location).toBe('/ib/settings/limit/done');
    expect(Number((await customer(YAMADA)).daily_limit)).toBe(150_000);
  });

  it('with the OTP 利用中: up to the bank maximum, and only with a right OTP', async () => {
    const t: ProvisionedToken = await activeCustomer(ph.h, YAMADA.platformRef);
    const otpScreen = await login(b, YAMADA);
    expect(otpScreen.body).toContain('ワンタイムパスワード認証');
    const r = await b.post('/ib/login/otp', { otp: t.otp() });
    expect(r.location).toBe('/ib/top');
    await b.follow(r); // the logged-in session's own CSRF token
    ph.h.clock.advance(t.period * 1000);
    await b.post('/ib/settings/limit/start');
    const confirm = await b.follow(await b.post('/ib/settings/limit', { value: '3000000' }));
    expect(confirm.body).toContain('name="otp"');
    const bad = await b.post('/ib/settings/limit/confirm', {
      confirmPassword: YAMADA.confirmPassword,
      otp: wrongOtp(t),
    });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.body, 'otp')).toContain('ワンタイムパスワードが正しくありません');
    expect((await ph.client.getToken(YAMADA.platformRef))?.failCount).toBe(1);
    expect(Number((await customer(YAMADA)).daily_limit)).toBe(200_000);
    // A wrong 確認用パスワード never spends the OTP: the same OTP works afterwards.
    const otp = t.otp();
    await b.post('/ib/settings/limit/confirm', { confirmPassword: 'wrong123', otp });
    const done = await b.post('/ib/settings/limit/confirm', {
      confirmPassword: YAMADA.confirmPassword,
      otp,
    });
    expect(done.location).toBe('/ib/settings/limit/done');
    expect(Number((await customer(YAMADA)).daily_limit)).toBe(3_000_000);
  });
});

describe('メールアドレス変更 and メール通知パスワード利用変更', () => {
  it('a メール通知パスワード user changes her address with the code mailed to her', async () => {
    await login(b, SATO);
    await b.post('/ib/settings/email/start');
    const mismatch = await b.post('/ib/settings/email', {
      value: 'new@example.jp',
      valueConfirm: 'other@example.jp',
    });
    expect(fieldError(mismatch.body, 'valueConfirm')).toContain('一致しません');
    const confirm = await b.follow(
      await b.post('/ib/settings/email', {
        value: 'new@example.jp',
        valueConfirm: 'new@example.jp',
      }),
    );
    expect(confirm.body).toContain('メール通知パスワード送信先');
    const code = lastCode(SATO.email);
    expect(code).toMatch(/^[0-9]{6}$/);
    const done = await b.post('/ib/settings/email/confirm', {
      confirmPassword: SATO.confirmPassword,
      mailOtp: code ?? '',
    });
    expect(done.location).toBe('/ib/settings/email/done');
    expect((await customer(SATO)).email).toBe('new@example.jp');
  });

  it('the メール通知パスワード address proves itself: the code goes to the new address only', async () => {
    await login(b, SATO);
    await b.post('/ib/settings/mailOtp/start');
    await b.follow(
      await b.post('/ib/settings/mailOtp', {
        value: 'phone@example.jp',
        valueConfirm: 'phone@example.jp',
      }),
    );
    const atNew = lastCode('phone@example.jp');
    expect(atNew).toMatch(/^[0-9]{6}$/);
    expect(lastCode(SATO.email)).toBeUndefined();
    const wrong = await b.post('/ib/settings/mailOtp/confirm', {
      confirmPassword: SATO.confirmPassword,
      mailOtp: atNew === '000000' ? '111111' : '000000',
    });
    expect(fieldError(wrong.body, 'mailOtp')).toBe('メール通知パスワードが正しくありません。');
    expect((await customer(SATO)).mail_otp_email).toBe(SATO.email);
    const done = await b.post('/ib/settings/mailOtp/confirm', {
      confirmPassword: SATO.confirmPassword,
      mailOtp: atNew ?? '',
    });
    expect(done.location).toBe('/ib/settings/mailOtp/done');
    expect((await customer(SATO)).mail_otp_email).toBe('phone@example.jp');
    await new Promise((r) => setTimeout(r, 10));
    expect(
      ph.mails.some((m) => m.kind === 'mail_otp_address_changed' && m.to === 'phone@example.jp'),
    ).toBe(true);
  });

  it('is closed while the OTP is 利用中 (the two are exclusive)', async () => {
    const t = await activeCustomer(ph.h, SATO.platformRef);
    await login(b, SATO);
    ph.h.clock.advance(t.period * 1000);
    await b.follow(await b.post('/ib/login/otp', { otp: t.otp() }));
    const menu = await b.get('/ib/settings');
    expect(menu.body).toMatch(
      /<button type="button" class="btn" disabled aria-disabled="true">メール通知パスワード利用変更<\/button>/,
    );
    const forced = await b.post('/ib/settings/mailOtp/start');
    expect(forced.location).toBe('/ib/settings');
    expect((await b.follow(forced)).body).toContain('メール通知パスワードは変更できません');
  });
});
