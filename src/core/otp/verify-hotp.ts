/**
 * Verification of an HOTP (RFC 4226) from a counter-based hardware token, with a look-ahead
 * window and single use.
 */
import type { HmacFn } from './hotp.js';
import { assertDigits, assertMacLength, truncateToNumber, writeCounter } from './hotp.js';
import { parseOtp, type VerifyOtpResult } from './verify-otp.js';

/** Options of {@link verifyHotp}. */
export interface VerifyHotpOptions {
  /** What the user typed; a malformed one is `invalid`, never an exception. */
  otp: string;
  hmac: HmacFn;
  digits: number;
  /** The highest counter already accepted, `null` before the first use. */
  lastCounter: number | null;
  /** The counter the token starts from (the vendor's PSKC `Counter`) when `lastCounter` is null. */
  initialCounter: number;
  /**
   * How many counters ahead of the expected one are tried: the button may have been pressed
   * without the OTP being used (RFC 4226 §7.4, the look-ahead parameter s).
   */
  lookAhead: number;
}

/**
 * Verifies an HOTP against counters [expected, expected + lookAhead], where expected is one past
 * the last accepted counter. The counters just below it are checked too, to answer `replayed`
 * rather than `invalid` for an OTP that was already used (RFC 4226 §7.2: the server increments
 * the counter only after a successful authentication, so a used value never validates again).
 * Every candidate is computed and compared, without an early exit.
 *
 * `step` of the result is the matched counter and `drift` its distance from the expected one;
 * the caller stores `step` as the new last counter with a conditional update.
 */
export function verifyHotp(o: VerifyHotpOptions): VerifyOtpResult {
  assertDigits(o.digits);
  if (!Number.isSafeInteger(o.lookAhead) || o.lookAhead < 0 || o.lookAhead > 1000) {
    throw new RangeError('lookAhead must be an integer from 0 to 1000');
  }
  if (o.lastCounter !== null && (!Number.isSafeInteger(o.lastCounter) || o.lastCounter < 0)) {
    throw new RangeError('lastCounter must be a non-negative integer or null');
  }
  if (!Number.isSafeInteger(o.initialCounter) || o.initialCounter < 0) {
    throw new RangeError('initialCounter must be a non-negative integer');
  }
  const given = parseOtp(o.otp, o.digits);
  if (given < 0) return { result: 'invalid' };
  const expected = o.lastCounter === null ? o.initialCounter : o.lastCounter + 1;
  const first = Math.max(0, expected - 1 - o.lookAhead);
  const last = expected + o.lookAhead;
  const message = new Uint8Array(8);
  let fresh = -1;
  let used = -1;
  for (let c = last; c >= first; c--) {
    writeCounter(c, message);
    const mac = o.hmac(message);
    assertMacLength(mac);
    const match = +(truncateToNumber(mac, o.digits) === given);
    const isFresh = +(c >= expected);
    // Counters descend: the last fresh match kept is the lowest, so the token is not moved on
    // further than the OTP shows; the last used match is the lowest too (any will do).
    fresh += (c - fresh) * (match & isFresh);
    used += (c - used) * (match & (isFresh ^ 1));
  }
  if (fresh >= 0) return { result: 'ok', step: fresh, drift: fresh - expected };
  // Only counters below `expected` that were really used count as replays.
  if (used >= 0 && o.lastCounter !== null) return { result: 'replayed', step: used };
  return { result: 'invalid' };
}
