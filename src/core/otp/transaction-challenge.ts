/**
 * 取引認証 (SPEC.md, "Transaction authentication"): the OCRA challenge bound to a transfer's
 * payee and amount (dynamic linking), for the online path (the app shows the transaction it got
 * from the platform and answers on 承認) and the offline path (the customer keys the payee's
 * account number and the amount into the app and types the code into the bank's screen).
 *
 * Online: Q = hex(SHA-256(canonical encoding)) under `OCRA-1:HOTP-<H>-8:QH64`, where the
 * canonical encoding is the UTF-8 of these eight lines joined by "\n" (no trailing newline):
 *
 *   inkan/transaction/v1
 *   id=<transaction ID>
 *   bank=<payee bank>              NFKC, trimmed
 *   branch=<payee branch>          NFKC, trimmed
 *   account=<payee account>        7 digits (口座番号)
 *   name=<payee name>              NFKC, trimmed (受取人名, カナ)
 *   amount=<amount>                a positive integer, decimal, no leading zeros
 *   currency=<currency>            ISO 4217, three capital letters
 *
 * No field may hold a control character, so the lines cannot be confused with each other: a
 * change to any field is a change to the encoding, hence (SHA-256 being collision resistant) to
 * the question and, but for a 10^-8 chance per try, to the 8-digit response. The random ID
 * makes every transaction's question different, so a response never fits another transaction.
 *
 * Offline: Q = the amount as 12 digits followed by the account number as 7 digits, a 19-digit
 * number, under `OCRA-1:HOTP-<H>-8:QN19-T1M`: the amount's fixed width keeps two (amount,
 * account) pairs from writing the same number, and the time step T (RFC 6287 §6.3, T1M) keeps
 * the code fresh; the platform accepts it only while the transaction is pending.
 *
 * `<H>` is the token's own hash (SHA1 by default), so the app's WebCrypto key signs it as is.
 */
import type { HashAlgorithm } from './hotp.js';

/** What the customer confirms: the payee and the amount. */
export interface TransactionDetails {
  /** 振込先金融機関: a bank name or its 4-digit code, at most 30 characters. */
  readonly payeeBank: string;
  /** 支店: a branch name or its 3-digit code, at most 30 characters. */
  readonly payeeBranch: string;
  /** 口座番号: 7 digits. */
  readonly payeeAccount: string;
  /** 受取人名, at most 30 characters. */
  readonly payeeName: string;
  /** A positive integer amount in the currency's unit (yen for JPY): 1..999,999,999,999. */
  readonly amount: number;
  /** ISO 4217 code, e.g. JPY. */
  readonly currency: string;
}

/** The largest amount the offline question can carry (12 digits). */
export const MAX_TRANSACTION_AMOUNT = 999_999_999_999;

/** The OCRA suite of the online path for a token with hash `hash`. */
export function onlineTransactionSuite(hash: HashAlgorithm): string {
  return `OCRA-1:HOTP-${hash}-8:QH64`;
}

/** The OCRA suite of the offline path for a token with hash `hash`. */
export function offlineTransactionSuite(hash: HashAlgorithm): string {
  return `OCRA-1:HOTP-${hash}-8:QN19-T1M`;
}

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function normalizeText(value: string, field: string): string {
  const v = value.normalize('NFKC').trim();
  if (v.length === 0 || v.length > 30 || CONTROL.test(v)) {
    throw new RangeError(`${field} must be 1 to 30 characters without control characters`);
  }
  return v;
}

/**
 * Checks and normalizes transaction details (NFKC, trimmed); throws a RangeError naming the
 * first bad field.
 *
 * @param t - the details as received
 * @returns the details in canonical form
 */
export function normalizeTransactionDetails(t: TransactionDetails): TransactionDetails {
  const payeeAccount = t.payeeAccount.normalize('NFKC').trim();
  if (!/^[0-9]{7}$/.test(payeeAccount)) throw new RangeError('payeeAccount must be 7 digits');
  if (!Number.isSafeInteger(t.amount) || t.amount < 1 || t.amount > MAX_TRANSACTION_AMOUNT) {
    throw new RangeError('amount must be an integer from 1 to 999999999999');
  }
  if (!/^[A-Z]{3}$/.test(t.currency)) throw new RangeError('currency must be an ISO 4217 code');
  return {
    payeeBank: normalizeText(t.payeeBank, 'payeeBank'),
    payeeBranch: normalizeText(t.payeeBranch, 'payeeBranch'),
    payeeAccount,
    payeeName: normalizeText(t.payeeName, 'payeeName'),
    amount: t.amount,
    currency: t.currency,
  };
}

/**
 * The canonical encoding of a transaction (see the file comment), as UTF-8 bytes.
 *
 * @param transactionId - the platform's random transaction ID (URL-safe characters)
 * @param details - the transaction; normalized here
 * @throws RangeError for a bad ID or field
 */
export function encodeTransaction(transactionId: string, details: TransactionDetails): Uint8Array {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(transactionId)) throw new RangeError('bad transaction ID');
  const t = normalizeTransactionDetails(details);
  const text = [
    'inkan/transaction/v1',
    `id=${transactionId}`,
    `bank=${t.payeeBank}`,
    `branch=${t.payeeBranch}`,
    `account=${t.payeeAccount}`,
    `name=${t.payeeName}`,
    `amount=${String(t.amount)}`,
    `currency=${t.currency}`,
  ].join('\n');
  return new TextEncoder().encode(text);
}

/**
 * The online question: the SHA-256 of the canonical encoding as 64 hex digits (QH64).
 *
 * @param digest - SHA-256 of {@link encodeTransaction}'s bytes (32 bytes)
 */
export function onlineTransactionQuestion(digest: Uint8Array): string {
  if (digest.length !== 32) throw new RangeError('a SHA-256 digest has 32 bytes');
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The offline question (QN19): the amount as 12 digits, then the 7-digit account number. What
 * the customer keys into the app is exactly these two numbers.
 *
 * @param payeeAccount - 7 digits (full-width digits are accepted and normalized)
 * @param amount - 1..999,999,999,999
 */
export function offlineTransactionQuestion(payeeAccount: string, amount: number): string {
  const account = payeeAccount.normalize('NFKC').trim();
  if (!/^[0-9]{7}$/.test(account)) throw new RangeError('payeeAccount must be 7 digits');
  if (!Number.isSafeInteger(amount) || amount < 1 || amount > MAX_TRANSACTION_AMOUNT) {
    throw new RangeError('amount must be an integer from 1 to 999999999999');
  }
  return String(amount).padStart(12, '0') + account;
}
