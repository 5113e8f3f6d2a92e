/**
 * The PSKC reader's crypto port (`PskcCrypto` of core/pskc) on node:crypto: AES-CBC for the
 * encrypted values of RFC 6030 §6.1, HMAC for their ValueMAC (§6.1.1), and a constant-time
 * comparison for that MAC.
 */
import { createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import type { PskcCrypto } from '../core/pskc/read-pskc.js';

// The names node:crypto (OpenSSL) knows the hashes by.
const HASH_NAMES: Readonly<Record<Parameters<PskcCrypto['hmac']>[0], string>> = Object.freeze({
  SHA1: 'sha1',
  SHA224: 'sha224',
  SHA256: 'sha256',
  SHA384: 'sha384',
  SHA512: 'sha512',
});

const AES_KEY_LENGTHS = [16, 24, 32];
const AES_BLOCK = 16;

/** Copies a Buffer into a plain Uint8Array and wipes the Buffer (it may be pooled memory). */
function takeBytes(buffer: Buffer): Uint8Array {
  const bytes = new Uint8Array(buffer);
  buffer.fill(0);
  return bytes;
}

/**
 * `PskcCrypto` on node:crypto. Stateless: safe to share.
 *
 * - `aesCbcDecrypt`: AES-128/192/256-CBC by the key's length, PKCS#7 padding removed (W3C
 *   xmlenc-core §5.2); throws on a bad key or IV length and on bad padding.
 * - `hmac`: HMAC (RFC 2104) with SHA-1 or SHA-2.
 * - `timingSafeEqual`: false for different lengths (lengths are public), otherwise a comparison
 *   whose time does not depend on where the inputs differ.
 */
export const nodePskcCrypto: PskcCrypto = Object.freeze<PskcCrypto>({
  aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    if (!AES_KEY_LENGTHS.includes(key.length)) {
      throw new RangeError('AES key must be 16, 24 or 32 bytes');
    }
    if (iv.length !== AES_BLOCK) throw new RangeError('AES-CBC IV must be 16 bytes');
    const decipher = createDecipheriv(`aes-${key.length * 8}-cbc`, key, iv);
    const head = decipher.update(ciphertext);
    let tail: Buffer;
    try {
      tail = decipher.final();
    } catch (e) {
      head.fill(0);
      throw e;
    }
    const plaintext = Buffer.concat([head, tail]);
    head.fill(0);
    tail.fill(0);
    return takeBytes(plaintext);
  },

  hmac(algorithm, key, data) {
    if (!Object.hasOwn(HASH_NAMES, algorithm)) throw new TypeError('unknown HMAC algorithm');
    return takeBytes(createHmac(HASH_NAMES[algorithm], key).update(data).digest());
  },

  timingSafeEqual(a, b) {
    return a.length === b.length && timingSafeEqual(a, b);
  },
});
