import { BankStore } from './bank/bank-store.js';
import type { Logger } from 'pino';
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
import { createLogger } from './logger.js';
import { createOutboxMailer } from './mail/outbox-mailer.js';
import type { SmtpMailer } from './mail/smtp-mailer.js';
import {
  checkWebAuthnConfig,
  createPlatform,
  checkVapidConfig,
  type Platform,
  type WebAuthnConfig,
} from './services/index.js';
import type { KyselyStore } from './storage/kysely-store.js';
import { dialectOf, openStore, sqlitePath } from './storage/open-store.js';
import { startVerifyThread, type VerifyThread } from './threads/verify-thread.js';

/** The system clock. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * Everything one Inkan process runs on, built from the Config (the composition root). The HTTP
 * server over it is in server.ts, so that the CLI's commands load no web stack.
 */
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
  /** The thread `POST …/verify` runs on (SQLite on a file, `inkan serve`); null: the event loop. */
  readonly verifyThread: VerifyThread | null;
  close(): Promise<void>;
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

/**
 * The master keys of a config (INKAN_MASTER_KEY, or the key file, generated on first use with a
 * loud notice) as a keyring. With a key file it follows the file: `inkan keys rotate` in another
 * process must not break this one.
 */
export function openKeyring(
  config: Config,
  clock: Clock,
  warn: (m: string) => void,
): { keyring: Keyring; source: MasterKeySource } {
  const { keys, source } = loadMasterKeys({
    env: config.masterKeyEnv,
    keyFile: config.masterKeyFile,
    warn,
  });
  const keyring =
    source === 'env'
      ? createKeyring(keys)
      : createReloadingKeyring(() => readKeyFile(config.masterKeyFile), { now: () => clock.now() });
  return { keyring, source };
}

/** Opens the database, loads the master keys and wires the platform. */
export async function createRuntime(
  config: Config,
  o: {
    clock?: Clock;
    hasher?: PasswordHasher;
    logger?: Logger;
    warn?: (m: string) => void;
    /**
     * Verifications on a thread of their own when the database is a SQLite file and the config
     * allows it (`inkan serve`). That thread keeps the system clock, so not with `clock`.
     */
    verifyThread?: boolean;
  } = {},
): Promise<Runtime> {
  const logger = o.logger ?? createLogger(config.logLevel);
  dialectOf(config.databaseUrl); // a bad DATABASE_URL is refused before anything is written
  const clock = o.clock ?? systemClock;
  const warn = o.warn ?? ((m: string) => process.stderr.write(m + '\n'));
  // A key given in the environment is checked before anything is written. A development key file
  // is made only once the database has opened: a mistyped DATABASE_URL leaves no key file behind.
  let keys = config.masterKeyEnv === undefined ? null : openKeyring(config, clock, warn);
  if (!/^https?:\/\/[^/]/.test(config.publicUrl) || !URL.canParse(config.publicUrl)) {
    throw new Error('INKAN_PUBLIC_URL must be an http:// or https:// URL');
  }
  const webauthn = webAuthnOf(config, warn);
  // Web Push (issue 7): all three VAPID variables or none; a wrong set stops the start.
  const vapid = checkVapidConfig(config.vapid);
  if (config.verifyThread !== 'on' && config.verifyThread !== 'off') {
    throw new Error('INKAN_VERIFY_THREAD must be on or off');
  }
  // SMTP when configured; otherwise the outbox the dev console shows (SPEC.md, "Messages").
  // (nodemailer is loaded only then: the CLI's commands start without it)
  const smtp: SmtpMailer | null =
    config.smtpUrl === undefined
      ? null
      : (await import('./mail/smtp-mailer.js')).createSmtpMailer({
          url: config.smtpUrl,
          from: config.mailFrom,
        });
  // From here on a failure closes what is open: a connection, the verify thread or the SMTP
  // pool would otherwise keep the failed process alive.
  let store: KyselyStore | null = null;
  let verifyThread: Awaited<ReturnType<typeof startVerifyThread>> | null = null;
  let bank: BankStore | null = null;
  try {
    store = await openStore({ url: config.databaseUrl });
    keys ??= openKeyring(config, clock, warn);
    const sqliteFile = sqlitePath(config.databaseUrl);
    verifyThread =
      o.verifyThread === true &&
      config.verifyThread === 'on' &&
      sqliteFile !== null &&
      sqliteFile !== ':memory:'
        ? await startVerifyThread(config, { logger })
        : null;
    bank = await BankStore.open({ url: config.databaseUrl });
  } catch (e) {
    await verifyThread?.close();
    smtp?.close();
    await store?.close();
    throw e;
  }
  const { keyring, source } = keys;
  let mailer: Mailer;
  let outbox: MailOutbox | null = null;
  if (smtp !== null) mailer = smtp;
  else {
    outbox = store.mailOutbox();
    mailer = createOutboxMailer(outbox, clock);
  }
  const hasher = o.hasher ?? createPasswordHasher();
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
    ...(verifyThread === null
      ? {}
      : { tenantChanged: (serviceId: string) => verifyThread.tenantChanged(serviceId) }),
  });
  return {
    config,
    store,
    platform: verifyThread === null ? platform : { ...platform, verify: verifyThread.verify },
    logger,
    keySource: source,
    mailer,
    mailOutbox: outbox,
    bank,
    clock,
    keyring,
    hasher,
    verifyThread,
    async close() {
      await verifyThread?.close();
      await platform.close();
      await bank.close();
      smtp?.close();
      await store.close();
    },
  };
}
