import type { HashAlgorithm } from '../otp/index.js';

/** ソフトウェアトークン (the app) or ハードウェアトークン (the key-fob). */
export type TokenType = 'software' | 'hardware';

/**
 * Stored lifecycle states (SPEC.md, "The token lifecycle"): トークン発行済 = `issued`,
 * 初期設定済 = `provisioned`, 利用中 = `active`. A token that left the lifecycle is `ended` and
 * kept for history; 未登録 (`none`) is the absence of a live token.
 */
export type TokenState = 'issued' | 'provisioned' | 'active' | 'ended';

/** What the platform API shows as `state`. */
export type PublicTokenState = 'none' | 'issued' | 'provisioned' | 'active';

/** Why a token ended. */
export type EndReason =
  | 'deactivated' // 利用解除 by the customer with an OTP
  | 'staff_deactivated' // 書面による手続き: staff, without an OTP
  | 'expired' // an unfinished issuance past its time
  | 'void' // too many wrong activation passwords
  | 'reissued' // an unfinished issuance replaced by a new one
  | 'replaced'; // 機種変更: the old token, once the new one was activated

/** One token as the core sees it. Times are epoch milliseconds (UTC). */
export interface Token {
  readonly id: number;
  readonly serviceId: string;
  readonly customerId: number;
  readonly type: TokenType;
  readonly state: TokenState;
  /** The 12-digit ユーザID the app is set up with. */
  readonly userId: string;
  readonly serial: string | null;
  readonly email: string | null;
  readonly algorithm: HashAlgorithm;
  readonly digits: number;
  readonly period: number;
  /** Highest accepted time step (single use), null before the first. */
  readonly lastStep: number | null;
  readonly failCount: number;
  readonly locked: boolean;
  readonly lockedAt: number | null;
  /** Last observed clock drift in steps. */
  readonly drift: number;
  readonly passwordAttempts: number;
  readonly issuedAt: number;
  /** End of the unfinished issuance (not activated by then: invalid). */
  readonly expiresAt: number;
  readonly provisionedAt: number | null;
  readonly activatedAt: number | null;
  readonly validFrom: number | null;
  readonly validUntil: number | null;
  readonly lastUsedAt: number | null;
  /** 機種変更: the active token this one replaces once activated. */
  readonly replacesTokenId: number | null;
  readonly endedAt: number | null;
  readonly endReason: EndReason | null;
}

/** True for an unfinished issuance (発行済 or 初期設定済, not yet 利用中). */
export function isUnfinished(token: Token): boolean {
  return token.state === 'issued' || token.state === 'provisioned';
}

/** An unfinished issuance whose time ran out (SPEC: 「有効期限…再度トークン発行」). */
export function isIssuanceExpired(token: Token, now: number): boolean {
  return isUnfinished(token) && now >= token.expiresAt;
}

/** An active token past its 有効期限. */
export function isPastValidity(token: Token, now: number): boolean {
  return token.state === 'active' && token.validUntil !== null && now >= token.validUntil;
}
