import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { BankStore } from '../../src/bank/bank-store.js';
import { DEMO_CUSTOMERS, seedDemoBank } from '../../src/bank/demo-bank.js';
import { createInProcessClient, type PlatformClient } from '../../src/client/index.js';
import type { MailMessage } from '../../src/core/index.js';
import { createKeyring } from '../../src/crypto/keyring.js';
import { portalPlugin, type PortalLimits, type PortalOptions } from '../../src/web/portal/index.js';
import type { WebAuthnConfig } from '../../src/services/index.js';
import { createHarness, ON_POSTGRES, testHasher, type Harness } from './harness.js';

/** The demo customers' credentials (山田: no OTP yet; 佐藤: メール通知パスワード). */
export const YAMADA = DEMO_CUSTOMERS[0];
export const SATO = DEMO_CUSTOMERS[1];

/** A platform with the bank portal registered on its app, the demo bank seeded. */
export interface PortalHarness {
  readonly h: Harness;
  readonly bank: BankStore;
  readonly client: PlatformClient;
  readonly app: FastifyInstance;
  /** Every mail the portal sent (the customer's mailbox). */
  readonly mails: MailMessage[];
  /** The base URL once `listen()` ran. */
  base: string;
  listen(port?: number): Promise<string>;
  close(): Promise<void>;
}

/**
 * The portal over a test platform (createHarness) and a bank of its own: a fresh SQLite file, or
 * a fresh PostgreSQL schema on PostgreSQL runs.
 */
export async function createPortalHarness(
  o: {
    realClock?: boolean;
    limits?: Partial<PortalLimits>;
    idleMs?: number;
    policy?: unknown;
    /** More portal options (電話番号認証's number, telephony secret, public URL). */
    portal?: Partial<Pick<PortalOptions, 'phoneCheckNumber' | 'telephonyAuthToken' | 'publicUrl'>>;
    /** 生体認証ログイン's RP ID and origins. */
    webauthn?: WebAuthnConfig;
  } = {},
): Promise<PortalHarness> {
  const h = await createHarness({
    ...(o.realClock ? { realClock: true } : {}),
    ...(o.policy === undefined ? {} : { policy: o.policy }),
    name: 'インカン銀行',
    ...(o.webauthn === undefined ? {} : { webauthn: o.webauthn }),
  });
  const schema = `b_${randomBytes(6).toString('hex')}`;
  const sqliteFile = `/tmp/inkan-bank-${process.pid}-${schema}.db`;
  const bank = ON_POSTGRES
    ? await BankStore.open({ url: process.env['DATABASE_URL'] ?? '', pgSchema: schema })
    : await BankStore.open({ url: `sqlite:${sqliteFile}` });
  await seedDemoBank(bank, testHasher, h.clock.now());
  const client = createInProcessClient({
    platform: h.platform,
    serviceId: h.serviceId,
    actor: 'portal',
  });
  // The platform harness's app already serves the API (and /app when built); the portal joins it.
  const app = h.app;
  const mails: MailMessage[] = [];
  await app.register(
    portalPlugin({
      bank,
      client,
      hasher: testHasher,
      keyring: createKeyring([{ version: 1, key: randomBytes(32) }]),
      clock: h.clock,
      bankName: 'インカン銀行',
      helpdeskPhone: '0120-000-000',
      appUrl: 'http://127.0.0.1/app/',
      mailer: { send: async (m) => void mails.push(m) },
      limits: {
        loginPerAddress: 1000,
        loginPerLoginId: 1000,
        secretPerCustomer: 1000,
        ...o.limits,
      },
      ...(o.idleMs === undefined ? {} : { idleMs: o.idleMs }),
      ...o.portal,
    }),
  );
  const ph: PortalHarness = {
    h,
    bank,
    client,
    app,
    mails,
    base: '',
    async listen(port = 0) {
      await app.listen({ port, host: '127.0.0.1' });
      ph.base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      return ph.base;
    },
    async close() {
      await h.close();
      await bank.close();
      if (ON_POSTGRES) {
        const pg = await import('pg');
        const c = new pg.default.Client({ connectionString: process.env['DATABASE_URL'] });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      } else {
        const { rmSync } = await import('node:fs');
        for (const s of ['', '-wal', '-shm']) rmSync(sqliteFile + s, { force: true });
      }
    },
  };
  return ph;
}

/** A free TCP port on 127.0.0.1 (to know the portal's address before the tenant is made). */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
