import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyBaseLogger } from 'fastify';
import { InkanError, type MailOutboxReader } from '../core/index.js';
import type { Redis } from 'ioredis';
import type { Platform } from '../services/index.js';
import { registerApiV1 } from './api/v1/routes.js';
import { problemOf, sendProblem } from './problem.js';
import {
  createRateLimits,
  DEFAULT_RATE_LIMITS,
  SnapshotLocalStore,
  type RateLimitOptions,
} from './rate-limits.js';
import {
  devTelephonyPlugin,
  registerDevMailbox,
  type DevTelephonyOptions,
} from '../web/dev/index.js';

/** What the HTTP layer is built from. */
export interface BuildAppOptions {
  readonly platform: Platform;
  readonly logger?: FastifyBaseLogger | false;
  readonly trustProxy?: boolean;
  readonly rateLimits?: Partial<RateLimitOptions>;
  /**
   * Where the rate-limit counters live: this process's memory by default, or a Redis shared by
   * every server of the deployment, so that N servers do not allow N times the limit.
   */
  readonly rateLimitStore?: { readonly redis: Redis; readonly nameSpace?: string };
  /**
   * The development mail outbox, shown at /dev/mail; only when no SMTP is configured (without it
   * the route does not exist).
   */
  readonly devMailbox?: MailOutboxReader;
  /**
   * The development telephony simulator at /dev/telephony; only when no telephony provider is
   * configured (without it the route does not exist).
   */
  readonly devTelephony?: DevTelephonyOptions;
}

/** The top-bar mark of the API page: a vermilion seal (印鑑) with the product's name. */
const INKAN_SEAL_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="150" height="40" viewBox="0 0 150 40">' +
  '<rect x="2" y="2" width="36" height="36" rx="6" fill="none" stroke="#c0392b" stroke-width="3"/>' +
  '<text x="20" y="28" font-size="22" text-anchor="middle" fill="#c0392b" font-family="serif">印</text>' +
  '<text x="48" y="28" font-size="22" fill="#3b2f2a" font-family="sans-serif" font-weight="600">Inkan API</text></svg>';

/** The built token app (`npm run build` puts it here), from src/http or dist/http alike. */
const TOKEN_APP_DIR = fileURLToPath(new URL('../../dist/token-app/', import.meta.url));

/**
 * The token app (PWA) at /app/. The service worker must be fetched fresh (so updates arrive),
 * everything else under assets/ is content-hashed and cached for good.
 */
async function registerTokenApp(app: FastifyInstance): Promise<void> {
  if (!existsSync(TOKEN_APP_DIR)) return;
  await app.register(fastifyStatic, {
    root: TOKEN_APP_DIR,
    prefix: '/app/',
    decorateReply: false,
    cacheControl: false, // ours below, not the plugin's max-age=0 for all
    setHeaders: (res, path) => {
      if (path.endsWith('sw.js') || path.endsWith('.html') || path.endsWith('precache.json')) {
        res.setHeader('cache-control', 'no-cache');
      } else if (path.includes('/assets/')) {
        res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      } else {
        res.setHeader('cache-control', 'public, max-age=3600');
      }
    },
  });
  app.get('/app', (_req, reply) => reply.redirect('/app/', 301));
}

/**
 * The Fastify application: the platform API, its OpenAPI page at /api/docs, and problem+json for
 * every refusal. Built by a factory (no module singletons) so each test builds its own.
 */
export async function buildApp(o: BuildAppOptions): Promise<FastifyInstance> {
  const common = {
    trustProxy: o.trustProxy ?? false,
    bodyLimit: 64 * 1024,
    // No type coercion: `"otp": 12345678` is a wrong type, not a string of digits.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true } },
    // Errors Fastify raises before routing (a broken %-escape, a parameter past the router's
    // length limit) also leave as problem+json.
    frameworkErrors: (err: Error, req: FastifyRequest, reply: FastifyReply) =>
      sendProblem(err, req, reply),
  };
  const app: FastifyInstance =
    o.logger === undefined || o.logger === false
      ? Fastify({ ...common, logger: false })
      : Fastify({ ...common, loggerInstance: o.logger });

  app.setErrorHandler((err, req, reply) => sendProblem(err as Error, req, reply));
  // JSON only: Fastify parses text/plain by default, which would let a text body reach validation.
  app.removeContentTypeParser('text/plain');
  app.setNotFoundHandler((req, reply) =>
    reply
      .status(404)
      .type('application/problem+json')
      .send(problemOf(new InkanError('NOT_FOUND'), req.url.split('?')[0])),
  );

  await app.register(rateLimit, {
    global: false,
    ...(o.rateLimitStore === undefined
      ? { store: SnapshotLocalStore }
      : {
          redis: o.rateLimitStore.redis,
          nameSpace: o.rateLimitStore.nameSpace ?? 'inkan-rate-',
          // Redis unreachable: requests go on. The hard limits (閉塞 after wrong OTPs, the
          // activation-password attempts) are counted in the database and still hold.
          skipOnError: true,
        }),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Inkan platform API',
        version: '1.0.0',
        description:
          'One-time passwords for Japanese internet banking. Tenant calls take `Authorization: Bearer <tenant API key>`. ' +
          'Errors are application/problem+json (RFC 9457) with a stable `code`. A verification that fails is not an error: ' +
          'it answers 200 with its reason code (ok, invalid, replayed, locked, not_active, expired, no_token).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      tags: [
        { name: 'platform', description: 'Health and time' },
        { name: 'app', description: 'Called by the token app' },
        { name: 'tokens', description: 'Token lifecycle (登録状況)' },
        { name: 'otp', description: 'OTP verification' },
        {
          name: 'transactions',
          description: '取引認証: transfers confirmed with the token (OCRA, RFC 6287)',
        },
      ],
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    logo: {
      type: 'image/svg+xml',
      content: Buffer.from(INKAN_SEAL_SVG),
      href: '/api/docs',
      target: '_self',
    },
    theme: {
      title: 'Inkan platform API',
      css: [
        {
          filename: 'inkan.css',
          content:
            '.topbar { background: #fbf7f2 !important; } .topbar .download-url-wrapper { display: none !important; }',
        },
      ],
    },
  });

  await registerTokenApp(app);
  if (o.devMailbox !== undefined) registerDevMailbox(app, o.devMailbox);
  if (o.devTelephony !== undefined) await app.register(devTelephonyPlugin(o.devTelephony));

  const limits = createRateLimits(app, { ...DEFAULT_RATE_LIMITS, ...o.rateLimits });
  await registerApiV1(app, o.platform, limits);
  return app;
}
