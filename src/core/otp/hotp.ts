/**
 * HOTP, the HMAC-based one-time password of RFC 4226.
 *
 * Pure: no Node import, no clock. The HMAC is passed in (guideline 1), so the same code runs on
 * the server over `node:crypto` and in the token PWA over a non-extractable WebCrypto key.
 */

/** The hash functions RFC 6238 §1.2 allows under HMAC: SHA-1 (RFC 4226), SHA-256, SHA-512. */
export type HashAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

/**
 * A synchronous MAC over the key the caller holds: returns HMAC(K, message) (RFC 2104).
 *
 * The returned bytes belong to the caller; the function must not keep a reference to `message`.
 */
export type HmacFn = (message: Uint8Array) => Uint8Array;

/** The asynchronous form of {@link HmacFn}, e.g. WebCrypto's `crypto.subtle.sign('HMAC', …)`. */
export type AsyncHmacFn = (message: Uint8Array) => Promise<Uint8Array>;

/** Options of {@link generateHotp}. */
export interface GenerateHotpOptions {
  /** HMAC over the token's secret K. */
  hmac: HmacFn;
  /** The moving factor C (RFC 4226 §5.1): a non-negative safe integer. */
  counter: number;
  /** Number of decimal digits, 6 to 10 (RFC 4226 §5.3 requires at least 6). */
  digits: number;
}

/** Options of {@link generateHotpAsync}: as {@link GenerateHotpOptions}, with an async HMAC. */
export interface GenerateHotpAsyncOptions {
  /** Asynchronous HMAC over the token's secret K. */
  hmac: AsyncHmacFn;
  /** The moving factor C (RFC 4226 §5.1): a non-negative safe integer. */
  counter: number;
  /** Number of decimal digits, 6 to 10. */
  digits: number;
}

/** The smallest and largest number of digits Inkan accepts (RFC 4226 §5.3, R4: at least 6). */
export const MIN_DIGITS = 6;
/** Ten digits already hold every 31-bit value (2^31 - 1 < 10^10); more would add only zeros. */
export const MAX_DIGITS = 10;

// 10^0 … 10^10, all exact in a double.
const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10] as const;

// 2^32, to split a 53-bit counter into two 32-bit halves.
const TWO_POW_32 = 0x1_0000_0000;

/**
 * Throws a RangeError unless `digits` is an integer in 6..10.
 *
 * @param digits - the requested OTP length
 */
export function assertDigits(digits: number): void {
  if (!Number.isInteger(digits) || digits < MIN_DIGITS || digits > MAX_DIGITS) {
    throw new RangeError(`digits must be an integer from ${MIN_DIGITS} to ${MAX_DIGITS}`);
  }
}

/**
 * Writes the counter C into `target[0..8)` as an 8-byte big-endian integer (RFC 4226 §5.2:
 * "C 8-byte counter value, the moving factor"), without allocating.
 *
 * JavaScript's bitwise operators are 32-bit, so the high half is taken by division: this keeps
 * counters at and above 2^32 correct up to 2^53 - 1. The caller guarantees `counter` is a
 * non-negative safe integer.
 *
 * @param counter - the moving factor
 * @param target - at least 8 bytes; bytes 0..7 are overwritten
 */
export function writeCounter(counter: number, target: Uint8Array): void {
  const high = Math.floor(counter / TWO_POW_32);
  const low = counter >>> 0;
  target[0] = high >>> 24;
  target[1] = (high >>> 16) & 0xff;
  target[2] = (high >>> 8) & 0xff;
  target[3] = high & 0xff;
  target[4] = low >>> 24;
  target[5] = (low >>> 16) & 0xff;
  target[6] = (low >>> 8) & 0xff;
  target[7] = low & 0xff;
}

/**
 * Throws a RangeError unless `counter` is a non-negative safe integer.
 *
 * @param counter - a moving factor (RFC 4226 §5.1) or TOTP time step (RFC 6238 §4.2)
 */
export function assertCounter(counter: number): void {
  if (!Number.isSafeInteger(counter) || counter < 0) {
    throw new RangeError('counter must be a non-negative safe integer');
  }
}

/**
 * Encodes the HOTP counter as the 8-byte big-endian message of RFC 4226 §5.2.
 *
 * @param counter - a non-negative safe integer (at most 2^53 - 1)
 * @returns 8 bytes, most significant first
 * @throws RangeError if the counter is negative, not an integer, or above 2^53 - 1
 */
export function counterToBytes(counter: number): Uint8Array {
  assertCounter(counter);
  const bytes = new Uint8Array(8);
  writeCounter(counter, bytes);
  return bytes;
}

/**
 * Dynamic truncation, RFC 4226 §5.3 step 2 (DT): the low 4 bits of the last MAC byte give an
 * offset; the 4 bytes there, with the top bit masked off, are the 31-bit value Snum.
 *
 * Using the *last* byte (not byte 19) is what RFC 6238 Appendix A does for SHA-256/512 MACs.
 *
 * @param mac - an HMAC of at least 20 bytes (the caller checks the length)
 * @returns Snum, an integer in [0, 2^31)
 */
export function dynamicTruncate(mac: Uint8Array): number {
  // `?? 0`: never taken for a MAC of 20+ bytes; satisfies noUncheckedIndexedAccess without a branch
  // the JIT cannot remove.
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  return (
    (((mac[offset] ?? 0) & 0x7f) << 24) |
    ((mac[offset + 1] ?? 0) << 16) |
    ((mac[offset + 2] ?? 0) << 8) |
    (mac[offset + 3] ?? 0)
  );
}

/**
 * The HOTP value as a number: Snum mod 10^Digit (RFC 4226 §5.3 step 3).
 *
 * @param mac - an HMAC of at least 20 bytes (the caller checks the length)
 * @param digits - 6..10 (the caller checks)
 */
export function truncateToNumber(mac: Uint8Array, digits: number): number {
  // For 10 digits the modulus exceeds 2^31, so the value is Snum itself, zero-padded.
  return dynamicTruncate(mac) % (POWERS_OF_TEN[digits] ?? 1);
}

/**
 * Throws a RangeError unless `mac` is long enough for dynamic truncation: the offset reaches 15
 * and four bytes are read from it, so 20 bytes (a SHA-1 MAC, RFC 4226 §5.3) is the minimum.
 *
 * @param mac - the HMAC output to check
 */
export function assertMacLength(mac: Uint8Array): void {
  if (mac.length < 20) {
    throw new RangeError('an HMAC of at least 20 bytes is required for dynamic truncation');
  }
}

/**
 * Truncate(HMAC) of RFC 4226 §5.3: dynamic truncation, reduced modulo 10^digits and
 * left-padded with zeros to `digits` characters.
 *
 * @param mac - HMAC-SHA-1/256/512 output (at least 20 bytes)
 * @param digits - 6 to 10
 * @returns the decimal OTP, exactly `digits` characters
 * @throws RangeError for a MAC shorter than 20 bytes or digits outside 6..10
 */
export function truncate(mac: Uint8Array, digits: number): string {
  assertDigits(digits);
  assertMacLength(mac);
  return String(truncateToNumber(mac, digits)).padStart(digits, '0');
}

/**
 * HOTP(K, C) = Truncate(HMAC(K, C)), RFC 4226 §5.3.
 *
 * @param options - the HMAC over K, the counter C and the number of digits
 * @returns the zero-padded decimal OTP
 * @throws RangeError for an invalid counter or number of digits
 */
export function generateHotp({ hmac, counter, digits }: GenerateHotpOptions): string {
  assertDigits(digits);
  return truncate(hmac(counterToBytes(counter)), digits);
}

/**
 * {@link generateHotp} over an asynchronous HMAC such as WebCrypto's.
 *
 * @param options - the async HMAC over K, the counter C and the number of digits
 * @returns the zero-padded decimal OTP
 * @throws RangeError (as a rejected promise) for an invalid counter or number of digits
 */
export async function generateHotpAsync({
  hmac,
  counter,
  digits,
}: GenerateHotpAsyncOptions): Promise<string> {
  assertDigits(digits);
  return truncate(await hmac(counterToBytes(counter)), digits);
}
