import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../../services/index.js';
import type { RateLimits } from '../../rate-limits.js';
import { ctxOf } from './routes.js';
import { CustomerParams, problems } from './schemas.js';

/** The browser's PublicKeyCredential as JSON (WebAuthn §5.1, `toJSON()`); checked by the service. */
const Credential = Type.Object(
  {},
  {
    additionalProperties: true,
    description:
      'PublicKeyCredential as JSON (RegistrationResponseJSON / AuthenticationResponseJSON)',
  },
);
const Options = Type.Object(
  {},
  { additionalProperties: true, description: 'Options for navigator.credentials' },
);
const OptionsReply = Type.Object({
  options: Options,
  expiresAt: Type.String({ format: 'date-time' }),
});
const PasskeyView = Type.Object({
  id: Type.Integer(),
  deviceName: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  transports: Type.Array(Type.String()),
  boundToToken: Type.Boolean(),
});
const Reason = Type.String({
  description:
    'ok | invalid | challenge_invalid | user_not_verified | unknown_credential | counter_regressed | already_registered',
});

/**
 * 生体認証ログイン (issue 6): passkey calls of a bank (tenant API key), under the tenant scope.
 * Options and verifications are rate-limited per address, registration per customer too. A refused
 * passkey is not an HTTP error: 200 with its reason code, as OTP checks answer (SPEC.md).
 */
export function registerPasskeyRoutes(
  scope: FastifyInstance,
  platform: Platform,
  limits: RateLimits,
): void {
  const security = [{ bearer: [] }];
  const pk = platform.passkeys;
  const perAddress = { onRequest: [limits.otpPerAddress] };
  const perCustomer = { onRequest: [limits.otpPerAddress], preHandler: [limits.otpPerCustomer] };

  scope.post(
    '/api/v1/passkeys/registration/options',
    {
      ...perAddress,
      schema: {
        tags: ['passkeys'],
        summary:
          '生体認証ログイン利用設定: options for navigator.credentials.create (challenge 120 s, once)',
        security,
        body: Type.Optional(
          Type.Object({
            ref: Type.Optional(
              Type.String({ description: 'bind to this customer now (else at registration)' }),
            ),
            userName: Type.Optional(Type.String({ maxLength: 64 })),
            userDisplayName: Type.Optional(Type.String({ maxLength: 64 })),
          }),
        ),
        response: { 200: OptionsReply, ...problems(400, 401, 429) },
      },
    },
    async (req) => pk.registrationOptions(ctxOf(req), req.body ?? {}),
  );

  scope.post(
    '/api/v1/customers/:ref/passkeys',
    {
      ...perCustomer,
      schema: {
        tags: ['passkeys'],
        summary:
          'Register a passkey for the customer (after the bank checked login ID, password and OTP)',
        security,
        params: CustomerParams,
        body: Type.Object({
          response: Credential,
          deviceName: Type.Optional(Type.String({ maxLength: 32 })),
        }),
        response: {
          200: Type.Object({ result: Reason, passkey: Type.Optional(PasskeyView) }),
          ...problems(400, 401, 429),
        },
      },
    },
    async (req) => pk.register(ctxOf(req), (req.params as { ref: string }).ref, req.body),
  );

  scope.post(
    '/api/v1/passkeys/authentication/options',
    {
      ...perAddress,
      schema: {
        tags: ['passkeys'],
        summary:
          '生体認証でログイン: options for navigator.credentials.get (discoverable credentials)',
        security,
        response: { 200: OptionsReply, ...problems(401, 429) },
      },
    },
    async (req) => pk.authenticationOptions(ctxOf(req)),
  );

  scope.post(
    '/api/v1/passkeys/authentication',
    {
      ...perAddress,
      schema: {
        tags: ['passkeys'],
        summary: 'Verify a passkey login; `ok` names the customer (counts as both factors)',
        security,
        body: Type.Object({ response: Credential }),
        response: {
          200: Type.Object({
            result: Reason,
            ref: Type.Optional(Type.String()),
            passkey: Type.Optional(PasskeyView),
          }),
          ...problems(400, 401, 429),
        },
      },
    },
    async (req) => pk.authenticate(ctxOf(req), req.body),
  );

  scope.get(
    '/api/v1/customers/:ref/passkeys',
    {
      schema: {
        tags: ['passkeys'],
        summary: "The customer's registered devices (name, registered, last used)",
        security,
        params: CustomerParams,
        response: {
          200: Type.Object({ passkeys: Type.Array(PasskeyView) }),
          ...problems(400, 401),
        },
      },
    },
    async (req) => pk.list(ctxOf(req), (req.params as { ref: string }).ref),
  );

  scope.delete(
    '/api/v1/customers/:ref/passkeys/:id',
    {
      ...perCustomer,
      schema: {
        tags: ['passkeys'],
        summary: 'Remove a registered device (the bank checks the OTP first when it is 利用中)',
        security,
        params: Type.Object({
          ref: CustomerParams.properties.ref,
          id: Type.String({ pattern: '^[0-9]{1,15}$' }),
        }),
        response: { 200: Type.Object({ removed: Type.Literal(true) }), ...problems(400, 401, 404) },
      },
    },
    async (req) => {
      const p = req.params as { ref: string; id: string };
      return pk.remove(ctxOf(req), p.ref, p.id);
    },
  );
}
