import type { OtpAnswer } from '../../../client/index.js';
import type { ReasonCode } from '../../../core/index.js';
import type { Messages } from '../i18n/locale.js';

/** An OTP as typed on a screen: 6-10 half-width digits (SPEC.md; the guides: 半角数字). */
export const OTP_PATTERN = /^[0-9]{6,10}$/;

/** 確認用パスワード: 6-12 half-width alphanumerics (guide 001). */
export const CONFIRM_PASSWORD_PATTERN = /^[A-Za-z0-9]{6,12}$/;

/** What the customer reads for a refused OTP (the reason codes of SPEC.md), in the page's language. */
export function otpRefusal(t: Messages, result: ReasonCode): string {
  return Object.hasOwn(t.otpRefused, result)
    ? t.otpRefused[result as keyof Messages['otpRefused']]
    : t.otpRefused.invalid;
}

/**
 * The token is locked after this answer: refused as `locked`, or this wrong OTP was the one that
 * reached the threshold (`invalid` with `locked: true`). Either way the customer is told at once
 * that OTP authentication has stopped (guide 001: 「ワンタイムパスワード認証が停止し、以降のログイン
 * ができなくなります」), not invited to try again.
 */
export function isLockedAnswer(r: OtpAnswer): boolean {
  return r.result === 'locked' || (r.result !== 'ok' && r.locked === true);
}

/** True when this very answer locked the token (a wrong OTP reaching the threshold). */
export function justLocked(r: OtpAnswer): boolean {
  return r.result !== 'locked' && r.result !== 'ok' && r.locked === true;
}
