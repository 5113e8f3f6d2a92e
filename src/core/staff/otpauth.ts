/**
 * The `otpauth://` URI standard authenticator apps scan (Google Authenticator's Key Uri Format,
 * the de-facto standard), with the secret in base32 (RFC 4648 §6).
 */

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 §6 base32, without padding (authenticator apps accept and expect it so). */
export function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const b of bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/** Options of {@link otpauthUri}. */
export interface OtpauthUriOptions {
  /** Who issued it, shown as the entry's title (e.g. `Inkan あおぞら銀行`). */
  readonly issuer: string;
  /** The account within the issuer (the staff login ID). */
  readonly account: string;
  readonly secret: Uint8Array;
  readonly algorithm: 'SHA1' | 'SHA256' | 'SHA512';
  readonly digits: number;
  readonly period: number;
}

/**
 * `otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…&algorithm=…&digits=…&period=…`: the label's
 * issuer prefix and the `issuer` parameter both given, as the format recommends; every part
 * percent-encoded (UTF-8), spaces as %20.
 */
export function otpauthUri(o: OtpauthUriOptions): string {
  const label = `${encodeURIComponent(o.issuer)}:${encodeURIComponent(o.account)}`;
  const query = [
    `secret=${encodeBase32(o.secret)}`,
    `issuer=${encodeURIComponent(o.issuer)}`,
    `algorithm=${o.algorithm}`,
    `digits=${o.digits}`,
    `period=${o.period}`,
  ].join('&');
  return `otpauth://totp/${label}?${query}`;
}
