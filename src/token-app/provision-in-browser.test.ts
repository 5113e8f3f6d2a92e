/**
 * The app's provisioning on WebCrypto, run in Node against the real platform API: the server
 * accepts its OTPs, the key it holds cannot be exported, and refusals come back with the
 * contract's codes (attempts left for a wrong activation password).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../test/support/harness.js';
import { appOtp, provisionInBrowser } from './provision-in-browser.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

/** fetch, answered by the Fastify app in-process. */
const injectFetch = (): typeof fetch =>
  (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const res = await h.app.inject({
      method: (init?.method ?? 'GET') as 'POST',
      url: url.pathname,
      headers: (init?.headers ?? {}) as Record<string, string>,
      payload: init?.body as string,
    });
    return new Response(res.body, {
      status: res.statusCode,
      headers: res.headers as Record<string, string>,
    });
  }) as typeof fetch;

async function issue(ref: string, activationPassword = '1234'): Promise<string> {
  const r = await h.call('POST', `/api/v1/customers/${ref}/tokens`, {
    type: 'software',
    email: 'hanako@example.jp',
    activationPassword,
  });
  return String(r.json['userId']);
}

describe('provisioning in the app (WebCrypto)', () => {
  it('sets up a token whose OTPs the server accepts, with a key that cannot be read out', async () => {
    const userId = await issue('c-app');
    const out = await provisionInBrowser({
      baseUrl: 'http://inkan.test',
      serviceId: h.serviceId,
      userId,
      activationPassword: '1234',
      fetch: injectFetch(),
    });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const t = out.token;
    expect(t).toMatchObject({
      serviceId: h.serviceId,
      userId,
      displayName: 'あおぞら銀行',
      digits: 8,
      period: 60,
      algorithm: 'SHA1',
    });
    expect(t.key.extractable).toBe(false);
    await expect(globalThis.crypto.subtle.exportKey('raw', t.key)).rejects.toThrow();
    await expect(globalThis.crypto.subtle.exportKey('jwk', t.key)).rejects.toThrow();

    const first = await appOtp(t, h.clock.now());
    expect(first.otp).toMatch(/^[0-9]{8}$/);
    expect(first.secondsLeft).toBe(50); // the harness clock stands 10 s into a minute
    expect(
      (await h.call('POST', '/api/v1/customers/c-app/token/activate', { otp: first.otp })).json,
    ).toMatchObject({ result: 'ok', state: 'active' });
    h.clock.advance(60_000);
    const next = await appOtp(t, h.clock.now());
    expect(next.otp).not.toBe(first.otp);
    expect(
      (await h.call('POST', '/api/v1/customers/c-app/verify', { otp: next.otp })).json['result'],
    ).toBe('ok');
  });

  it('works for SHA-256 and SHA-512 tenants with other lengths and steps', async () => {
    for (const [serviceId, policy] of [
      ['20000001', { algorithm: 'SHA256', digits: 6, period: 30 }],
      ['20000002', { algorithm: 'SHA512', digits: 10, period: 60 }],
    ] as const) {
      const other = await h.platform.createTenant(
        { actor: 'test', clientIp: null },
        { serviceId, name: `銀行${serviceId}`, policy },
      );
      const r = await h.call(
        'POST',
        '/api/v1/customers/c-alg/tokens',
        { type: 'software', email: 'a@b.jp', activationPassword: '5555' },
        other.apiKey,
      );
      const out = await provisionInBrowser({
        baseUrl: 'http://inkan.test',
        serviceId,
        userId: String(r.json['userId']),
        activationPassword: '5555',
        fetch: injectFetch(),
      });
      expect(out.ok).toBe(true);
      if (!out.ok) return;
      const { otp } = await appOtp(out.token, h.clock.now());
      expect(otp).toHaveLength(policy.digits);
      const act = await h.call(
        'POST',
        '/api/v1/customers/c-alg/token/activate',
        { otp },
        other.apiKey,
      );
      expect(act.json['result']).toBe('ok');
    }
  });

  it('brings back the refusal with attempts left, and the contract codes for the rest', async () => {
    const userId = await issue('c-wrong', '1234');
    const wrong = await provisionInBrowser({
      baseUrl: 'http://inkan.test',
      serviceId: h.serviceId,
      userId,
      activationPassword: '9999',
      fetch: injectFetch(),
    });
    expect(wrong).toEqual({
      ok: false,
      code: 'ACTIVATION_PASSWORD_WRONG',
      status: 400,
      attemptsLeft: 4,
    });
    const right = await provisionInBrowser({
      baseUrl: 'http://inkan.test',
      serviceId: h.serviceId,
      userId,
      activationPassword: '1234',
      fetch: injectFetch(),
    });
    expect(right.ok).toBe(true);
    const again = await provisionInBrowser({
      baseUrl: 'http://inkan.test',
      serviceId: h.serviceId,
      userId,
      activationPassword: '1234',
      fetch: injectFetch(),
    });
    expect(again).toMatchObject({ ok: false, code: 'ALREADY_PROVISIONED', status: 409 });
    const offline = await provisionInBrowser({
      baseUrl: 'http://inkan.test',
      serviceId: h.serviceId,
      userId,
      activationPassword: '1234',
      fetch: (async () => {
        throw new TypeError('Failed to fetch');
      }) as typeof fetch,
    });
    expect(offline).toEqual({ ok: false, code: 'NETWORK', status: 0 });
  });
});
