import { Type, type TSchema } from '@sinclair/typebox';
import { PATTERNS } from '../../../core/index.js';

/**
 * Request and response schemas of the platform API: validation at the door and the OpenAPI
 * document come from the same source. Patterns come from core/validation.ts.
 */
const pattern = (re: RegExp) => re.source;

export const Otp = Type.String({
  pattern: pattern(PATTERNS.otp),
  description: '6-10 digits',
  examples: ['12345678'],
});

export const CustomerParams = Type.Object({
  ref: Type.String({
    pattern: pattern(PATTERNS.customerRef),
    description: "The bank's own customer reference",
  }),
});

export const IssueBody = Type.Union(
  [
    Type.Object({
      type: Type.Literal('software'),
      email: Type.String({ minLength: 4, maxLength: 64, description: '送付先メールアドレス' }),
      activationPassword: Type.String({
        pattern: pattern(PATTERNS.activationPassword),
        description: '利用開始パスワード: 4-8 digits',
      }),
      replace: Type.Optional(
        Type.Boolean({
          description: '機種変更: keep the active token until the new one is activated',
        }),
      ),
    }),
    Type.Object({ type: Type.Literal('hardware'), replace: Type.Optional(Type.Boolean()) }),
  ],
  { description: 'トークン発行' },
);

export const IssueReply = Type.Object({
  userId: Type.String(),
  serviceId: Type.String(),
  type: Type.Union([Type.Literal('software'), Type.Literal('hardware')]),
  state: Type.Literal('issued'),
  expiresAt: Type.String({ format: 'date-time' }),
  serial: Type.Union([Type.String(), Type.Null()]),
  replacesActiveToken: Type.Boolean(),
});

export const ProvisionBody = Type.Object({
  serviceId: Type.String({
    pattern: pattern(PATTERNS.serviceId),
    description: 'サービスID: 8 digits',
  }),
  userId: Type.String({ pattern: pattern(PATTERNS.userId), description: 'ユーザID: 12 digits' }),
  activationPassword: Type.String({ pattern: pattern(PATTERNS.activationPassword) }),
  publicKey: Type.String({
    pattern: pattern(PATTERNS.publicKey),
    description: 'base64url (no padding) of an uncompressed P-256 point',
  }),
});

export const ProvisionReply = Type.Object({
  serverPublicKey: Type.String(),
  serial: Type.String(),
  displayName: Type.String(),
  algorithm: Type.String(),
  digits: Type.Integer(),
  period: Type.Integer(),
  validFrom: Type.String({ format: 'date-time' }),
  validUntil: Type.String({ format: 'date-time' }),
  loginUrl: Type.Optional(
    Type.String({ description: "The bank's login page for 「ワンタイムパスワードでログイン」" }),
  ),
});

export const OtpBody = Type.Object({ otp: Otp });
export const ActivateBody = Type.Object({
  otp: Otp,
  serial: Type.Optional(Type.String({ pattern: pattern(PATTERNS.serial) })),
});
export const DeactivateBody = Type.Union([
  Type.Object({ otp: Otp }),
  Type.Object({
    force: Type.Literal(true),
    reason: Type.String({
      minLength: 1,
      maxLength: 500,
      description: '書面による手続き: why staff deactivate',
    }),
  }),
]);
export const UnlockBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) });

const Reason = Type.Union(
  ['ok', 'invalid', 'replayed', 'locked', 'not_active', 'expired', 'no_token'].map((r) =>
    Type.Literal(r),
  ),
);

export const OtpReply = Type.Object({
  result: Reason,
  state: Type.Optional(Type.String()),
  failCount: Type.Optional(Type.Integer()),
  locked: Type.Optional(Type.Boolean()),
});

const TokenViewProps = {
  state: Type.String(),
  type: Type.String(),
  serviceId: Type.String(),
  userId: Type.String(),
  serial: Type.Union([Type.String(), Type.Null()]),
  failCount: Type.Integer(),
  locked: Type.Boolean(),
  lockedAt: Type.Union([Type.String(), Type.Null()]),
  expired: Type.Boolean(),
  issuedAt: Type.String(),
  expiresAt: Type.String(),
  provisionedAt: Type.Union([Type.String(), Type.Null()]),
  activatedAt: Type.Union([Type.String(), Type.Null()]),
  validFrom: Type.Union([Type.String(), Type.Null()]),
  validUntil: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  drift: Type.Integer(),
  algorithm: Type.String(),
  digits: Type.Integer(),
  period: Type.Integer(),
};
export const TokenReply = Type.Object({
  ...TokenViewProps,
  pending: Type.Optional(Type.Object(TokenViewProps)),
});

/** GET /tenant: the calling bank's name and rules (its portal reads its options here). */
export const TenantReply = Type.Object({
  serviceId: Type.String(),
  name: Type.String(),
  policy: Type.Object({
    algorithm: Type.String(),
    digits: Type.Integer(),
    period: Type.Integer(),
    window: Type.Integer(),
    lockoutThreshold: Type.Integer(),
    issuanceExpiryHours: Type.Integer(),
    issuanceLimitCount: Type.Integer(),
    issuanceLimitDays: Type.Integer(),
    activationPasswordAttempts: Type.Integer(),
    reissueNextDay: Type.Boolean(),
    tokenValidityDays: Type.Integer(),
    loginUrl: Type.Union([Type.String(), Type.Null()]),
    issueMailOtp: Type.Boolean(),
    issueSecurityQuestion: Type.Boolean(),
    issuePhoneCheck: Type.Boolean(),
    selfServiceReplace: Type.Boolean(),
    transactionAuth: Type.Union([
      Type.Literal('off'),
      Type.Literal('always'),
      Type.Literal('above_amount'),
      Type.Literal('new_payee'),
    ]),
    transactionAuthAmount: Type.Integer(),
    transactionTtlSeconds: Type.Integer(),
  }),
});

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable problem code' }),
    instance: Type.Optional(Type.String()),
  },
  { additionalProperties: true, description: 'RFC 9457 problem details' },
);

/** Problem answers for a route's documented statuses. */
export function problems(...statuses: number[]): Record<number, TSchema> {
  // Every call may find the database held by other work: 503 SERVICE_BUSY, nothing done.
  return Object.fromEntries([...statuses, 503].map((s) => [s, Problem]));
}

/** Hardware re-issue: the new request (as IssueReply) with `result: ok`, or the OTP's reason. */
export const ReissueReply = Type.Object({
  result: Reason,
  failCount: Type.Optional(Type.Integer()),
  locked: Type.Optional(Type.Boolean()),
  userId: Type.Optional(Type.String()),
  serviceId: Type.Optional(Type.String()),
  type: Type.Optional(Type.Literal('hardware')),
  state: Type.Optional(Type.Literal('issued')),
  expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  serial: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  replacesActiveToken: Type.Optional(Type.Boolean()),
});
