/**
 * A software WebAuthn authenticator for API tests: P-256 keys in node:crypto, authenticator data,
 * a "none" attestation and ES256 assertions built by hand from WebAuthn §6.1 / §6.5 / §7.2, so the
 * platform's verification is checked against an implementation of its own.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const b64u = (b: Uint8Array | Buffer) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

interface Key {
  readonly id: Buffer;
  readonly privateKey: KeyObject;
  readonly cose: Uint8Array;
  counter: number;
  readonly userHandle: string;
}

/** What the authenticator answers a create / get with, as the browser's toJSON() gives it. */
export type CredentialJson = Record<string, unknown> & {
  id: string;
  response: Record<string, string>;
};

/** One phone's platform authenticator. */
export class SoftAuthenticator {
  readonly keys: Key[] = [];
  /** The UV flag it sets (false: the user was not verified). */
  userVerified = true;
  /** Added to the sign count at each assertion (0: a counter that does not move). */
  counterStep = 1;

  constructor(
    readonly origin: string,
    readonly rpId = new URL(origin).hostname,
  ) {}

  private authData(counter: number, attested?: Key): Buffer {
    // flags (§6.1): UP 0x01, UV 0x04, AT 0x40.
    const flags = 0x01 | (this.userVerified ? 0x04 : 0) | (attested ? 0x40 : 0);
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    const parts: Buffer[] = [sha256(this.rpId), Buffer.from([flags]), count];
    if (attested) {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(attested.id.length);
      parts.push(Buffer.alloc(16), len, Buffer.from(attested.id), Buffer.from(attested.cose));
    }
    return Buffer.concat(parts);
  }

  private clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  /** navigator.credentials.create: a new ES256 key and a "none" attestation (§8.7). */
  create(
    options: { challenge: string; user: { id: string } },
    origin = this.origin,
  ): CredentialJson {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    // COSE_Key (RFC 9052 §7, RFC 9053 §2.1): kty EC2, alg ES256, crv P-256, x, y.
    const cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, new Uint8Array(Buffer.from(jwk.x ?? '', 'base64url'))],
        [-3, new Uint8Array(Buffer.from(jwk.y ?? '', 'base64url'))],
      ]),
    );
    const key: Key = {
      id: randomBytes(16),
      privateKey,
      cose,
      counter: 0,
      userHandle: options.user.id,
    };
    this.keys.push(key);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', new Uint8Array(this.authData(0, key))],
      ]) as never,
    );
    const id = b64u(key.id);
    return {
      id,
      rawId: id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64u(this.clientData('webauthn.create', options.challenge, origin)),
        attestationObject: b64u(attestationObject),
        transports: ['internal'] as unknown as string,
      },
    };
  }

  /** navigator.credentials.get with a discoverable credential: the newest key unless one is named. */
  get(
    options: { challenge: string },
    o: { key?: Key; origin?: string; counter?: number } = {},
  ): CredentialJson {
    const key = o.key ?? this.keys[this.keys.length - 1];
    if (key === undefined) throw new Error('no credential on this authenticator');
    key.counter = o.counter ?? key.counter + this.counterStep;
    const authData = this.authData(key.counter);
    const clientData = this.clientData('webauthn.get', options.challenge, o.origin ?? this.origin);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), key.privateKey);
    const id = b64u(key.id);
    return {
      id,
      rawId: id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64u(clientData),
        authenticatorData: b64u(authData),
        signature: b64u(signature),
        userHandle: key.userHandle,
      },
    };
  }
}
