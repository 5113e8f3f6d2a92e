import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import type { Clock } from '../../src/core/index.js';
import { createKeyring } from '../../src/crypto/keyring.js';
import { createPasswordHasher } from '../../src/crypto/password-hash.js';
import type { PasswordHasher } from '../../src/core/ports.js';
import { createClientAgreement } from '../../src/crypto/provisioning.js';
import { generateTotp } from '../../src/core/otp/index.js';
import { createNodeHmac } from '../../src/crypto/node-hmac.js';
import { buildApp } from '../../src/http/app.js';
import type { RateLimitOptions } from '../../src/http/rate-limits.js';
import { createPlatform, type Platform, type WebAuthnConfig } from '../../src/services/index.js';
import type { PlatformOptions } from '../../src/services/platform.js';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import { openStore } from '../../src/storage/open-store.js';

/**
 * The database the suite runs on: DATABASE_URL (postgres://… or sqlite:…), SQLite in a temporary
 * file when unset. CI runs the whole suite once on each.
 */
export const TEST_DATABASE_URL = process.env['DATABASE_URL'] ?? '';
export const ON_POSTGRES = TEST_DATABASE_URL.startsWith('postgres');

/** A clock the test moves by hand. Starts on a minute boundary plus 10 s, in 2026. */
export interface TestClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

export function createTestClock(start = Date.UTC(2026, 10, 23, 3, 0, 10)): TestClock {
  let t = start;
  return { now: () => t, set: (ms) => (t = ms), advance: (ms) => (t += ms) };
}

/**
 * The system clock behind the TestClock face. `set` is refused; `advance` moves only the server's
 * time ahead (the browser's clock does not follow), for a test whose point is that time passed on
 * the server, e.g. a transaction's expiry, without waiting for it.
 */
function realClock(): TestClock {
  let ahead = 0;
  return {
    now: () => Date.now() + ahead,
    set: () => {
      throw new Error('the real clock cannot be set');
    },
    advance: (ms) => (ahead += ms),
  };
}

/** A store of its own: a fresh SQLite file, or a fresh PostgreSQL schema dropped at the end. */
export async function openTestStore(o: { sqliteLockWaitMs?: number } = {}): Promise<{
  store: KyselyStore;
  url: string;
  schema?: string;
  drop(): Promise<void>;
}> {
  if (ON_POSTGRES) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const store = await openStore({ url: TEST_DATABASE_URL, pgSchema: schema, poolSize: 10 });
    return {
      store,
      url: TEST_DATABASE_URL,
      schema,
      async drop() {
        await store.close();
        const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      },
    };
  }
  const path = `/tmp/inkan-test-${process.pid}-${randomBytes(6).toString('hex')}.db`;
  const url = `sqlite:${path}`;
  const store = await openStore({ url, ...o });
  return {
    store,
    url,
    async drop() {
      await store.close();
      const { rmSync } = await import('node:fs');
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    },
  };
}

/** Limits high enough that suites hitting one customer many times are not throttled. */
export const TEST_RATE_LIMITS: Partial<RateLimitOptions> = {
  otpPerCustomer: 10_000,
  provisionPerToken: 10_000,
  provisionPerAddress: 10_000,
  otpPerAddress: 100_000,
};

/** scrypt at a low cost so suites stay fast; the production cost is tested in password-hash.test.ts. */
export const testHasher = createPasswordHasher({ N: 2 ** 10, r: 8, p: 1 });

/** One platform with its HTTP app, a tenant and its API key. */
export interface Harness {
  platform: Platform;
  store: KyselyStore;
  app: FastifyInstance;
  clock: TestClock;
  serviceId: string;
  apiKey: string;
  masterKey: Buffer;
  close(): Promise<void>;
  /** Fastify inject with the tenant's API key. */
  call(
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    body?: unknown,
    apiKey?: string,
  ): Promise<{ status: number; json: Record<string, unknown>; headers: Record<string, unknown> }>;
}

export async function createHarness(
  o: {
    policy?: unknown;
    rateLimits?: Partial<RateLimitOptions>;
    serviceId?: string;
    name?: string;
    /** The system clock, for tests where a browser computes OTPs from its own clock. */
    realClock?: boolean;
    /** 生体認証ログイン's RP ID and origins (default: localhost, http://localhost:3000). */
    webauthn?: WebAuthnConfig;
    /** Web Push (issue 7): VAPID keys and the test-only http endpoints switch. */
    push?: PlatformOptions['push'];
    /** Where the platform's background errors go (default: stderr). */
    onBackgroundError?: (e: unknown) => void;
    /** SQLite: how long a write waits for another connection's lock (default 5000 ms). */
    sqliteLockWaitMs?: number;
    /** The slow hash for API keys and passwords (default: scrypt made cheap for tests). */
    hasher?: PasswordHasher;
  } = {},
): Promise<Harness> {
  const clock = o.realClock === true ? realClock() : createTestClock();
  const opened = await openTestStore(
    o.sqliteLockWaitMs === undefined ? {} : { sqliteLockWaitMs: o.sqliteLockWaitMs },
  );
  const masterKey = randomBytes(32);
  const platform = createPlatform({
    store: opened.store,
    clock,
    keyring: createKeyring([{ version: 1, key: masterKey }]),
    hasher: o.hasher ?? testHasher,
    auditChainDelayMs: 10,
    ...(o.webauthn === undefined ? {} : { webauthn: o.webauthn }),
    ...(o.push === undefined ? {} : { push: o.push }),
    ...(o.onBackgroundError === undefined ? {} : { onBackgroundError: o.onBackgroundError }),
  });
  const serviceId = o.serviceId ?? '10112235';
  const tenant = await platform.createTenant(
    { actor: 'test', clientIp: null },
    { serviceId, name: o.name ?? 'あおぞら銀行', policy: o.policy },
  );
  const app = await buildApp({
    platform,
    logger: false,
    rateLimits: { ...TEST_RATE_LIMITS, ...o.rateLimits },
  });
  const h: Harness = {
    platform,
    store: opened.store,
    app,
    clock,
    serviceId,
    apiKey: tenant.apiKey,
    masterKey,
    async close() {
      await app.close();
      await platform.close();
      await opened.drop();
    },
    call: injectCaller(app, () => h.apiKey),
  };
  return h;
}

/**
 * Fastify inject with a tenant's API key (`apiKey()`, or the call's own): the body as JSON, the
 * answer parsed (`{ raw }` when it is not JSON).
 */
export function injectCaller(app: FastifyInstance, apiKey: () => string): Harness['call'] {
  return async (method, url, body, key) => {
    const res = await app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${key ?? apiKey()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined
        ? {}
        : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    let json: Record<string, unknown> = {};
    try {
      json = res.body === '' ? {} : (JSON.parse(res.body) as Record<string, unknown>);
    } catch {
      json = { raw: res.body };
    }
    return { status: res.statusCode, json, headers: res.headers as Record<string, unknown> };
  };
}

/** A software token set up the way the app does it: node:crypto ECDH + HKDF, never the secret on the wire. */
export interface ProvisionedToken {
  userId: string;
  serial: string;
  secret: Uint8Array;
  algorithm: 'SHA1' | 'SHA256' | 'SHA512';
  digits: number;
  period: number;
  /** The OTP for the harness clock's time, shifted by `steps`. */
  otp(steps?: number): string;
}

export async function issueAndProvision(
  h: Harness,
  ref: string,
  o: { password?: string; replace?: boolean } = {},
): Promise<ProvisionedToken> {
  const password = o.password ?? '1234';
  const issued = await h.call('POST', `/api/v1/customers/${ref}/tokens`, {
    type: 'software',
    email: 'taro@example.jp',
    activationPassword: password,
    ...(o.replace === undefined ? {} : { replace: o.replace }),
  });
  if (issued.status !== 201) throw new Error(`issue failed: ${JSON.stringify(issued.json)}`);
  return provisionIssued(h, String(issued.json['userId']), password);
}

export async function provisionIssued(
  h: Harness,
  userId: string,
  password: string,
): Promise<ProvisionedToken> {
  const client = createClientAgreement();
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/provision',
    payload: {
      serviceId: h.serviceId,
      userId,
      activationPassword: password,
      publicKey: client.publicKey,
    },
  });
  const body = JSON.parse(res.body) as Record<string, unknown>;
  if (res.statusCode !== 200) throw new Error(`provision failed: ${res.body}`);
  const algorithm = body['algorithm'] as ProvisionedToken['algorithm'];
  const secret = client.derive({
    serverPublicKey: String(body['serverPublicKey']),
    serviceId: h.serviceId,
    userId,
    algorithm,
  });
  const digits = Number(body['digits']);
  const period = Number(body['period']);
  return {
    userId,
    serial: String(body['serial']),
    secret,
    algorithm,
    digits,
    period,
    otp: (steps = 0) =>
      generateTotp({
        hmac: createNodeHmac(secret, algorithm),
        now: h.clock.now() + steps * period * 1000,
        period,
        digits,
      }),
  };
}

/** Issue, provision and activate: a customer with an active token. */
export async function activeCustomer(h: Harness, ref: string): Promise<ProvisionedToken> {
  const t = await issueAndProvision(h, ref);
  const r = await h.call('POST', `/api/v1/customers/${ref}/token/activate`, { otp: t.otp() });
  if (r.json['state'] !== 'active') throw new Error(`activation failed: ${JSON.stringify(r.json)}`);
  h.clock.advance(t.period * 1000); // the activation used this step up
  return t;
}
