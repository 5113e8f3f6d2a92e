/**
 * ハードウェアトークン再発行 in the bank portal (SPEC.md "Hardware token": from 90 days before its
 * expiry, with a current OTP; guide 001 手順4's note), over HTTP on SQLite and (with DATABASE_URL)
 * PostgreSQL, with the test clock moved near the fob's expiry: BOP001 shows the 有効期限 (JST) and,
 * only from 90 days before it, the notice and the button (a direct POST before is refused and
 * changes nothing); CSRF on both forms; a wrong 確認用パスワード sends no OTP; a wrong OTP counts
 * toward the lockout and issues nothing; the lockout ends the session with the 閉塞 message; the
 * right one issues the request (fee, address), shown as 発送待ち then 発送済; 利用開始登録 of the
 * new fob with its serial + OTP ends the old one. The fobs' OTPs come from an independent
 * generator over the secrets the vendor's PSKC file was built from.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateTotp } from '../../src/core/otp/index.js';
import { createNodeHmac } from '../../src/crypto/node-hmac.js';
import { Browser, fieldError, postLogin } from '../support/portal-browser.js';
import { createPortalHarness, YAMADA, type PortalHarness } from '../support/portal-harness.js';
import { buildPskc } from '../support/pskc-builder.js';

const DAY = 86_400_000;
const PERIOD = 60;
let ph: PortalHarness;

/** A fob of the vendor's file: its serial, expiry and OTP generator (RFC 6238 over its secret). */
function fob(serial: string, validUntil: number) {
  const secret = new Uint8Array(randomBytes(20));
  return {
    serial,
    secret,
    period: PERIOD,
    validUntil: new Date(validUntil).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    otp: () =>
      generateTotp({
        hmac: createNodeHmac(secret, 'SHA1'),
        now: ph.h.clock.now(),
        period: PERIOD,
        digits: 8,
      }),
  };
}

type Fob = ReturnType<typeof fob>;
let old: Fob;
let next: Fob;
let expiry: number;

beforeEach(async () => {
  ph = await createPortalHarness({ policy: { lockoutThreshold: 3 } });
  // Expiry at 15:00 JST, so the JST rendering can be checked against a fixed wording.
  expiry = Date.UTC(2027, 5, 30, 6, 0, 0);
  old = fob('70000000001', expiry);
  next = fob('70000000002', expiry + 5 * 365 * DAY);
  const psk = new Uint8Array(randomBytes(16));
  await ph.h.platform.importHardware(
    { actor: 'test', clientIp: null },
    {
      serviceId: ph.h.serviceId,
      xml: buildPskc([old, next], psk),
      preSharedKey: psk,
      batch: 'vendor.pskc',
    },
  );
  // YAMADA's first hardware token, shipped and activated (the console's and BOK501's work).
  const ref = YAMADA.platformRef;
  await ph.client.issueToken(ref, { type: 'hardware' });
  await ship(old.serial);
  expect(await ph.client.activateToken(ref, { serial: old.serial, otp: old.otp() })).toMatchObject({
    result: 'ok',
  });
  ph.h.clock.advance(PERIOD * 1000);
});

afterEach(async () => {
  await ph?.close();
});

/** 発送 as staff do it in the console: the waiting request gets the serial. */
async function ship(serial: string): Promise<void> {
  const now = ph.h.clock.now();
  const [waiting] = await ph.h.store.listHardwareWaiting(ph.h.serviceId, now, 10);
  if (waiting === undefined) throw new Error('nothing waits for shipping');
  expect(
    await ph.h.store.transaction((tx) =>
      tx.shipHardware({ serviceId: ph.h.serviceId, tokenId: waiting.tokenId, serial, now }),
    ),
  ).toBe('ok');
}

/** Logs YAMADA in with the old fob's OTP (its step then used up). */
async function loggedIn(): Promise<Browser> {
  const b = new Browser(ph.app);
  const first = await b.follow(await postLogin(b, YAMADA));
  expect(first.body).toContain('name="otp"');
  const r = await b.post('/ib/login/otp', { otp: old.otp() });
  expect(r.location).toBe('/ib/top');
  ph.h.clock.advance(PERIOD * 1000);
  await b.get('/ib/otp');
  return b;
}

const token = () => ph.client.getToken(YAMADA.platformRef);
const reissues = async () =>
  (
    await ph.h.store.listAudit({
      serviceId: ph.h.serviceId,
      customerRef: YAMADA.platformRef,
      limit: 200,
    })
  ).filter((e) => e.action === 'token.issued').length;

describe('ハードウェアトークン再発行 in the portal', () => {
  it('shows the 有効期限 (JST); before the 90 days no button, and a direct POST is refused, nothing changed', async () => {
    ph.h.clock.set(expiry - 91 * DAY);
    const b = await loggedIn();
    const menu = await b.get('/ib/otp');
    expect(menu.body).toContain('2027年06月30日 15時00分（日本時間）');
    expect(menu.body).toContain('2027年04月01日 15時00分（有効期限の90日前）から受け付けます');
    expect(menu.body).not.toContain('ハードウェアトークンの有効期限が近づいています');
    expect(menu.body).not.toContain('/ib/otp/reissue/start');
    const before = await reissues();
    const early = await b.post('/ib/otp/reissue/start');
    expect(early.status).toBe(409);
    expect(early.body).toContain(
      'ハードウェアトークンの再発行は、有効期限の90日前（2027年04月01日 15時00分）から受け付けます。',
    );
    // The confirm step was not reached, and its POST is out of order.
    expect(
      (await b.post('/ib/otp/reissue', { confirmPassword: YAMADA.confirmPassword, otp: old.otp() }))
        .location,
    ).toBe('/ib/otp');
    expect(await reissues()).toBe(before);
    expect(await token()).toMatchObject({ state: 'active', serial: old.serial, failCount: 0 });
    expect((await token())?.pending).toBeUndefined();
  });

  it('refuses forms without the session CSRF token, changing nothing', async () => {
    ph.h.clock.set(expiry - 90 * DAY);
    const b = await loggedIn();
    const forged = await b.request('POST', '/ib/otp/reissue/start', { form: { _csrf: 'forged' } });
    expect(forged.status).toBe(403);
    expect((await b.post('/ib/otp/reissue/start')).location).toBe('/ib/otp/reissue');
    const noToken = await b.request('POST', '/ib/otp/reissue', {
      form: { confirmPassword: YAMADA.confirmPassword, otp: old.otp() },
    });
    expect(noToken.status).toBe(403);
    expect((await token())?.pending).toBeUndefined();
    expect((await token())?.failCount).toBe(0);
  });

  it('wrong 確認用パスワード: no OTP sent; wrong OTP: counted, nothing issued; then the right one issues it', async () => {
    ph.h.clock.set(expiry - 90 * DAY);
    const b = await loggedIn();
    const menu = await b.get('/ib/otp');
    expect(menu.body).toContain('ハードウェアトークンの有効期限が近づいています');
    expect(menu.body).toContain('ハードウェアトークン再発行');
    const confirm = await b.follow(await b.post('/ib/otp/reissue/start'));
    expect(confirm.body).toContain('ハードウェアトークン再発行（再発行内容確認）');
    expect(confirm.body).toContain('1,100円');
    expect(confirm.body).toContain('〒100-0005 東京都千代田区丸の内1-1-1 インカンハイツ101');
    expect(confirm.body).toContain(old.serial);

    const otp = old.otp();
    const wrongPw = await b.post('/ib/otp/reissue', { confirmPassword: 'wrong999', otp });
    expect(wrongPw.status).toBe(400);
    expect(fieldError(wrongPw.body, 'confirmPassword')).toBeTruthy();
    expect(await token()).toMatchObject({ failCount: 0 });
    expect((await token())?.pending).toBeUndefined();

    const badForm = await b.post('/ib/otp/reissue', {
      confirmPassword: YAMADA.confirmPassword,
      otp: '12ab',
    });
    expect(badForm.status).toBe(400);
    expect(fieldError(badForm.body, 'otp')).toBeTruthy();
    expect(await token()).toMatchObject({ failCount: 0 });

    const wrongOtp = await b.post('/ib/otp/reissue', {
      confirmPassword: YAMADA.confirmPassword,
      otp: otp === '00000000' ? '11111111' : '00000000',
    });
    expect(wrongOtp.status).toBe(400);
    expect(fieldError(wrongOtp.body, 'otp')).toBe(
      'ワンタイムパスワードが正しくありません。現在お使いのハードウェアトークンに表示されている最新のワンタイムパスワードを入力してください。',
    );
    expect(await token()).toMatchObject({ failCount: 1, locked: false });
    expect((await token())?.pending).toBeUndefined();
    const issuedBefore = await reissues();

    // The OTP the wrong password came with was never sent: it still works now.
    const done = await b.post('/ib/otp/reissue', { confirmPassword: YAMADA.confirmPassword, otp });
    expect(done.location).toBe('/ib/otp/reissue/done');
    const page = await b.follow(done);
    expect(page.body).toContain(
      '再発行を受け付けました。お届けまで1週間程度かかります。届いたトークンで利用開始登録を行ってください。現在のトークンは新しいトークンの利用開始まで引き続きご利用いただけます。',
    );
    expect(await reissues()).toBe(issuedBefore + 1);
    // A second submission of the same form issues nothing more.
    expect(
      (await b.post('/ib/otp/reissue', { confirmPassword: YAMADA.confirmPassword, otp })).location,
    ).toBe('/ib/otp/reissue/done');
    expect(await reissues()).toBe(issuedBefore + 1);
    expect(await token()).toMatchObject({
      state: 'active',
      serial: old.serial,
      failCount: 0,
      pending: { type: 'hardware', state: 'issued', serial: null },
    });
  });

  it('after re-issue: 発送待ち, 発送済, and 利用開始登録 of the new fob ends the old one', async () => {
    ph.h.clock.set(expiry - 30 * DAY);
    const b = await loggedIn();
    await b.post('/ib/otp/reissue/start');
    await b.get('/ib/otp/reissue');
    expect(
      (await b.post('/ib/otp/reissue', { confirmPassword: YAMADA.confirmPassword, otp: old.otp() }))
        .location,
    ).toBe('/ib/otp/reissue/done');
    ph.h.clock.advance(PERIOD * 1000);

    let menu = await b.get('/ib/otp');
    expect(menu.body).toContain('data-ship="waiting"');
    expect(menu.body).toContain('発送待ち');
    expect(menu.body).toContain('2027年06月30日 15時00分（日本時間）');
    expect(menu.body).not.toContain('/ib/otp/reissue/start');
    // Applying twice is refused with a clear word.
    const twice = await b.post('/ib/otp/reissue/start');
    expect(twice.status).toBe(409);
    expect(twice.body).toContain('新しいハードウェアトークンは再発行済みです。');
    // The old fob keeps working meanwhile.
    expect(await ph.client.verify(YAMADA.platformRef, old.otp())).toMatchObject({ result: 'ok' });
    ph.h.clock.advance(PERIOD * 1000);

    await ship(next.serial);
    menu = await b.get('/ib/otp');
    expect(menu.body).toContain('data-ship="shipped"');
    expect(menu.body).toContain('発送済');
    expect(menu.body).toContain(next.serial);

    // BOK501 with the new fob's serial + OTP.
    expect((await b.post('/ib/otp/activate/start')).location).toBe('/ib/otp/activate');
    const act = await b.post('/ib/otp/activate', { serial: next.serial, otp: next.otp() });
    expect(act.location).toBe('/ib/otp/activate/done');
    const done = await b.follow(act);
    expect(done.body).toContain(next.serial);
    const now = await token();
    expect(now).toMatchObject({ state: 'active', type: 'hardware', serial: next.serial });
    expect(now?.pending).toBeUndefined();
    menu = await b.get('/ib/otp');
    expect(menu.body).not.toContain('data-ship=');
    expect(menu.body).toContain(next.serial);
    expect(menu.body).not.toContain('ハードウェアトークンの有効期限が近づいています');
    // The old fob is ended; the new one answers.
    ph.h.clock.advance(PERIOD * 1000);
    expect(await ph.client.verify(YAMADA.platformRef, old.otp())).toMatchObject({
      result: 'invalid',
    });
    expect(await ph.client.verify(YAMADA.platformRef, next.otp())).toMatchObject({ result: 'ok' });
    // The customer hears of the switch by mail (the portal's 機種変更 notice).
    for (let i = 0; i < 100 && !ph.mails.some((m) => m.text.includes(next.serial)); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(ph.mails.find((m) => m.text.includes(next.serial))?.to).toBeTruthy();
  });

  it('wrong OTPs up to the threshold: the 閉塞 message, the session ends, nothing issued', async () => {
    ph.h.clock.set(expiry - 10 * DAY);
    const b = await loggedIn();
    await b.post('/ib/otp/reissue/start');
    await b.get('/ib/otp/reissue');
    let last = await b.post('/ib/otp/reissue', {
      confirmPassword: YAMADA.confirmPassword,
      otp: '00000000',
    });
    for (let i = 0; i < 5 && last.status === 400; i++) {
      last = await b.post('/ib/otp/reissue', {
        confirmPassword: YAMADA.confirmPassword,
        otp: '00000000',
      });
    }
    expect(last.status).toBe(403);
    expect(last.body).toContain('ワンタイムパスワード認証が停止しているため');
    expect(await token()).toMatchObject({ locked: true });
    expect((await token())?.pending).toBeUndefined();
    expect((await b.get('/ib/otp')).location).toMatch(/^\/ib\/login/);
  });

  it('a locked fob is not offered a re-issue; a direct POST says 閉塞', async () => {
    ph.h.clock.set(expiry - 20 * DAY);
    const b = await loggedIn();
    expect((await b.get('/ib/otp')).body).toContain('/ib/otp/reissue/start');
    for (let i = 0; i < 3; i++) await ph.client.verify(YAMADA.platformRef, '00000000');
    expect(await token()).toMatchObject({ locked: true });
    const menu = await b.get('/ib/otp');
    expect(menu.body).not.toContain('/ib/otp/reissue/start');
    const r = await b.post('/ib/otp/reissue/start');
    expect(r.status).toBe(409);
    expect(r.body).toContain(
      'ワンタイムパスワードが利用停止中（閉塞）のため、ハードウェアトークンの再発行はお申込みいただけません。',
    );
    expect((await token())?.pending).toBeUndefined();
  });
});
