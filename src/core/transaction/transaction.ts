/**
 * 取引認証 (SPEC.md, "Transaction authentication"): a transfer the customer confirms with the
 * token, bound to its payee and amount by OCRA (RFC 6287; see core/otp/transaction-challenge.ts).
 * Valid for the tenant's `transactionTtlSeconds` (default 300, SPEC: "valid for 5 minutes") and
 * once: pending → approved | rejected | failed | expired, each a single conditional write.
 */
import type { HashAlgorithm, TransactionDetails } from '../otp/index.js';
import type { TransactionAuthMode } from '../tenant/policy.js';

/** Where a transaction stands. Only `pending` moves; the others are final. */
/**
 * pending until the app's 承認 or the offline code (approved), the app's 拒否 (rejected), the
 * bank's cancel when the customer stops the transfer on its screen (cancelled), the TTL
 * (expired), or too many wrong responses (failed).
 */
export type TransactionState =
  'pending' | 'approved' | 'rejected' | 'cancelled' | 'expired' | 'failed';

/** How an approval arrived: the app online (承認) or a code typed into the bank's screen. */
export type TransactionChannel = 'app' | 'offline';

/** Wrong responses one transaction tolerates before it fails (each also counts for 閉塞). */
export const TRANSACTION_MAX_FAILURES = 3;

/** A stored transaction. */
export interface TransactionRecord extends TransactionDetails {
  /** Random, unguessable (128 bits, base64url). */
  readonly id: string;
  readonly serviceId: string;
  readonly customerId: number;
  readonly customerRef: string;
  readonly tokenId: number;
  /** The token's hash: the suites are `OCRA-1:HOTP-<hash>-8:…`. */
  readonly algorithm: HashAlgorithm;
  /** The online question: 64 hex digits (QH64). */
  readonly challenge: string;
  readonly state: TransactionState;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly resultAt: number | null;
  readonly channel: TransactionChannel | null;
  readonly failures: number;
}

/** A transaction to store. */
export type NewTransaction = Omit<TransactionRecord, 'state' | 'resultAt' | 'channel' | 'failures'>;

/** The outcome of a settling write. */
export interface SettleTransaction {
  readonly id: string;
  readonly to: 'approved' | 'rejected';
  readonly channel: TransactionChannel;
  readonly now: number;
  /** Offline approvals: the OCRA time step used, unique per token and question (single use). */
  readonly offlineStep?: number;
  readonly offlineQuestion?: string;
}

/** Persistence of transactions (migration 006); KyselyStore implements it. */
export interface TransactionStore {
  insertTransaction(t: NewTransaction): Promise<void>;
  getTransaction(serviceId: string, id: string): Promise<TransactionRecord | null>;
  /** The token's pending transactions not yet expired at `now`, oldest first. */
  pendingTransactions(tokenId: number, now: number): Promise<TransactionRecord[]>;
  /**
   * pending → approved/rejected, only while pending and before `expiresAt` (one conditional
   * UPDATE): false when another request settled it first, it expired, or (offline) the same code
   * was already used for the same question.
   */
  settleTransaction(s: SettleTransaction): Promise<boolean>;
  /** Pending transactions past `expiresAt` (for the housekeeping sweep), oldest first. */
  overdueTransactions(now: number, limit: number): Promise<TransactionRecord[]>;
  /** pending → cancelled (the bank's cancel), only while pending and before `expiresAt`. */
  cancelTransaction(id: string, now: number): Promise<boolean>;
  /** pending → expired when `expiresAt` has passed; false when it was not pending. */
  expireTransaction(id: string, now: number): Promise<boolean>;
  /**
   * One more wrong response, counted atomically while pending; at `max` the transaction fails.
   * Null when it was no longer pending.
   */
  recordTransactionFailure(
    id: string,
    max: number,
    now: number,
  ): Promise<{ failures: number; failed: boolean } | null>;
  /** Marks a pending transaction failed (its token was locked); false when not pending. */
  failTransaction(id: string, now: number): Promise<boolean>;
  /**
   * The app's request clock (anti-replay): records `time` for the token only if it is later
   * than the last one recorded; false for a replayed or reordered request.
   */
  advanceAppClock(tokenId: number, time: number): Promise<boolean>;
  /**
   * A right response ends the run of wrong ones, as a right OTP does (閉塞 counts consecutive
   * failures): the token's fail count back to 0, unless it is locked.
   */
  clearOtpFailures(tokenId: number): Promise<void>;
  /** A customer's own 取引認証 mode, or null when the tenant's applies. */
  getCustomerTransactionPolicy(customerId: number): Promise<CustomerTransactionPolicy | null>;
  /** Sets (or, with null, clears) a customer's own 取引認証 mode. */
  setCustomerTransactionPolicy(
    customerId: number,
    policy: CustomerTransactionPolicy | null,
    now: number,
  ): Promise<void>;
}

/**
 * A customer's own 取引認証 rule (SPEC.md: "a tenant chooses per customer or for all"); the
 * amount applies to `above_amount` and falls back to the tenant's.
 */
export interface CustomerTransactionPolicy {
  readonly transactionAuth: TransactionAuthMode;
  readonly transactionAuthAmount: number | null;
}

/**
 * The state to report: a pending transaction whose time is over reads as expired even before
 * the write that records it.
 *
 * @param t - the stored transaction
 * @param now - epoch ms
 */
export function effectiveTransactionState(t: TransactionRecord, now: number): TransactionState {
  return t.state === 'pending' && now >= t.expiresAt ? 'expired' : t.state;
}
