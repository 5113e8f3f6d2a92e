/**
 * The platform client contract (CONVENTIONS.md, guideline 5): one suite, run on both transports
 * of `PlatformClient`: in-process over the services, and HTTP against the real Fastify app
 * listening on 127.0.0.1. The portal reaches the platform only through this interface, so both
 * must answer the same calls with the same values and refuse them with the same `InkanError`
 * `code` and `extra`. Each scenario's answers are recorded per transport and compared at the end
 * (random user IDs and serials replaced by placeholders; the harness clock makes times equal).
 * The token app's side (provisioning) is played by node:crypto ECDH + HKDF, as in the app.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createHttpClient,
  createInProcessClient,
  type PlatformClient,
} from '../../src/client/index.js';
import { InkanError } from '../../src/core/index.js';
import { transactionApp } from '../support/transaction-app.js';
import {
  createHarness,
  provisionIssued,
  type Harness,
  type ProvisionedToken,
} from '../support/harness.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { buildPskc } from '../support/pskc-builder.js';
import { randomBytes } from 'node:crypto';
import { generateTotp } from '../../src/core/otp/index.js';
import { createNodeHmac } from '../../src/crypto/node-hmac.js';

const TRANSPORTS = ['in-process', 'http'] as const;
const REFS = 'takes every customer reference the API allows, and refuses the others alike';
type Transport = (typeof TRANSPORTS)[number];

/** A refusal as the portal sees it: the stable code and the problem's extra members. */
interface Refusal {
  code: string;
  extra: Record<string, unknown>;
}

/** The thrown InkanError of a call that must be refused. */
async function refusalOf(call: Promise<unknown>): Promise<Refusal> {
  try {
    await call;
  } catch (e) {
    if (!(e instanceof InkanError)) throw e;
    return { code: e.code, extra: { ...e.extra } };
  }
  throw new Error('the call was not refused');
}

/** Scenario name → the answers in call order, per transport. */
const transcripts: Record<Transport, Map<string, unknown[]>> = {
  'in-process': new Map(),
  http: new Map(),
};
/** Scenario name → the VALIDATION_FAILED refusals in full (`extra.errors` with messages). */
const validations: Record<Transport, Map<string, Refusal[]>> = {
  'in-process': new Map(),
  http: new Map(),
};

/** Replaces random user IDs and serials with placeholders numbered by first appearance. */
function normalize(value: unknown, seen: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => normalize(v, seen));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (
      (k === 'userId' || k === 'serial' || k === 'transactionId' || k === 'challenge') &&
      typeof v === 'string'
    ) {
      const key = `${k}:${v}`;
      if (!seen.has(key)) seen.set(key, `<${k} ${seen.size + 1}>`);
      out[k] = seen.get(key);
    } else {
      out[k] = normalize(v, seen);
    }
  }
  return out;
}

describe.each(TRANSPORTS)('PlatformClient contract over %s', (transport) => {
  let h: Harness;
  let client: PlatformClient;
  let answers: unknown[];
  let invalid: Refusal[];
  const seen = new Map<string, string>();

  /** Records an answer for the cross-transport comparison and hands it back. */
  const rec = <T>(answer: T): T => {
    answers.push(normalize(answer, seen));
    return answer;
  };
  /**
   * Records a refusal. VALIDATION_FAILED's field errors go to their own comparison: over HTTP
   * they come from the route schemas (see "both transports" below).
   */
  const refused = async (call: Promise<unknown>): Promise<Refusal> => {
    const r = await refusalOf(call);
    if (r.code === 'VALIDATION_FAILED') {
      invalid.push(r);
      rec({ code: r.code });
    } else {
      rec(r);
    }
    return r;
  };

  beforeEach(async (test) => {
    h = await createHarness();
    if (transport === 'http') {
      const baseUrl = await h.app.listen({ host: '127.0.0.1', port: 0 });
      client = createHttpClient({
        baseUrl,
        serviceId: h.serviceId,
        apiKey: h.apiKey,
        timeoutMs: 5_000,
      });
    } else {
      client = createInProcessClient({
        platform: h.platform,
        serviceId: h.serviceId,
        actor: 'portal',
      });
    }
    answers = [];
    invalid = [];
    seen.clear();
    transcripts[transport].set(test.task.name, answers);
    validations[transport].set(test.task.name, invalid);
  });
  afterEach(async () => {
    await h.close();
  });

  /** Issue (through the client), then provision as the app does. */
  async function issueAndProvision(
    ref: string,
    o: { replace?: boolean } = {},
  ): Promise<ProvisionedToken> {
    const issued = rec(
      await client.issueToken(ref, {
        type: 'software',
        email: 'taro@example.jp',
        activationPassword: '1234',
        ...o,
      }),
    );
    return provisionIssued(h, issued.userId, '1234');
  }

  /** A customer with an active token whose activation step is behind the clock. */
  async function activeCustomer(ref: string): Promise<ProvisionedToken> {
    const t = await issueAndProvision(ref);
    expect(rec(await client.activateToken(ref, { otp: t.otp() }))).toMatchObject({
      result: 'ok',
      state: 'active',
    });
    h.clock.advance(t.period * 1000); // the activation used this step up
    return t;
  }

  it('knows its tenant', async () => {
    expect(client.serviceId).toBe(h.serviceId);
    const t = await client.getTenant();
    expect(t.serviceId).toBe(h.serviceId);
    expect(t.name).toBe((await h.platform.getTenant(h.serviceId))?.name);
    // The whole policy, the portal's options included, exactly as the platform holds it.
    expect(t.policy).toEqual({ ...(await h.platform.getTenant(h.serviceId))?.policy });
    expect(t.policy.issuePhoneCheck).toBe(false);
  });

  it('runs the software lifecycle: issue, provision, activate, verify, deactivate', async () => {
    const issued = rec(
      await client.issueToken('c-1', {
        type: 'software',
        email: 'taro@example.jp',
        activationPassword: '1234',
      }),
    );
    expect(issued).toEqual({
      userId: expect.stringMatching(/^[0-9]{12}$/),
      serviceId: h.serviceId,
      type: 'software',
      state: 'issued',
      expiresAt: new Date(h.clock.now() + 24 * 3600 * 1000).toISOString(),
      serial: expect.stringMatching(/^[0-9]{10}$/),
      replacesActiveToken: false,
    });
    expect(rec(await client.getToken('c-1'))).toMatchObject({
      state: 'issued',
      type: 'software',
      serviceId: h.serviceId,
      userId: issued.userId,
      serial: issued.serial,
      failCount: 0,
      locked: false,
      expired: false,
      provisionedAt: null,
      activatedAt: null,
    });
    // Before activation a verification is an answer, not an error.
    expect(rec(await client.verify('c-1', '12345678'))).toEqual({ result: 'not_active' });

    const token = await provisionIssued(h, issued.userId, '1234');
    expect(rec(await client.getToken('c-1'))).toMatchObject({
      state: 'provisioned',
      serial: token.serial,
      provisionedAt: new Date(h.clock.now()).toISOString(),
    });

    // A wrong first OTP is `invalid` and counts toward the lockout.
    const wrong = token.otp() === '00000000' ? '11111111' : '00000000';
    expect(rec(await client.activateToken('c-1', { otp: wrong }))).toEqual({
      result: 'invalid',
      failCount: 1,
      locked: false,
    });
    expect((await client.getToken('c-1'))?.failCount).toBe(1);
    expect(rec(await client.activateToken('c-1', { otp: token.otp() }))).toMatchObject({
      result: 'ok',
      state: 'active',
    });
    const active = rec(await client.getToken('c-1'));
    expect(active).toMatchObject({ state: 'active', failCount: 0, locked: false });
    expect(active?.activatedAt).toBe(new Date(h.clock.now()).toISOString());

    h.clock.advance(token.period * 1000);
    expect(rec(await client.verify('c-1', token.otp()))).toEqual({ result: 'ok' });
    // 「一度使用したワンタイムパスワードは無効」: the same OTP again is a replay, not counted.
    expect(rec(await client.verify('c-1', token.otp()))).toEqual({ result: 'replayed' });
    expect((await client.getToken('c-1'))?.failCount).toBe(0);

    h.clock.advance(token.period * 1000);
    expect(rec(await client.deactivateToken('c-1', { otp: token.otp() }))).toMatchObject({
      result: 'ok',
      state: 'none',
    });
    expect(rec(await client.getToken('c-1'))).toBeNull();
    h.clock.advance(token.period * 1000);
    expect(rec(await client.verify('c-1', token.otp()))).toEqual({ result: 'no_token' });
  });

  it('issues a hardware token; an unknown serial at activation is invalid and counted', async () => {
    const issued = rec(await client.issueToken('c-hw', { type: 'hardware' }));
    expect(issued).toMatchObject({
      serviceId: h.serviceId,
      type: 'hardware',
      state: 'issued',
      serial: null,
      replacesActiveToken: false,
    });
    expect(rec(await client.getToken('c-hw'))).toMatchObject({
      state: 'issued',
      type: 'hardware',
      userId: issued.userId,
      serial: null,
      failCount: 0,
    });
    expect(rec(await client.activateToken('c-hw', { otp: '123456', serial: '99990001' }))).toEqual({
      result: 'invalid',
      failCount: 1,
      locked: false,
    });
    expect(await refused(client.activateToken('c-hw', { otp: '123456' }))).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('refuses a second token while one is active; replace: true is 機種変更', async () => {
    const old = await activeCustomer('c-swap');
    expect(
      await refused(
        client.issueToken('c-swap', {
          type: 'software',
          email: 'taro@example.jp',
          activationPassword: '1234',
        }),
      ),
    ).toMatchObject({ code: 'TOKEN_EXISTS' });

    const next = await issueAndProvision('c-swap', { replace: true });
    const during = rec(await client.getToken('c-swap'));
    expect(during).toMatchObject({
      state: 'active',
      serial: old.serial,
      pending: { state: 'provisioned', serial: next.serial, type: 'software' },
    });
    // The old token keeps working until the new one is activated.
    expect(rec(await client.verify('c-swap', old.otp()))).toEqual({ result: 'ok' });
    h.clock.advance(old.period * 1000);
    expect(rec(await client.activateToken('c-swap', { otp: next.otp() }))).toMatchObject({
      result: 'ok',
      state: 'active',
    });
    const after = rec(await client.getToken('c-swap'));
    expect(after).toMatchObject({ state: 'active', serial: next.serial });
    expect(after?.pending).toBeUndefined();
    h.clock.advance(old.period * 1000);
    expect(rec(await client.verify('c-swap', old.otp()))).toMatchObject({ result: 'invalid' });
  });

  it('shows a replacement issuance as pending beside the active token', async () => {
    await activeCustomer('c-pending');
    const issued = rec(await client.issueToken('c-pending', { type: 'hardware', replace: true }));
    expect(issued).toMatchObject({ type: 'hardware', state: 'issued', replacesActiveToken: true });
    expect(rec(await client.getToken('c-pending'))).toMatchObject({
      state: 'active',
      type: 'software',
      pending: { state: 'issued', type: 'hardware', userId: issued.userId },
    });
  });

  it('re-issues a hardware token from 90 days before its expiry, with a current OTP', async () => {
    const DAY = 86_400_000;
    const secret = new Uint8Array(randomBytes(20));
    const validUntil = h.clock.now() + 200 * DAY;
    const psk = new Uint8Array(randomBytes(16));
    await h.platform.importHardware(
      { actor: 'test', clientIp: null },
      {
        serviceId: h.serviceId,
        xml: buildPskc(
          [
            {
              serial: '60000000001',
              secret,
              period: 60,
              validUntil: new Date(validUntil).toISOString().replace(/\.\d{3}Z$/, 'Z'),
            },
          ],
          psk,
        ),
        preSharedKey: psk,
        batch: 'contract.pskc',
      },
    );
    const otp = () =>
      generateTotp({
        hmac: createNodeHmac(secret, 'SHA1'),
        now: h.clock.now(),
        period: 60,
        digits: 8,
      });
    rec(await client.issueToken('c-fob', { type: 'hardware' }));
    expect(
      rec(await client.activateToken('c-fob', { serial: '60000000001', otp: otp() })),
    ).toMatchObject({
      result: 'ok',
      state: 'active',
    });
    h.clock.advance(60_000);
    // 200 days before expiry: not yet (SPEC.md), and it says from when.
    expect(await refused(client.reissueHardware('c-fob', { otp: otp() }))).toEqual({
      code: 'REISSUE_NOT_YET',
      extra: { opensAt: new Date(validUntil - 90 * DAY).toISOString() },
    });
    h.clock.set(validUntil - 90 * DAY);
    expect(rec(await client.reissueHardware('c-fob', { otp: '00000000' }))).toEqual({
      result: 'invalid',
      failCount: 1,
      locked: false,
    });
    expect(await refused(client.reissueHardware('c-fob', { otp: 'abc' }))).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const ok = rec(await client.reissueHardware('c-fob', { otp: otp() }));
    expect(ok).toMatchObject({
      result: 'ok',
      type: 'hardware',
      state: 'issued',
      serial: null,
      replacesActiveToken: true,
    });
    expect(rec(await client.getToken('c-fob'))).toMatchObject({
      state: 'active',
      type: 'hardware',
      serial: '60000000001',
      pending: { state: 'issued', type: 'hardware', serial: null, userId: ok.userId },
    });
    // A customer with no active hardware token has nothing to re-issue.
    await activeCustomer('c-soft');
    expect(await refused(client.reissueHardware('c-soft', { otp: '12345678' }))).toEqual({
      code: 'NOT_FOUND',
      extra: { resource: 'hardware_token' },
    });
  });

  it('locks after wrong OTPs and answers again once staff unlock', async () => {
    const t = await activeCustomer('c-lock');
    const wrong = t.otp() === '00000000' ? '11111111' : '00000000';
    for (let i = 1; i <= 5; i++) {
      expect(rec(await client.verify('c-lock', wrong))).toEqual({
        result: 'invalid',
        failCount: i,
        locked: i === 5,
      });
    }
    expect(rec(await client.verify('c-lock', t.otp()))).toEqual({ result: 'locked' });
    expect(rec(await client.getToken('c-lock'))).toMatchObject({ locked: true, failCount: 5 });

    const unlocked = rec(await client.unlockToken('c-lock', '本人確認の上、電話にて解除'));
    expect(unlocked).toMatchObject({
      state: 'active',
      locked: false,
      failCount: 0,
      lockedAt: null,
    });
    h.clock.advance(t.period * 1000);
    expect(rec(await client.verify('c-lock', t.otp()))).toEqual({ result: 'ok' });
    expect(await refused(client.unlockToken('c-lock', ''))).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('refuses input of the wrong form with VALIDATION_FAILED naming the field', async () => {
    const t = await activeCustomer('c-bad');
    const fields = (r: Refusal) => (r.extra['errors'] as { field: string }[]).map((e) => e.field);

    const email = await refused(
      client.issueToken('c-new', { type: 'software', email: 'taro', activationPassword: '1234' }),
    );
    expect(email.code).toBe('VALIDATION_FAILED');
    expect(fields(email)).toContain('email');

    const password = await refused(
      client.issueToken('c-new', {
        type: 'software',
        email: 'taro@example.jp',
        activationPassword: '123',
      }),
    );
    expect(password.code).toBe('VALIDATION_FAILED');
    expect(fields(password)).toContain('activationPassword');

    for (const call of [
      () => client.verify('c-bad', '12ab5678'),
      () => client.activateToken('c-bad', { otp: 'abcdef' }),
      () => client.deactivateToken('c-bad', { otp: '１２３４５６' }),
    ]) {
      const otp = await refused(call());
      expect(otp.code).toBe('VALIDATION_FAILED');
      expect(fields(otp)).toContain('otp');
    }
    // Nothing of that counted toward the lockout or changed the token.
    expect(await client.getToken('c-bad')).toMatchObject({ state: 'active', failCount: 0 });
    expect(await client.getToken('c-new')).toBeNull();
    expect(rec(await client.verify('c-bad', t.otp()))).toEqual({ result: 'ok' });
  });

  it('answers null for a customer it does not know; other calls for them are NOT_FOUND', async () => {
    expect(rec(await client.getToken('nobody'))).toBeNull();
    expect(await refused(client.verify('nobody', '12345678'))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await refused(client.unlockToken('nobody', '確認済み'))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('passkeys: registers, logs in by a discoverable credential, lists and removes (issue 6)', async () => {
    const phone = new SoftAuthenticator('http://localhost:3000');
    const reg = await client.passkeyRegistrationOptions({ userName: 'インカン銀行' });
    expect(reg.options['rp']).toMatchObject({ id: 'localhost' });
    const created = phone.create(reg.options as { challenge: string; user: { id: string } });
    expect(
      rec(await client.registerPasskey('c-pk', { response: created, deviceName: 'iPhone' })),
    ).toMatchObject({ result: 'ok', passkey: { deviceName: 'iPhone', boundToToken: false } });
    // The same registration again: its challenge is used up.
    expect(rec(await client.registerPasskey('c-pk', { response: created }))).toEqual({
      result: 'challenge_invalid',
    });
    const auth = await client.passkeyAuthenticationOptions();
    const assertion = phone.get(auth.options as { challenge: string });
    expect(rec(await client.authenticatePasskey(assertion))).toMatchObject({
      result: 'ok',
      ref: 'c-pk',
    });
    expect(rec(await client.authenticatePasskey(assertion))).toEqual({
      result: 'challenge_invalid',
    });
    const list = rec(await client.listPasskeys('c-pk'));
    expect(list).toHaveLength(1);
    expect(rec(await client.listPasskeys('nobody'))).toEqual([]);
    const id = list[0]?.id ?? 0;
    expect(await refused(client.removePasskey('c-other', id))).toMatchObject({ code: 'NOT_FOUND' });
    await client.removePasskey('c-pk', id);
    expect(await refused(client.removePasskey('c-pk', id))).toMatchObject({ code: 'NOT_FOUND' });
    const again = await client.passkeyAuthenticationOptions();
    expect(
      rec(await client.authenticatePasskey(phone.get(again.options as { challenge: string }))),
    ).toEqual({ result: 'unknown_credential' });
    expect((await refused(client.authenticatePasskey({ id: 'x', type: 'public-key' }))).code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await refused(client.removePasskey('c-pk', 0))).code).toBe('VALIDATION_FAILED');
  });

  it('取引認証: creates, reads and verifies the offline code of a transaction', async () => {
    const token = await activeCustomer('c-tx');
    const app = transactionApp(h, token);
    const req = {
      payeeBank: 'みずなら銀行',
      payeeBranch: '本店',
      payeeAccount: '7654321',
      payeeName: 'スズキ ハナコ',
      amount: 120_000,
    };
    const created = rec(await client.createTransaction('c-tx', req));
    expect(created).toMatchObject({ ...req, currency: 'JPY', state: 'pending', failures: 0 });
    expect(rec(await client.getTransaction('c-tx', created.transactionId))).toEqual(created);
    expect(
      rec(await client.verifyTransactionCode('c-tx', created.transactionId, '00000000')),
    ).toEqual({ result: 'invalid', state: 'pending', failCount: 1, locked: false });
    const code = app.offlineCode(req.payeeAccount, req.amount);
    expect(rec(await client.verifyTransactionCode('c-tx', created.transactionId, code))).toEqual({
      result: 'ok',
      state: 'approved',
    });
    expect(rec(await client.getTransaction('c-tx', created.transactionId))).toMatchObject({
      state: 'approved',
      channel: 'offline',
    });
    // The customer stops the next one on the bank's screen: cancelled; the approved one stays.
    const stopped = rec(await client.createTransaction('c-tx', req));
    expect(rec(await client.cancelTransaction('c-tx', stopped.transactionId))).toEqual({
      result: 'ok',
      state: 'cancelled',
    });
    expect(rec(await client.cancelTransaction('c-tx', created.transactionId))).toEqual({
      result: 'replayed',
      state: 'approved',
    });
    expect((await refused(client.cancelTransaction('c-tx', '../token'))).code).toBe('NOT_FOUND');
    // Refusals: unknown or malformed IDs, bad input, a customer without a token.
    expect((await refused(client.getTransaction('c-tx', 'AAAAAAAAAAAAAAAAAAAAAA'))).code).toBe(
      'NOT_FOUND',
    );
    expect((await refused(client.getTransaction('c-tx', '../token'))).code).toBe('NOT_FOUND');
    expect((await refused(client.createTransaction('c-tx', { ...req, amount: 0 }))).code).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      (await refused(client.verifyTransactionCode('c-tx', created.transactionId, '12'))).code,
    ).toBe('VALIDATION_FAILED');
    await client.issueToken('c-none', {
      type: 'software',
      email: 'x@example.jp',
      activationPassword: '1234',
    });
    expect((await refused(client.createTransaction('c-none', req))).code).toBe('NO_ACTIVE_TOKEN');
    // The per-customer rule.
    expect(rec(await client.getTransactionPolicy('c-tx'))).toEqual({
      transactionAuth: 'off',
      transactionAuthAmount: 100_000,
      source: 'tenant',
    });
    expect(rec(await client.setTransactionPolicy('c-tx', { transactionAuth: 'always' }))).toEqual({
      transactionAuth: 'always',
      transactionAuthAmount: 100_000,
      source: 'customer',
    });
    expect(
      (
        await refused(
          client.setTransactionPolicy('c-tx', {
            transactionAuth: 'above_amount',
            transactionAuthAmount: 0,
          }),
        )
      ).code,
    ).toBe('VALIDATION_FAILED');
    expect(rec(await client.setTransactionPolicy('c-tx', { transactionAuth: null }))).toMatchObject(
      {
        source: 'tenant',
      },
    );
  });

  it(REFS, async () => {
    // PATTERNS.customerRef: a letter or digit, then up to 63 of letters, digits, ".", "_", "-".
    const allowed = ['A.b_c-9', `x${'y'.repeat(63)}`, '9..'];
    for (const ref of allowed) {
      const issued = rec(await client.issueToken(ref, { type: 'hardware' }));
      expect(rec(await client.getToken(ref))).toMatchObject({ userId: issued.userId });
    }
    // Characters needing URL encoding, path segments ("." and ".." are removed by URL
    // normalization), a query or fragment: a refusal, never another customer's token.
    const badRefs = [
      'a b/é',
      '.',
      '..',
      '%2e%2e',
      'a/../b',
      'a?b',
      'a#b',
      '',
      `x${'y'.repeat(64)}`,
    ];
    for (const ref of badRefs) {
      for (const call of [
        () => client.getToken(ref),
        () => client.issueToken(ref, { type: 'hardware' }),
        () => client.verify(ref, '12345678'),
      ]) {
        const r = await refused(call()).catch((e: unknown) => {
          throw new Error(`ref ${JSON.stringify(ref)}: ${String(e)}`);
        });
        expect({ ref, code: r.code }).toEqual({ ref, code: 'VALIDATION_FAILED' });
        expect((r.extra['errors'] as { field: string }[]).map((e) => e.field)).toEqual(['ref']);
      }
    }
  });
});

describe('both transports', () => {
  afterAll(() => {
    for (const t of TRANSPORTS) {
      transcripts[t].clear();
      validations[t].clear();
    }
  });

  it('answered every scenario with deep-equal values and refusals', () => {
    const names = [...transcripts['in-process'].keys()];
    expect([...transcripts.http.keys()]).toEqual(names);
    for (const name of names) {
      expect.soft({ name, answers: transcripts.http.get(name) }).toEqual({
        name,
        answers: transcripts['in-process'].get(name),
      });
    }
  });

  it('refused bad customer references with the same extra.errors', () => {
    const inProcess = validations['in-process'].get(REFS);
    expect(inProcess).toHaveLength(27);
    expect(validations.http.get(REFS)).toEqual(inProcess);
  });

  // KNOWN BUG, in src/http: the API validates bodies with the route schemas (Ajv) before the
  // services' own checks (services/inputs.ts) run, so over HTTP `extra.errors` carries Ajv's
  // messages ("must match pattern …") and, for the union bodies, extra fields ("type", "") where
  // the in-process client names one field with the services' message. The portal would show
  // different text per transport. `it.fails` keeps this visible: once both agree it turns red,
  // and `fails` is to be removed.
  it.fails('refused bad input with the same VALIDATION_FAILED extra.errors', () => {
    for (const name of validations['in-process'].keys()) {
      expect({ name, refusals: validations.http.get(name) }).toEqual({
        name,
        refusals: validations['in-process'].get(name),
      });
    }
  });
});

describe('HTTP client failures', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  /** A port with nothing listening: taken from the OS, then released. */
  async function freePort(): Promise<number> {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const { port } = s.address() as { port: number };
    await new Promise<void>((r) => s.close(() => r()));
    return port;
  }

  it('throws INTERNAL when nothing listens', async () => {
    const client = createHttpClient({
      baseUrl: `http://127.0.0.1:${await freePort()}`,
      serviceId: h.serviceId,
      apiKey: h.apiKey,
      timeoutMs: 1_000,
    });
    expect(await refusalOf(client.getToken('c-1'))).toMatchObject({ code: 'INTERNAL' });
    expect(await refusalOf(client.verify('c-1', '12345678'))).toMatchObject({ code: 'INTERNAL' });
  });

  it('throws INTERNAL within its time limit when the server never answers', async () => {
    // Accepts, reads nothing, answers nothing.
    const sockets = new Set<Socket>();
    const silent: Server = createServer((s) => sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const { port } = silent.address() as { port: number };
      const client = createHttpClient({
        baseUrl: `http://127.0.0.1:${port}`,
        serviceId: h.serviceId,
        apiKey: h.apiKey,
        timeoutMs: 300,
      });
      const started = Date.now();
      expect(await refusalOf(client.verify('c-1', '12345678'))).toMatchObject({
        code: 'INTERNAL',
      });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('throws INTERNAL within its time limit when the body of an answer stalls', async () => {
    const stalled = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"state":'); // and never the rest
    });
    await new Promise<void>((r) => stalled.listen(0, '127.0.0.1', r));
    try {
      const { port } = stalled.address() as { port: number };
      const client = createHttpClient({
        baseUrl: `http://127.0.0.1:${port}`,
        serviceId: h.serviceId,
        apiKey: h.apiKey,
        timeoutMs: 300,
      });
      expect(await refusalOf(client.getToken('c-1'))).toMatchObject({ code: 'INTERNAL' });
    } finally {
      stalled.closeAllConnections();
      await new Promise<void>((r) => stalled.close(() => r()));
    }
  });

  it('does not take a 404 of a wrong base URL for "no token"', async () => {
    const baseUrl = await h.app.listen({ host: '127.0.0.1', port: 0 });
    const client = createHttpClient({
      baseUrl: `${baseUrl}/api/v1`, // the client adds /api/v1 itself
      serviceId: h.serviceId,
      apiKey: h.apiKey,
      timeoutMs: 5_000,
    });
    expect(await refusalOf(client.getToken('c-1'))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('throws UNAUTHORIZED with a wrong API key', async () => {
    const baseUrl = await h.app.listen({ host: '127.0.0.1', port: 0 });
    const client = createHttpClient({
      baseUrl: `${baseUrl}/`,
      serviceId: h.serviceId,
      apiKey: `${h.apiKey}x`,
      timeoutMs: 5_000,
    });
    expect(await refusalOf(client.getToken('c-1'))).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await refusalOf(client.verify('c-1', '12345678'))).toMatchObject({
      code: 'UNAUTHORIZED',
    });
    expect(await refusalOf(client.issueToken('c-1', { type: 'hardware' }))).toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });
});
