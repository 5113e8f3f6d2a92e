/**
 * `POST …/verify` on its own thread (src/threads/verify-thread.ts), as `inkan serve` runs it on a
 * SQLite file: the same answers as on the event loop, single use and exact lockout counts with the
 * thread's connections beside the server's, policy changes seen at once, calls under way answered
 * at shutdown, and a thread that cannot start stops the server from starting.
 *
 * SQLite only: on PostgreSQL the driver never blocks the event loop, and no thread is started.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, threadId } from 'node:worker_threads';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfig, type Config } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import { createRuntime, type Runtime } from '../../src/main.js';
import { verifyAuditTrail } from '../../src/services/index.js';
import { startVerifyThread } from '../../src/threads/verify-thread.js';
import {
  injectCaller,
  issueAndProvision,
  ON_POSTGRES,
  TEST_RATE_LIMITS,
  testHasher,
  type Harness,
  type ProvisionedToken,
} from '../support/harness.js';
import { createProcessDatabase, type ProcessDatabase } from '../support/process-db.js';

const silent = pino({ level: 'silent' });

/** A runtime as `inkan serve` builds it (real clock, verify thread), behind the Harness face. */
async function threadedHarness(
  db: ProcessDatabase,
  env: Record<string, string> = {},
): Promise<Harness & { rt: Runtime; config: Config }> {
  const masterKey = randomBytes(32);
  const config = readConfig({
    DATABASE_URL: db.url,
    INKAN_DATA_DIR: db.dir,
    INKAN_MASTER_KEY: masterKey.toString('base64'),
    LOG_LEVEL: 'silent',
    ...env,
  });
  const rt = await createRuntime(config, {
    hasher: testHasher,
    logger: silent,
    warn: () => {},
    verifyThread: true,
  });
  const serviceId = '10112235';
  const tenant = await rt.platform.createTenant(
    { actor: 'test', clientIp: null },
    { serviceId, name: 'あおぞら銀行', policy: { lockoutThreshold: 5 } },
  );
  const app = await buildApp({
    platform: rt.platform,
    logger: false,
    rateLimits: TEST_RATE_LIMITS,
  });
  const h: Harness & { rt: Runtime; config: Config } = {
    rt,
    config,
    platform: rt.platform,
    store: rt.store,
    app,
    clock: {
      now: () => Date.now(),
      set: () => {
        throw new Error('the real clock cannot be set');
      },
      advance: () => {
        throw new Error('the verify thread keeps the system clock');
      },
    },
    serviceId,
    apiKey: tenant.apiKey,
    masterKey,
    async close() {
      await app.close();
      await rt.close();
    },
    call: injectCaller(app, () => h.apiKey),
  };
  return h;
}

/**
 * Issue, provision and activate with the previous step's OTP (the real clock cannot be moved on),
 * so that the current step is still unused.
 */
async function activeOnRealClock(h: Harness, ref: string): Promise<ProvisionedToken> {
  const t = await issueAndProvision(h, ref);
  const r = await h.call('POST', `/api/v1/customers/${ref}/token/activate`, { otp: t.otp(-1) });
  if (r.json['state'] !== 'active') throw new Error(`activation failed: ${JSON.stringify(r.json)}`);
  return t;
}

function tally(results: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) out[r] = (out[r] ?? 0) + 1;
  return out;
}

/** An OTP of the token's form that is not the current one (nor a neighbour of it). */
function wrongOtp(t: ProvisionedToken): string {
  const near = new Set([t.otp(-1), t.otp(0), t.otp(1), t.otp(2)]);
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(t.digits, '0');
    if (!near.has(candidate)) return candidate;
  }
}

describe.skipIf(ON_POSTGRES)('verifications on the verify thread (SQLite file)', () => {
  let db: ProcessDatabase;
  let h: Harness & { rt: Runtime; config: Config };
  beforeEach(async () => {
    db = await createProcessDatabase('sqlite');
    h = await threadedHarness(db);
  });
  afterEach(async () => {
    await h.close();
    await db.drop();
  });

  const verify = (ref: string, otp: unknown) =>
    h.call('POST', `/api/v1/customers/${ref}/verify`, { otp });
  /** The tenant's call context, for calls straight to the platform or a thread. */
  const tenantCtx = () => ({ serviceId: h.serviceId, actor: 'test', clientIp: null });

  /**
   * A second verify thread on the database whose module dies on a call for `crash-now`, with a
   * clock the test moves; `crash()` kills it, failing that call as INTERNAL.
   */
  async function crashingThread() {
    let clock = Date.now();
    const thread = await startVerifyThread(h.config, {
      logger: silent,
      now: () => clock,
      entry: new URL('../support/crashing-verify-thread.ts', import.meta.url),
    });
    return {
      thread,
      advance: (ms: number) => void (clock += ms),
      crash: () =>
        expect(thread.verify(tenantCtx(), 'crash-now', { otp: '00000000' })).rejects.toMatchObject({
          code: 'INTERNAL',
        }),
    };
  }

  it('runs on a thread other than the event loop', () => {
    expect(isMainThread).toBe(true);
    expect(h.rt.verifyThread).not.toBeNull();
    expect(h.rt.verifyThread?.threadId).toEqual(expect.any(Number));
    expect(h.rt.verifyThread?.threadId).not.toBe(threadId);
  });

  it('answers as the event loop would: ok, replayed, invalid with its count, and the refusals', async () => {
    const t = await activeOnRealClock(h, 'c-1');
    const otp = t.otp();
    expect(await verify('c-1', otp)).toMatchObject({ status: 200, json: { result: 'ok' } });
    expect(await verify('c-1', otp)).toMatchObject({ status: 200, json: { result: 'replayed' } });
    expect(await verify('c-1', wrongOtp(t))).toMatchObject({
      status: 200,
      json: { result: 'invalid', failCount: 1, locked: false },
    });
    // Refusals cross the thread as the same problem documents.
    expect(await verify('nobody', otp)).toMatchObject({
      status: 404,
      json: { code: 'NOT_FOUND', resource: 'customer' },
    });
    const bad = await verify('c-1', 'abc');
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'otp' }] });
    // What the thread wrote, the server reads: the count, and every answer in the audit trail.
    const view = await h.call('GET', '/api/v1/customers/c-1/token');
    expect(view.json).toMatchObject({ state: 'active', failCount: 1, locked: false });
    const results = (await h.store.listAudit({ customerRef: 'c-1', limit: 100 }))
      .filter((e) => e.action === 'otp.verify')
      .map((e) => String(e.result));
    expect(tally(results)).toEqual({ ok: 1, replayed: 1, invalid: 1 });
  });

  it('50 concurrent verifications of one OTP: exactly one ok', async () => {
    const t = await activeOnRealClock(h, 'c-race');
    const otp = t.otp();
    const answers = await Promise.all(Array.from({ length: 50 }, () => verify('c-race', otp)));
    expect(tally(answers.map((a) => String(a.json['result'])))).toEqual({ ok: 1, replayed: 49 });
    // The thread's audit rows and the server's (the issuance, the activation) form one chain.
    const trail = await verifyAuditTrail(h.store);
    expect(trail).toMatchObject({ ok: true, unchained: 0 });
    expect(trail.count).toBeGreaterThan(50);
  });

  it('a burst of calls in one turn goes to the thread in slices of 16, each answered', async () => {
    const log = join(tmpdir(), `inkan-slices-${process.pid}-${Date.now()}.log`);
    process.env['INKAN_TEST_SLICE_LOG'] = log;
    const thread = await startVerifyThread(h.config, {
      logger: silent,
      entry: new URL('../support/counting-verify-thread.ts', import.meta.url),
    });
    try {
      const t = await activeOnRealClock(h, 'c-burst');
      // 40 calls in one turn: two full slices at once, the last 8 at the end of the turn.
      const settled = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) =>
          i === 17
            ? thread.verify(tenantCtx(), 'c-burst', { otp: t.otp() })
            : thread.verify(tenantCtx(), `nobody-${i}`, { otp: t.otp() }),
        ),
      );
      expect(readFileSync(log, 'utf8').trim().split('\n').map(Number)).toEqual([16, 16, 8]);
      // Every call answered for itself, in its own place: the customer's OTP ok, the others 404.
      expect(
        settled.map((r) =>
          r.status === 'fulfilled' ? r.value.result : (r.reason as { code: string }).code,
        ),
      ).toEqual(Array.from({ length: 40 }, (_, i) => (i === 17 ? 'ok' : 'NOT_FOUND')));
    } finally {
      await thread.close();
      delete process.env['INKAN_TEST_SLICE_LOG'];
      rmSync(log, { force: true });
    }
  });

  it('one OTP raced between the thread (verify) and the event loop (利用解除 with the OTP): used once', async () => {
    const t = await activeOnRealClock(h, 'c-both');
    const otp = t.otp();
    // Two connections of one process writing the same row: the thread's and the server's own.
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? verify('c-both', otp)
          : h.call('DELETE', '/api/v1/customers/c-both/token', { otp }),
      ),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const results = answers.map((a) => String(a.json['result']));
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.every((r) => ['ok', 'replayed', 'not_active', 'no_token'].includes(r))).toBe(
      true,
    );
    const oks = (await h.store.listAudit({ customerRef: 'c-both', limit: 100 })).filter(
      (e) =>
        (e.action === 'otp.verify' && e.result === 'ok') ||
        (e.action === 'token.deactivated' && e.result === 'deactivated'),
    );
    expect(oks).toHaveLength(1);
  });

  it('concurrent wrong OTPs lock at exactly the threshold, once', async () => {
    const t = await activeOnRealClock(h, 'c-lock');
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => verify('c-lock', wrongOtp(t))),
    );
    const results = tally(answers.map((a) => String(a.json['result'])));
    expect((results['invalid'] ?? 0) + (results['locked'] ?? 0)).toBe(12);
    // Every counted answer has its own count, 1, 2, 3 …: no increment lost or doubled.
    const counts = answers
      .filter((a) => a.json['result'] === 'invalid')
      .map((a) => Number(a.json['failCount']))
      .sort((a, b) => a - b);
    expect(counts).toEqual(counts.map((_, i) => i + 1));
    expect(counts.length).toBeGreaterThanOrEqual(5);
    const view = await h.call('GET', '/api/v1/customers/c-lock/token');
    expect(view.json).toMatchObject({ failCount: counts.length, locked: true });
    const locks = (await h.store.listAudit({ customerRef: 'c-lock', limit: 100 })).filter(
      (e) => e.action === 'token.locked',
    );
    expect(locks).toHaveLength(1);
    // Locked: even the right OTP is refused now.
    expect((await verify('c-lock', t.otp())).json).toMatchObject({ result: 'locked' });
  });

  it("a tenant's policy changed on the server reaches the thread at once", async () => {
    const t = await activeOnRealClock(h, 'c-policy');
    // Three wrong OTPs: not locked under the threshold of 5 …
    for (let i = 0; i < 3; i++) await verify('c-policy', wrongOtp(t));
    const tenant = await h.store.getTenant(h.serviceId);
    await h.store.updateTenantPolicy(h.serviceId, { ...tenant!.policy, lockoutThreshold: 4 });
    // … as the console does after a change: this server's cache, and (told) the thread's.
    h.platform.deps.tenants.invalidate(h.serviceId);
    const fourth = await verify('c-policy', wrongOtp(t));
    expect(fourth.json).toMatchObject({ result: 'invalid', failCount: 4, locked: true });
  });

  it('an unexpected failure on the thread is a 500 that changes nothing, and the thread serves on', async () => {
    const t = await activeOnRealClock(h, 'c-fail');
    // The database refuses every audit row (as a full disk or a broken schema would).
    await db.query(
      "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'refused'); END",
    );
    const otp = t.otp();
    const failed = await verify('c-fail', otp);
    expect(failed).toMatchObject({ status: 500, json: { code: 'INTERNAL' } });
    await db.query('DROP TRIGGER refuse_audit');
    // Rolled back with its audit row: the step is still unused.
    expect((await verify('c-fail', otp)).json).toEqual({ result: 'ok' });
    expect(h.rt.verifyThread?.threadId).toEqual(expect.any(Number));
  });

  it('an in-process call whose input cannot cross threads fails alone', async () => {
    const t = await activeOnRealClock(h, 'c-clone');
    const ctx = tenantCtx();
    const [bad, good] = await Promise.allSettled([
      h.platform.verify(ctx, 'c-clone', { otp: t.otp(), extra: () => 1 }),
      h.platform.verify(ctx, 'c-clone', { otp: t.otp() }),
    ]);
    expect(bad).toMatchObject({ status: 'rejected', reason: { code: 'INTERNAL' } });
    expect(good).toEqual({ status: 'fulfilled', value: { result: 'ok' } });
  });

  it('a thread that dies fails its calls; a new one starts for later calls, not at once', async () => {
    const t = await activeOnRealClock(h, 'c-after');
    const { thread, advance, crash } = await crashingThread();
    const ctx = tenantCtx();
    try {
      const first = thread.threadId;
      expect(first).toEqual(expect.any(Number));
      await crash();
      expect(thread.threadId).toBeNull();
      // Within a second of the failure calls are refused as busy (503), and nothing is used up …
      await expect(thread.verify(ctx, 'c-after', { otp: t.otp() })).rejects.toMatchObject({
        code: 'SERVICE_BUSY',
      });
      // … after it, the next call starts a new thread, which answers it.
      advance(1_000);
      expect(await thread.verify(ctx, 'c-after', { otp: t.otp() })).toEqual({ result: 'ok' });
      expect(thread.threadId).toEqual(expect.any(Number));
      expect(thread.threadId).not.toBe(first);
    } finally {
      await thread.close();
    }
  });

  it('closing while a new thread starts after a failure ends that thread too, after its calls', async () => {
    const t = await activeOnRealClock(h, 'c-restart');
    const { thread, advance, crash } = await crashingThread();
    await crash();
    advance(1_000);
    const call = thread.verify(tenantCtx(), 'c-restart', { otp: t.otp() });
    await new Promise((r) => setImmediate(r)); // the call is handed over: a new thread starts
    await thread.close();
    expect(await call).toEqual({ result: 'ok' });
    expect(thread.threadId).toBeNull();
  });

  it('closing answers the calls under way before the thread ends', async () => {
    const tokens = await Promise.all(
      ['c-a', 'c-b', 'c-c'].map(async (ref) => ({ ref, t: await activeOnRealClock(h, ref) })),
    );
    const calls = tokens.flatMap(({ ref, t }) =>
      Array.from({ length: 5 }, () =>
        h.platform.verify(tenantCtx(), ref, {
          otp: t.otp(),
        }),
      ),
    );
    const thread = h.rt.verifyThread!;
    await thread.close();
    const results = await Promise.all(calls);
    for (let i = 0; i < 3; i++) {
      expect(tally(results.slice(i * 5, i * 5 + 5).map((r) => r.result))).toEqual({
        ok: 1,
        replayed: 4,
      });
    }
    expect(thread.threadId).toBeNull();
    // After closing, calls are refused as busy, not left waiting.
    await expect(
      thread.verify(tenantCtx(), 'c-a', {
        otp: '00000000',
      }),
    ).rejects.toMatchObject({ code: 'SERVICE_BUSY' });
  });
});

describe.skipIf(ON_POSTGRES)('when the thread is not used, or cannot start', () => {
  it('INKAN_VERIFY_THREAD=off keeps verifications on the event loop; other values are refused', async () => {
    const db = await createProcessDatabase('sqlite');
    try {
      const h = await threadedHarness(db, { INKAN_VERIFY_THREAD: 'off' });
      expect(h.rt.verifyThread).toBeNull();
      const t = await activeOnRealClock(h, 'c-off');
      expect(
        (await h.call('POST', '/api/v1/customers/c-off/verify', { otp: t.otp() })).json,
      ).toEqual({
        result: 'ok',
      });
      await h.close();
      await expect(threadedHarness(db, { INKAN_VERIFY_THREAD: 'yes' })).rejects.toThrow(
        'INKAN_VERIFY_THREAD must be on or off',
      );
    } finally {
      await db.drop();
    }
  });

  it('a thread that cannot open the database fails the start with the reason', async () => {
    const config = readConfig({
      DATABASE_URL: 'sqlite:/dev/null/inkan/inkan.db',
      INKAN_MASTER_KEY: randomBytes(32).toString('base64'),
    });
    await expect(startVerifyThread(config, { logger: silent })).rejects.toThrow(
      /ENOTDIR|not a directory/i,
    );
  });
});
