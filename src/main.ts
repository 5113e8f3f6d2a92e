import { HOUSEKEEPING, scheduleHousekeeping } from './housekeeping.js';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { BankStore } from './bank/bank-store.js';
import {
  createHttpClient,
  createInProcessClient,
  createInProcessStaffConsole,
} from './client/index.js';
import { adminPlugin } from './web/admin/index.js';
import { DEFAULT_PHONE_CHECK_NUMBER, portalPlugin } from './web/portal/index.js';
import { TELEPHONY_WEBHOOK_PATH } from './web/shared/telephony-signature.js';
import pino, { type Logger } from 'pino';
import type {
  Clock,
  Keyring,
  Mailer,
  MailOutbox,
  MailOutboxReader,
  PasswordHasher,
} from './core/index.js';
import type { Config } from './config.js';
import { createKeyring, createReloadingKeyring } from './crypto/keyring.js';
import { loadMasterKeys, readKeyFile, type MasterKeySource } from './crypto/master-keys.js';
import { createPasswordHasher } from './crypto/password-hash.js';
import { buildApp } from './http/app.js';
import { REDACT_PATHS } from './http/app.js';
import type { RateLimitOptions } from './http/rate-limits.js';
import { createOutboxMailer, createSmtpMailer } from './mail/index.js';
import {
  checkWebAuthnConfig,
  createPlatform,
  checkVapidConfig,
  type Platform,
  type WebAuthnConfig,
} from './services/index.js';
import type { KyselyStore } from './storage/kysely-store.js';
import { dialectOf, openStore } from './storage/open-store.js';

/** The system clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** Everything one Inkan process runs on, built from the Config (the composition root). */
export interface Runtime {
  readonly config: Config;
  readonly store: KyselyStore;
  readonly platform: Platform;
  readonly logger: Logger;
  readonly keySource: MasterKeySource;
  /** The one mailer of the process: the platform's mails and the bank portal's notices alike. */
  readonly mailer: Mailer;
  /** The development outbox the dev console shows at /dev/mail; null when mail goes by SMTP. */
  readonly mailOutbox: MailOutboxReader | null;
  /** The demo bank's internet banking data (its own tables, beside the platform's). */
  readonly bank: BankStore;
  readonly clock: Clock;
  readonly keyring: Keyring;
  readonly hasher: PasswordHasher;
  close(): Promise<void>;
}

/** A pino logger that never writes a secret, password or OTP. */
export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}

/**
 * 生体認証ログイン's RP ID and origins. Set explicitly (INKAN_WEBAUTHN_RP_ID / _ORIGINS), they
 * must be right or the server does not start; derived from INKAN_PUBLIC_URL, a URL no browser
 * accepts for passkeys (an IP address, plain http off localhost) leaves them on
 * http://localhost:<PORT>, with a warning.
 */
function webAuthnOf(config: Config, warn: (m: string) => void): WebAuthnConfig {
  if (config.webauthnExplicit) {
    return checkWebAuthnConfig(config.webauthnRpId, config.webauthnOrigins);
  }
  try {
    return checkWebAuthnConfig(config.webauthnRpId, config.webauthnOrigins);
  } catch {
    warn(
      `生体認証ログイン (passkeys) works only at http://localhost:${config.port} until INKAN_WEBAUTHN_RP_ID and INKAN_WEBAUTHN_ORIGINS are set (an https origin on the RP ID).`,
    );
    return checkWebAuthnConfig('localhost', [`http://localhost:${config.port}`]);
  }
}

/** Opens the database, loads the master keys and wires the platform. */
export async function createRuntime(
  config: Config,
  o: { clock?: Clock; hasher?: PasswordHasher; logger?: Logger; warn?: (m: string) => void } = {},
): Promise<Runtime> {
  const logger = o.logger ?? createLogger(config.logLevel);
  dialectOf(config.databaseUrl); // a bad DATABASE_URL is refused before anything is written
  const { keys, source } = loadMasterKeys({
    env: config.masterKeyEnv,
    keyFile: config.masterKeyFile,
    warn: o.warn ?? ((m) => process.stderr.write(m + '\n')),
  });
  if (!/^https?:\/\/[^/]/.test(config.publicUrl) || !URL.canParse(config.publicUrl)) {
    throw new Error('INKAN_PUBLIC_URL must be an http:// or https:// URL');
  }
  const webauthn = webAuthnOf(config, o.warn ?? ((m) => process.stderr.write(m + '\n')));
  // Web Push (issue 7): all three VAPID variables or none; a wrong set stops the start.
  const vapid = checkVapidConfig(config.vapid);
  // SMTP when configured; otherwise the outbox the dev console shows (SPEC.md, "Messages").
  const smtp =
    config.smtpUrl === undefined
      ? null
      : createSmtpMailer({ url: config.smtpUrl, from: config.mailFrom });
  const store = await openStore({ url: config.databaseUrl });
  const clock = o.clock ?? systemClock;
  // With a key file, follow it: `inkan keys rotate` in another process must not break this one.
  const keyring =
    source === 'env'
      ? createKeyring(keys)
      : createReloadingKeyring(() => readKeyFile(config.masterKeyFile), { now: () => clock.now() });
  let mailer: Mailer;
  let outbox: MailOutbox | null = null;
  if (smtp !== null) mailer = smtp;
  else {
    outbox = store.mailOutbox();
    mailer = createOutboxMailer(outbox, clock);
  }
  const hasher = o.hasher ?? createPasswordHasher();
  const bank = await BankStore.open({ url: config.databaseUrl });
  const platform = createPlatform({
    store,
    clock,
    keyring,
    hasher,
    // Only the error: a failed mail's address and body are never logged.
    onBackgroundError: (e) => logger.error({ err: e }, 'background task failed'),
    mailer,
    publicUrl: config.publicUrl,
    webauthn,
    push: { vapid },
  });
  return {
    config,
    store,
    platform,
    logger,
    keySource: source,
    mailer,
    mailOutbox: outbox,
    bank,
    clock,
    keyring,
    hasher,
    async close() {
      await platform.close();
      await bank.close();
      smtp?.close();
      await store.close();
    },
  };
}

/**
 * The demo bank's internet banking at /ib, reaching the platform through the platform client as
 * the bank's tenant: in-process, or over HTTP with the bank's API key when configured. Left out
 * when that tenant does not exist (a platform-only deployment).
 */
async function registerPortal(
  rt: Runtime,
  app: FastifyInstance,
  telephonyAuthToken: string,
): Promise<void> {
  const serviceId = rt.config.portalServiceId;
  const tenant = await rt.platform.getTenant(serviceId);
  if (tenant === null) return;
  const { portalPlatformUrl: url, portalApiKey: apiKey } = rt.config;
  if ((url === undefined) !== (apiKey === undefined)) {
    throw new Error('INKAN_PORTAL_PLATFORM_URL and INKAN_PORTAL_API_KEY go together');
  }
  const client =
    url !== undefined && apiKey !== undefined
      ? createHttpClient({ baseUrl: url, serviceId, apiKey })
      : createInProcessClient({ platform: rt.platform, serviceId, actor: 'portal' });
  await app.register(
    portalPlugin({
      bank: rt.bank,
      client,
      hasher: rt.hasher,
      keyring: rt.keyring,
      clock: rt.clock,
      bankName: tenant.name,
      helpdeskPhone: '0120-000-000',
      appUrl: `${rt.config.publicUrl.replace(/\/+$/, '')}/app/`,
      publicUrl: rt.config.publicUrl,
      telephonyAuthToken,
      mailer: rt.mailer,
      onMailError: (e) => rt.logger.error({ err: e }, 'portal mail not sent'),
      ...(rt.config.phoneCheckNumber === undefined
        ? {}
        : { phoneCheckNumber: rt.config.phoneCheckNumber }),
    }),
  );
}

/**
 * The admin console at /admin for the staff of every bank (the bank comes from the staff
 * account), over the platform's staff use cases; its sessions in the platform's database.
 */
async function registerAdmin(rt: Runtime, app: FastifyInstance): Promise<void> {
  await app.register(
    adminPlugin({
      console: createInProcessStaffConsole(rt.platform),
      sessions: rt.store.staffSessions(),
      keyring: rt.keyring,
      clock: rt.clock,
    }),
  );
}

/** Starts the HTTP server of a runtime; resolves with its address once it answers. */
export async function startServer(
  rt: Runtime,
  o: {
    port: number;
    host: string;
    rateLimits?: Partial<RateLimitOptions>;
    /** The housekeeping timer (src/housekeeping.ts); tests make it fast. */
    housekeeping?: { everyMs: number; firstAfterMs: number };
  },
) {
  const redis =
    rt.config.redisUrl === undefined
      ? null
      : new Redis(rt.config.redisUrl, {
          connectTimeout: 500,
          maxRetriesPerRequest: 1,
          lazyConnect: false,
        });
  // 電話番号認証: the provider's secret, or (none configured) one of this process shared with
  // the dev simulator at /dev/telephony, which signs as the provider would.
  const telephonyAuthToken = rt.config.telephonyAuthToken ?? randomBytes(32).toString('base64url');
  const app = await buildApp({
    platform: rt.platform,
    logger: rt.logger,
    trustProxy: rt.config.trustProxy,
    rateLimits: { allowAddresses: rt.config.rateLimitAllow, ...o.rateLimits },
    ...(rt.mailOutbox === null ? {} : { devMailbox: rt.mailOutbox }),
    ...(rt.config.telephonyAuthToken !== undefined
      ? {}
      : {
          devTelephony: {
            authToken: telephonyAuthToken,
            webhookUrl: `${rt.config.publicUrl}${TELEPHONY_WEBHOOK_PATH}`,
            calledNumber: rt.config.phoneCheckNumber ?? DEFAULT_PHONE_CHECK_NUMBER,
            clock: rt.clock,
          },
        }),
    ...(redis === null ? {} : { rateLimitStore: { redis } }),
  });
  await registerPortal(rt, app, telephonyAuthToken);
  await registerAdmin(rt, app);
  if (redis !== null) {
    redis.on('error', (err: Error) =>
      rt.logger.warn({ err: err.message }, 'rate-limit Redis unreachable'),
    );
    app.addHook('onClose', async () => void (await redis.quit()));
  }
  const stopHousekeeping = scheduleHousekeeping(rt, rt.logger, o.housekeeping ?? HOUSEKEEPING);
  app.addHook('onClose', stopHousekeeping);
  const address = await app.listen({ port: o.port, host: o.host });
  return { app, address };
}
