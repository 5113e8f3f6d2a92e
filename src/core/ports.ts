import type { AuditEvent, ChainedAuditEvent, Sha256Hex } from './audit/audit-chain.js';
import type { HashAlgorithm } from './otp/index.js';
import type { TenantPolicy } from './tenant/policy.js';
import type { EndReason, Token, TokenType } from './token/token.js';
import type { NewStaff, StaffRecord } from './staff/staff.js';
import type { PasskeyStore } from './passkey/passkey.js';
import type { PushSubscriptionStore } from './push/index.js';
import type { TransactionStore } from './transaction/transaction.js';
import type {
  HardwareLifeState,
  HardwareShipment,
  HardwareStockItemView,
  HardwareWaiting,
} from './hardware/hardware-state.js';
import type {
  AuditSearch,
  DeactivationDecision,
  DeactivationRequestRecord,
  NewDeactivationRequest,
} from './staff/deactivation-request.js';

/**
 * What the core and the services need from the outside world, in the domain's words. Storage and
 * crypto implement these; tests may pass fakes where a fake is honest (a clock).
 */

/** The time, as epoch milliseconds (UTC). */
export interface Clock {
  now(): number;
}

/** A bank. */
export interface TenantRecord {
  readonly serviceId: string;
  readonly name: string;
  readonly policy: TenantPolicy;
  readonly createdAt: number;
}

/** A bank's customer, known by the bank's own reference. */
export interface CustomerRecord {
  readonly id: number;
  readonly serviceId: string;
  readonly ref: string;
  readonly createdAt: number;
  /** Staff lifted 発行規制 at this time: only later issuances count. */
  readonly issuanceLimitResetAt: number | null;
  readonly lastDeactivatedAt: number | null;
}

/** A token with its sealed secret (never the secret itself). */
export interface StoredToken extends Token {
  readonly sealedSecret: string | null;
}

/** A token found by its IDs for provisioning, with the activation password's hash. */
export interface ProvisioningCandidate extends StoredToken {
  readonly passwordHash: string | null;
}

/** A new issuance. */
export interface NewToken {
  readonly serviceId: string;
  readonly customerId: number;
  readonly type: TokenType;
  readonly userId: string;
  readonly serial: string | null;
  readonly email: string | null;
  readonly algorithm: HashAlgorithm;
  readonly digits: number;
  readonly period: number;
  readonly passwordHash: string | null;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly replacesTokenId: number | null;
}

/** A tenant API key: only its hash is stored. */
export interface ApiKeyRecord {
  readonly keyId: string;
  readonly serviceId: string;
  readonly hash: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/** A hardware token in a bank's stock, imported from a vendor's PSKC file (its secret sealed). */
export interface HardwareStockRecord {
  readonly id: number;
  readonly serviceId: string;
  /** シリアル番号 on the back of the token: 8-12 digits. */
  readonly serial: string;
  readonly kind: 'totp' | 'hotp';
  readonly algorithm: HashAlgorithm;
  readonly digits: number;
  /** Seconds per step (TOTP); 0 for HOTP. */
  readonly period: number;
  /** The next HOTP counter; 0 for TOTP. */
  readonly counter: number;
  readonly sealedSecret: string;
  readonly validFrom: number | null;
  readonly validUntil: number | null;
  /**
   * stock (在庫) → shipped (発送済: assigned to a customer's request, issue 5) → active (bound to
   * the token at 利用開始) → ended (never usable again).
   */
  readonly state: 'stock' | 'shipped' | 'active' | 'ended';
  readonly tokenId: number | null;
  /** The import it came in (for staff: which file). */
  readonly batch: string;
  readonly importedAt: number;
}

/** A stock item to add. */
export type NewHardwareStock = Omit<HardwareStockRecord, 'id' | 'state' | 'tokenId'>;

/** What 利用開始 of a hardware token writes: the stock item's secret and parameters, bound. */
export interface HardwareBinding {
  readonly tokenId: number;
  readonly stockId: number;
  readonly serial: string;
  /** The secret sealed anew for the token (its own associated data). */
  readonly sealedSecret: string;
  readonly algorithm: HashAlgorithm;
  readonly digits: number;
  readonly period: number;
  readonly step: number;
  readonly drift: number;
  readonly validFrom: number;
  readonly validUntil: number | null;
  readonly now: number;
}

/** What provisioning writes when it succeeds. */
export interface ProvisioningResult {
  readonly sealedSecret: string;
  readonly validFrom: number;
  readonly validUntil: number;
  readonly now: number;
}

/**
 * Persistence. Every method is atomic on its own; `transaction` groups several into one. The
 * OTP methods are single conditional statements so that single use and lockout hold across
 * server processes (CONVENTIONS.md, guideline 4).
 */
export interface Store extends TransactionStore {
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;

  createTenant(t: TenantRecord): Promise<void>;
  getTenant(serviceId: string): Promise<TenantRecord | null>;
  listTenants(): Promise<TenantRecord[]>;
  updateTenantPolicy(serviceId: string, policy: TenantPolicy): Promise<void>;
  addApiKey(k: ApiKeyRecord): Promise<void>;
  findApiKey(keyId: string): Promise<ApiKeyRecord | null>;

  getCustomer(serviceId: string, ref: string): Promise<CustomerRecord | null>;
  /** The customer and its live tokens in one read (the verification hot path). */
  findCustomerTokens(
    serviceId: string,
    ref: string,
  ): Promise<{ customer: CustomerRecord; tokens: StoredToken[] } | null>;
  /** The customer, created on first use. */
  ensureCustomer(serviceId: string, ref: string, now: number): Promise<CustomerRecord>;
  /** Serialises lifecycle changes of one customer (a row lock on PostgreSQL; SQLite writes are serial). */
  lockCustomer(customerId: number): Promise<void>;
  markCustomerDeactivated(customerId: number, now: number): Promise<void>;
  liftIssuanceLimit(customerId: number, now: number): Promise<void>;

  /** The customer's tokens that are not ended (at most an active one and an unfinished one). */
  liveTokens(customerId: number): Promise<StoredToken[]>;
  /** The newest token with these IDs, in any state. */
  findTokenByUserId(serviceId: string, userId: string): Promise<ProvisioningCandidate | null>;
  getToken(tokenId: number): Promise<StoredToken | null>;
  /** Issuances of the customer at or after `since`. */
  countIssuances(customerId: number, since: number): Promise<number>;
  insertToken(t: NewToken): Promise<StoredToken>;
  /** Ends a live token; false when it had already ended. */
  endToken(tokenId: number, reason: EndReason, now: number): Promise<boolean>;

  /**
   * One more wrong activation password, counted atomically; at `limit` the issuance becomes void.
   * Null when the token is no longer waiting for setup.
   */
  recordPasswordFailure(
    tokenId: number,
    limit: number,
    now: number,
  ): Promise<{ attempts: number; voided: boolean } | null>;
  /** issued → provisioned, once: false when another request won or the issuance is void. */
  completeProvisioning(tokenId: number, limit: number, r: ProvisioningResult): Promise<boolean>;

  /**
   * Single use: records `step` as used only if it is above the last used step and the token is
   * in `state` and not locked; resets the fail count. False when another request used the step
   * first or the token was locked meanwhile.
   */
  consumeStep(
    tokenId: number,
    state: 'active' | 'provisioned',
    step: number,
    drift: number,
    now: number,
  ): Promise<boolean>;
  /**
   * consumeStep and, only when it succeeds, the audit event, as one atomic write (the verification
   * hot path: a single statement on PostgreSQL).
   */
  consumeStepWithAudit(
    tokenId: number,
    state: 'active' | 'provisioned',
    step: number,
    drift: number,
    now: number,
    audit: AuditEvent,
  ): Promise<boolean>;
  /** Like consumeStep, and moves the token to `active` in the same statement (利用開始). */
  activateWithStep(
    tokenId: number,
    from: 'issued' | 'provisioned',
    step: number | null,
    drift: number,
    validFrom: number,
    validUntil: number | null,
    now: number,
  ): Promise<boolean>;
  /** One more wrong OTP, counted atomically; locks at `threshold` (閉塞). */
  recordOtpFailure(
    tokenId: number,
    threshold: number,
    now: number,
  ): Promise<{ failCount: number; locked: boolean }>;
  /** 閉塞解除: clears the lock and the count. */
  unlockToken(tokenId: number): Promise<void>;

  /** Of `serials`, those already in the bank's stock. */
  existingSerials(serviceId: string, serials: readonly string[]): Promise<string[]>;
  /** Adds stock items (within the caller's transaction: an import is all or nothing). */
  insertHardwareStock(rows: readonly NewHardwareStock[]): Promise<void>;
  findHardwareStock(serviceId: string, serial: string): Promise<HardwareStockRecord | null>;
  /**
   * 利用開始 of a hardware token: the stock item (still in stock) becomes the issued token's,
   * and the token becomes active with its secret and parameters, using up `step`. False when
   * either moved on meanwhile (another activation won).
   */
  bindHardwareToken(b: HardwareBinding): Promise<boolean>;
  /** The bank's stock by state. */
  countHardwareStock(serviceId: string): Promise<Record<HardwareStockRecord['state'], number>>;
  /** Key rotation of the stock's secrets, in pages. */
  listSealedStock(
    afterId: number,
    limit: number,
  ): Promise<{ id: number; serviceId: string; serial: string; sealedSecret: string }[]>;
  updateSealedStock(stockId: number, oldSealed: string, newSealed: string): Promise<boolean>;

  /** Re-seals secrets (key rotation): every token with a sealed secret, in pages. */
  listSealedSecrets(
    afterId: number,
    limit: number,
  ): Promise<{ id: number; serviceId: string; userId: string; sealedSecret: string }[]>;
  updateSealedSecret(tokenId: number, oldSealed: string, newSealed: string): Promise<boolean>;

  // The admin console's staff (migration 004; storage/staff-store.ts).
  /** A staff member; STAFF_EXISTS when the login ID is taken in any bank. */
  insertStaff(s: NewStaff): Promise<StaffRecord>;
  getStaff(staffId: number): Promise<StaffRecord | null>;
  findStaffByLoginId(loginId: string): Promise<StaffRecord | null>;
  /** The bank's staff, by login ID. */
  listStaff(serviceId: string): Promise<StaffRecord[]>;
  /** Enrolment: a fresh, unconfirmed TOTP secret; false when enrolment was confirmed already. */
  setStaffTotpSecret(staffId: number, sealed: string): Promise<boolean>;
  /** The staff member's own new password, only over `previousHash`; clears the change flag. */
  setStaffPassword(
    staffId: number,
    previousHash: string,
    hash: string,
    now: number,
  ): Promise<boolean>;
  /**
   * Enrolment confirmed by a code of `step`: only while the secret is still `sealed`, unconfirmed
   * and the account not locked (a newer login's fresh secret or a lock wins).
   */
  confirmStaffTotp(staffId: number, sealed: string, step: number, now: number): Promise<boolean>;
  /**
   * Single use of the staff TOTP, as consumeStep: takes `step` only above the last one and while
   * not locked; resets the failures and records the login.
   */
  consumeStaffStep(staffId: number, step: number, now: number): Promise<boolean>;
  /** One more failed login, counted atomically; locks at `threshold`. */
  recordStaffFailure(
    staffId: number,
    threshold: number,
    now: number,
  ): Promise<{ failedLogins: number; locked: boolean }>;
  /** Clears the lock and the failures; false when there was neither. */
  unlockStaff(staffId: number): Promise<boolean>;
  /** Key rotation of the staff TOTP secrets, in pages. */
  listSealedStaffSecrets(
    afterId: number,
    limit: number,
  ): Promise<{ id: number; loginId: string; sealedSecret: string }[]>;
  updateSealedStaffSecret(staffId: number, oldSealed: string, newSealed: string): Promise<boolean>;
  /**
   * The bank's customers whose reference, or one of whose tokens' ユーザID, serial or e-mail
   * (case-insensitive) equals `query`; tokens in any state. By reference.
   */
  searchCustomers(serviceId: string, query: string, limit: number): Promise<CustomerRecord[]>;
  /** Every token of a customer, ended ones too, newest first (staff history). */
  customerTokenHistory(customerId: number): Promise<StoredToken[]>;

  appendAudit(e: AuditEvent): Promise<void>;
  /** Links every audit event not yet chained, in order; returns how many. */
  chainAudit(sha256: Sha256Hex): Promise<number>;
  /** Chained events in `seq` order, in pages. */
  readAuditChain(afterSeq: number, limit: number): Promise<ChainedAuditEvent[]>;
  countUnchainedAudit(): Promise<number>;
  /** Audit events of one customer or token, newest first (for staff and tests). */
  listAudit(filter: {
    serviceId?: string;
    customerRef?: string;
    tokenId?: number;
    limit: number;
  }): Promise<(AuditEvent & { id: number })[]>;

  /** Passkeys of 生体認証ログイン (migration 007); inside a transaction, on its connection. */
  passkeys(): PasskeyStore;
  /** The token app's Web Push subscriptions (migration 008); inside a transaction, on its connection. */
  pushSubscriptions(): PushSubscriptionStore;
  // Issue 5's console (migration 005; storage/deactivation-request-store.ts).
  /** Records a paper request as 承認待ち (the caller holds the customer's lock). */
  insertDeactivationRequest(r: NewDeactivationRequest): Promise<DeactivationRequestRecord>;
  getDeactivationRequest(id: number): Promise<DeactivationRequestRecord | null>;
  /** The customer's request waiting for approval, if any. */
  pendingDeactivationRequest(customerId: number): Promise<DeactivationRequestRecord | null>;
  /** The bank's requests, newest first: the pending ones, or the decided ones. */
  listDeactivationRequests(
    serviceId: string,
    filter: { pending: boolean; limit: number },
  ): Promise<DeactivationRequestRecord[]>;
  /** Decides a request only while it is pending; false when another decision came first. */
  decideDeactivationRequest(id: number, d: DeactivationDecision): Promise<boolean>;

  // Issue 5's hardware lifecycle (storage/hardware-desk-store.ts).
  /** Hardware requests waiting to be shipped (発送待ち; not lapsed at `now`), oldest first. */
  listHardwareWaiting(serviceId: string, now: number, limit: number): Promise<HardwareWaiting[]>;
  /** The first serial in stock and still valid (the ship form's suggestion). */
  nextHardwareInStock(serviceId: string, now: number): Promise<string | null>;
  /**
   * 発送済: the item (in stock, valid, unassigned) goes to the waiting token, and the token takes
   * its serial; two conditional UPDATEs in the caller's transaction (roll back unless `ok`).
   */
  shipHardware(s: {
    serviceId: string;
    tokenId: number;
    serial: string;
    now: number;
  }): Promise<'ok' | 'no_stock' | 'not_waiting'>;
  /** Shipped items, newest first (one token's when `tokenId` is given; shipped in [from, to)). */
  listHardwareShipments(
    serviceId: string,
    o: { tokenId?: number; from?: number; to?: number; limit: number },
  ): Promise<HardwareShipment[]>;
  /** The bank's items by life stage. */
  countHardwareLife(serviceId: string, now: number): Promise<Record<HardwareLifeState, number>>;
  /** One item by serial, with where it went. */
  findHardwareItem(
    serviceId: string,
    serial: string,
    now: number,
  ): Promise<HardwareStockItemView | null>;

  // Issue 5's audit search and dashboard (storage/console-audit-store.ts).
  /** A bank's audit events matching the filter, newest first. */
  searchAudit(serviceId: string, f: AuditSearch): Promise<(AuditEvent & { id: number })[]>;
  /** How many of a bank's events of `actions` (and `results`) since `since`. */
  countAuditEvents(
    serviceId: string,
    f: { actions: readonly string[]; results?: readonly string[]; since: number },
  ): Promise<number>;
  /** A bank's tokens by state. */
  countTokensByState(serviceId: string): Promise<Record<string, number>>;
  /** A bank's live tokens locked now (閉塞中). */
  countLockedTokens(serviceId: string): Promise<number>;
  /** A bank's tokens issued since `since`, by type. */
  countIssuedSince(serviceId: string, since: number): Promise<Record<string, number>>;

  // Issue 5's 行員管理 (storage/staff-admin-store.ts); both end the member's sessions.
  /** Clears the authenticator app: the next login enrols afresh. */
  resetStaffTotp(staffId: number): Promise<boolean>;
  /** Locks the account; false when it was locked already. */
  lockStaff(staffId: number, now: number): Promise<boolean>;
  /** A temporary password an 管理者 set: to be changed at the next login. */
  resetStaffPassword(staffId: number, hash: string, now: number): Promise<boolean>;
}

/** A stored admin-console session: the cookie's SHA-256, its data sealed. */
export interface StaffSessionRow {
  readonly idHash: string;
  readonly staffId: number;
  readonly version: number;
  readonly data: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
}

/** The admin console's sessions, in the platform's database so every server shares them. */
export interface StaffSessionStore {
  createStaffSession(row: Omit<StaffSessionRow, 'version'>): Promise<void>;
  getStaffSession(idHash: string): Promise<StaffSessionRow | null>;
  /** Compare-and-set: saves only if the row is still at `version` (a double submission loses). */
  saveStaffSession(idHash: string, version: number, data: string, now: number): Promise<boolean>;
  touchStaffSession(idHash: string, now: number): Promise<void>;
  deleteStaffSession(idHash: string): Promise<void>;
  /** Removes sessions idle since before `before`; returns how many. */
  purgeStaffSessions(before: number): Promise<number>;
}

/** Sealing of secrets at rest (AES-256-GCM under versioned master keys). */
export interface Keyring {
  seal(plaintext: Uint8Array, aad: string): string;
  unseal(sealed: string, aad: string): Uint8Array;
  /** True when `sealed` is under an older key than the current one. */
  needsReseal(sealed: string): boolean;
}

/**
 * Which notice a mail is (SPEC.md, "Messages"): トークン発行用メール, メール通知パスワード, and the
 * notices of activation, deactivation, lockout, 機種変更 and a changed mail address.
 */
export type MailKind =
  | 'token_issued'
  | 'mail_otp'
  | 'token_activated'
  | 'token_deactivated'
  | 'token_locked'
  | 'token_replaced'
  | 'mail_otp_address_changed';

/** One plain-text mail to one customer. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly kind: MailKind;
}

/** Sends mail: by SMTP in production, into the outbox in development. Rejects when not sent. */
export interface Mailer {
  send(m: MailMessage): Promise<void>;
}

/** A mail kept in the development outbox. */
export interface OutboxMail extends MailMessage {
  readonly id: number;
  /** Epoch milliseconds. */
  readonly createdAt: number;
}

/** What the dev console reads of the outbox. */
export interface MailOutboxReader {
  /** The newest `limit` mails, newest first. */
  list(limit: number): Promise<OutboxMail[]>;
  get(id: number): Promise<OutboxMail | null>;
}

/** The development outbox: mails kept in the database instead of sent (no SMTP configured). */
export interface MailOutbox extends MailOutboxReader {
  /** Keeps the mail; returns its id. */
  add(m: MailMessage, createdAt: number): Promise<number>;
  /** Removes mails kept before `before`; how many. */
  purge(before: number): Promise<number>;
}

/** Slow password hashing (scrypt) for activation passwords and API keys. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
}
