import { generateTotpAsync, secondsLeft, type HashAlgorithm } from '../core/otp/index.js';
import {
  readProvisionAnswer,
  seedInfo,
  seedLength,
  seedSalt,
  type ProvisionedTokenInfo,
} from '../core/provisioning/derive-seed.js';

/**
 * The token app's half of provisioning, on WebCrypto only, so the same code runs in the browser
 * and in Node (SPEC.md, "Provisioning: the secret never travels"): an ECDH P-256 key pair, the
 * server's ephemeral key, HKDF-SHA256 over the shared secret bound to the IDs, and the token
 * secret born as a non-extractable HMAC CryptoKey. No byte of the secret is ever in JavaScript's
 * hands: it can sign (compute OTPs) but neither the user nor a script can read it out.
 */

/** A token set up in the app. `key` is the non-extractable HMAC key (IndexedDB keeps it as is). */
export interface AppToken extends ProvisionedTokenInfo {
  readonly key: CryptoKey;
}

/** What the server answered when it refused, for the screen to say plainly. */
export interface ProvisionRefusal {
  readonly ok: false;
  /** The contract's problem code (ACTIVATION_PASSWORD_WRONG, ISSUANCE_VOID, …), or NETWORK. */
  readonly code: string;
  readonly status: number;
  readonly attemptsLeft?: number;
}

export type ProvisionOutcome = { readonly ok: true; readonly token: AppToken } | ProvisionRefusal;

const HASH: Record<HashAlgorithm, string> = { SHA1: 'SHA-1', SHA256: 'SHA-256', SHA512: 'SHA-512' };

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/**
 * アプリの初期設定: sends サービスID, ユーザID, 利用開始パスワード and the app's public key to
 * `POST /api/v1/provision`, and derives the token's key from the answer.
 */
export async function provisionInBrowser(o: {
  baseUrl: string;
  serviceId: string;
  userId: string;
  activationPassword: string;
  fetch?: typeof fetch;
  subtle?: SubtleCrypto;
}): Promise<ProvisionOutcome> {
  const subtle = o.subtle ?? globalThis.crypto.subtle;
  const doFetch = o.fetch ?? globalThis.fetch.bind(globalThis);
  // The private half never leaves WebCrypto either.
  const pair = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, [
    'deriveBits',
  ]);
  const publicKey = new Uint8Array(await subtle.exportKey('raw', pair.publicKey));
  let res: Response;
  try {
    res = await doFetch(new URL('/api/v1/provision', o.baseUrl).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        serviceId: o.serviceId,
        userId: o.userId,
        activationPassword: o.activationPassword,
        publicKey: base64url(publicKey),
      }),
    });
  } catch {
    return { ok: false, code: 'NETWORK', status: 0 };
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const attemptsLeft = body['attemptsLeft'];
    return {
      ok: false,
      code: typeof body['code'] === 'string' ? body['code'] : `HTTP_${res.status}`,
      status: res.status,
      ...(typeof attemptsLeft === 'number' ? { attemptsLeft } : {}),
    };
  }
  const { serverPublicKey, ...info } = readProvisionAnswer(o, body);
  const algorithm = info.algorithm;
  const serverKey = await subtle.importKey(
    'raw',
    fromBase64url(serverPublicKey),
    { name: 'ECDH', namedCurve: 'P-256' },
    false,
    [],
  );
  const shared = await subtle.deriveBits({ name: 'ECDH', public: serverKey }, pair.privateKey, 256);
  const ikm = await subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  const key = await subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: seedSalt(o.serviceId, o.userId), info: seedInfo() },
    ikm,
    { name: 'HMAC', hash: HASH[algorithm], length: seedLength(algorithm) * 8 },
    false, // non-extractable: 「アプリデータの搾取・複製を防止」
    ['sign'],
  );
  return { ok: true, token: { ...info, key } };
}

/** The OTP the app shows now, and the seconds until it changes. */
export async function appOtp(
  token: AppToken,
  now: number,
  subtle: SubtleCrypto = globalThis.crypto.subtle,
): Promise<{ otp: string; secondsLeft: number }> {
  const otp = await generateTotpAsync({
    hmac: async (message) =>
      new Uint8Array(await subtle.sign('HMAC', token.key, new Uint8Array(message))),
    now,
    period: token.period,
    digits: token.digits,
  });
  return { otp, secondsLeft: secondsLeft({ now, period: token.period }) };
}
