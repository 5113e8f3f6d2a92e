/**
 * The forms of what customers and banks type (SPEC.md): one place, used by the API schemas, the
 * CLI and the screens, so every layer refuses the same things.
 */
export const PATTERNS = {
  /** サービスID: 8 digits. */
  serviceId: /^[0-9]{8}$/,
  /** ユーザID: 12 digits. */
  userId: /^[0-9]{12}$/,
  /** 利用開始パスワード: 4-8 digits. */
  activationPassword: /^[0-9]{4,8}$/,
  /** An OTP on the wire: 6-10 digits (a wrong length within that is simply `invalid`). */
  otp: /^[0-9]{6,10}$/,
  /** シリアル番号 of a hardware token: 8-12 digits. */
  serial: /^[0-9]{8,12}$/,
  /** The bank's own customer reference. */
  customerRef: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
  /** A base64url (no padding) uncompressed P-256 point: 65 bytes → 87 characters. */
  publicKey: /^[A-Za-z0-9_-]{87}$/,
} as const;

/** 送付先メールアドレス: 4-64 characters with one @ between a local part and a domain. */
export function isEmailAddress(s: string): boolean {
  // 「半角英数字記号」: visible ASCII only, so no control character (PostgreSQL refuses NUL in
  // text) or full-width letter reaches storage or a mail header.
  return s.length >= 4 && s.length <= 64 && /^[!-?A-~]+@[!-?A-~]+\.[!-?A-~]+$/.test(s);
}
