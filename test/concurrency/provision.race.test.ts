/**
 * The hole: provisioning (アプリ初期設定) written as check-then-write lets two apps that race with
 * the right activation password both receive a token secret — the issuance is then on two
 * devices, the very copy SPEC.md forbids (「アプリデータの搾取・複製を防止」) — and lets parallel
 * wrong passwords all read "attempts < limit" so that far more than the tenant's limit are tried
 * before the issuance is void. Also, two activations racing with one OTP must not both succeed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateTotp } from '../../src/core/otp/index.js';
import { createNodeHmac } from '../../src/crypto/node-hmac.js';
import { createClientAgreement } from '../../src/crypto/provisioning.js';
import { createHarness, provisionIssued, type Harness } from '../support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ policy: { activationPasswordAttempts: 5 } });
});
afterEach(async () => {
  await h.close();
});

async function issue(ref: string, password: string): Promise<string> {
  const r = await h.call('POST', `/api/v1/customers/${ref}/tokens`, {
    type: 'software',
    email: 'taro@example.jp',
    activationPassword: password,
  });
  expect(r.status).toBe(201);
  return String(r.json['userId']);
}

function provisionCall(userId: string, password: string) {
  return h.app
    .inject({
      method: 'POST',
      url: '/api/v1/provision',
      payload: {
        serviceId: h.serviceId,
        userId,
        activationPassword: password,
        publicKey: createClientAgreement().publicKey,
      },
    })
    .then((r) => ({ status: r.statusCode, json: JSON.parse(r.body) as Record<string, unknown> }));
}

describe('provisioning races', () => {
  it('10 concurrent provisionings with the right password: exactly one 200, the rest 409 ALREADY_PROVISIONED', async () => {
    const userId = await issue('c-right', '246810');
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => provisionCall(userId, '246810')),
    );
    const ok = answers.filter((a) => a.status === 200);
    expect(ok).toHaveLength(1);
    const rest = answers.filter((a) => a.status !== 200);
    expect(rest.map((a) => `${a.status}:${String(a.json['code'])}`)).toEqual(
      Array(9).fill('409:ALREADY_PROVISIONED'),
    );
    // Exactly one secret was stored, and the token is provisioned once.
    const token = await h.store.findTokenByUserId(h.serviceId, userId);
    expect(token).toMatchObject({ state: 'provisioned', passwordAttempts: 0, passwordHash: null });
    expect(token?.sealedSecret).toMatch(/^ink1\./);
    const audit = await h.store.listAudit({ tokenId: token?.id ?? -1, limit: 100 });
    expect(
      audit.filter((e) => e.action === 'token.provision' && e.result === 'provisioned'),
    ).toHaveLength(1);
  });

  it('the one app that won holds the stored secret: its OTP activates the token', async () => {
    const userId = await issue('c-winner', '1357');
    const apps = Array.from({ length: 6 }, () => createClientAgreement());
    const answers = await Promise.all(
      apps.map((app) =>
        h.app
          .inject({
            method: 'POST',
            url: '/api/v1/provision',
            payload: {
              serviceId: h.serviceId,
              userId,
              activationPassword: '1357',
              publicKey: app.publicKey,
            },
          })
          .then((r) => ({
            app,
            status: r.statusCode,
            json: JSON.parse(r.body) as Record<string, unknown>,
          })),
      ),
    );
    const winners = answers.filter((a) => a.status === 200);
    expect(winners).toHaveLength(1);
    const w = winners[0]!;
    const secret = w.app.derive({
      serverPublicKey: String(w.json['serverPublicKey']),
      serviceId: h.serviceId,
      userId,
      algorithm: 'SHA1',
    });
    const otp = generateTotp({
      hmac: createNodeHmac(secret, 'SHA1'),
      now: h.clock.now(),
      period: 60,
      digits: 8,
    });
    expect(
      (await h.call('POST', '/api/v1/customers/c-winner/token/activate', { otp })).json,
    ).toMatchObject({ result: 'ok', state: 'active' });
  });

  it('10 concurrent wrong passwords, limit 5: 4 × ACTIVATION_PASSWORD_WRONG, then ISSUANCE_VOID; attempts never pass 5', async () => {
    const userId = await issue('c-wrong', '246810');
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => provisionCall(userId, '000000')),
    );
    const wrong = answers.filter((a) => a.json['code'] === 'ACTIVATION_PASSWORD_WRONG');
    const voided = answers.filter((a) => a.json['code'] === 'ISSUANCE_VOID');
    expect(wrong).toHaveLength(4);
    expect(voided).toHaveLength(6);
    expect(wrong.every((a) => a.status === 400)).toBe(true);
    expect(voided.every((a) => a.status === 410 && a.json['attemptsLeft'] === 0)).toBe(true);
    // Each wrong answer tells a distinct, truthful number of attempts left.
    expect(wrong.map((a) => a.json['attemptsLeft']).sort()).toEqual([1, 2, 3, 4]);
    const token = await h.store.findTokenByUserId(h.serviceId, userId);
    expect(token).toMatchObject({
      state: 'ended',
      endReason: 'void',
      passwordAttempts: 5,
      sealedSecret: null,
    });
    // Exactly five attempts were recorded and one void, whatever the interleaving.
    const audit = await h.store.listAudit({ tokenId: token?.id ?? -1, limit: 100 });
    expect(audit.filter((e) => e.result === 'activation_password_wrong')).toHaveLength(5);
    expect(audit.filter((e) => e.action === 'token.ended' && e.result === 'void')).toHaveLength(1);
    // Void is void: the right password is refused too.
    expect((await provisionCall(userId, '246810')).json['code']).toBe('ISSUANCE_VOID');
  });

  it('right and wrong passwords racing: at most one success, attempts within the limit, never a 5xx', async () => {
    for (let round = 0; round < 4; round++) {
      const userId = await issue(`c-both-${round}`, '8642');
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => provisionCall(userId, i % 3 === 0 ? '8642' : '0000')),
      );
      expect(answers.every((a) => a.status < 500)).toBe(true);
      const ok = answers.filter((a) => a.status === 200).length;
      expect(ok).toBeLessThanOrEqual(1);
      const token = await h.store.findTokenByUserId(h.serviceId, userId);
      expect(token?.passwordAttempts).toBeLessThanOrEqual(5);
      // Either it was set up once, or it was voided by 5 wrong ones before a right one got through.
      if (ok === 1) expect(token?.state).toBe('provisioned');
      else expect(token).toMatchObject({ state: 'ended', endReason: 'void', passwordAttempts: 5 });
      const codes = answers.filter((a) => a.status !== 200).map((a) => String(a.json['code']));
      expect(
        codes.every((c) =>
          ['ACTIVATION_PASSWORD_WRONG', 'ALREADY_PROVISIONED', 'ISSUANCE_VOID'].includes(c),
        ),
      ).toBe(true);
      expect(codes.filter((c) => c === 'ACTIVATION_PASSWORD_WRONG').length).toBeLessThanOrEqual(4);
    }
  });

  it('concurrent activations with the same OTP: one ok', async () => {
    const userId = await issue('c-act', '1234');
    const t = await provisionIssued(h, userId, '1234');
    const otp = t.otp();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        h.call('POST', '/api/v1/customers/c-act/token/activate', { otp }),
      ),
    );
    expect(answers.every((a) => a.status < 500)).toBe(true);
    expect(
      answers.filter(
        (a) => a.status === 200 && a.json['result'] === 'ok' && a.json['state'] === 'active',
      ),
    ).toHaveLength(1);
    const token = await h.store.findTokenByUserId(h.serviceId, userId);
    expect(token).toMatchObject({ state: 'active', failCount: 0 });
    const audit = await h.store.listAudit({ tokenId: token?.id ?? -1, limit: 100 });
    expect(audit.filter((e) => e.action === 'token.activate' && e.result === 'ok')).toHaveLength(1);
  });
});
