import type { ReasonCode, TenantPolicy } from '../core/index.js';

/**
 * The platform as a bank's systems see it: the calls of SPEC.md's contract for one tenant. The
 * portal reaches the platform only through this interface, in-process or over HTTP, the same
 * calls either way, so a real bank could put its own internet banking in the portal's place.
 *
 * Refusals (problem+json on the wire) are thrown as `InkanError` with the contract's stable
 * `code`; OTP outcomes are values.
 */
export interface PlatformClient {
  /** The tenant this client speaks for (its サービスID). */
  readonly serviceId: string;
  /** The bank's own record: its name and policy (the options its portal offers). */
  getTenant(): Promise<TenantInfo>;
  issueToken(ref: string, req: IssueTokenRequest): Promise<IssuedToken>;
  /** The customer's token (登録状況), or null when there is none. */
  getToken(ref: string): Promise<TokenInfo | null>;
  activateToken(ref: string, req: { otp: string; serial?: string }): Promise<OtpAnswer>;
  verify(ref: string, otp: string): Promise<OtpAnswer>;
  deactivateToken(ref: string, req: DeactivateRequest): Promise<OtpAnswer>;
  unlockToken(ref: string, reason: string): Promise<TokenInfo>;
  /**
   * ハードウェアトークン再発行 (SPEC.md "Hardware token"): from 90 days before the active fob's
   * expiry (else REISSUE_NOT_YET), with its current OTP; `ok` carries the new request, which
   * waits beside the active fob until it is shipped and activated.
   */
  reissueHardware(ref: string, req: { otp: string }): Promise<ReissueAnswer>;
  /**
   * 生体認証ログイン (issue 6): options for navigator.credentials.create. With `ref` the challenge
   * is bound to that customer; without it, to the customer the registration is sent for.
   */
  passkeyRegistrationOptions(req?: PasskeyRegistrationOptionsRequest): Promise<PasskeyOptions>;
  /** Verifies and stores a passkey for the customer (after the bank checked who they are). */
  registerPasskey(
    ref: string,
    req: { response: unknown; deviceName?: string },
  ): Promise<PasskeyAnswer>;
  /** Options for navigator.credentials.get (discoverable credentials: no customer named). */
  passkeyAuthenticationOptions(): Promise<PasskeyOptions>;
  /** Verifies a passkey login; `ok` names the customer (both factors: possession + biometrics). */
  authenticatePasskey(response: unknown): Promise<PasskeyAnswer & { ref?: string }>;
  /** The customer's registered devices. */
  listPasskeys(ref: string): Promise<PasskeyInfo[]>;
  /** Removes one (NOT_FOUND when it is not the customer's). */
  removePasskey(ref: string, id: number): Promise<void>;
  /** 取引認証: a transfer to confirm with the token (SPEC.md, "Transaction authentication"). */
  createTransaction(ref: string, req: TransactionRequest): Promise<TransactionInfo>;
  /** The transaction's state (the waiting screen polls it). */
  getTransaction(ref: string, transactionId: string): Promise<TransactionInfo>;
  /** The offline 取引認証コード the customer typed (8 digits). */
  verifyTransactionCode(
    ref: string,
    transactionId: string,
    code: string,
  ): Promise<TransactionAnswerInfo>;
  /**
   * The customer stopped the transfer on the bank's screen (申込を中止する): the pending
   * transaction is cancelled, so the app can no longer approve it. A transaction already settled
   * keeps its state, and the answer says which (as for a code).
   */
  cancelTransaction(ref: string, transactionId: string): Promise<TransactionAnswerInfo>;
  /** When this customer's transfers need 取引認証 (the tenant's rule or their own). */
  getTransactionPolicy(ref: string): Promise<TransactionPolicyInfo>;
  /** Sets the customer's own rule; `transactionAuth: null` returns them to the tenant's. */
  setTransactionPolicy(
    ref: string,
    req: {
      transactionAuth: TransactionPolicyInfo['transactionAuth'] | null;
      transactionAuthAmount?: number | null;
    },
  ): Promise<TransactionPolicyInfo>;
}

/** POST /passkeys/registration/options. */
export interface PasskeyRegistrationOptionsRequest {
  ref?: string;
  /** The name the phone shows for the passkey (e.g. the bank's name). */
  userName?: string;
  userDisplayName?: string;
}

/** WebAuthn options to hand to the browser as they are, and until when their challenge holds. */
export interface PasskeyOptions {
  options: Record<string, unknown>;
  expiresAt: string;
}

/** A passkey check's answer: `ok`, or why not (a value, not an error). */
export interface PasskeyAnswer {
  result:
    | 'ok'
    | 'invalid'
    | 'challenge_invalid'
    | 'user_not_verified'
    | 'unknown_credential'
    | 'counter_regressed'
    | 'already_registered';
  passkey?: PasskeyInfo;
}

/** A registered device (GET /customers/{ref}/passkeys). */
export interface PasskeyInfo {
  id: number;
  deviceName: string;
  createdAt: string;
  lastUsedAt: string | null;
  transports: string[];
  boundToToken: boolean;
}

/** A customer's effective 取引認証 rule. */
export interface TransactionPolicyInfo {
  transactionAuth: 'off' | 'always' | 'above_amount' | 'new_payee';
  transactionAuthAmount: number;
  source: 'tenant' | 'customer';
}

/** POST /customers/{ref}/transactions: the payee and the amount. */
export interface TransactionRequest {
  payeeBank: string;
  payeeBranch: string;
  payeeAccount: string;
  payeeName: string;
  amount: number;
  currency?: string;
}

/** A transaction as the platform holds it. */
export interface TransactionInfo {
  transactionId: string;
  state: 'pending' | 'approved' | 'rejected' | 'cancelled' | 'expired' | 'failed';
  payeeBank: string;
  payeeBranch: string;
  payeeAccount: string;
  payeeName: string;
  amount: number;
  currency: string;
  suite: string;
  challenge: string;
  offlineSuite: string;
  createdAt: string;
  expiresAt: string;
  resultAt: string | null;
  channel: 'app' | 'offline' | null;
  failures: number;
}

/** The answer to an offline code: `ok`, or why not, with the transaction's state. */
export interface TransactionAnswerInfo {
  result: ReasonCode;
  state: TransactionInfo['state'];
  failCount?: number;
  locked?: boolean;
}

/** GET /tenant. */
export interface TenantInfo {
  serviceId: string;
  name: string;
  policy: TenantPolicy;
}

/** POST /customers/{ref}/tokens. */
export type IssueTokenRequest =
  | {
      type: 'software';
      email: string;
      activationPassword: string;
      /** 機種変更: keep the active token until this one is activated. */
      replace?: boolean;
    }
  | { type: 'hardware'; replace?: boolean };

/** The answer of an issuance. */
export interface IssuedToken {
  userId: string;
  serviceId: string;
  type: 'software' | 'hardware';
  state: 'issued';
  expiresAt: string;
  serial: string | null;
  replacesActiveToken: boolean;
}

/** DELETE /customers/{ref}/token. */
export type DeactivateRequest = { otp: string } | { force: true; reason: string };

/** An OTP check's answer: `ok` (with the new state for activation and deactivation) or why not. */
export interface OtpAnswer {
  result: ReasonCode;
  state?: 'active' | 'none';
  failCount?: number;
  locked?: boolean;
}

/** POST /customers/{ref}/token/reissue: the OTP's answer, and on `ok` the new request. */
export type ReissueAnswer = OtpAnswer & Partial<IssuedToken>;

/** What a bank may know of a token (GET /customers/{ref}/token). */
export interface TokenInfo {
  state: 'issued' | 'provisioned' | 'active' | 'none';
  type: 'software' | 'hardware';
  serviceId: string;
  userId: string;
  serial: string | null;
  failCount: number;
  locked: boolean;
  lockedAt: string | null;
  expired: boolean;
  issuedAt: string;
  expiresAt: string;
  provisionedAt: string | null;
  activatedAt: string | null;
  validFrom: string | null;
  validUntil: string | null;
  lastUsedAt: string | null;
  /** 機種変更: the new token waiting for 利用開始 while this one stays active. */
  pending?: TokenInfo;
}
