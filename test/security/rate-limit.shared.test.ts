/**
 * The hole: with several `inkan serve` processes behind a load balancer, counters kept in each
 * process's memory let an attacker make N times the allowed guesses by spreading them over the
 * servers. With INKAN_REDIS_URL the counters live in one Redis, and the limit holds for the whole
 * deployment. Also: every limit answers 429 RATE_LIMITED with Retry-After.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClientAgreement } from '../../src/crypto/provisioning.js';
import { buildApp } from '../../src/http/app.js';
import { createHarness, type Harness } from '../support/harness.js';

const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
// CI sets INKAN_TEST_REQUIRE_REDIS=1: there an unreachable Redis fails the suite. On a laptop
// without Redis the shared-store tests are skipped (and say so), like the PostgreSQL run.
const REQUIRED = process.env['INKAN_TEST_REQUIRE_REDIS'] === '1';
async function reachable(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, {
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    lazyConnect: true,
    retryStrategy: () => null,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
const REDIS_UP = await reachable();
let redis: Redis;
let h: Harness;

beforeAll(async () => {
  if (!REDIS_UP && !REQUIRED) return;
  redis = new Redis(REDIS_URL, { connectTimeout: 2000, maxRetriesPerRequest: 1 });
  expect(await redis.ping()).toBe('PONG');
});
afterAll(async () => {
  await redis?.quit();
});
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

async function twoServers(limits: Parameters<typeof buildApp>[0]['rateLimits']) {
  const nameSpace = `inkan-test-${randomBytes(6).toString('hex')}-`;
  const make = () =>
    buildApp({
      platform: h.platform,
      logger: false,
      rateLimits: limits,
      rateLimitStore: { redis, nameSpace },
    });
  return [await make(), await make()] as const;
}

describe.skipIf(!REDIS_UP && !REQUIRED)('rate limits shared through Redis', () => {
  it('the per-customer OTP limit counts requests to both servers together', async () => {
    await h.call('POST', '/api/v1/customers/c-rl/tokens', {
      type: 'software',
      email: 'a@b.jp',
      activationPassword: '1234',
    });
    const [a, b] = await twoServers({ otpPerCustomer: 4 });
    const verify = (app: typeof a) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/customers/c-rl/verify',
        headers: { authorization: `Bearer ${h.apiKey}`, 'content-type': 'application/json' },
        payload: { otp: '12345678' },
      });
    const statuses = [];
    for (const app of [a, b, a, b, a, b]) statuses.push((await verify(app)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    const refused = await verify(b);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await a.close();
    await b.close();
  });

  it('the per-address provisioning limit counts guesses of the activation password across servers', async () => {
    const [a, b] = await twoServers({ provisionPerAddress: 3 });
    const provision = (app: typeof a) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/provision',
        payload: {
          serviceId: h.serviceId,
          userId: '000000000000',
          activationPassword: '0000',
          publicKey: createClientAgreement().publicKey,
        },
      });
    const statuses = [];
    for (const app of [a, b, a, b]) statuses.push((await provision(app)).statusCode);
    expect(statuses).toEqual([404, 404, 404, 429]);
    await a.close();
    await b.close();
  });

  it('without a shared store each server counts on its own (what Redis is for)', async () => {
    await h.call('POST', '/api/v1/customers/c-rl2/tokens', {
      type: 'software',
      email: 'a@b.jp',
      activationPassword: '1234',
    });
    const make = () =>
      buildApp({ platform: h.platform, logger: false, rateLimits: { otpPerCustomer: 2 } });
    const [a, b] = [await make(), await make()];
    const verify = (app: typeof a) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/customers/c-rl2/verify',
        headers: { authorization: `Bearer ${h.apiKey}`, 'content-type': 'application/json' },
        payload: { otp: '12345678' },
      });
    const statuses = [];
    for (const app of [a, b, a, b, a]) statuses.push((await verify(app)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    await a.close();
    await b.close();
  });
});

describe('rate limits per token', () => {
  it('guesses of one activation password from many addresses still meet the per-token limit', async () => {
    const issued = await h.call('POST', '/api/v1/customers/c-guess/tokens', {
      type: 'software',
      email: 'a@b.jp',
      activationPassword: '1234',
    });
    const app = await buildApp({
      platform: h.platform,
      logger: false,
      rateLimits: { provisionPerToken: 2, provisionPerAddress: 100 },
    });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/provision',
        remoteAddress: `10.0.0.${i + 1}`,
        payload: {
          serviceId: h.serviceId,
          userId: issued.json['userId'],
          activationPassword: '9999',
          publicKey: createClientAgreement().publicKey,
        },
      });
      statuses.push(r.statusCode);
    }
    expect(statuses).toEqual([400, 400, 429]);
    // The refused guess was never checked: only two attempts were counted.
    const token = await h.store.findTokenByUserId(h.serviceId, String(issued.json['userId']));
    expect(token?.passwordAttempts).toBe(2);
    await app.close();
  });
});
