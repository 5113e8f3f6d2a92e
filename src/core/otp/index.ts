/**
 * The OTP engine: HOTP (RFC 4226), TOTP (RFC 6238) and single-use verification. Pure; the HMAC
 * and the clock are passed in, so the token PWA imports this folder too.
 */
export type {
  AsyncHmacFn,
  GenerateHotpAsyncOptions,
  GenerateHotpOptions,
  HashAlgorithm,
  HmacFn,
} from './hotp.js';
export { counterToBytes, generateHotp, generateHotpAsync, truncate } from './hotp.js';
export type {
  GenerateTotpAsyncOptions,
  GenerateTotpOptions,
  SecondsLeftOptions,
  TimeStepOptions,
} from './totp.js';
export { generateTotp, generateTotpAsync, secondsLeft, timeStep } from './totp.js';
export { constantTimeEqual } from './constant-time-equal.js';
export type { VerifyOtpAsyncOptions, VerifyOtpOptions, VerifyOtpResult } from './verify-otp.js';
export { verifyOtp, verifyOtpAsync } from './verify-otp.js';
export { verifyHotp, type VerifyHotpOptions } from './verify-hotp.js';
export type {
  GenerateOcraAsyncOptions,
  GenerateOcraOptions,
  OcraInput,
  OcraQuestionFormat,
  OcraSuite,
} from './ocra.js';
export {
  buildOcraDataInput,
  encodeOcraQuestion,
  generateOcra,
  generateOcraAsync,
  parseOcraSuite,
} from './ocra.js';
export type { TransactionDetails } from './transaction-challenge.js';
export {
  MAX_TRANSACTION_AMOUNT,
  encodeTransaction,
  normalizeTransactionDetails,
  offlineTransactionQuestion,
  offlineTransactionSuite,
  onlineTransactionQuestion,
  onlineTransactionSuite,
} from './transaction-challenge.js';
export { APP_PROOF_SKEW_MS, appProofMessage, type AppProofAction } from './app-proof.js';
export {
  HOTP_RESYNC_MAX_WINDOW,
  resyncHotp,
  type ResyncHotpOptions,
  type ResyncHotpResult,
} from './resync-hotp.js';
