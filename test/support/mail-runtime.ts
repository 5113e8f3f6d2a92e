/**
 * The composition root (`createRuntime` + `startServer`) as `inkan serve` builds it, on a database
 * of its own, with the mail settings a test chooses: SMTP when `smtpUrl` is given, else the outbox.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { readConfig } from '../../src/config.js';
import { createRuntime, type Runtime } from '../../src/main.js';
import { startServer } from '../../src/server.js';
import { createTestClock, TEST_RATE_LIMITS, testHasher, type TestClock } from './harness.js';
import { createProcessDatabase } from './process-db.js';

export interface MailRuntime {
  readonly rt: Runtime;
  readonly app: FastifyInstance;
  readonly clock: TestClock;
  readonly serviceId: string;
  readonly apiKey: string;
  /** Every log line the runtime wrote. */
  readonly logs: string[];
  /** Fastify inject with the tenant's API key. */
  call(
    method: 'GET' | 'POST',
    url: string,
    body?: unknown,
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startMailRuntime(
  o: {
    smtpUrl?: string;
    publicUrl?: string;
    bankName?: string;
    housekeeping?: { everyMs: number; firstAfterMs: number };
  } = {},
): Promise<MailRuntime> {
  const db = await createProcessDatabase();
  const config = readConfig({
    DATABASE_URL: db.url,
    INKAN_DATA_DIR: db.dir,
    INKAN_MASTER_KEY: randomBytes(32).toString('base64'),
    ...(o.smtpUrl === undefined ? {} : { INKAN_SMTP_URL: o.smtpUrl }),
    ...(o.publicUrl === undefined ? {} : { INKAN_PUBLIC_URL: o.publicUrl }),
  });
  const logs: string[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        logs.push(chunk.toString('utf8'));
        cb();
      },
    }),
  );
  const clock = createTestClock();
  const rt = await createRuntime(config, { clock, hasher: testHasher, logger, warn: () => {} });
  // Not the demo bank's サービスID: the bank portal, which `startServer` adds for that tenant, stays out.
  const serviceId = '20250001';
  const tenant = await rt.platform.createTenant(
    { actor: 'test', clientIp: null },
    { serviceId, name: o.bankName ?? 'あおぞら銀行' },
  );
  const { app } = await startServer(rt, {
    port: 0,
    host: '127.0.0.1',
    rateLimits: TEST_RATE_LIMITS,
    ...(o.housekeeping === undefined ? {} : { housekeeping: o.housekeeping }),
  });
  return {
    rt,
    app,
    clock,
    serviceId,
    apiKey: tenant.apiKey,
    logs,
    async call(method, url, body) {
      const res = await app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${tenant.apiKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      return { status: res.statusCode, json: JSON.parse(res.body) as Record<string, unknown> };
    },
    async close() {
      await app.close();
      await rt.close();
      await db.drop();
    },
  };
}
