/**
 * TOTP, the time-based variant of HOTP (RFC 6238).
 *
 * Pure: the current time arrives as an argument (epoch milliseconds), never from `Date.now()`.
 */
import type { AsyncHmacFn, HmacFn } from './hotp.js';
import { generateHotp, generateHotpAsync } from './hotp.js';

/** Options of {@link timeStep}. */
export interface TimeStepOptions {
  /** The current time, Unix epoch milliseconds. */
  now: number;
  /** The time step X in seconds (RFC 6238 §4.1; 30 by default there): a positive integer. */
  period: number;
  /** T0, the Unix time in seconds to start counting steps from (RFC 6238 §4.1). Default 0. */
  t0?: number;
}

/** Options of {@link secondsLeft}. */
export type SecondsLeftOptions = TimeStepOptions;

/** Options of {@link generateTotp}. */
export interface GenerateTotpOptions extends TimeStepOptions {
  /** HMAC over the token's secret K. */
  hmac: HmacFn;
  /** Number of decimal digits, 6 to 10. */
  digits: number;
}

/** Options of {@link generateTotpAsync}. */
export interface GenerateTotpAsyncOptions extends TimeStepOptions {
  /** Asynchronous HMAC over the token's secret K (e.g. WebCrypto in the PWA). */
  hmac: AsyncHmacFn;
  /** Number of decimal digits, 6 to 10. */
  digits: number;
}

/**
 * Throws a RangeError unless `period` is a positive safe integer number of seconds.
 *
 * @param period - the time step X of RFC 6238 §4.1
 */
export function assertPeriod(period: number): void {
  if (!Number.isSafeInteger(period) || period <= 0) {
    throw new RangeError('period must be a positive integer number of seconds');
  }
}

// Milliseconds since T0, checked: the count of steps must not be negative (RFC 6238 §4.2 counts
// from T0 forward) and must be finite.
function measureElapsedMs(now: number, t0: number): number {
  if (!Number.isFinite(now)) throw new RangeError('now must be a finite number of milliseconds');
  if (!Number.isSafeInteger(t0)) throw new RangeError('t0 must be an integer number of seconds');
  const elapsed = now - t0 * 1000;
  if (elapsed < 0) throw new RangeError('now must not be before t0');
  return elapsed;
}

/**
 * The time step T = floor((Current Unix time - T0) / X) of RFC 6238 §4.2.
 *
 * Computed in integer milliseconds so that no rounding of `now / 1000` can move a time that lies
 * exactly on a step boundary into the previous step.
 *
 * @param options - `now` in epoch ms, `period` X in seconds, optional `t0` in seconds
 * @returns the step number T, a non-negative integer
 * @throws RangeError for a non-positive period, a non-finite `now`, or `now` before `t0`
 */
export function timeStep({ now, period, t0 = 0 }: TimeStepOptions): number {
  assertPeriod(period);
  return Math.floor(measureElapsedMs(now, t0) / (period * 1000));
}

/**
 * Whole seconds until the next time step begins, rounded up: from `period` (just entered a step)
 * down to 1. Meant for a countdown in the token UI.
 *
 * @param options - `now` in epoch ms, `period` X in seconds, optional `t0` in seconds
 * @returns an integer in 1..period
 * @throws RangeError as {@link timeStep}
 */
export function secondsLeft({ now, period, t0 = 0 }: SecondsLeftOptions): number {
  assertPeriod(period);
  const periodMs = period * 1000;
  const intoStep = measureElapsedMs(now, t0) % periodMs;
  return Math.ceil((periodMs - intoStep) / 1000);
}

/**
 * TOTP = HOTP(K, T), RFC 6238 §4.2, with T from {@link timeStep}.
 *
 * @param options - HMAC over K, `now` in epoch ms, `period` in seconds, `digits`, optional `t0`
 * @returns the zero-padded decimal OTP
 * @throws RangeError for invalid time, period or digits
 */
export function generateTotp({ hmac, now, period, digits, t0 }: GenerateTotpOptions): string {
  return generateHotp({ hmac, counter: timeStep({ now, period, t0 }), digits });
}

/**
 * {@link generateTotp} over an asynchronous HMAC such as WebCrypto's.
 *
 * @param options - async HMAC over K, `now` in epoch ms, `period` in seconds, `digits`, `t0`
 * @returns the zero-padded decimal OTP
 * @throws RangeError (as a rejected promise) for invalid time, period or digits
 */
export async function generateTotpAsync({
  hmac,
  now,
  period,
  digits,
  t0,
}: GenerateTotpAsyncOptions): Promise<string> {
  return generateHotpAsync({ hmac, counter: timeStep({ now, period, t0 }), digits });
}
