import type { HashAlgorithm } from '../otp/index.js';
import { InkanError, type FieldError } from '../errors.js';
import { isLoginUrl } from './login-url.js';

/**
 * A bank's OTP rules (SPEC.md, "The OTP itself" and "The token lifecycle"). Each tenant has one;
 * it arrives with every call, never read from a global.
 */
export interface TenantPolicy {
  /** HMAC of the TOTP (SPEC: HMAC-SHA1 by default). */
  readonly algorithm: HashAlgorithm;
  /** OTP length, 6-10 (guides: 「8桁」). */
  readonly digits: number;
  /** Time step in seconds (guides: 「1分毎に」). */
  readonly period: number;
  /** Steps accepted on each side of the current one (default ±1). */
  readonly window: number;
  /** Consecutive wrong OTPs that lock the token (閉塞), default 5. */
  readonly lockoutThreshold: number;
  /** Hours an unfinished issuance stays valid, default 24. */
  readonly issuanceExpiryHours: number;
  /** At most this many issuances per customer in `issuanceLimitDays` (発行規制), default 5 in 30. */
  readonly issuanceLimitCount: number;
  readonly issuanceLimitDays: number;
  /** Wrong activation passwords that void an issuance, default 5. */
  readonly activationPasswordAttempts: number;
  /** When true, a new issuance after 利用解除 is allowed only from the next day (JST). */
  readonly reissueNextDay: boolean;
  /** Days a software token stays valid from its setup (the app's 有効期限). */
  readonly tokenValidityDays: number;
  /**
   * The bank's internet-banking login page, for the app's 「ワンタイムパスワードでログイン」
   * (guide 000 STEP 3-5); null when the bank offers none.
   */
  readonly loginUrl: string | null;
  /**
   * The bank's extra checks on its portal's トークン発行 confirm screen (guides 000 and 002):
   * a メール通知パスワード, the 追加認証 security question, and 電話番号認証.
   */
  readonly issueMailOtp: boolean;
  readonly issueSecurityQuestion: boolean;
  readonly issuePhoneCheck: boolean;
  /**
   * 機種変更 without paper (SPEC.md): a customer whose token is 利用中 may issue a new one after
   * the login password and 電話番号認証; the old token works until the new one is activated.
   */
  readonly selfServiceReplace: boolean;
  /**
   * 取引認証 (SPEC.md, "Transaction authentication"): when a transfer must be confirmed in the
   * app: never, always, above `transactionAuthAmount` yen, or to a payee not paid before.
   */
  readonly transactionAuth: TransactionAuthMode;
  /** The threshold (yen) of `above_amount`: transfers of more than this need 取引認証. */
  readonly transactionAuthAmount: number;
  /** Seconds a transaction stays valid (SPEC: 5 minutes, a tenant setting). */
  readonly transactionTtlSeconds: number;
}

/** When 取引認証 is required for a transfer. */
export type TransactionAuthMode = 'off' | 'always' | 'above_amount' | 'new_payee';

const TRANSACTION_AUTH_MODES: readonly TransactionAuthMode[] = [
  'off',
  'always',
  'above_amount',
  'new_payee',
];

/** The policy's on/off settings. */
const BOOLEAN_SETTINGS = [
  'reissueNextDay',
  'issueMailOtp',
  'issueSecurityQuestion',
  'issuePhoneCheck',
  'selfServiceReplace',
] as const;

/** The defaults of SPEC.md. */
export const DEFAULT_POLICY: TenantPolicy = Object.freeze({
  algorithm: 'SHA1',
  digits: 8,
  period: 60,
  window: 1,
  lockoutThreshold: 5,
  issuanceExpiryHours: 24,
  issuanceLimitCount: 5,
  issuanceLimitDays: 30,
  activationPasswordAttempts: 5,
  reissueNextDay: false,
  tokenValidityDays: 1826,
  loginUrl: null,
  issueMailOtp: false,
  issueSecurityQuestion: false,
  issuePhoneCheck: false,
  selfServiceReplace: false,
  transactionAuth: 'off',
  transactionAuthAmount: 100_000,
  transactionTtlSeconds: 300,
});

type IntRule = readonly [min: number, max: number];
const INT_RULES: Record<
  Exclude<
    keyof TenantPolicy,
    'algorithm' | 'loginUrl' | 'transactionAuth' | (typeof BOOLEAN_SETTINGS)[number]
  >,
  IntRule
> = {
  digits: [6, 10],
  period: [10, 300],
  window: [0, 10],
  lockoutThreshold: [1, 100],
  issuanceExpiryHours: [1, 24 * 30],
  issuanceLimitCount: [1, 1000],
  issuanceLimitDays: [1, 365],
  activationPasswordAttempts: [1, 100],
  tokenValidityDays: [1, 3660],
  transactionAuthAmount: [1, 999_999_999],
  transactionTtlSeconds: [30, 3600],
};

/** The allowed range of a numeric policy setting (the console's editor names it). */
export function policyRange(field: keyof typeof INT_RULES): readonly [min: number, max: number] {
  return INT_RULES[field];
}

/**
 * Merges `input` over the defaults (or over `base`) and checks every field; throws
 * VALIDATION_FAILED naming each bad field. Unknown fields are refused too.
 */
export function parsePolicy(input: unknown, base: TenantPolicy = DEFAULT_POLICY): TenantPolicy {
  const errors: FieldError[] = [];
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new InkanError('VALIDATION_FAILED', {
      errors: [{ field: 'policy', message: 'must be an object' }],
    });
  }
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(input)) {
    if (k === 'algorithm') {
      if (v === 'SHA1' || v === 'SHA256' || v === 'SHA512') out[k] = v;
      else errors.push({ field: k, message: 'must be SHA1, SHA256 or SHA512' });
    } else if ((BOOLEAN_SETTINGS as readonly string[]).includes(k)) {
      if (typeof v === 'boolean') out[k] = v;
      else errors.push({ field: k, message: 'must be a boolean' });
    } else if (k === 'transactionAuth') {
      if (TRANSACTION_AUTH_MODES.includes(v as TransactionAuthMode)) out[k] = v;
      else
        errors.push({ field: k, message: `must be one of ${TRANSACTION_AUTH_MODES.join(', ')}` });
    } else if (k === 'loginUrl') {
      if (v === null || isLoginUrl(v)) out[k] = v;
      else
        errors.push({
          field: k,
          message: 'must be an http(s) URL of at most 200 characters, or null',
        });
    } else if (Object.hasOwn(INT_RULES, k)) {
      const [min, max] = INT_RULES[k as keyof typeof INT_RULES];
      if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) out[k] = v;
      else errors.push({ field: k, message: `must be an integer from ${min} to ${max}` });
    } else {
      errors.push({ field: k, message: 'is not a policy setting' });
    }
  }
  if (errors.length > 0) throw new InkanError('VALIDATION_FAILED', { errors });
  return Object.freeze(out as unknown as TenantPolicy);
}

/**
 * Whether a transfer needs 取引認証 under `mode` (SPEC.md: "always, above an amount, or for new
 * payees").
 *
 * @param policy - the tenant's policy (or a customer's override of its three fields)
 * @param transfer - the amount in yen, and whether the payee was paid before by this customer
 */
export function requiresTransactionAuth(
  policy: Pick<TenantPolicy, 'transactionAuth' | 'transactionAuthAmount'>,
  transfer: { amount: number; knownPayee: boolean },
): boolean {
  switch (policy.transactionAuth) {
    case 'always':
      return true;
    case 'above_amount':
      return transfer.amount > policy.transactionAuthAmount;
    case 'new_payee':
      return !transfer.knownPayee;
    default:
      return false;
  }
}
