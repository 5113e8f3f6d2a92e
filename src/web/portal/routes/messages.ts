import type { OtpAnswer } from '../../../client/index.js';
import type { ReasonCode } from '../../../core/index.js';

/** An OTP as typed on a screen: 6-10 half-width digits (SPEC.md; the guides: 半角数字). */
export const OTP_PATTERN = /^[0-9]{6,10}$/;

/** 確認用パスワード: 6-12 half-width alphanumerics (guide 001). */
export const CONFIRM_PASSWORD_PATTERN = /^[A-Za-z0-9]{6,12}$/;

/** What the customer reads for each refused OTP (the reason codes of SPEC.md). */
export const OTP_MESSAGES: Partial<Record<ReasonCode, string>> & { format: string; invalid: string } = {
  format: 'ワンタイムパスワードは半角数字で入力してください。',
  invalid: 'ワンタイムパスワードが正しくありません。アプリ（トークン）に表示されている最新のワンタイムパスワードを入力してください。',
  replayed: 'このワンタイムパスワードはすでに使用されています。次のワンタイムパスワードが表示されてから入力してください。',
  locked: 'ワンタイムパスワード認証が停止しています。当行までご連絡ください。',
  not_active: 'ワンタイムパスワードアプリの初期設定が完了していません。初期設定を行ってから再度操作してください。',
  expired: 'トークン発行の有効期限が切れています。再度トークン発行を行ってください。',
  no_token: 'ワンタイムパスワードが登録されていません。',
};

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
