/**
 * RFC 6238 Appendix B, "Test Vectors", as data: 8 digits, time step X = 30 s, T0 = 0.
 *
 * The seeds are ASCII strings: "12345678901234567890" for HMAC-SHA1, the same digits repeated to
 * 32 bytes for HMAC-SHA256 and to 64 bytes for HMAC-SHA512. The prose of Appendix B names only
 * the 20-byte string; the seeds above are those of the Appendix A reference code (`seed32`,
 * `seed64`), which produced the table.
 */
import type { HashAlgorithm } from '../../src/core/otp/index.js';

/** One row of the RFC 6238 Appendix B table. */
export interface Rfc6238Vector {
  /** "Time (sec)": Unix time in seconds. */
  time: number;
  /** "UTC Time", as printed in the table (date and time). */
  utc: string;
  /** "Value of T (hex)": the time step, 16 hex digits. */
  stepHex: string;
  /** "TOTP": the 8-digit value. */
  totp: string;
  /** "Mode". */
  algorithm: HashAlgorithm;
}

const SEED_DIGITS = '1234567890';

/** The ASCII seed of each mode. */
export const RFC6238_SEEDS: Readonly<Record<HashAlgorithm, string>> = {
  SHA1: SEED_DIGITS.repeat(2),
  SHA256: SEED_DIGITS.repeat(4).slice(0, 32),
  SHA512: SEED_DIGITS.repeat(7).slice(0, 64),
};

/** Time step X of the table, seconds. */
export const RFC6238_PERIOD = 30;
/** Digits of the table's OTPs. */
export const RFC6238_DIGITS = 8;

// Time (sec), UTC Time, Value of T (hex), TOTP, Mode: laid out as in the RFC.
const ROWS: readonly (readonly [number, string, string, string, HashAlgorithm])[] = [
  [59, '1970-01-01 00:00:59', '0000000000000001', '94287082', 'SHA1'],
  [59, '1970-01-01 00:00:59', '0000000000000001', '46119246', 'SHA256'],
  [59, '1970-01-01 00:00:59', '0000000000000001', '90693936', 'SHA512'],
  [1111111109, '2005-03-18 01:58:29', '00000000023523EC', '07081804', 'SHA1'],
  [1111111109, '2005-03-18 01:58:29', '00000000023523EC', '68084774', 'SHA256'],
  [1111111109, '2005-03-18 01:58:29', '00000000023523EC', '25091201', 'SHA512'],
  [1111111111, '2005-03-18 01:58:31', '00000000023523ED', '14050471', 'SHA1'],
  [1111111111, '2005-03-18 01:58:31', '00000000023523ED', '67062674', 'SHA256'],
  [1111111111, '2005-03-18 01:58:31', '00000000023523ED', '99943326', 'SHA512'],
  [1234567890, '2009-02-13 23:31:30', '000000000273EF07', '89005924', 'SHA1'],
  [1234567890, '2009-02-13 23:31:30', '000000000273EF07', '91819424', 'SHA256'],
  [1234567890, '2009-02-13 23:31:30', '000000000273EF07', '93441116', 'SHA512'],
  [2000000000, '2033-05-18 03:33:20', '0000000003F940AA', '69279037', 'SHA1'],
  [2000000000, '2033-05-18 03:33:20', '0000000003F940AA', '90698825', 'SHA256'],
  [2000000000, '2033-05-18 03:33:20', '0000000003F940AA', '38618901', 'SHA512'],
  [20000000000, '2603-10-11 11:33:20', '0000000027BC86AA', '65353130', 'SHA1'],
  [20000000000, '2603-10-11 11:33:20', '0000000027BC86AA', '77737706', 'SHA256'],
  [20000000000, '2603-10-11 11:33:20', '0000000027BC86AA', '47863826', 'SHA512'],
];

/** Every row of Appendix B. */
export const RFC6238_VECTORS: readonly Rfc6238Vector[] = ROWS.map(
  ([time, utc, stepHex, totp, algorithm]) => ({ time, utc, stepHex, totp, algorithm }),
);
