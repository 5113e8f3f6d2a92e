/**
 * Resynchronisation of a counter-based (HOTP) key-fob whose counter ran far ahead of the server
 * (the button pressed many times unused): RFC 4226 §7.4 suggests asking for the next OTPs in a
 * row and searching a larger, bounded window for them. Two consecutive OTPs must match two
 * consecutive counters, so a single guessed value cannot move the counter.
 */
import type { HmacFn } from './hotp.js';
import { assertDigits, assertMacLength, truncateToNumber, writeCounter } from './hotp.js';
import { parseOtp } from './verify-otp.js';

/** The largest window a resync searches (counters past the expected one). */
export const HOTP_RESYNC_MAX_WINDOW = 10_000;

/** Options of {@link resyncHotp}. */
export interface ResyncHotpOptions {
  /** Two OTPs the fob showed one after the other. */
  readonly first: string;
  readonly second: string;
  readonly hmac: HmacFn;
  readonly digits: number;
  /** The highest counter already accepted; null before the first use. */
  readonly lastCounter: number | null;
  /** The counter the fob started from when `lastCounter` is null. */
  readonly initialCounter: number;
  /** How many counters past the expected one are searched (at most HOTP_RESYNC_MAX_WINDOW). */
  readonly window: number;
}

/** `ok` with the counter of the second OTP (the new last counter), or not found. */
export type ResyncHotpResult = { result: 'ok'; counter: number } | { result: 'invalid' };

/**
 * Finds the lowest counter c in [expected, expected + window] with HOTP(c) = first and
 * HOTP(c + 1) = second. Only fresh counters are searched (never a used one: RFC 4226 §7.2).
 */
export function resyncHotp(o: ResyncHotpOptions): ResyncHotpResult {
  assertDigits(o.digits);
  if (!Number.isSafeInteger(o.window) || o.window < 1 || o.window > HOTP_RESYNC_MAX_WINDOW)
    throw new RangeError(`window must be an integer from 1 to ${HOTP_RESYNC_MAX_WINDOW}`);
  const a = parseOtp(o.first, o.digits);
  const b = parseOtp(o.second, o.digits);
  if (a < 0 || b < 0) return { result: 'invalid' };
  const expected = o.lastCounter === null ? o.initialCounter : o.lastCounter + 1;
  const message = new Uint8Array(8);
  const valueAt = (c: number) => {
    writeCounter(c, message);
    const mac = o.hmac(message);
    assertMacLength(mac);
    return truncateToNumber(mac, o.digits);
  };
  let previous = valueAt(expected);
  for (let c = expected; c < expected + o.window; c++) {
    const next = valueAt(c + 1);
    if (previous === a && next === b) return { result: 'ok', counter: c + 1 };
    previous = next;
  }
  return { result: 'invalid' };
}
