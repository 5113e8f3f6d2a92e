import { dirname, join, resolve } from 'node:path';
import { sqlitePath } from './storage/database-url.js';

/** Everything Inkan reads from the environment, read once. */
export interface Config {
  readonly databaseUrl: string;
  /**
   * `inkan serve` on a SQLite file runs `POST …/verify` on a thread of its own
   * (INKAN_VERIFY_THREAD, `on` by default; `off` keeps it on the event loop; threads/verify-thread.ts).
   */
  readonly verifyThread: string;
  /** The folder for the SQLite file, the dev key file and the mail outbox. */
  readonly dataDir: string;
  readonly masterKeyEnv: string | undefined;
  readonly masterKeyFile: string;
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  /** Trust X-Forwarded-For from a proxy in front (for per-address rate limits). */
  readonly trustProxy: boolean;
  /** A Redis shared by all servers for the rate-limit counters (INKAN_REDIS_URL); none: in memory. */
  readonly redisUrl: string | undefined;
  /** Client addresses exempt from the per-address rate limits (a bank's own servers). */
  readonly rateLimitAllow: readonly string[];
  /** The tenant whose internet banking /ib shows (INKAN_PORTAL_SERVICE_ID; the demo bank by default). */
  readonly portalServiceId: string;
  /**
   * The portal reaches the platform over HTTP at this URL with INKAN_PORTAL_API_KEY (a real
   * bank's internet banking would); unset: in-process, the same calls.
   */
  readonly portalPlatformUrl: string | undefined;
  readonly portalApiKey: string | undefined;
  /** `smtp://user:pass@host:port` or `smtps://…` (INKAN_SMTP_URL); none: mails go to the dev outbox. */
  readonly smtpUrl: string | undefined;
  /** The From of every mail (INKAN_MAIL_FROM). */
  readonly mailFrom: string;
  /** The base URL customers reach the server at, for links in mails (INKAN_PUBLIC_URL), no trailing slash. */
  readonly publicUrl: string;
  /**
   * The telephony provider's auth token, which signs its inbound-call webhook
   * (INKAN_TELEPHONY_AUTH_TOKEN); none: 電話番号認証 runs on the dev simulator at /dev/telephony.
   */
  readonly telephonyAuthToken: string | undefined;
  /** 電話番号認証's 認証先電話番号 (INKAN_PHONE_CHECK_NUMBER); none: the portal's default. */
  readonly phoneCheckNumber: string | undefined;
  /**
   * 生体認証ログイン (WebAuthn): the RP ID (INKAN_WEBAUTHN_RP_ID; default the public URL's host)
   * and the origins allowed to use it (INKAN_WEBAUTHN_ORIGINS, comma-separated; default the
   * public URL's origin). The token app and the portal must share the RP ID.
   */
  readonly webauthnRpId: string;
  readonly webauthnOrigins: readonly string[];
  /** True when either was set in the environment (then a wrong value stops the start). */
  readonly webauthnExplicit: boolean;
  /**
   * Web Push for 取引認証 (issue 7): INKAN_VAPID_PUBLIC_KEY, INKAN_VAPID_PRIVATE_KEY,
   * INKAN_VAPID_SUBJECT as given (all or none; services/push.ts checkVapidConfig at start).
   */
  readonly vapid: {
    readonly publicKey: string | undefined;
    readonly privateKey: string | undefined;
    readonly subject: string | undefined;
  };
}

/** Reads `env` into a frozen Config. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl =
    env['DATABASE_URL'] !== undefined && env['DATABASE_URL'] !== ''
      ? env['DATABASE_URL']
      : 'sqlite:./data/inkan.db';
  const sqlite = sqlitePath(databaseUrl);
  const dataDir = resolve(
    env['INKAN_DATA_DIR'] ??
      (sqlite !== null && sqlite !== ':memory:' ? dirname(sqlite) : './data'),
  );
  const port = Number(env['PORT'] ?? 3000);
  const validPort = Number.isInteger(port) && port > 0 && port < 65536 ? port : 3000;
  const publicUrl = env['INKAN_PUBLIC_URL'] ?? '';
  const publicBase = publicUrl === '' ? `http://localhost:${validPort}` : publicUrl;
  const parsedPublic = URL.canParse(publicBase) ? new URL(publicBase) : null;
  const origins = (env['INKAN_WEBAUTHN_ORIGINS'] ?? '')
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter((s) => s !== '');
  return Object.freeze({
    databaseUrl,
    verifyThread:
      env['INKAN_VERIFY_THREAD'] === undefined || env['INKAN_VERIFY_THREAD'] === ''
        ? 'on'
        : env['INKAN_VERIFY_THREAD'],
    dataDir,
    masterKeyEnv: env['INKAN_MASTER_KEY'],
    masterKeyFile: env['INKAN_MASTER_KEY_FILE'] ?? join(dataDir, 'master-keys.json'),
    port: validPort,
    host: env['HOST'] ?? '127.0.0.1',
    logLevel: env['LOG_LEVEL'] ?? 'info',
    trustProxy: env['INKAN_TRUST_PROXY'] === '1' || env['INKAN_TRUST_PROXY'] === 'true',
    redisUrl: env['INKAN_REDIS_URL'] === '' ? undefined : env['INKAN_REDIS_URL'],
    portalServiceId: env['INKAN_PORTAL_SERVICE_ID'] ?? '10112235',
    portalPlatformUrl:
      env['INKAN_PORTAL_PLATFORM_URL'] === '' ? undefined : env['INKAN_PORTAL_PLATFORM_URL'],
    portalApiKey: env['INKAN_PORTAL_API_KEY'] === '' ? undefined : env['INKAN_PORTAL_API_KEY'],
    rateLimitAllow: (env['INKAN_RATE_LIMIT_ALLOW'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    smtpUrl: env['INKAN_SMTP_URL'] === '' ? undefined : env['INKAN_SMTP_URL'],
    mailFrom:
      env['INKAN_MAIL_FROM'] !== undefined && env['INKAN_MAIL_FROM'] !== ''
        ? env['INKAN_MAIL_FROM']
        : '"Inkan OTP" <no-reply@otp-auth.localhost>',
    publicUrl: (publicUrl === '' ? `http://localhost:${validPort}` : publicUrl).replace(/\/+$/, ''),
    telephonyAuthToken:
      env['INKAN_TELEPHONY_AUTH_TOKEN'] === '' ? undefined : env['INKAN_TELEPHONY_AUTH_TOKEN'],
    phoneCheckNumber:
      env['INKAN_PHONE_CHECK_NUMBER'] === '' ? undefined : env['INKAN_PHONE_CHECK_NUMBER'],
    webauthnRpId:
      env['INKAN_WEBAUTHN_RP_ID'] !== undefined && env['INKAN_WEBAUTHN_RP_ID'] !== ''
        ? env['INKAN_WEBAUTHN_RP_ID'].toLowerCase()
        : (parsedPublic?.hostname ?? 'localhost'),
    webauthnOrigins:
      origins.length > 0 ? origins : parsedPublic === null ? [] : [parsedPublic.origin],
    webauthnExplicit: Boolean(env['INKAN_WEBAUTHN_RP_ID']) || origins.length > 0,
    vapid: Object.freeze({
      publicKey: env['INKAN_VAPID_PUBLIC_KEY']?.trim() || undefined,
      privateKey: env['INKAN_VAPID_PRIVATE_KEY']?.trim() || undefined,
      subject: env['INKAN_VAPID_SUBJECT']?.trim() || undefined,
    }),
  });
}
