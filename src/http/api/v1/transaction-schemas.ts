import { Type } from '@sinclair/typebox';

/**
 * Schemas of the 取引認証 calls (SPEC.md, "Transaction authentication"): the bank's, under its
 * API key, and the token app's, authenticated by the token itself (services/transactions.ts).
 */

const TransactionState = Type.Union(
  ['pending', 'approved', 'rejected', 'cancelled', 'expired', 'failed'].map((s) => Type.Literal(s)),
);

export const TransactionParams = Type.Object({
  ref: Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' }),
  id: Type.String({ description: 'The transaction ID (22 base64url characters)' }),
});

export const AppTransactionParams = Type.Object({
  id: Type.String({ description: 'The transaction ID (22 base64url characters)' }),
});

export const TransactionBody = Type.Object(
  {
    payeeBank: Type.String({
      minLength: 1,
      maxLength: 60,
      description: '振込先金融機関 (name or code)',
    }),
    payeeBranch: Type.String({ minLength: 1, maxLength: 60, description: '支店 (name or code)' }),
    payeeAccount: Type.String({ description: '口座番号: 7 digits' }),
    payeeName: Type.String({ minLength: 1, maxLength: 60, description: '受取人名' }),
    amount: Type.Integer({ minimum: 1, maximum: 999_999_999_999, description: 'In yen for JPY' }),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', default: 'JPY' })),
  },
  { additionalProperties: false },
);

export const TransactionReply = Type.Object({
  transactionId: Type.String(),
  state: TransactionState,
  payeeBank: Type.String(),
  payeeBranch: Type.String(),
  payeeAccount: Type.String(),
  payeeName: Type.String(),
  amount: Type.Integer(),
  currency: Type.String(),
  suite: Type.String({
    description: 'OCRA suite of the app path (RFC 6287), e.g. OCRA-1:HOTP-SHA1-8:QH64',
  }),
  challenge: Type.String({ description: 'SHA-256 of the canonical transaction (64 hex digits)' }),
  offlineSuite: Type.String({
    description: 'OCRA suite of the offline code, e.g. OCRA-1:HOTP-SHA1-8:QN19-T1M',
  }),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  resultAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  channel: Type.Union([Type.Literal('app'), Type.Literal('offline'), Type.Null()]),
  failures: Type.Integer(),
});

export const TransactionCodeBody = Type.Object({
  code: Type.String({
    pattern: '^[0-9]{8}$',
    description: '取引認証コード: 8 digits from the app',
  }),
});

export const TransactionAnswerReply = Type.Object({
  result: Type.String({ description: 'ok, invalid, replayed, locked, not_active, expired' }),
  state: TransactionState,
  failCount: Type.Optional(Type.Integer()),
  locked: Type.Optional(Type.Boolean()),
});

/** The proof of possession every app call carries (services/transactions.ts). */
export const AppProofProps = {
  serviceId: Type.String({ pattern: '^[0-9]{8}$' }),
  userId: Type.String({ pattern: '^[0-9]{12}$' }),
  time: Type.Integer({ minimum: 0, description: "The app's clock, epoch ms; must increase" }),
  proof: Type.String({
    description:
      'base64url HMAC under the token key over "inkan/app-proof/v1\\n<action>\\n<serviceId>\\n<userId>\\n<transactionId or empty>\\n<time>"',
  }),
};

export const AppPendingBody = Type.Object(AppProofProps, { additionalProperties: false });

export const AppPendingReply = Type.Object({ transactions: Type.Array(TransactionReply) });

export const AppRespondBody = Type.Object(
  {
    ...AppProofProps,
    decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
    response: Type.Optional(
      Type.String({ pattern: '^[0-9]{8}$', description: 'The OCRA response (承認 only)' }),
    ),
  },
  { additionalProperties: false },
);

const Mode = Type.Union([
  Type.Literal('off'),
  Type.Literal('always'),
  Type.Literal('above_amount'),
  Type.Literal('new_payee'),
]);

export const TransactionPolicyBody = Type.Object(
  {
    transactionAuth: Type.Union([Mode, Type.Null()], {
      description: "The customer's own mode, or null for the tenant's",
    }),
    transactionAuthAmount: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1, maximum: 999_999_999 }), Type.Null()]),
    ),
  },
  { additionalProperties: false },
);

export const TransactionPolicyReply = Type.Object({
  transactionAuth: Mode,
  transactionAuthAmount: Type.Integer(),
  source: Type.Union([Type.Literal('tenant'), Type.Literal('customer')]),
});
