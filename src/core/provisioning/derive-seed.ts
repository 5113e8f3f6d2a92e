import type { HashAlgorithm } from '../otp/index.js';

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
