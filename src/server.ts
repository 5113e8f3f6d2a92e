import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import {
  createHttpClient,
  createInProcessClient,
  createInProcessStaffConsole,
} from './client/index.js';
import { HOUSEKEEPING, scheduleHousekeeping } from './housekeeping.js';
import { buildApp } from './http/app.js';
import type { RateLimitOptions } from './http/rate-limits.js';
import type { Runtime } from './main.js';
import { loadWebAuthn } from './services/index.js';
import { adminPlugin } from './web/admin/index.js';
import { DEFAULT_PHONE_CHECK_NUMBER, portalPlugin } from './web/portal/index.js';
import { TELEPHONY_WEBHOOK_PATH } from './web/shared/telephony-signature.js';

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
  let address;
  try {
    address = await app.listen({ port: o.port, host: o.host });
  } catch (e) {
    await app.close(); // its hooks stop the housekeeping timer and the Redis client
    throw e;
  }
  // The passkey library loads on first use (the CLI never needs it); a server loads it now, so the
  // first customer's 生体認証 does not wait for it. A failure shows at that first use instead.
  loadWebAuthn().catch(() => undefined);
  return { app, address };
}
