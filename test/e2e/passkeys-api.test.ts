/**
 * 生体認証ログイン (issue 6) through the platform API, with a software authenticator playing the
 * phone (test/support/soft-authenticator.ts, built from WebAuthn §6.1/§7): registration, login
 * by a discoverable credential, and each refusal: a replayed or expired challenge, user
 * verification missing, a sign count that goes back (§6.1.1), a wrong origin, a removed
 * credential; 利用解除 removes the phone's passkeys in the same transaction; every step audited.
 * On whichever database DATABASE_URL names.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  activeCustomer,
  createHarness,
  issueAndProvision,
  type Harness,
} from '../support/harness.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';

let h: Harness;
let phone: SoftAuthenticator;
beforeEach(async () => {
  h = await createHarness();
  phone = new SoftAuthenticator('http://localhost:3000');
});
afterEach(async () => {
  await h.close();
});

type Options = { challenge: string; user: { id: string }; rpId?: string; rp?: { id: string } };

async function registrationOptions(body: unknown = {}): Promise<Options> {
  const r = await h.call('POST', '/api/v1/passkeys/registration/options', body);
  expect(r.status).toBe(200);
  return r.json['options'] as Options;
}

async function register(
  ref: string,
  a = phone,
  deviceName = 'iPhone',
): Promise<Record<string, unknown>> {
  const options = await registrationOptions();
  const r = await h.call('POST', `/api/v1/customers/${ref}/passkeys`, {
    response: a.create(options),
    deviceName,
  });
  expect(r.status).toBe(200);
  return r.json;
}

async function authOptions(): Promise<Options> {
  const r = await h.call('POST', '/api/v1/passkeys/authentication/options');
  expect(r.status).toBe(200);
  return r.json['options'] as Options;
}

async function login(response: unknown): Promise<Record<string, unknown>> {
  const r = await h.call('POST', '/api/v1/passkeys/authentication', { response });
  expect(r.status).toBe(200);
  return r.json;
}

async function audits(ref: string | undefined, action: string) {
  await h.platform.flushAudit();
  const rows = await h.store.listAudit({
    serviceId: h.serviceId,
    ...(ref ? { customerRef: ref } : {}),
    limit: 100,
  });
  return rows.filter((e) => e.action === action);
}

describe('passkeys through the platform API', () => {
  it('registers with user verification, a resident key on a platform authenticator, and logs in by it', async () => {
    const options = (await registrationOptions({ userName: 'インカン銀行' })) as unknown as Record<
      string,
      unknown
    >;
    expect(options['rp']).toMatchObject({ id: 'localhost' });
    expect(options['authenticatorSelection']).toMatchObject({
      authenticatorAttachment: 'platform',
      residentKey: 'required',
      userVerification: 'required',
    });
    expect(options['timeout']).toBe(120_000);
    const reg = await h.call('POST', '/api/v1/customers/cust-1/passkeys', {
      response: phone.create(options as unknown as Options),
      deviceName: 'iPhone',
    });
    expect(reg.json).toMatchObject({
      result: 'ok',
      passkey: { deviceName: 'iPhone', lastUsedAt: null, boundToToken: false },
    });

    const auth = (await authOptions()) as unknown as Record<string, unknown>;
    expect(auth['userVerification']).toBe('required');
    expect(auth['allowCredentials'] ?? []).toEqual([]); // discoverable: the customer is not named
    h.clock.advance(5_000);
    const r = await login(phone.get(auth as unknown as Options));
    expect(r).toMatchObject({ result: 'ok', ref: 'cust-1', passkey: { deviceName: 'iPhone' } });

    const list = await h.call('GET', '/api/v1/customers/cust-1/passkeys');
    const [one] = list.json['passkeys'] as Record<string, unknown>[];
    expect(one).toMatchObject({
      deviceName: 'iPhone',
      lastUsedAt: new Date(h.clock.now()).toISOString(),
    });
    expect((await audits('cust-1', 'passkey.registered')).map((e) => e.result)).toEqual(['ok']);
    expect((await audits('cust-1', 'passkey.authenticated')).map((e) => e.result)).toEqual(['ok']);
    // Nothing secret in the audit rows: no key, no challenge, no signature.
    const all = await audits('cust-1', 'passkey.authenticated');
    expect(JSON.stringify(all)).not.toContain(phone.keys[0]?.id.toString('base64url'));
  });

  it('refuses a replayed assertion: the challenge is used once, and audits it', async () => {
    await register('cust-1');
    const assertion = phone.get(await authOptions());
    expect((await login(assertion)).result).toBe('ok');
    expect(await login(assertion)).toEqual({ result: 'challenge_invalid' });
    expect((await audits(undefined, 'passkey.authenticate')).map((e) => e.result)).toEqual([
      'challenge_invalid',
    ]);
  });

  it('two servers given the same assertion at once: exactly one login', async () => {
    await register('cust-1');
    const assertion = phone.get(await authOptions());
    const answers = await Promise.all([login(assertion), login(assertion), login(assertion)]);
    expect(answers.map((a) => a['result']).sort()).toEqual([
      'challenge_invalid',
      'challenge_invalid',
      'ok',
    ]);
  });

  it('a challenge expires after 120 seconds', async () => {
    await register('cust-1');
    const options = await authOptions();
    h.clock.advance(120_001);
    expect(await login(phone.get(options))).toEqual({ result: 'challenge_invalid' });
    const reg = await registrationOptions();
    h.clock.advance(120_001);
    const r = await h.call('POST', '/api/v1/customers/cust-1/passkeys', {
      response: phone.create(reg),
    });
    expect(r.json).toEqual({ result: 'challenge_invalid' });
  });

  it('refuses without user verification (registration and login), and changes nothing', async () => {
    phone.userVerified = false;
    const reg = await register('cust-1');
    expect(reg).toEqual({ result: 'user_not_verified' });
    expect((await h.call('GET', '/api/v1/customers/cust-1/passkeys')).json).toEqual({
      passkeys: [],
    });
    phone.userVerified = true;
    await register('cust-1');
    phone.userVerified = false;
    expect(await login(phone.get(await authOptions()))).toEqual({ result: 'user_not_verified' });
    const [p] = (await h.call('GET', '/api/v1/customers/cust-1/passkeys')).json[
      'passkeys'
    ] as Record<string, unknown>[];
    expect(p?.['lastUsedAt']).toBeNull();
    expect((await audits('cust-1', 'passkey.authenticate')).map((e) => e.result)).toEqual([
      'user_not_verified',
    ]);
  });

  it('refuses a sign count that goes back (a cloned authenticator, WebAuthn §6.1.1) and audits it', async () => {
    await register('cust-1');
    expect((await login(phone.get(await authOptions(), { counter: 5 }))).result).toBe('ok');
    expect(await login(phone.get(await authOptions(), { counter: 5 }))).toEqual({
      result: 'counter_regressed',
    });
    expect(await login(phone.get(await authOptions(), { counter: 3 }))).toEqual({
      result: 'counter_regressed',
    });
    expect((await login(phone.get(await authOptions(), { counter: 6 }))).result).toBe('ok');
    const refused = await audits('cust-1', 'passkey.authenticate');
    expect(refused.map((e) => [e.result, e.detail['stored'], e.detail['received']])).toEqual([
      ['counter_regressed', '5', '3'],
      ['counter_regressed', '5', '5'],
    ]);
  });

  it('an authenticator without a counter (always 0) is accepted', async () => {
    phone.counterStep = 0;
    await register('cust-1');
    expect((await login(phone.get(await authOptions()))).result).toBe('ok');
    expect((await login(phone.get(await authOptions()))).result).toBe('ok');
  });

  it('refuses another origin or RP ID, and a forged signature', async () => {
    await register('cust-1');
    expect(await login(phone.get(await authOptions(), { origin: 'https://evil.example' }))).toEqual(
      { result: 'invalid' },
    );
    const other = new SoftAuthenticator('http://localhost:3000', 'evil.example');
    const r = await h.call('POST', '/api/v1/customers/cust-2/passkeys', {
      response: other.create(await registrationOptions()),
    });
    expect(r.json).toEqual({ result: 'invalid' });
    const good = phone.get(await authOptions());
    const forged = {
      ...good,
      response: { ...good.response, signature: Buffer.alloc(70, 1).toString('base64url') },
    };
    expect(await login(forged)).toEqual({ result: 'invalid' });
  });

  it('a removed credential no longer logs in; removal is audited; a second removal is 404', async () => {
    await register('cust-1');
    const [p] = (await h.call('GET', '/api/v1/customers/cust-1/passkeys')).json['passkeys'] as {
      id: number;
    }[];
    expect((await h.call('DELETE', `/api/v1/customers/cust-1/passkeys/${p?.id}`)).json).toEqual({
      removed: true,
    });
    expect(await login(phone.get(await authOptions()))).toEqual({ result: 'unknown_credential' });
    expect(
      (await h.call('DELETE', `/api/v1/customers/cust-1/passkeys/${p?.id}`)).json['code'],
    ).toBe('NOT_FOUND');
    expect((await audits('cust-1', 'passkey.removed')).length).toBe(1);
  });

  it("a customer cannot remove another customer's passkey", async () => {
    await register('cust-1');
    await register('cust-2', new SoftAuthenticator('http://localhost:3000'));
    const [p] = (await h.call('GET', '/api/v1/customers/cust-1/passkeys')).json['passkeys'] as {
      id: number;
    }[];
    const r = await h.call('DELETE', `/api/v1/customers/cust-2/passkeys/${p?.id}`);
    expect(r.status).toBe(404);
    expect(
      ((await h.call('GET', '/api/v1/customers/cust-1/passkeys')).json['passkeys'] as unknown[])
        .length,
    ).toBe(1);
  });

  it('a registration bound to one customer cannot be used for another', async () => {
    await register('cust-1');
    const bound = await registrationOptions({ ref: 'cust-1' });
    const r = await h.call('POST', '/api/v1/customers/cust-2/passkeys', {
      response: phone.create(bound),
    });
    expect(r.json).toEqual({ result: 'challenge_invalid' });
    // Also for a customer the platform had not met before the options.
    const fresh = await registrationOptions({ ref: 'cust-new' });
    const r2 = await h.call('POST', '/api/v1/customers/cust-2/passkeys', {
      response: phone.create(fresh),
    });
    expect(r2.json).toEqual({ result: 'challenge_invalid' });
    const own = await registrationOptions({ ref: 'cust-new' });
    const r3 = await h.call('POST', '/api/v1/customers/cust-new/passkeys', {
      response: phone.create(own),
    });
    expect(r3.json).toMatchObject({ result: 'ok' });
  });

  it('利用解除 removes the passkeys registered from that phone, in the same transaction, audited', async () => {
    const t = await activeCustomer(h, 'cust-1');
    const reg = await register('cust-1');
    expect(reg).toMatchObject({ result: 'ok', passkey: { boundToToken: true } });
    const r = await h.call('DELETE', '/api/v1/customers/cust-1/token', { otp: t.otp() });
    expect(r.json).toMatchObject({ result: 'ok', state: 'none' });
    expect((await h.call('GET', '/api/v1/customers/cust-1/passkeys')).json).toEqual({
      passkeys: [],
    });
    expect(await login(phone.get(await authOptions()))).toEqual({ result: 'unknown_credential' });
    expect((await audits('cust-1', 'passkey.removed')).map((e) => e.result)).toEqual([
      'deactivated',
    ]);
  });

  it("機種変更: when the new phone is activated, the old phone's passkeys end with its token", async () => {
    await activeCustomer(h, 'cust-1');
    await register('cust-1');
    const t2 = await issueAndProvision(h, 'cust-1', { replace: true });
    // Until the new token is activated the old phone still logs in.
    expect((await login(phone.get(await authOptions()))).result).toBe('ok');
    const r = await h.call('POST', '/api/v1/customers/cust-1/token/activate', { otp: t2.otp() });
    expect(r.json).toMatchObject({ result: 'ok', state: 'active' });
    expect((await h.call('GET', '/api/v1/customers/cust-1/passkeys')).json).toEqual({
      passkeys: [],
    });
    expect(await login(phone.get(await authOptions()))).toEqual({ result: 'unknown_credential' });
    expect((await audits('cust-1', 'passkey.removed')).map((e) => e.result)).toEqual(['replaced']);
  });

  it('staff forced deactivation (lost phone) removes them too', async () => {
    await activeCustomer(h, 'cust-1');
    await register('cust-1');
    const r = await h.call('DELETE', '/api/v1/customers/cust-1/token', {
      force: true,
      reason: '紛失',
    });
    expect(r.status).toBe(200);
    expect((await h.call('GET', '/api/v1/customers/cust-1/passkeys')).json).toEqual({
      passkeys: [],
    });
    expect((await audits('cust-1', 'passkey.removed')).map((e) => e.result)).toEqual([
      'staff_deactivated',
    ]);
  });

  it('bad input is 400 VALIDATION_FAILED and changes nothing', async () => {
    const bad: unknown[] = [
      {},
      { response: 'x' },
      { response: { id: 'abc', rawId: 'abc', type: 'public-key', response: {} } },
      {
        response: {
          id: 'abc',
          rawId: 'abc',
          type: 'public-key',
          response: { clientDataJSON: 'bm90IGpzb24', attestationObject: 'AA' },
        },
      },
      { response: phone.create(await registrationOptions()), deviceName: 'a\u0000b' },
    ];
    for (const body of bad) {
      const r = await h.call('POST', '/api/v1/customers/cust-1/passkeys', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json['code']).toBe('VALIDATION_FAILED');
    }
    const a = await h.call('POST', '/api/v1/passkeys/authentication', {
      response: { id: '!!', rawId: '!!', type: 'public-key', response: {} },
    });
    expect(a.json['code']).toBe('VALIDATION_FAILED');
    expect((await h.call('DELETE', '/api/v1/customers/cust-1/passkeys/abc')).status).toBe(400);
    expect(
      (await h.call('GET', '/api/v1/customers/cust-1/passkeys', undefined, 'wrong-key')).status,
    ).toBe(401);
    expect((await h.call('GET', '/api/v1/customers/cust-1/passkeys')).json).toEqual({
      passkeys: [],
    });
  });
});
