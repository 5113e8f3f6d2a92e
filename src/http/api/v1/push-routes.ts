import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../../services/index.js';
import { bodyField, rateLimitHook } from '../../rate-limits.js';
import { problems } from './schemas.js';
import { APP_LIMITS } from './transaction-routes.js';
import { AppProofProps } from './transaction-schemas.js';

/** GET /app/push/key: the VAPID public key (applicationServerKey), null when push is off. */
export const PushKeyReply = Type.Object({
  publicKey: Type.Union([Type.String(), Type.Null()], {
    description: 'Uncompressed P-256 public key, base64url (RFC 8292 §3.2); null: push is off',
  }),
});

/** POST /app/push/subscription: PushSubscription.toJSON() and the token's proof. */
export const PushSubscribeBody = Type.Object(
  {
    ...AppProofProps,
    subscription: Type.Object({
      endpoint: Type.String({ maxLength: 1024, description: 'https URL of the push service' }),
      expirationTime: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
      keys: Type.Object({
        p256dh: Type.String({ maxLength: 100, description: '65-byte P-256 point, base64url' }),
        auth: Type.String({ maxLength: 30, description: '16 bytes, base64url' }),
      }),
    }),
  },
  {
    additionalProperties: false,
    description:
      'The proof is over action "push-subscribe" with the endpoint as the transaction ID field',
  },
);

/** DELETE /app/push/subscription: the endpoint and the token's proof. */
export const PushUnsubscribeBody = Type.Object(
  { ...AppProofProps, endpoint: Type.String({ maxLength: 1024 }) },
  {
    additionalProperties: false,
    description:
      'The proof is over action "push-unsubscribe" with the endpoint as the transaction ID field',
  },
);

/**
 * The token app's Web Push calls (issue 7 item 3): no API key; the subscription calls carry the
 * same proof of possession as the 取引認証 pull calls, and are limited per address and token.
 */
export function registerAppPushRoutes(app: FastifyInstance, platform: Platform): void {
  const limiter = (max: number, key: (r: FastifyRequest) => string) => rateLimitHook(app, max, key);
  const perAddress = limiter(APP_LIMITS.perAddress, (r) => `push-ip:${r.ip}`);
  const perToken = limiter(
    APP_LIMITS.perToken,
    (r) => `push-token:${bodyField(r, 'serviceId')}:${bodyField(r, 'userId')}`,
  );
  const ctx = (req: FastifyRequest) => ({ actor: 'app', clientIp: req.ip });

  app.get(
    '/api/v1/app/push/key',
    {
      schema: {
        tags: ['app'],
        summary: '取引認証の通知: the VAPID public key to subscribe with (null: push is off)',
        response: { 200: PushKeyReply },
      },
    },
    async () => ({ publicKey: platform.push.publicKey() }),
  );
  app.post(
    '/api/v1/app/push/subscription',
    {
      onRequest: [perAddress],
      preHandler: [perToken],
      schema: {
        tags: ['app'],
        summary: "取引認証の通知: registers the app's push subscription for its token; no API key",
        body: PushSubscribeBody,
        response: {
          201: Type.Object({ subscribed: Type.Boolean() }),
          ...problems(400, 401, 404, 409, 429),
        },
      },
    },
    async (req, reply) => reply.status(201).send(await platform.push.subscribe(ctx(req), req.body)),
  );
  app.delete(
    '/api/v1/app/push/subscription',
    {
      onRequest: [perAddress],
      preHandler: [perToken],
      schema: {
        tags: ['app'],
        summary: "取引認証の通知: removes the app's push subscription; no API key",
        body: PushUnsubscribeBody,
        response: { 200: Type.Object({ removed: Type.Boolean() }), ...problems(400, 401, 429) },
      },
    },
    async (req) => platform.push.unsubscribe(ctx(req), req.body),
  );
}
