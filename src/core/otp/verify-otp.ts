/**
 * Verification of a TOTP against a window of time steps, with single use.
 *
 * Pure and hot: the platform runs it once per login attempt. It allocates one 8-byte counter
 * buffer per call and compares numbers, not strings.
 */
import type { AsyncHmacFn, HmacFn } from './hotp.js';
import { assertDigits, assertMacLength, truncateToNumber, writeCounter } from './hotp.js';
import { timeStep } from './totp.js';

/** Options of {@link verifyOtp}. */
export interface VerifyOtpOptions {
  /** What the user typed. Any string is safe: a malformed one is `invalid`, never an exception. */
  otp: string;
  /** HMAC over the token's secret K. */
  hmac: HmacFn;
  /** The current time, Unix epoch milliseconds. */
  now: number;
  /** The time step X in seconds (RFC 6238 §4.1). */
  period: number;
  /** Number of digits of the token, 6 to 10. */
  digits: number;
  /** Steps accepted on each side of the current one (RFC 6238 §5.2 "one time step backward"). */
  window: number;
  /** Highest step already accepted for this token, `null` if none: the replay barrier. */
  lastStep: number | null;
}

/** Options of {@link verifyOtpAsync}: as {@link VerifyOtpOptions}, with an asynchronous HMAC. */
export interface VerifyOtpAsyncOptions extends Omit<VerifyOtpOptions, 'hmac'> {
  /** Asynchronous HMAC over the token's secret K (e.g. WebCrypto). */
  hmac: AsyncHmacFn;
}

/**
 * The outcome of a verification, a value, never an exception (guideline 2).
 *
 * - `ok`: the OTP of `step` matched; `drift` = step - current step. The caller stores `step` as
 *   the new `lastStep` atomically (a conditional update, so two racing requests cannot both win).
 * - `replayed`: the OTP matched only steps at or below `lastStep`.
 * - `invalid`: malformed, or no step in the window matched.
 */
export type VerifyOtpResult =
  | { result: 'ok'; step: number; drift: number }
  | { result: 'replayed'; step: number }
  | { result: 'invalid' };

const INVALID: VerifyOtpResult = Object.freeze({ result: 'invalid' });

// The candidate steps, after the options are checked. `given` is the OTP as a number, -1 when it
// is malformed.
interface WindowPlan {
  given: number;
  current: number;
  first: number;
  last: number;
  barrier: number;
}

/**
 * Parses the user's OTP as a number, or -1 when it is not exactly `digits` ASCII digits. Length
 * and alphabet are public, so an early return here reveals nothing about the secret.
 */
export function parseOtp(otp: unknown, digits: number): number {
  if (typeof otp !== 'string' || otp.length !== digits) return -1;
  let value = 0;
  for (let i = 0; i < digits; i++) {
    const digit = otp.charCodeAt(i) - 48; // '0'
    // Unsigned view: anything below '0' becomes huge, so one comparison rejects both sides.
    if (digit >>> 0 > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

// Misuse (a bad policy or clock) throws; user input never does.
function planWindow(o: Omit<VerifyOtpOptions, 'hmac'>): WindowPlan {
  assertDigits(o.digits);
  if (!Number.isSafeInteger(o.window) || o.window < 0) {
    throw new RangeError('window must be a non-negative integer number of steps');
  }
  if (o.lastStep !== null && !Number.isSafeInteger(o.lastStep)) {
    throw new RangeError('lastStep must be an integer or null');
  }
  const current = timeStep({ now: o.now, period: o.period });
  return {
    given: parseOtp(o.otp, o.digits),
    current,
    // No step precedes T0 (RFC 6238 §4.2 counts from 0).
    first: Math.max(0, current - o.window),
    last: current + o.window,
    // `null` = nothing accepted yet: every step >= 0 is fresh.
    barrier: o.lastStep ?? -1,
  };
}

function decideResult(fresh: number, used: number, current: number): VerifyOtpResult {
  if (fresh >= 0) return { result: 'ok', step: fresh, drift: fresh - current };
  if (used >= 0) return { result: 'replayed', step: used };
  return INVALID;
}

/**
 * Verifies a TOTP (RFC 6238 §5.2) against every step in [current - window, current + window]
 * and enforces single use.
 *
 * - Every candidate is computed and compared, with no exit on the first match, so the time taken
 *   does not tell which step (if any) matched. Comparison is of the truncated values as numbers
 *   (RFC 4226 §5.3 step 3), folded arithmetically rather than branched on.
 * - Single use (RFC 6238 §5.2 "the verifier MUST NOT accept the second attempt of the OTP after
 *   the successful validation has been issued for the first OTP"; SPEC:
 *   「一度使用したワンタイムパスワードは無効」): once step s has been accepted, no OTP of a step
 *   <= s is accepted again. A match at or below `lastStep` is `replayed`.
 * - If the OTP matches both a used and a fresh step (a collision of two 10^-digits events), the
 *   fresh step wins. If it matches several fresh steps, the highest wins: accepting a lower one
 *   would leave the same OTP acceptable again at the higher step.
 *
 * @param o - the OTP, the HMAC over K, the time, the token's policy and its replay barrier
 * @returns `ok` with the matched step and drift, `replayed`, or `invalid`
 * @throws RangeError for an invalid policy or clock (digits, period, window, now, lastStep)
 */
export function verifyOtp(o: VerifyOtpOptions): VerifyOtpResult {
  const { given, current, first, last, barrier } = planWindow(o);
  if (given < 0) return INVALID;
  const { hmac, digits } = o;
  const message = new Uint8Array(8);
  let fresh = -1;
  let used = -1;
  for (let step = first; step <= last; step++) {
    writeCounter(step, message); // RFC 4226 §5.2: C as 8 bytes, big-endian
    const mac = hmac(message);
    assertMacLength(mac);
    const match = +(truncateToNumber(mac, digits) === given);
    const isFresh = +(step > barrier);
    // Steps ascend, so the last match of each kind is the highest.
    fresh += (step - fresh) * (match & isFresh);
    used += (step - used) * (match & (isFresh ^ 1));
  }
  return decideResult(fresh, used, current);
}

/**
 * {@link verifyOtp} over an asynchronous HMAC (WebCrypto in a browser); same semantics. All
 * candidate MACs are requested together and all are compared.
 *
 * @param o - as {@link verifyOtp}, with an {@link AsyncHmacFn}
 * @returns `ok` with the matched step and drift, `replayed`, or `invalid`
 * @throws RangeError (as a rejected promise) for an invalid policy or clock
 */
export async function verifyOtpAsync(o: VerifyOtpAsyncOptions): Promise<VerifyOtpResult> {
  const { given, current, first, last, barrier } = planWindow(o);
  if (given < 0) return INVALID;
  const { hmac, digits } = o;
  const pending: Promise<Uint8Array>[] = [];
  for (let step = first; step <= last; step++) {
    // A buffer per step: an async HMAC may read its message after this loop moves on.
    const message = new Uint8Array(8);
    writeCounter(step, message);
    pending.push(hmac(message));
  }
  const macs = await Promise.all(pending);
  let fresh = -1;
  let used = -1;
  for (let i = 0; i < macs.length; i++) {
    const mac = macs[i] ?? new Uint8Array(0);
    assertMacLength(mac);
    const step = first + i;
    const match = +(truncateToNumber(mac, digits) === given);
    const isFresh = +(step > barrier);
    fresh += (step - fresh) * (match & isFresh);
    used += (step - used) * (match & (isFresh ^ 1));
  }
  return decideResult(fresh, used, current);
}
