/**
 * SPEC.md's integration contract end to end through the HTTP API, with the app's side played by
 * node:crypto (ECDH P-256 + HKDF-SHA256): issue → provision → activate → verify → lock → unlock →
 * deactivate, on whichever database DATABASE_URL names.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClientAgreement } from '../../src/crypto/provisioning.js';
import {
  activeCustomer,
  createHarness,
  issueAndProvision,
  provisionIssued,
  type Harness,
} from '../support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

describe('platform API contract', () => {
  it('health and time answer without an API key', async () => {
    const health = await h.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(health.statusCode).toBe(200);
    const time = await h.app.inject({ method: 'GET', url: '/api/v1/time' });
    expect(JSON.parse(time.body)).toEqual({
      epochMs: h.clock.now(),
      iso: new Date(h.clock.now()).toISOString(),
    });
  });

  it('serves an OpenAPI document listing every call of the contract', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = JSON.parse(res.body) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths['/api/v1/customers/{ref}/tokens'] ?? {})).toContain('post');
    expect(Object.keys(doc.paths['/api/v1/provision'] ?? {})).toContain('post');
    expect(Object.keys(doc.paths['/api/v1/customers/{ref}/token/activate'] ?? {})).toContain(
      'post',
    );
    expect(Object.keys(doc.paths['/api/v1/customers/{ref}/verify'] ?? {})).toContain('post');
    expect(Object.keys(doc.paths['/api/v1/customers/{ref}/token'] ?? {}).sort()).toEqual([
      'delete',
      'get',
    ]);
    expect(Object.keys(doc.paths['/api/v1/customers/{ref}/token/unlock'] ?? {})).toContain('post');
    // A database held by other work (503 SERVICE_BUSY) is documented on the calls.
    const verify = doc.paths['/api/v1/customers/{ref}/verify']?.['post'] as {
      responses?: Record<string, unknown>;
    };
    expect(Object.keys(verify.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '404', '429', '503']),
    );
    const ui = await h.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
  });

  it('runs the whole software lifecycle', async () => {
    const issued = await h.call('POST', '/api/v1/customers/c-1/tokens', {
      type: 'software',
      email: 'taro@example.jp',
      activationPassword: '1234',
    });
    expect(issued.status).toBe(201);
    expect(issued.json).toMatchObject({
      serviceId: h.serviceId,
      type: 'software',
      state: 'issued',
    });
    expect(issued.json['userId']).toMatch(/^[0-9]{12}$/);
    expect(Date.parse(String(issued.json['expiresAt'])) - h.clock.now()).toBe(24 * 3600 * 1000);

    const before = await h.call('GET', '/api/v1/customers/c-1/token');
    expect(before.json).toMatchObject({
      state: 'issued',
      type: 'software',
      failCount: 0,
      locked: false,
    });

    // Verification before activation is not an error: it says why.
    const early = await h.call('POST', '/api/v1/customers/c-1/verify', { otp: '12345678' });
    expect(early).toMatchObject({ status: 200, json: { result: 'not_active' } });

    const token = await provisionIssued(h, String(issued.json['userId']), '1234');
    expect(token.digits).toBe(8);
    expect(token.period).toBe(60);
    expect(token.serial).toMatch(/^[0-9]{10}$/);
    expect((await h.call('GET', '/api/v1/customers/c-1/token')).json['state']).toBe('provisioned');

    const act = await h.call('POST', '/api/v1/customers/c-1/token/activate', { otp: token.otp() });
    expect(act).toMatchObject({ status: 200, json: { state: 'active', result: 'ok' } });

    // The activation used its step up: the same OTP is now a replay.
    const replay = await h.call('POST', '/api/v1/customers/c-1/verify', { otp: token.otp() });
    expect(replay.json['result']).toBe('replayed');

    h.clock.advance(60_000);
    const ok = await h.call('POST', '/api/v1/customers/c-1/verify', { otp: token.otp() });
    expect(ok).toMatchObject({ status: 200, json: { result: 'ok' } });
    expect(
      (await h.call('POST', '/api/v1/customers/c-1/verify', { otp: token.otp() })).json['result'],
    ).toBe('replayed');

    h.clock.advance(60_000);
    const del = await h.call('DELETE', '/api/v1/customers/c-1/token', { otp: token.otp() });
    expect(del).toMatchObject({ status: 200, json: { state: 'none' } });
    expect((await h.call('GET', '/api/v1/customers/c-1/token')).status).toBe(404);
    h.clock.advance(60_000);
    expect(
      (await h.call('POST', '/api/v1/customers/c-1/verify', { otp: token.otp() })).json['result'],
    ).toBe('no_token');
  });

  it('accepts the window around the current step and records the drift', async () => {
    const t = await activeCustomer(h, 'c-drift');
    const r = await h.call('POST', '/api/v1/customers/c-drift/verify', { otp: t.otp(1) });
    expect(r.json['result']).toBe('ok');
    expect((await h.call('GET', '/api/v1/customers/c-drift/token')).json['drift']).toBe(1);
    // Two steps ahead is outside the default ±1 window.
    expect(
      (await h.call('POST', '/api/v1/customers/c-drift/verify', { otp: t.otp(3) })).json['result'],
    ).toBe('invalid');
    // An earlier step than one used is a replay inside the window, or invalid outside it.
    expect(
      (await h.call('POST', '/api/v1/customers/c-drift/verify', { otp: t.otp(0) })).json['result'],
    ).toBe('replayed');
    expect(
      (await h.call('POST', '/api/v1/customers/c-drift/verify', { otp: t.otp(-2) })).json['result'],
    ).toBe('invalid');
  });

  it('locks after five wrong OTPs; a correct one is then refused until staff unlock', async () => {
    const t = await activeCustomer(h, 'c-lock');
    for (let i = 1; i <= 4; i++) {
      const r = await h.call('POST', '/api/v1/customers/c-lock/verify', { otp: '00000000' });
      expect(r.json).toMatchObject({ result: 'invalid', failCount: i, locked: false });
    }
    const fifth = await h.call('POST', '/api/v1/customers/c-lock/verify', { otp: '00000000' });
    expect(fifth.json).toMatchObject({ result: 'invalid', failCount: 5, locked: true });
    expect(
      (await h.call('POST', '/api/v1/customers/c-lock/verify', { otp: t.otp() })).json['result'],
    ).toBe('locked');
    const view = await h.call('GET', '/api/v1/customers/c-lock/token');
    expect(view.json).toMatchObject({ locked: true, failCount: 5 });

    const noReason = await h.call('POST', '/api/v1/customers/c-lock/token/unlock', {});
    expect(noReason.json['code']).toBe('VALIDATION_FAILED');
    const unlocked = await h.call('POST', '/api/v1/customers/c-lock/token/unlock', {
      reason: '本人確認の上、電話にて解除',
    });
    expect(unlocked).toMatchObject({ status: 200, json: { locked: false, failCount: 0 } });
    expect(
      (await h.call('POST', '/api/v1/customers/c-lock/verify', { otp: t.otp() })).json['result'],
    ).toBe('ok');
  });

  it('a correct OTP resets the count', async () => {
    const t = await activeCustomer(h, 'c-reset');
    for (let i = 0; i < 4; i++)
      await h.call('POST', '/api/v1/customers/c-reset/verify', { otp: '11111111' });
    expect(
      (await h.call('POST', '/api/v1/customers/c-reset/verify', { otp: t.otp() })).json['result'],
    ).toBe('ok');
    expect((await h.call('GET', '/api/v1/customers/c-reset/token')).json['failCount']).toBe(0);
  });

  it('a wrong OTP at activation and at deactivation counts toward the lockout', async () => {
    const t = await issueAndProvision(h, 'c-count');
    expect(
      (await h.call('POST', '/api/v1/customers/c-count/token/activate', { otp: '99999999' })).json,
    ).toMatchObject({ result: 'invalid', failCount: 1 });
    await h.call('POST', '/api/v1/customers/c-count/token/activate', { otp: t.otp() });
    h.clock.advance(60_000);
    expect(
      (await h.call('DELETE', '/api/v1/customers/c-count/token', { otp: '99999999' })).json,
    ).toMatchObject({ result: 'invalid', failCount: 1 });
    expect((await h.call('GET', '/api/v1/customers/c-count/token')).json['state']).toBe('active');
  });

  it('counts wrong activation passwords, says how many are left, and voids the issuance at the limit', async () => {
    const issued = await h.call('POST', '/api/v1/customers/c-pw/tokens', {
      type: 'software',
      email: 'a@b.jp',
      activationPassword: '123456',
    });
    const userId = String(issued.json['userId']);
    const attempt = (password: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/provision',
        payload: {
          serviceId: h.serviceId,
          userId,
          activationPassword: password,
          publicKey: createClientAgreement().publicKey,
        },
      });
    for (let left = 4; left >= 1; left--) {
      const r = await attempt('000000');
      expect(r.statusCode).toBe(400);
      expect(JSON.parse(r.body)).toMatchObject({
        code: 'ACTIVATION_PASSWORD_WRONG',
        attemptsLeft: left,
      });
    }
    const last = await attempt('000000');
    expect(last.statusCode).toBe(410);
    expect(JSON.parse(last.body)['code']).toBe('ISSUANCE_VOID');
    // Void means void: the right password no longer works.
    const right = await attempt('123456');
    expect(JSON.parse(right.body)['code']).toBe('ISSUANCE_VOID');
    expect((await h.call('GET', '/api/v1/customers/c-pw/token')).status).toBe(404);
  });

  it('provisions once per issuance', async () => {
    const t = await issueAndProvision(h, 'c-once');
    const again = await h.app.inject({
      method: 'POST',
      url: '/api/v1/provision',
      payload: {
        serviceId: h.serviceId,
        userId: t.userId,
        activationPassword: '1234',
        publicKey: createClientAgreement().publicKey,
      },
    });
    expect(again.statusCode).toBe(409);
    expect(JSON.parse(again.body)['code']).toBe('ALREADY_PROVISIONED');
  });

  it('an unfinished issuance expires after 24 hours', async () => {
    const issued = await h.call('POST', '/api/v1/customers/c-exp/tokens', {
      type: 'software',
      email: 'a@b.jp',
      activationPassword: '1234',
    });
    h.clock.advance(24 * 3600 * 1000);
    const r = await h.app.inject({
      method: 'POST',
      url: '/api/v1/provision',
      payload: {
        serviceId: h.serviceId,
        userId: issued.json['userId'],
        activationPassword: '1234',
        publicKey: createClientAgreement().publicKey,
      },
    });
    expect(r.statusCode).toBe(410);
    expect(JSON.parse(r.body)['code']).toBe('ISSUANCE_EXPIRED');
    expect(
      (await h.call('POST', '/api/v1/customers/c-exp/verify', { otp: '12345678' })).json['result'],
    ).toBe('no_token');
  });

  it('a provisioned token not activated in time is expired', async () => {
    await issueAndProvision(h, 'c-exp2');
    h.clock.advance(25 * 3600 * 1000);
    expect(
      (await h.call('POST', '/api/v1/customers/c-exp2/verify', { otp: '12345678' })).json['result'],
    ).toBe('expired');
    expect(
      (await h.call('POST', '/api/v1/customers/c-exp2/token/activate', { otp: '12345678' })).json[
        'result'
      ],
    ).toBe('expired');
  });

  it('issuing while one is unfinished replaces it; while one is active it is TOKEN_EXISTS', async () => {
    const first = await h.call('POST', '/api/v1/customers/c-re/tokens', {
      type: 'software',
      email: 'a@b.jp',
      activationPassword: '1234',
    });
    const second = await h.call('POST', '/api/v1/customers/c-re/tokens', {
      type: 'software',
      email: 'a@b.jp',
      activationPassword: '5678',
    });
    expect(second.status).toBe(201);
    const old = await h.app.inject({
      method: 'POST',
      url: '/api/v1/provision',
      payload: {
        serviceId: h.serviceId,
        userId: first.json['userId'],
        activationPassword: '1234',
        publicKey: createClientAgreement().publicKey,
      },
    });
    expect(JSON.parse(old.body)['code']).toBe('ISSUANCE_VOID');
    const t = await provisionIssued(h, String(second.json['userId']), '5678');
    await h.call('POST', '/api/v1/customers/c-re/token/activate', { otp: t.otp() });
    const third = await h.call('POST', '/api/v1/customers/c-re/tokens', {
      type: 'software',
      email: 'a@b.jp',
      activationPassword: '1234',
    });
    expect(third).toMatchObject({ status: 409, json: { code: 'TOKEN_EXISTS' } });
  });

  it('機種変更: with replace the old token works until the new one is activated, then ends', async () => {
    const oldToken = await activeCustomer(h, 'c-phone');
    const newToken = await issueAndProvision(h, 'c-phone', { replace: true });
    const view = await h.call('GET', '/api/v1/customers/c-phone/token');
    expect(view.json).toMatchObject({ state: 'active', pending: { state: 'provisioned' } });
    expect(
      (await h.call('POST', '/api/v1/customers/c-phone/verify', { otp: oldToken.otp() })).json[
        'result'
      ],
    ).toBe('ok');
    h.clock.advance(60_000);
    expect(
      (await h.call('POST', '/api/v1/customers/c-phone/token/activate', { otp: newToken.otp() }))
        .json['state'],
    ).toBe('active');
    h.clock.advance(60_000);
    expect(
      (await h.call('POST', '/api/v1/customers/c-phone/verify', { otp: oldToken.otp() })).json[
        'result'
      ],
    ).toBe('invalid');
    h.clock.advance(60_000);
    expect(
      (await h.call('POST', '/api/v1/customers/c-phone/verify', { otp: newToken.otp() })).json[
        'result'
      ],
    ).toBe('ok');
    expect(
      (await h.call('GET', '/api/v1/customers/c-phone/token')).json['pending'],
    ).toBeUndefined();
  });

  it('blocks the sixth issuance in 30 days (発行規制)', async () => {
    for (let i = 0; i < 5; i++) {
      expect(
        (
          await h.call('POST', '/api/v1/customers/c-limit/tokens', {
            type: 'software',
            email: 'a@b.jp',
            activationPassword: '1234',
          })
        ).status,
      ).toBe(201);
    }
    const sixth = await h.call('POST', '/api/v1/customers/c-limit/tokens', {
      type: 'software',
      email: 'a@b.jp',
      activationPassword: '1234',
    });
    expect(sixth).toMatchObject({ status: 409, json: { code: 'ISSUANCE_LIMIT' } });
    h.clock.advance(30 * 86_400_000 + 1);
    expect(
      (
        await h.call('POST', '/api/v1/customers/c-limit/tokens', {
          type: 'software',
          email: 'a@b.jp',
          activationPassword: '1234',
        })
      ).status,
    ).toBe(201);
  });

  it('staff deactivation on a paper request needs a reason and no OTP', async () => {
    await activeCustomer(h, 'c-paper');
    expect(
      (await h.call('DELETE', '/api/v1/customers/c-paper/token', { force: true })).json['code'],
    ).toBe('VALIDATION_FAILED');
    const r = await h.call('DELETE', '/api/v1/customers/c-paper/token', {
      force: true,
      reason: '紛失届（書面）',
    });
    expect(r).toMatchObject({ status: 200, json: { state: 'none' } });
    const audit = await h.store.listAudit({ customerRef: 'c-paper', limit: 50 });
    expect(audit.find((e) => e.action === 'token.deactivated')).toMatchObject({
      result: 'staff_deactivated',
      detail: { reason: '紛失届（書面）' },
    });
  });

  it("a bank never sees another bank's customers", async () => {
    await activeCustomer(h, 'c-mine');
    const other = await h.platform.createTenant(
      { actor: 'test', clientIp: null },
      { serviceId: '20000001', name: 'ほか銀行' },
    );
    const r = await h.call('GET', '/api/v1/customers/c-mine/token', undefined, other.apiKey);
    expect(r).toMatchObject({ status: 404, json: { code: 'NOT_FOUND' } });
    const v = await h.call(
      'POST',
      '/api/v1/customers/c-mine/verify',
      { otp: '12345678' },
      other.apiKey,
    );
    expect(v.status).toBe(404);
  });

  it('writes an audit event for every lifecycle step and verification, without OTPs or passwords', async () => {
    const t = await activeCustomer(h, 'c-audit');
    await h.call('POST', '/api/v1/customers/c-audit/verify', { otp: t.otp() });
    await h.call('POST', '/api/v1/customers/c-audit/verify', { otp: '00000000' });
    const events = await h.store.listAudit({ customerRef: 'c-audit', limit: 50 });
    const actions = events.map((e) => `${e.action}:${e.result}`).reverse();
    expect(actions).toEqual([
      'token.issued:issued',
      'token.activate:ok',
      'otp.verify:ok',
      'otp.verify:invalid',
    ]);
    const provisioned = await h.store.listAudit({ tokenId: events[0]?.tokenId ?? -1, limit: 50 });
    expect(provisioned.map((e) => `${e.action}:${e.result}`)).toContain(
      'token.provision:provisioned',
    );
    const dump = JSON.stringify(await h.store.listAudit({ limit: 1000 }));
    expect(dump).not.toContain(t.otp());
    expect(dump).not.toContain('"1234"');
  });
});
