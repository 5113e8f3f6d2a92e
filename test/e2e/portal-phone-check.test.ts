/**
 * 電話番号認証 over HTTP (guide 000 STEP 1 ⑤; SPEC.md "Messages"): a logged-in customer's screen
 * waits for a call from the お届出電話番号 to the 認証先電話番号 within 120 seconds; the telephony
 * provider's webhook, signed like Twilio's X-Twilio-Signature, marks it done. The holes each case
 * closes: a webhook anyone can post (unsigned, wrongly signed, signed for another URL), a captured
 * signed call replayed later (stale), a call from another phone or to another number, a call after
 * the 120 seconds, and one customer reading another's check. A refusal changes nothing: the
 * check's row is compared before and after.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  signTelephonyRequest,
  TELEPHONY_WEBHOOK_PATH,
} from '../../src/web/shared/telephony-signature.js';
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

type Who = typeof YAMADA | typeof SATO;

/** A customer's browser: cookies carried by hand, the session's CSRF token from the last page. */
class Browser {
  readonly jar = new Map<string, string>();
  csrf = '';
  constructor(private readonly app: FastifyInstance) {}

  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string>) {
    const res = await this.app.inject({
      method,
      url,
      headers: {
        ...(this.jar.size > 0
          ? { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') }
          : {}),
        ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(form === undefined ? {} : { payload: new URLSearchParams(form).toString() }),
    });
    for (const c of res.cookies as { name: string; value: string }[]) {
      if (c.value === '') this.jar.delete(c.name);
      else this.jar.set(c.name, c.value);
    }
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m?.[1] !== undefined) this.csrf = m[1];
    return res;
  }

  get(url: string) {
    return this.request('GET', url);
  }

  post(url: string, form: Record<string, string> = {}) {
    return this.request('POST', url, { _csrf: this.csrf, ...form });
  }

  async login(who: Who): Promise<void> {
    await this.get('/ib/login');
    const r = await this.request('POST', '/ib/login', {
      _csrf: this.csrf,
      loginId: who.loginId,
      password: who.password,
      appOtp: '',
    });
    expect(r.statusCode, r.body.slice(0, 300)).toBe(303);
    await this.get(String(r.headers['location']));
  }

  /** Starts a check through the preview screen; its ID. */
  async startCheck(purpose: 'issue' | 'replace' = 'issue'): Promise<string> {
    await this.get('/ib/phone-check/preview');
    const r = await this.post('/ib/phone-check/preview', { purpose });
    expect(r.statusCode).toBe(303);
    const m = /^\/ib\/phone-check\/preview\/([A-Za-z0-9_-]{22})$/.exec(
      String(r.headers['location']),
    );
    if (m?.[1] === undefined)
      throw new Error(`unexpected location ${String(r.headers['location'])}`);
    return m[1];
  }

  async state(
    id: string,
  ): Promise<{ status: number; state?: string; res: LightMyRequestResponse }> {
    const res = await this.get(`/ib/phone-check/${id}/status`);
    const json =
      res.statusCode === 200 || res.statusCode === 404 ? (res.json() as { state?: string }) : {};
    return {
      status: res.statusCode,
      ...(json.state === undefined ? {} : { state: json.state }),
      res,
    };
  }
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
  let yamada: Browser;

  beforeEach(async () => {
    ph = await createPortalHarness({
      portal: {
        telephonyAuthToken: TOKEN,
        publicUrl: PUBLIC_URL,
        phoneCheckNumber: CHECK_NUMBER,
        phoneCheckPreview: true,
      },
    });
    yamada = new Browser(ph.app);
    await yamada.login(YAMADA);
  });
  afterEach(async () => {
    await ph.close();
  });

  it('the screen shows both numbers and waits; a signed call from the お届出電話番号 verifies it; 「実行」 then moves on', async () => {
    const id = await yamada.startCheck();
    const screen = await yamada.get(`/ib/phone-check/preview/${id}`);
    expect(screen.statusCode).toBe(200);
    expect(screen.body).toContain(
      '「お届出電話番号」から、120秒以内に「認証先電話番号」にお電話ください。',
    );
    expect(screen.body).toContain(
      '<span class="pc-number" id="registered-phone">090-1234-5678</span>',
    );
    expect(screen.body).toContain('href="tel:0120000111">0120-000-111</a>');
    expect(screen.body).toContain(`data-status-url="/ib/phone-check/${id}/status"`);
    expect(screen.body).toMatch(
      /<form method="post" action="\/ib\/phone-check\/preview\/[^"]+" id="phone-check-form"/,
    );
    expect(screen.body).toContain('>実行</button>');
    expect(screen.body).not.toMatch(/<script(?![^>]*src="\/ib\/assets\/portal\.js")/);

    const pending = await yamada.state(id);
    expect(pending).toMatchObject({ status: 200, state: 'pending' });
    expect(pending.res.headers['cache-control']).toBe('no-store');
    expect(pending.res.headers['content-type']).toMatch(/^application\/json/);
    expect(pending.res.json()).toEqual({ state: 'pending', secondsLeft: 120 });

    // 「実行」 before the call: refused, the check still pending.
    const early = await yamada.post(`/ib/phone-check/preview/${id}`);
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('電話番号認証が完了していません。');

    ph.h.clock.advance(30_000);
    // No session cookie and no CSRF token: the webhook is signed instead.
    const r = await call(ph, { from: '+81 90-1234-5678' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/xml/);
    expect(r.body).toMatch(
      /<Response><Say language="ja-JP">電話番号認証が完了しました。[^<]*<\/Say><Hangup\/><\/Response>$/,
    );
    expect(await yamada.state(id)).toMatchObject({ status: 200, state: 'verified' });
    const row = await ph.bank.phoneCheck(id);
    expect(row).toMatchObject({
      status: 'verified',
      caller: '09012345678',
      called: '0120000111',
      purpose: 'issue',
    });
    expect(row?.verifiedAt).toBe(ph.h.clock.now());

    const done = await yamada.post(`/ib/phone-check/preview/${id}`);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('id="phone-check-done"');
  });

  it('every number format of the same phone counts (09012345678, 819012345678, +81 (0)90…)', async () => {
    for (const from of ['09012345678', '819012345678', '+81 (0)90-1234-5678']) {
      const id = await yamada.startCheck();
      expect((await call(ph, { from, to: '0120-000-111' })).statusCode).toBe(200);
      expect((await yamada.state(id)).state, from).toBe('verified');
    }
  });

  it('a call from another phone, or to another number, verifies nothing', async () => {
    const id = await yamada.startCheck();
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
    expect(await yamada.state(id)).toMatchObject({ state: 'pending' });
    expect(await ph.bank.phoneCheck(id)).toEqual(before);
  });

  it('unsigned, wrongly signed, signed for another URL or Host, tampered and stale calls are refused (403) and change nothing', async () => {
    const id = await yamada.startCheck();
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
    expect(await yamada.state(id)).toMatchObject({ state: 'pending' });
    expect(await ph.bank.phoneCheck(id)).toEqual(before);
    // The same call, signed right and fresh, is accepted: the refusals were for what they said.
    expect((await call(ph, { from })).body).toContain('電話番号認証が完了しました');
  });

  it('after the 120 seconds a correctly signed call verifies nothing; the screen says to try again', async () => {
    const id = await yamada.startCheck();
    const before = await ph.bank.phoneCheck(id);
    ph.h.clock.advance(120_000);
    expect(await yamada.state(id)).toMatchObject({ state: 'expired' });
    const r = await call(ph, { from: '+819012345678' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('受け付けられませんでした');
    expect(await ph.bank.phoneCheck(id)).toEqual(before);
    expect((await yamada.state(id)).res.json()).toEqual({ state: 'expired', secondsLeft: 0 });
    const screen = await yamada.get(`/ib/phone-check/preview/${id}`);
    expect(screen.body).toContain('data-state="expired"');
    expect(screen.body).toMatch(
      /<p data-when="expired">お電話を確認できないまま120秒が経過しました。/,
    );
    expect(screen.body).toContain('もう一度電話番号認証を行う');
    const late = await yamada.post(`/ib/phone-check/preview/${id}`);
    expect(late.statusCode).toBe(400);
    expect(late.body).not.toContain('id="phone-check-done"');
    expect(late.body).toContain('data-state="expired"');
    // 「もう一度」: a new check, which the call then verifies.
    const again = await yamada.startCheck();
    expect(again).not.toBe(id);
    expect((await call(ph, { from: '+819012345678' })).body).toContain('完了しました');
    expect(await yamada.state(again)).toMatchObject({ state: 'verified' });
    expect(await yamada.state(id)).toMatchObject({ state: 'expired' });
  });

  it('one call marks each pending check once, however many servers receive it at once', async () => {
    const a = await yamada.startCheck();
    const b = await yamada.startCheck('replace');
    const sato = new Browser(ph.app);
    await sato.login(SATO);
    const satos = await sato.startCheck();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => call(ph, { from: '+819012345678' })),
    );
    expect(answers.map((r) => r.statusCode)).toEqual(Array(6).fill(200));
    // The conditional UPDATE lets exactly one of them mark the two checks.
    expect(answers.filter((r) => r.body.includes('完了しました'))).toHaveLength(1);
    expect(await yamada.state(a)).toMatchObject({ state: 'verified' });
    expect(await yamada.state(b)).toMatchObject({ state: 'verified' });
    expect(await sato.state(satos)).toMatchObject({ state: 'pending' });
  });

  it('another customer’s check, an unknown ID and a logged-out request read nothing', async () => {
    const id = await yamada.startCheck();
    const sato = new Browser(ph.app);
    await sato.login(SATO);
    const theirs = await sato.state(id);
    expect(theirs.status).toBe(404);
    expect(theirs.res.json()).toEqual({ error: 'not_found' });
    expect((await sato.get(`/ib/phone-check/preview/${id}`)).statusCode).toBe(404);
    expect((await sato.post(`/ib/phone-check/preview/${id}`)).statusCode).toBe(404);
    expect((await yamada.state('AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    expect((await yamada.state('not-an-id')).status).toBe(404);
    const anonymous = await ph.app.inject({ method: 'GET', url: `/ib/phone-check/${id}/status` });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers['location']).toBe('/ib/login');
    // And 佐藤さん's own call does not verify 山田さん's check.
    await call(ph, { from: '+818098765432' });
    expect(await yamada.state(id)).toMatchObject({ state: 'pending' });
  });

  it('a POST of 「実行」 without the session’s CSRF token is refused', async () => {
    const id = await yamada.startCheck();
    await call(ph, { from: '+819012345678' });
    const r = await yamada.request('POST', `/ib/phone-check/preview/${id}`, { _csrf: 'forged' });
    expect(r.statusCode).toBe(403);
  });
});

describe('電話番号認証 without a configured provider', () => {
  it('the webhook refuses everything, even a request signed with an empty key', async () => {
    const ph = await createPortalHarness({
      portal: { publicUrl: PUBLIC_URL, phoneCheckPreview: true },
    });
    try {
      const b = new Browser(ph.app);
      await b.login(YAMADA);
      const id = await b.startCheck();
      const r = await call(ph, { from: '+819012345678', token: '' });
      expect(r.statusCode).toBe(403);
      expect(await b.state(id)).toMatchObject({ state: 'pending' });
      // Without the option the preview screens do not exist.
    } finally {
      await ph.close();
    }
    const plain = await createPortalHarness();
    try {
      const b = new Browser(plain.app);
      await b.login(YAMADA);
      expect((await b.get('/ib/phone-check/preview')).statusCode).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
