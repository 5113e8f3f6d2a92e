import { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import type { Clock, PasswordHasher } from './core/index.js';
import type { Config } from './config.js';
import { createKeyring, createReloadingKeyring } from './crypto/keyring.js';
import { loadMasterKeys, readKeyFile, type MasterKeySource } from './crypto/master-keys.js';
import { createPasswordHasher } from './crypto/password-hash.js';
import { buildApp } from './http/app.js';
import { REDACT_PATHS } from './http/app.js';
import type { RateLimitOptions } from './http/rate-limits.js';
import { createPlatform, type Platform } from './services/index.js';
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
  close(): Promise<void>;
}

/** A pino logger that never writes a secret, password or OTP. */
export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
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
  const store = await openStore({ url: config.databaseUrl });
  const clock = o.clock ?? systemClock;
  // With a key file, follow it: `inkan keys rotate` in another process must not break this one.
  const keyring =
    source === 'env'
      ? createKeyring(keys)
      : createReloadingKeyring(() => readKeyFile(config.masterKeyFile), { now: () => clock.now() });
  const platform = createPlatform({
    store,
    clock,
    keyring,
    hasher: o.hasher ?? createPasswordHasher(),
    onBackgroundError: (e) => logger.error({ err: e }, 'audit chainer failed'),
  });
  return {
    config,
    store,
    platform,
    logger,
    keySource: source,
    async close() {
      await platform.close();
      await store.close();
    },
  };
}

/** Starts the HTTP server of a runtime; resolves with its address once it answers. */
export async function startServer(
  rt: Runtime,
  o: { port: number; host: string; rateLimits?: Partial<RateLimitOptions> },
) {
  const redis =
    rt.config.redisUrl === undefined
      ? null
      : new Redis(rt.config.redisUrl, {
          connectTimeout: 500,
          maxRetriesPerRequest: 1,
          lazyConnect: false,
        });
  const app = await buildApp({
    platform: rt.platform,
    logger: rt.logger,
    trustProxy: rt.config.trustProxy,
    rateLimits: { allowAddresses: rt.config.rateLimitAllow, ...o.rateLimits },
    ...(redis === null ? {} : { rateLimitStore: { redis } }),
  });
  if (redis !== null) {
    redis.on('error', (err: Error) =>
      rt.logger.warn({ err: err.message }, 'rate-limit Redis unreachable'),
    );
    app.addHook('onClose', async () => void (await redis.quit()));
  }
  const address = await app.listen({ port: o.port, host: o.host });
  return { app, address };
}
