import {
  createDecipheriv,
  createECDH,
  createHmac,
  createPublicKey,
  randomBytes,
  verify,
} from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake push service received. */
export interface PushArrival {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A push service (RFC 8030 §5) on 127.0.0.1 over plain http, for tests: it records every
 * request and answers `status(path)` (default 201 Created, RFC 8030 §5.2).
 */
export async function startFakePushService(): Promise<{
  origin: string;
  arrivals: PushArrival[];
  setStatus(fn: (path: string) => number): void;
  close(): Promise<void>;
}> {
  const arrivals: PushArrival[] = [];
  let status = (_path: string) => 201;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      arrivals.push({ path, headers: req.headers, body: Buffer.concat(chunks) });
      res.statusCode = status(path);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    arrivals,
    setStatus(fn) {
      status = fn;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A browser's side of a subscription: its ECDH P-256 key pair and auth secret (RFC 8291 §3). */
export function userAgentKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    ecdh,
    auth,
    p256dh: ecdh.getPublicKey().toString('base64url'),
    authB64: auth.toString('base64url'),
  };
}

const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();

/**
 * Decrypts an aes128gcm push message body as the user agent does (RFC 8291 §3.4 and RFC 8188
 * §2), written from the RFCs with node:crypto as an oracle independent of web-push: the header
 * (salt 16, rs 4, idlen 1, keyid = the sender's public key), HKDF-SHA-256 (RFC 5869) written out
 * with HMAC, AES-128-GCM, then the padding delimiter 0x02 of the last record.
 */
export function decryptAes128gcm(
  body: Buffer,
  ua: { ecdh: ReturnType<typeof createECDH>; auth: Buffer },
): Buffer {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const asPublic = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  if (idlen !== 65 || rs < 18 || ciphertext.length > rs) throw new Error('bad aes128gcm header');
  const uaPublic = ua.ecdh.getPublicKey();
  const ecdhSecret = ua.ecdh.computeSecret(asPublic);
  // RFC 8291 §3.4: PRK_key = HMAC(auth_secret, ecdh_secret); IKM = HKDF-Expand(PRK_key, key_info, 32)
  const prkKey = hmac(ua.auth, ecdhSecret);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic]);
  const ikm = hmac(prkKey, Buffer.concat([keyInfo, Buffer.from([1])]));
  // RFC 8188 §2.2-2.3: PRK = HMAC(salt, IKM); CEK and NONCE by HKDF-Expand with their infos.
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01')).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01')).subarray(0, 12);
  const tag = ciphertext.subarray(ciphertext.length - 16);
  const d = createDecipheriv('aes-128-gcm', cek, nonce);
  d.setAuthTag(tag);
  const plain = Buffer.concat([
    d.update(ciphertext.subarray(0, ciphertext.length - 16)),
    d.final(),
  ]);
  // RFC 8188 §2: data, then 0x02 (last record), then zero padding.
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end--;
  if (plain[end] !== 2) throw new Error('no last-record delimiter');
  return plain.subarray(0, end);
}

/**
 * Checks `Authorization: vapid t=<JWT>, k=<key>` (RFC 8292 §3): the ES256 signature with
 * node:crypto against k; returns k and the JWT's claims.
 */
export function verifyVapid(authorization: string | undefined): {
  k: string;
  header: Record<string, unknown>;
  claims: { aud: string; exp: number; sub: string };
} {
  const m = /^vapid t=([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+), k=([A-Za-z0-9_-]+)$/.exec(
    authorization ?? '',
  );
  if (m === null) throw new Error(`not a vapid Authorization: ${authorization ?? ''}`);
  const [h, p, s] = m[1]!.split('.') as [string, string, string];
  const k = Buffer.from(m[2]!, 'base64url');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: k.subarray(1, 33).toString('base64url'),
      y: k.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
  // RFC 7518 §3.4: ES256 is the 64-byte r||s (IEEE P1363), SHA-256.
  const ok = verify(
    'sha256',
    Buffer.from(`${h}.${p}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(s, 'base64url'),
  );
  if (!ok) throw new Error('VAPID JWT signature does not verify');
  return {
    k: m[2]!,
    header: JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(p, 'base64url').toString()) as {
      aud: string;
      exp: number;
      sub: string;
    },
  };
}
