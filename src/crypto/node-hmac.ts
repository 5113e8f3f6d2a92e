/**
 * A fast HMAC (RFC 2104) for the OTP engine on Node.
 *
 * HMAC(K, m) = H((K' ^ opad) || H((K' ^ ipad) || m)), where K' is K zero-padded to the hash's
 * block size B, or H(K) padded when K is longer than B (RFC 2104 §2, §3).
 *
 * Why not `createHmac`: an OTP check costs 2·window+1 HMACs over 8-byte messages, where the work
 * is dominated by creating native Hmac objects and crossing into C++, not by hashing. Here the
 * pads are prepared once per key, in JavaScript; each MAC is then two one-shot `crypto.hash`
 * calls over preallocated buffers, with no hash object at all. A one-byte string (encoding `binary`,
 * Node's name for latin1: one character per byte) is the cheapest digest Node returns — a `Buffer`
 * result costs about four times as much.
 *
 * On Node releases before 20.12 (no `crypto.hash`), the classic precomputed-state form is used
 * instead: the inner and outer hash states after absorbing the pads are kept, and each MAC copies
 * them (`Hash.copy()`), which still saves the two pad compressions per MAC.
 */
import * as nodeCrypto from 'node:crypto';
import type { HashAlgorithm, HmacFn } from '../core/otp/index.js';

interface HashParameters {
  /** The name `node:crypto` (OpenSSL) knows the hash by. */
  name: string;
  /** Block size B in bytes (RFC 2104 §2; FIPS 180-4 §1). */
  blockSize: number;
  /** Output length L in bytes. */
  outputSize: number;
}

const HASHES: Readonly<Record<HashAlgorithm, HashParameters>> = Object.freeze({
  SHA1: { name: 'sha1', blockSize: 64, outputSize: 20 },
  SHA256: { name: 'sha256', blockSize: 64, outputSize: 32 },
  SHA512: { name: 'sha512', blockSize: 128, outputSize: 64 },
});

// RFC 2104 §2: ipad = the byte 0x36 repeated B times, opad = 0x5C repeated B times.
const IPAD = 0x36;
const OPAD = 0x5c;

// OTP messages are the 8-byte counter of RFC 4226 §5.2; other lengths take a slower path.
const COUNTER_LENGTH = 8;

// `crypto.hash` arrived in Node 20.12 / 21.7; `engines` allows any Node 20.
const hashOnce = typeof nodeCrypto.hash === 'function' ? nodeCrypto.hash : undefined;

/**
 * K': the key hashed if it is longer than B, then zero-padded to B bytes (RFC 2104 §2 step 1).
 * The padding is implicit: bytes past the end read as 0.
 */
function deriveBlockKey(key: Uint8Array, { name, blockSize }: HashParameters): Uint8Array {
  return key.length > blockSize ? nodeCrypto.createHash(name).update(key).digest() : key;
}

/** The pads of RFC 2104 §2: K' ^ ipad and K' ^ opad, each B bytes. */
function derivePads(key: Uint8Array, hash: HashParameters): { ipad: Uint8Array; opad: Uint8Array } {
  const k = deriveBlockKey(key, hash);
  const ipad = new Uint8Array(hash.blockSize);
  const opad = new Uint8Array(hash.blockSize);
  for (let i = 0; i < hash.blockSize; i++) {
    const byte = k[i] ?? 0;
    ipad[i] = byte ^ IPAD;
    opad[i] = byte ^ OPAD;
  }
  if (k !== key) k.fill(0);
  return { ipad, opad };
}

/**
 * Working buffers for the hash inputs, one pair per hash function, shared by every key.
 *
 * V8 keeps a typed array of up to 64 bytes on its heap, but gives a larger one its own backing
 * store, which costs about 0.6 µs to allocate: more than the two hashes of a MAC. The inputs
 * here are 72 to 192 bytes, so they are allocated once. Sharing them is safe because a MAC is
 * computed synchronously, start to end, with nothing else able to run in between; each call
 * wipes the pads from them before returning, so no key material stays behind.
 */
interface Scratch {
  /** (K' ^ ipad) || m, for the usual 8-byte m. */
  inner: Uint8Array;
  /** (K' ^ opad) || H(inner). */
  outer: Uint8Array;
}

const scratchByHash = new Map<HashParameters, Scratch>();

function getScratch(hash: HashParameters): Scratch {
  let scratch = scratchByHash.get(hash);
  if (scratch === undefined) {
    scratch = {
      inner: new Uint8Array(hash.blockSize + COUNTER_LENGTH),
      outer: new Uint8Array(hash.blockSize + hash.outputSize),
    };
    scratchByHash.set(hash, scratch);
  }
  return scratch;
}

function createOneShotHmac(
  key: Uint8Array,
  hash: HashParameters,
  hashFn: NonNullable<typeof hashOnce>,
): HmacFn {
  const { name, blockSize, outputSize } = hash;
  const { ipad, opad } = derivePads(key, hash);
  const { inner, outer } = getScratch(hash);

  return (message) => {
    let innerInput = inner;
    if (message.length === COUNTER_LENGTH) {
      inner.set(ipad);
      for (let i = 0; i < COUNTER_LENGTH; i++) inner[blockSize + i] = message[i] ?? 0;
    } else {
      innerInput = new Uint8Array(blockSize + message.length);
      innerInput.set(ipad);
      innerInput.set(message, blockSize);
    }
    // RFC 2104 §2 steps 2-4: H((K' ^ ipad) || m), as a one-byte string of the digest bytes.
    const innerDigest = hashFn(name, innerInput, 'binary');
    innerInput.fill(0, 0, blockSize);
    outer.set(opad);
    for (let i = 0; i < outputSize; i++) outer[blockSize + i] = innerDigest.charCodeAt(i);
    // Steps 5-7: H((K' ^ opad) || inner digest).
    const macString = hashFn(name, outer, 'binary');
    outer.fill(0, 0, blockSize);
    const mac = new Uint8Array(outputSize);
    for (let i = 0; i < outputSize; i++) mac[i] = macString.charCodeAt(i);
    return mac;
  };
}

function createPrecomputedStateHmac(key: Uint8Array, hash: HashParameters): HmacFn {
  const { ipad, opad } = derivePads(key, hash);
  // The states after one block each; only copies of them ever see a message.
  const innerState = nodeCrypto.createHash(hash.name).update(ipad);
  const outerState = nodeCrypto.createHash(hash.name).update(opad);
  ipad.fill(0);
  opad.fill(0);

  return (message) => {
    const innerDigest = innerState.copy().update(message).digest();
    return outerState.copy().update(innerDigest).digest();
  };
}

/**
 * Creates the HMAC of a token's secret for the OTP engine (`HmacFn` of `core/otp`).
 *
 * Call it when the key is loaded: the pads of RFC 2104 §2 are prepared here, once, and each MAC
 * afterwards costs two hash computations. The returned function is synchronous and returns a
 * fresh `Uint8Array` each time; it keeps a copy of the pads, so later changes to `key` (such as
 * wiping it) do not affect it.
 *
 * @param key - the secret K, any length (longer than the block size: hashed first, RFC 2104 §3)
 * @param algorithm - 'SHA1', 'SHA256' or 'SHA512' (RFC 6238 §1.2)
 * @returns a function computing HMAC(K, message)
 * @throws TypeError if `key` is not a Uint8Array or `algorithm` is not one of the three
 */
export function createNodeHmac(key: Uint8Array, algorithm: HashAlgorithm): HmacFn {
  if (!(key instanceof Uint8Array)) throw new TypeError('key must be a Uint8Array');
  const hash = Object.hasOwn(HASHES, algorithm) ? HASHES[algorithm] : undefined;
  if (hash === undefined) throw new TypeError('algorithm must be SHA1, SHA256 or SHA512');
  return hashOnce === undefined
    ? createPrecomputedStateHmac(key, hash)
    : createOneShotHmac(key, hash, hashOnce);
}
