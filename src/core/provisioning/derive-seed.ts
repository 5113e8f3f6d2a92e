import type { HashAlgorithm } from '../otp/index.js';
import { isLoginUrl } from '../tenant/login-url.js';

/**
 * The provisioning contract (SPEC.md, "Provisioning: the secret never travels"): both sides derive
 * the token secret as HKDF-SHA256(ikm = ECDH P-256 shared secret, salt = serviceId + ":" + userId,
 * info = "inkan/totp-seed/v1", length by algorithm). These constants are the contract; the
 * server (node:crypto) and the app (WebCrypto) each run HKDF over them.
 */
export const SEED_INFO = 'inkan/totp-seed/v1';

/** Seed length in bytes: the HMAC output size (RFC 6238 §5.1 recommends key = hash length). */
export function seedLength(algorithm: HashAlgorithm): number {
  return algorithm === 'SHA1' ? 20 : algorithm === 'SHA256' ? 32 : 64;
}

/** The HKDF salt: UTF-8 of `serviceId:userId`, binding the secret to the token's IDs. */
export function seedSalt(serviceId: string, userId: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`${serviceId}:${userId}`);
}

/** The HKDF info: UTF-8 of SEED_INFO. */
export function seedInfo(): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(SEED_INFO);
}

/** Length of an uncompressed P-256 point (0x04 || X || Y). */
export const P256_UNCOMPRESSED_LENGTH = 65;

/** What a set-up token knows of itself: the IDs and the server's answer to POST /provision. */
export interface ProvisionedTokenInfo {
  readonly serviceId: string;
  readonly userId: string;
  readonly serial: string;
  readonly displayName: string;
  readonly algorithm: HashAlgorithm;
  readonly digits: number;
  readonly period: number;
  readonly validFrom: string;
  readonly validUntil: string;
  /** The bank's login page (http/https only), for 「ワンタイムパスワードでログイン」. */
  readonly loginUrl?: string;
}

/** Reads the server's answer to POST /provision (the app and the terminal token alike). */
export function readProvisionAnswer(
  ids: { serviceId: string; userId: string },
  body: Record<string, unknown>,
): ProvisionedTokenInfo & { serverPublicKey: string } {
  return {
    serviceId: ids.serviceId,
    userId: ids.userId,
    serial: String(body['serial']),
    displayName: String(body['displayName']),
    algorithm: body['algorithm'] as HashAlgorithm,
    digits: Number(body['digits']),
    period: Number(body['period']),
    validFrom: String(body['validFrom']),
    validUntil: String(body['validUntil']),
    serverPublicKey: String(body['serverPublicKey']),
    ...(isLoginUrl(body['loginUrl']) ? { loginUrl: body['loginUrl'] } : {}),
  };
}
