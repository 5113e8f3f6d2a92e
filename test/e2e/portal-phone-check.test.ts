/**
 * 電話番号認証 over HTTP (guide 000 STEP 1 ⑤; SPEC.md "Messages"): a logged-in customer's screen
 * waits for a call from the お届出電話番号 to the 認証先電話番号 within 120 seconds; the telephony
 * provider's webhook, signed like Twilio's X-Twilio-Signature, marks it done. Every check here is
 * the one トークン発行 starts (tenant policy `issuePhoneCheck`): the customer walks from login to
 * /ib/otp/issue/phone and the check's ID is read from the screen. The holes each case closes: a
 * webhook anyone can post (unsigned, wrongly signed, signed for another URL), a captured signed
 * call replayed later (stale), a call from another phone or to another number, a call after the
 * 120 seconds, and one customer reading another's check. A refusal changes nothing: the check's
 * row is compared before and after, and no token is issued until the call came.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  signTelephonyRequest,
  TELEPHONY_WEBHOOK_PATH,
} from '../../src/web/shared/telephony-signature.js';
import { Browser, cell, login, type Page, type Who } from '../support/portal-browser.js';
import {
  createPortalHarness,
  SATO,
  YAMADA,
  type PortalHarness,
} from '../support/portal-harness.js';

const TOKEN = 'test-telephony-auth-token';
const PUBLIC_URL = 'https://ib.inkan-bank.example';
const CHECK_NUMBER = '0120-000-111';
const HOOK_URL = `${PUBLIC_URL}${TELEPHONY_WEBHOOK_PATH}`;
const POLICY = { issuePhoneCheck: true };

/** The check a 電話番号認証 screen polls: `data-status-url="/ib/phone-check/<id>/status"`. */
function checkIdOf(screen: Page): string {
  const m = /data-status-url="\/ib\/phone-check\/([A-Za-z0-9_-]{22})\/status"/.exec(screen.body);
  if (m?.[1] === undefined)
    throw new Error(`no 電話番号認証 screen:\n${screen.body.slice(0, 500)}`);
  return m[1];
}

/** A customer at トークン発行's 電話番号認証 step: their browser, the check and the screen. */
interface AtPhoneStep {
  readonly b: Browser;
  readonly id: string;
  readonly screen: Page;
}

/**
 * Walks `who` from login through トークン発行 (software: 入力 → 確認; hardware: 確認) to
 * /ib/otp/issue/phone, where the confirm screen's POST started the check.
 */
async function toPhoneStep(
  ph: PortalHarness,
  who: Who,
  type: 'software' | 'hardware' = 'software',
): Promise<AtPhoneStep> {
  const b = new Browser(ph.app);
  await login(b, who);
  expect((await b.post('/ib/otp/issue/start')).location).toBe('/ib/otp/issue');
  await b.post('/ib/otp/issue/select', { type });
  let toPhone: Page;
  if (type === 'software') {
    const input = await b.post('/ib/otp/issue/software', {
      email: `${who.loginId}.phone@example.jp`,
      emailConfirm: `${who.loginId}.phone@example.jp`,
      activationPassword: '1234',
      activationPasswordConfirm: '1234',
    });
    expect(input.location, input.body.slice(0, 300)).toBe('/ib/otp/issue/software/confirm');
    expect((await b.follow(input)).body).toContain('電話番号認証を行う');
    toPhone = await b.post('/ib/otp/issue/software/confirm', {
      confirmPassword: who.confirmPassword,
    });
  } else {
    expect((await b.get('/ib/otp/issue/hardware')).body).toContain('電話番号認証を行う');
    toPhone = await b.post('/ib/otp/issue/hardware', { confirmPassword: who.confirmPassword });
  }
  expect(toPhone.location, toPhone.body.slice(0, 300)).toBe('/ib/otp/issue/phone');
  const screen = await b.follow(toPhone);
  expect(screen.status).toBe(200);
  return { b, id: checkIdOf(screen), screen };
}

/** 「もう一度電話番号認証を行う」: a new check on the same step; its ID, from the screen. */
async function retry(b: Browser): Promise<string> {
  const r = await b.post('/ib/otp/issue/phone/retry');
  expect(r.location).toBe('/ib/otp/issue/phone');
  return checkIdOf(await b.follow(r));
}

/** The check's JSON status, as the screen's script polls it. */
async function state(
  b: Browser,
  id: string,
): Promise<{ status: number; state?: string; res: LightMyRequestResponse }> {
  const { res } = await b.get(`/ib/phone-check/${id}/status`);
  const json =
    res.statusCode === 200 || res.statusCode === 404 ? (res.json() as { state?: string }) : {};
  return {
    status: res.statusCode,
    ...(json.state === undefined ? {} : { state: json.state }),
    res,
  };
}

/** How many tokens the platform issued to a customer (its audit log's token.issued). */
async function issuances(ph: PortalHarness, who: Who): Promise<number> {
  const events = await ph.h.store.listAudit({
    serviceId: ph.h.serviceId,
    customerRef: who.platformRef,
    limit: 1000,
  });
  return events.filter((e) => e.action === 'token.issued').length;
}

/** The provider's inbound-call webhook, signed (or not) as the options say. */
async function call(
  ph: PortalHarness,
  o: {
    from: string;
    to?: string;
    timestamp?: number;
    token?: string | null;
    signedUrl?: string;
    tamper?: (p: [string, string][]) => [string, string][];
    host?: string;
  },
): Promise<LightMyRequestResponse> {
  const params: [string, string][] = [
    ['AccountSid', 'AC00000000000000000000000000000000'],
    ['ApiVersion', '2010-04-01'],
    ['CallSid', `CA${Math.random().toString(16).slice(2).padEnd(32, '0')}`],
    ['CallStatus', 'ringing'],
    ['Direction', 'inbound'],
    ['From', o.from],
    ['To', o.to ?? '+81120000111'],
    ['Timestamp', String(Math.floor((o.timestamp ?? ph.h.clock.now()) / 1000))],
  ];
  const signature =
    o.token === null
      ? undefined
      : signTelephonyRequest(o.token ?? TOKEN, o.signedUrl ?? HOOK_URL, params);
  const sent = o.tamper ? o.tamper(params) : params;
  return ph.app.inject({
    method: 'POST',
    url: TELEPHONY_WEBHOOK_PATH,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(o.host === undefined ? {} : { host: o.host }),
      ...(signature === undefined ? {} : { 'x-inkan-signature': signature }),
    },
    payload: new URLSearchParams(sent).toString(),
  });
}

describe('電話番号認証 over HTTP', () => {
  let ph: PortalHarness;

  beforeEach(async () => {
    ph = await createPortalHarness({
      policy: POLICY,
      portal: {
        telephonyAuthToken: TOKEN,
        publicUrl: PUBLIC_URL,
        phoneCheckNumber: CHECK_NUMBER,
      },
    });
  });
  afterEach(async () => {
    await ph.close();
  });

  it('the screen shows both numbers and waits; a signed call from the お届出電話番号 verifies it; 「実行」 then issues the token', async () => {
    const { b: yamada, id } = await toPhoneStep(ph, YAMADA);
    // The step's screen, drawn again on a GET (a reload): the same check.
    const screen = await yamada.get('/ib/otp/issue/phone');
    expect(screen.status).toBe(200);
    expect(checkIdOf(screen)).toBe(id);
    expect(screen.body).toContain('トークン発行（電話番号認証）');
    expect(screen.body).toContain(
      '「お届出電話番号」から、120秒以内に「認証先電話番号」にお電話ください。',
    );
    expect(screen.body).toContain(
      '<span class="pc-number" id="registered-phone">090-1234-5678</span>',
    );
    expect(screen.body).toContain('href="tel:0120000111">0120-000-111</a>');
    expect(screen.body).toContain(`data-status-url="/ib/phone-check/${id}/status"`);
    expect(screen.body).toContain(
      '<form method="post" action="/ib/otp/issue/phone" id="phone-check-form"',
    );
    expect(screen.body).toContain('>実行</button>');
    expect(screen.body).not.toMatch(/<script(?![^>]*src="\/ib\/assets\/portal\.js")/);

    const pending = await state(yamada, id);
    expect(pending).toMatchObject({ status: 200, state: 'pending' });
    expect(pending.res.headers['cache-control']).toBe('no-store');
    expect(pending.res.headers['content-type']).toMatch(/^application\/json/);
    expect(pending.res.json()).toEqual({ state: 'pending', secondsLeft: 120 });

    // 「実行」 before the call: refused, the check still pending, nothing issued.
    const early = await yamada.post('/ib/otp/issue/phone');
    expect(early.status).toBe(400);
    expect(early.body).toContain('電話番号認証が完了していません。');
    expect(await ph.client.getToken(YAMADA.platformRef)).toBeNull();

    ph.h.clock.advance(30_000);
    // No session cookie and no CSRF token: the webhook is signed instead.
    const r = await call(ph, { from: '+81 90-1234-5678' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/xml/);
    expect(r.body).toMatch(
      /<Response><Say language="ja-JP">電話番号認証が完了しました。[^<]*<\/Say><Hangup\/><\/Response>$/,
    );
    expect(await state(yamada, id)).toMatchObject({ status: 200, state: 'verified' });
    const row = await ph.bank.phoneCheck(id);
    expect(row).toMatchObject({
      status: 'verified',
      caller: '09012345678',
      called: '0120000111',
      purpose: 'issue',
    });
    expect(row?.verifiedAt).toBe(ph.h.clock.now());

    const done = await yamada.post('/ib/otp/issue/phone');
    expect(done.location).toBe('/ib/otp/issue/software/done');
    const donePage = await yamada.follow(done);
    expect(donePage.status).toBe(200);
    expect(donePage.body).toContain('トークン発行（ソフトウェアトークン発行完了）');
    expect(cell(donePage.body, 'user-id')).toBe(
      (await ph.client.getToken(YAMADA.platformRef))?.userId,
    );
    expect(await issuances(ph, YAMADA)).toBe(1);
  });

  it('every number format of the same phone counts (09012345678, 819012345678, +81 (0)90…)', async () => {
    for (const from of ['09012345678', '819012345678', '+81 (0)90-1234-5678']) {
      const { b, id } = await toPhoneStep(ph, YAMADA);
      expect((await call(ph, { from, to: '0120-000-111' })).statusCode).toBe(200);
      expect((await state(b, id)).state, from).toBe('verified');
    }
  });

  it('a call from another phone, or to another number, verifies nothing', async () => {
    const { b: yamada, id } = await toPhoneStep(ph, YAMADA);
    const before = await ph.bank.phoneCheck(id);
    const other = await call(ph, { from: '+818098765432' }); // 佐藤さんの電話
    expect(other.statusCode).toBe(200);
    expect(other.body).toContain('電話番号認証を受け付けられませんでした。');
    expect(other.body).toContain('<Hangup/>');
    const wrongNumber = await call(ph, { from: '+819012345678', to: '+81120000222' });
    expect(wrongNumber.statusCode).toBe(200);
    expect(wrongNumber.body).toContain('受け付けられませんでした');
    const anonymous = await call(ph, { from: 'anonymous' });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.body).toContain('受け付けられませんでした');
    expect(await state(yamada, id)).toMatchObject({ state: 'pending' });
    expect(await ph.bank.phoneCheck(id)).toEqual(before);
    expect((await yamada.post('/ib/otp/issue/phone')).status).toBe(400);
    expect(await issuances(ph, YAMADA)).toBe(0);
  });

  it('unsigned, wrongly signed, signed for another URL or Host, tampered and stale calls are refused (403) and change nothing', async () => {
    const { b: yamada, id } = await toPhoneStep(ph, YAMADA);
    const before = await ph.bank.phoneCheck(id);
    const from = '+819012345678';
    const now = ph.h.clock.now();
    const refused = [
      await call(ph, { from, token: null }),
      await call(ph, { from, token: 'another-token' }),
      // Signed over the URL a Host header would give: the server rebuilds it from publicUrl.
      await call(ph, {
        from,
        signedUrl: `http://evil.example${TELEPHONY_WEBHOOK_PATH}`,
        host: 'evil.example',
      }),
      await call(ph, { from, signedUrl: `${PUBLIC_URL}/ib/webhooks/telephony/other` }),
      // Signed for 佐藤さん's phone, sent with 山田さん's.
      await call(ph, {
        from: '+818098765432',
        tamper: (p) => p.map(([k, v]) => [k, k === 'From' ? from : v] as [string, string]),
      }),
      // A parameter added after signing.
      await call(ph, { from, tamper: (p) => [...p, ['Digits', '1']] }),
      // Captured and replayed six minutes later; and one dated in the future.
      await call(ph, { from, timestamp: now - 6 * 60_000 }),
      await call(ph, { from, timestamp: now + 6 * 60_000 }),
      await call(ph, { from, tamper: (p) => p.filter(([k]) => k !== 'Timestamp') }),
    ];
    for (const [i, r] of refused.entries()) {
      expect(r.statusCode, `case ${i}: ${r.body}`).toBe(403);
      expect(r.body).not.toContain('<Response>');
    }
    // The wrong content type is refused too (the signature is over form parameters).
    const json = await ph.app.inject({
      method: 'POST',
      url: TELEPHONY_WEBHOOK_PATH,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ From: from, To: '+81120000111' }),
    });
    expect(json.statusCode).toBeGreaterThanOrEqual(400);
    expect(json.statusCode).toBeLessThan(500);
    expect(await state(yamada, id)).toMatchObject({ state: 'pending' });
    expect(await ph.bank.phoneCheck(id)).toEqual(before);
    expect((await yamada.post('/ib/otp/issue/phone')).status).toBe(400);
    expect(await issuances(ph, YAMADA)).toBe(0);
    // The same call, signed right and fresh, is accepted: the refusals were for what they said.
    expect((await call(ph, { from })).body).toContain('電話番号認証が完了しました');
    expect(await state(yamada, id)).toMatchObject({ state: 'verified' });
  });

  it('after the 120 seconds a correctly signed call verifies nothing; the screen says to try again', async () => {
    const { b: yamada, id } = await toPhoneStep(ph, YAMADA, 'hardware');
    const before = await ph.bank.phoneCheck(id);
    ph.h.clock.advance(120_000);
    expect(await state(yamada, id)).toMatchObject({ state: 'expired' });
    const r = await call(ph, { from: '+819012345678' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('受け付けられませんでした');
    expect(await ph.bank.phoneCheck(id)).toEqual(before);
    expect((await state(yamada, id)).res.json()).toEqual({ state: 'expired', secondsLeft: 0 });
    const screen = await yamada.get('/ib/otp/issue/phone');
    expect(screen.status).toBe(200);
    expect(checkIdOf(screen)).toBe(id);
    expect(screen.body).toContain('data-state="expired"');
    expect(screen.body).toMatch(
      /<p data-when="expired">お電話を確認できないまま120秒が経過しました。/,
    );
    expect(screen.body).toContain('もう一度電話番号認証を行う');
    const late = await yamada.post('/ib/otp/issue/phone');
    expect(late.status).toBe(400);
    expect(late.location).toBeUndefined();
    expect(late.body).toContain('data-state="expired"');
    expect(await ph.client.getToken(YAMADA.platformRef)).toBeNull();
    // 「もう一度」: a new check, which the call then verifies.
    const again = await retry(yamada);
    expect(again).not.toBe(id);
    expect((await call(ph, { from: '+819012345678' })).body).toContain('完了しました');
    expect(await state(yamada, again)).toMatchObject({ state: 'verified' });
    expect(await state(yamada, id)).toMatchObject({ state: 'expired' });
    const done = await yamada.post('/ib/otp/issue/phone');
    expect(done.location).toBe('/ib/otp/issue/hardware/done');
    expect((await yamada.follow(done)).body).toContain(
      'トークン発行（ハードウェアトークン発行完了）',
    );
    expect((await ph.client.getToken(YAMADA.platformRef))?.type).toBe('hardware');
    expect(await issuances(ph, YAMADA)).toBe(1);
  });

  it('one call marks each pending check once, however many servers receive it at once', async () => {
    // Two of 山田さん's issuances wait at once (two sessions), and one of 佐藤さん's.
    const a = await toPhoneStep(ph, YAMADA, 'software');
    const b = await toPhoneStep(ph, YAMADA, 'hardware');
    const sato = await toPhoneStep(ph, SATO);
    expect(new Set([a.id, b.id, sato.id]).size).toBe(3);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => call(ph, { from: '+819012345678' })),
    );
    expect(answers.map((r) => r.statusCode)).toEqual(Array(6).fill(200));
    // The conditional UPDATE lets exactly one of them mark the two checks.
    expect(answers.filter((r) => r.body.includes('完了しました'))).toHaveLength(1);
    expect(await state(a.b, a.id)).toMatchObject({ state: 'verified' });
    expect(await state(b.b, b.id)).toMatchObject({ state: 'verified' });
    expect(await state(sato.b, sato.id)).toMatchObject({ state: 'pending' });
  });

  it('another customer’s check, an unknown ID and a logged-out request read nothing', async () => {
    const { b: yamada, id } = await toPhoneStep(ph, YAMADA);
    const sato = new Browser(ph.app);
    await login(sato, SATO);
    const theirs = await state(sato, id);
    expect(theirs.status).toBe(404);
    expect(theirs.res.json()).toEqual({ error: 'not_found' });
    // 佐藤さん's session holds no check: the step's screen and 「実行」 are out of order for him.
    const screen = await sato.get('/ib/otp/issue/phone');
    expect(screen.location).toBe('/ib/otp');
    const run = await sato.post('/ib/otp/issue/phone');
    expect(run.location).toBe('/ib/otp');
    expect(await ph.client.getToken(SATO.platformRef)).toBeNull();
    expect((await state(yamada, 'AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    expect((await state(yamada, 'not-an-id')).status).toBe(404);
    const anonymous = await ph.app.inject({ method: 'GET', url: `/ib/phone-check/${id}/status` });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers['location']).toBe('/ib/login');
    // 佐藤さん's own check draws his own screen, never 山田さん's.
    const satos = await toPhoneStep(ph, SATO);
    expect(satos.id).not.toBe(id);
    expect(satos.screen.body).not.toContain(id);
    expect(satos.screen.body).toContain('080-9876-5432');
    // And 佐藤さん's own call does not verify 山田さん's check (only his own).
    await call(ph, { from: '+818098765432' });
    expect(await state(yamada, id)).toMatchObject({ state: 'pending' });
    expect(await state(satos.b, satos.id)).toMatchObject({ state: 'verified' });
    expect((await yamada.post('/ib/otp/issue/phone')).status).toBe(400);
    expect(await ph.client.getToken(YAMADA.platformRef)).toBeNull();
  });

  it('a POST of 「実行」 without the session’s CSRF token is refused', async () => {
    const { b: yamada } = await toPhoneStep(ph, YAMADA);
    await call(ph, { from: '+819012345678' });
    const r = await yamada.request('POST', '/ib/otp/issue/phone', { form: { _csrf: 'forged' } });
    expect(r.status).toBe(403);
    expect(await ph.client.getToken(YAMADA.platformRef)).toBeNull();
  });
});

describe('電話番号認証 without a configured provider', () => {
  it('the webhook refuses everything, even a request signed with an empty key', async () => {
    const ph = await createPortalHarness({ policy: POLICY, portal: { publicUrl: PUBLIC_URL } });
    try {
      const { b, id } = await toPhoneStep(ph, YAMADA);
      const r = await call(ph, { from: '+819012345678', token: '' });
      expect(r.statusCode).toBe(403);
      expect(await state(b, id)).toMatchObject({ state: 'pending' });
      expect((await b.post('/ib/otp/issue/phone')).status).toBe(400);
      expect(await ph.client.getToken(YAMADA.platformRef)).toBeNull();
    } finally {
      await ph.close();
    }
  });

  it('without issuePhoneCheck the issuance has no phone step', async () => {
    const ph = await createPortalHarness();
    try {
      const b = new Browser(ph.app);
      await login(b, YAMADA);
      expect((await b.get('/ib/otp/issue/phone')).location).toBe('/ib/otp');
      await b.post('/ib/otp/issue/start');
      await b.post('/ib/otp/issue/select', { type: 'hardware' });
      expect((await b.get('/ib/otp/issue/hardware')).body).not.toContain('電話番号認証を行う');
      const done = await b.post('/ib/otp/issue/hardware', {
        confirmPassword: YAMADA.confirmPassword,
      });
      expect(done.location).toBe('/ib/otp/issue/hardware/done');
      expect(await issuances(ph, YAMADA)).toBe(1);
    } finally {
      await ph.close();
    }
  });
});
