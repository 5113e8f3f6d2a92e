/**
 * Passkeys (WebAuthn credentials) for 生体認証ログイン (guide 000, STEP 5; SPEC.md): the records,
 * the store port, and the pure rules (the sign-count check of WebAuthn §6.1.1 / §7.2 step 21).
 */

/** Why a challenge was issued: a registration (create) or an authentication (get). */
export type PasskeyPurpose = 'register' | 'authenticate';

/** A stored passkey: the public key only, never anything secret (WebAuthn §6.1 credential record). */
export interface PasskeyRecord {
  readonly id: number;
  readonly serviceId: string;
  readonly customerId: number;
  readonly customerRef: string;
  /** The credential ID, base64url. */
  readonly credentialId: string;
  /** The COSE public key, base64url. */
  readonly publicKey: string;
  readonly signCount: number;
  readonly transports: readonly string[];
  readonly deviceName: string;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  /** The OTP token of the phone the passkey was registered from (its 利用解除 removes it). */
  readonly tokenId: number | null;
}

/** A new passkey to store. */
export type NewPasskey = Omit<PasskeyRecord, 'id' | 'lastUsedAt' | 'customerRef'>;

/** A challenge handed out and not yet used. */
export interface PasskeyChallenge {
  readonly challenge: string;
  readonly serviceId: string;
  readonly purpose: PasskeyPurpose;
  /** The customer it was issued for; null for a registration bound at its verification. */
  readonly customerId: number | null;
  readonly expiresAt: number;
}

/**
 * Passkey persistence. `consumeChallenge` and `advanceSignCount` are single conditional
 * statements, so a challenge is used once and a counter never goes back, across servers.
 */
export interface PasskeyStore {
  addChallenge(c: PasskeyChallenge & { createdAt: number }): Promise<void>;
  /** Deletes and returns the challenge if it exists, is unexpired and of this tenant/purpose. */
  consumeChallenge(
    serviceId: string,
    purpose: PasskeyPurpose,
    challenge: string,
    now: number,
  ): Promise<PasskeyChallenge | null>;
  /** Removes expired challenges; returns how many. */
  purgeChallenges(now: number): Promise<number>;
  /** Stores a passkey; false when the credential ID is already registered. */
  insert(p: NewPasskey): Promise<PasskeyRecord | null>;
  byCredentialId(serviceId: string, credentialId: string): Promise<PasskeyRecord | null>;
  listForCustomer(customerId: number): Promise<PasskeyRecord[]>;
  /**
   * Saves a use: the new sign count and last use, only if the stored count is still `expected`
   * (a concurrent use of the same assertion loses).
   */
  recordUse(id: number, expected: number, next: number, now: number): Promise<boolean>;
  remove(customerId: number, id: number): Promise<PasskeyRecord | null>;
  /** Removes every passkey registered from these tokens' phones; returns them. */
  removeForTokens(tokenIds: readonly number[]): Promise<PasskeyRecord[]>;
}

/** The outcome of a passkey check, a value (CONVENTIONS.md, guideline 2). */
export type PasskeyReason =
  | 'ok'
  /** Signature, origin, RP ID or format wrong. */
  | 'invalid'
  /** The challenge is unknown, already used or expired (single use, short-lived). */
  | 'challenge_invalid'
  /** The authenticator did not verify the user (UV flag clear; WebAuthn §7.1 step 15, §7.2 step 17). */
  | 'user_not_verified'
  /** No such credential (removed, or another bank's). */
  | 'unknown_credential'
  /** The sign count did not advance: a cloned authenticator (WebAuthn §6.1.1). */
  | 'counter_regressed'
  /** The credential is already registered. */
  | 'already_registered';

/**
 * WebAuthn §6.1.1 / §7.2 step 21: when either count is non-zero the new one must be greater than
 * the stored one; otherwise the authenticator may have been cloned. Both zero: the authenticator
 * keeps no counter, which is allowed.
 */
export function signCountAdvances(stored: number, received: number): boolean {
  if (stored === 0 && received === 0) return true;
  return received > stored;
}
