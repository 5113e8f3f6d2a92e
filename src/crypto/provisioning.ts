import { createECDH, hkdfSync } from 'node:crypto';
import type { HashAlgorithm } from '../core/otp/index.js';
import {
  P256_UNCOMPRESSED_LENGTH,
  seedInfo,
  seedLength,
  seedSalt,
} from '../core/provisioning/derive-seed.js';

/** The server's half of provisioning: its ephemeral public key and the derived token secret. */
export interface ServerAgreement {
  readonly serverPublicKey: string;
  readonly secret: Uint8Array;
}

/**
 * ECDH P-256 with the app's public key (base64url, uncompressed point), then HKDF-SHA256 per the
 * contract. Returns null when the app's key is not a valid point on the curve. A fresh key pair
 * each time: nothing of it is kept, so a later leak of the server cannot recompute the secret
 * from a recorded exchange.
 */
export function agreeTokenSecret(o: {
  clientPublicKey: string;
  serviceId: string;
  userId: string;
  algorithm: HashAlgorithm;
}): ServerAgreement | null {
  const client = Buffer.from(o.clientPublicKey, 'base64url');
  if (client.length !== P256_UNCOMPRESSED_LENGTH || client[0] !== 0x04) return null;
  const ecdh = createECDH('prime256v1');
  const serverPublic = ecdh.generateKeys();
  let shared: Buffer;
  try {
    shared = ecdh.computeSecret(client); // throws for a point not on the curve
  } catch {
    return null;
  }
  const secret = new Uint8Array(
    hkdfSync(
      'sha256',
      shared,
      seedSalt(o.serviceId, o.userId),
      seedInfo(),
      seedLength(o.algorithm),
    ),
  );
  shared.fill(0);
  return { serverPublicKey: serverPublic.toString('base64url'), secret };
}

/** The app's half, in Node (tests, the terminal token): the same derivation from the other side. */
export function createClientAgreement(): {
  publicKey: string;
  derive(o: {
    serverPublicKey: string;
    serviceId: string;
    userId: string;
    algorithm: HashAlgorithm;
  }): Uint8Array;
} {
  const ecdh = createECDH('prime256v1');
  const pub = ecdh.generateKeys();
  return {
    publicKey: pub.toString('base64url'),
    derive(o) {
      const shared = ecdh.computeSecret(Buffer.from(o.serverPublicKey, 'base64url'));
      return new Uint8Array(
        hkdfSync(
          'sha256',
          shared,
          seedSalt(o.serviceId, o.userId),
          seedInfo(),
          seedLength(o.algorithm),
        ),
      );
    },
  };
}
