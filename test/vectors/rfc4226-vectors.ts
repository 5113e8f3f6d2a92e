/**
 * RFC 4226 Appendix D, "HOTP Algorithm: Test Values", as data.
 *
 * Secret: the ASCII string "12345678901234567890" (0x3132333435363738393031323334353637383930).
 * For each count: Table 1's intermediate HMAC-SHA-1(secret, count), Table 2's truncated value in
 * hexadecimal and decimal, and the 6-digit HOTP.
 */

/** One row of RFC 4226 Appendix D, Tables 1 and 2. */
export interface Rfc4226Vector {
  /** The counter C. */
  count: number;
  /** Table 1: HMAC-SHA-1(secret, count), hexadecimal. */
  hmacSha1: string;
  /** Table 2: the 31-bit dynamic truncation (RFC 4226 §5.3 DT), hexadecimal as printed. */
  truncatedHex: string;
  /** Table 2: the same value in decimal. */
  truncatedDecimal: number;
  /** Table 2: HOTP = truncated value mod 10^6. */
  hotp: string;
}

/** The shared secret of Appendix D. */
export const RFC4226_SECRET = '12345678901234567890';

// Count, Table 1 HMAC, Table 2 truncated (hex, decimal), HOTP: laid out as in the RFC.
const ROWS: readonly (readonly [number, string, string, number, string])[] = [
  [0, 'cc93cf18508d94934c64b65d8ba7667fb7cde4b0', '4c93cf18', 1284755224, '755224'],
  [1, '75a48a19d4cbe100644e8ac1397eea747a2d33ab', '41397eea', 1094287082, '287082'],
  [2, '0bacb7fa082fef30782211938bc1c5e70416ff44', '82fef30', 137359152, '359152'],
  [3, '66c28227d03a2d5529262ff016a1e6ef76557ece', '66ef7655', 1726969429, '969429'],
  [4, 'a904c900a64b35909874b33e61c5938a8e15ed1c', '61c5938a', 1640338314, '338314'],
  [5, 'a37e783d7b7233c083d4f62926c7a25f238d0316', '33c083d4', 868254676, '254676'],
  [6, 'bc9cd28561042c83f219324d3c607256c03272ae', '7256c032', 1918287922, '287922'],
  [7, 'a4fb960c0bc06e1eabb804e5b397cdc4b45596fa', '4e5b397', 82162583, '162583'],
  [8, '1b3c89f65e6c9e883012052823443f048b4332db', '2823443f', 673399871, '399871'],
  [9, '1637409809a679dc698207310c8c7fc07290d9e5', '2679dc69', 645520489, '520489'],
];

/** Appendix D, counts 0 to 9. */
export const RFC4226_VECTORS: readonly Rfc4226Vector[] = ROWS.map(
  ([count, hmacSha1, truncatedHex, truncatedDecimal, hotp]) => ({
    count,
    hmacSha1,
    truncatedHex,
    truncatedDecimal,
    hotp,
  }),
);
