/**
 * 生体認証ログイン (issue 6) at the bank portal over HTTP, the phone played by a software
 * authenticator: the app's 登録 (login ID, password, and the OTP when 利用中), the login tab
 * (both factors at once: the top page, no OTP screen), the registered devices in settings and
 * their removal (the OTP when 利用中), and each refusal in Japanese with nothing changed.
 * On whichever database DATABASE_URL names.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activeCustomer } from '../support/harness.js';
import { Browser, csrfOf, fieldError, login, wrongOtp } from '../support/portal-browser.js';
import { createPortalHarness, YAMADA, type PortalHarness } from '../support/portal-harness.js';
import { SoftAuthenticator, type CredentialJson } from '../support/soft-authenticator.js';

let ph: PortalHarness;
let phone: SoftAuthenticator;
beforeEach(async () => {
  ph = await createPortalHarness();
  phone = new SoftAuthenticator('http://localhost:3000');
});
afterEach(async () => {
  await ph.close();
});

async function json(url: string, body: unknown) {
  const res = await ph.app.inject({
    method: 'POST',
    url,
    payload: body as Record<string, unknown>,
  });
  return { status: res.statusCode, json: JSON.parse(res.body) as Record<string, unknown> };
}

/** The app's 生体認証ログイン利用設定: the biometric check first, then ID and password (guide 000 STEP 5). */
async function appRegister(
  who: { loginId: string; password: string },
  extra: Record<string, unknown> = {},
  a = phone,
) {
  const opts = await json('/ib/passkeys/app/options', {});
  expect(opts.status).toBe(200);
  const credential = a.create(opts.json['options'] as { challenge: string; user: { id: string } });
  return json('/ib/passkeys/app/register', {
    loginId: who.loginId,
    password: who.password,
    deviceName: 'iPhone',
    credential,
    ...extra,
  });
}

/** The login tab's script: options with the login's CSRF token, then the form post. */
async function passkeyLogin(b: Browser, answer?: (o: { challenge: string }) => CredentialJson) {
  const tab = await b.get('/ib/login?tab=passkey');
  expect(tab.body).toContain('生体認証でログイン');
  const csrf = csrfOf(tab.body);
  const opts = await b.request('POST', '/ib/login/passkey/options', {
    payload: JSON.stringify({ _csrf: csrf }),
    contentType: 'application/json',
  });
  expect(opts.status).toBe(200);
  const options = (JSON.parse(opts.body) as { options: { challenge: string } }).options;
  const credential = (answer ?? ((o) => phone.get(o)))(options);
  return {
    page: await b.request('POST', '/ib/login/passkey', {
      form: { _csrf: csrf, credential: JSON.stringify(credential) },
    }),
    credential,
    csrf,
  };
}

describe('生体認証ログイン at the portal', () => {
  it('registers from the app with ID and password, then logs in straight to the top page', async () => {
    expect((await appRegister(YAMADA)).json).toEqual({ ok: true, deviceName: 'iPhone' });
    const b = new Browser(ph.app);
    const { page } = await passkeyLogin(b);
    expect(page.status).toBe(303);
    expect(page.location).toBe('/ib/top');
    const top = await b.follow(page);
    expect(top.status).toBe(200);
    expect(top.body).toContain('山田');
    // Settings list the device with its last use.
    const list = await b.get('/ib/settings/passkeys');
    expect(list.body).toContain('iPhone');
    expect(list.body).not.toContain('未使用');
  });

  it('with the OTP 利用中, registration needs the current OTP and the login still skips the OTP screen', async () => {
    const t = await activeCustomer(ph.h, YAMADA.platformRef);
    expect((await appRegister(YAMADA)).json).toEqual({ ok: false, code: 'otp_required' });
    expect((await appRegister(YAMADA, { otp: wrongOtp(t) })).json).toEqual({
      ok: false,
      code: 'otp_wrong',
    });
    expect((await appRegister(YAMADA, { otp: t.otp() })).json).toMatchObject({ ok: true });
    expect(await ph.client.listPasskeys(YAMADA.platformRef)).toMatchObject([
      { boundToToken: true },
    ]);
    const b = new Browser(ph.app);
    const { page } = await passkeyLogin(b);
    expect(page.location).toBe('/ib/top');
  });

  it('a wrong password registers nothing', async () => {
    expect((await appRegister({ loginId: YAMADA.loginId, password: 'wrong-pass' })).json).toEqual({
      ok: false,
      code: 'wrong',
    });
    expect((await appRegister({ loginId: 'nobody', password: 'x' })).json).toEqual({
      ok: false,
      code: 'wrong',
    });
    expect(await ph.client.listPasskeys(YAMADA.platformRef)).toEqual([]);
    const bad = await ph.app.inject({
      method: 'POST',
      url: '/ib/passkeys/app/register',
      payload: 'loginId=yamada',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(bad.statusCode).toBe(415);
  });

  it('refuses a replayed assertion in Japanese, and nobody is logged in', async () => {
    await appRegister(YAMADA);
    const b = new Browser(ph.app);
    const { credential, csrf } = await passkeyLogin(b);
    const thief = new Browser(ph.app);
    await thief.get('/ib/login?tab=passkey');
    const replay = await thief.request('POST', '/ib/login/passkey', {
      form: {
        _csrf: csrfOf((await thief.get('/ib/login?tab=passkey')).body),
        credential: JSON.stringify(credential),
      },
    });
    expect(replay.status).toBe(400);
    expect(replay.body).toContain('すでに使用された認証です');
    expect(thief.jar.has('ib_sid')).toBe(false);
    // The first browser's own resubmission is refused too: its login form's token ended with the login.
    const again = await b.request('POST', '/ib/login/passkey', {
      form: { _csrf: csrf, credential: JSON.stringify(credential) },
    });
    expect(again.status).toBe(403);
    expect(again.body).toContain('画面の有効期限が切れました');
  });

  it('refuses without user verification, a removed device, and a CSRF-less post', async () => {
    await appRegister(YAMADA);
    phone.userVerified = false;
    const b = new Browser(ph.app);
    const noUv = await passkeyLogin(b);
    expect(noUv.page.status).toBe(400);
    expect(noUv.page.body).toContain('生体認証（指紋認証・顔認証）を確認できませんでした。');
    expect(b.jar.has('ib_sid')).toBe(false);
    phone.userVerified = true;
    const [p] = await ph.client.listPasskeys(YAMADA.platformRef);
    await ph.client.removePasskey(YAMADA.platformRef, p?.id ?? 0);
    const removed = await passkeyLogin(b);
    expect(removed.page.body).toContain('登録されていないか、解除されています');
    const csrfLess = await b.request('POST', '/ib/login/passkey', { form: { credential: '{}' } });
    expect(csrfLess.status).toBe(403);
    expect(csrfLess.body).toContain('画面の有効期限が切れました');
    const optsNoCsrf = await b.request('POST', '/ib/login/passkey/options', {
      payload: '{}',
      contentType: 'application/json',
    });
    expect(optsNoCsrf.status).toBe(403);
  });

  it('a malformed answer is a Japanese message, never a 500', async () => {
    const b = new Browser(ph.app);
    for (const credential of [
      'not json',
      '{"id":"x"}',
      '[]',
      '{"id":"AA","rawId":"AA","type":"public-key","response":{}}',
    ]) {
      const tab = await b.get('/ib/login?tab=passkey');
      const r = await b.request('POST', '/ib/login/passkey', {
        form: { _csrf: csrfOf(tab.body), credential },
      });
      expect(r.status, credential).toBe(400);
      expect(r.body).toMatch(/生体認証/);
    }
  });

  it('settings: removal needs the OTP when 利用中; the English switch words it in English', async () => {
    const ty = await activeCustomer(ph.h, YAMADA.platformRef);
    expect((await appRegister(YAMADA, { otp: ty.otp() })).json).toMatchObject({ ok: true });
    ph.h.clock.advance(60_000);
    const b = new Browser(ph.app);
    const otpScreen = await login(b, YAMADA);
    expect(otpScreen.body).toContain('ワンタイムパスワード認証');
    await b.follow(await b.post('/ib/login/otp', { otp: ty.otp() }));
    ph.h.clock.advance(60_000);
    const page = await b.get('/ib/settings/passkeys');
    expect(page.body).toContain('iPhone');
    const id = /name="id"\s+value="([0-9]+)"/.exec(page.body)?.[1] ?? '';
    const noOtp = await b.post('/ib/settings/passkeys/remove', { id });
    expect(noOtp.status).toBe(400);
    expect(fieldError(noOtp.body, 'otp')).not.toBeNull();
    const wrong = await b.post('/ib/settings/passkeys/remove', { id, otp: wrongOtp(ty) });
    expect(wrong.status).toBe(400);
    expect(await ph.client.listPasskeys(YAMADA.platformRef)).toHaveLength(1);
    const noCsrf = await b.request('POST', '/ib/settings/passkeys/remove', {
      form: { id, otp: ty.otp() },
    });
    expect(noCsrf.status).toBe(403);
    const ok = await b.post('/ib/settings/passkeys/remove', { id, otp: ty.otp() });
    expect(ok.location).toBe('/ib/settings/passkeys?removed=1');
    expect((await b.follow(ok)).body).toContain('生体認証ログインの登録を解除しました。');
    expect(await ph.client.listPasskeys(YAMADA.platformRef)).toEqual([]);
    await b.get('/ib/lang?to=en&back=/ib/settings/passkeys');
    expect((await b.get('/ib/settings/passkeys')).body).toContain('No device is registered.');
  });
});
