import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from '../core/ports.js';

/** A master key and its version number. */
export interface MasterKey {
  readonly version: number;
  readonly key: Buffer;
}

const PREFIX = 'ink1';

/**
 * Secrets at rest (SPEC.md, "Security floor"): AES-256-GCM with a fresh 96-bit nonce per seal
 * (NIST SP 800-38D §8.2.2), the key version in the sealed text so that rotation can find what is
 * left under an old key, and additional data (the token's IDs) so that a sealed secret copied
 * to another row does not open there.
 * Sealed form: `ink1.<version>.<nonce b64url>.<ciphertext b64url>.<tag b64url>`.
 */
export function createKeyring(
  keys: readonly MasterKey[],
): Keyring & { readonly currentVersion: number; hasVersion(version: number): boolean } {
  if (keys.length === 0) throw new Error('no master key');
  const byVersion = new Map<number, Buffer>();
  for (const k of keys) {
    if (k.key.length !== 32) throw new Error(`master key v${k.version} is not 32 bytes`);
    if (byVersion.has(k.version)) throw new Error(`master key v${k.version} is given twice`);
    byVersion.set(k.version, k.key);
  }
  const current = keys.reduce((a, b) => (b.version > a.version ? b : a));
  return {
    currentVersion: current.version,
    hasVersion: (version: number) => byVersion.has(version),
    seal(plaintext: Uint8Array, aad: string): string {
      const nonce = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', current.key, nonce);
      c.setAAD(Buffer.from(aad, 'utf8'));
      const ct = Buffer.concat([c.update(plaintext), c.final()]);
      return [
        PREFIX,
        String(current.version),
        nonce.toString('base64url'),
        ct.toString('base64url'),
        c.getAuthTag().toString('base64url'),
      ].join('.');
    },
    unseal(sealed: string, aad: string): Uint8Array {
      const parts = sealed.split('.');
      const [prefix, v, n, ct, tag] = parts;
      if (
        parts.length !== 5 ||
        prefix !== PREFIX ||
        v === undefined ||
        n === undefined ||
        ct === undefined ||
        tag === undefined
      ) {
        throw new Error('not a sealed secret');
      }
      const key = byVersion.get(Number(v));
      if (key === undefined)
        throw new Error(`sealed under master key v${v}, which is not configured`);
      const nonce = Buffer.from(n, 'base64url');
      const authTag = Buffer.from(tag, 'base64url');
      // Exact lengths: GCM would otherwise accept a tag cut to 4 bytes, and forging a truncated
      // tag is far easier (NIST SP 800-38D §5.2.1.2, Appendix C).
      if (nonce.length !== 12 || authTag.length !== 16)
        throw new Error('not a sealed secret (nonce or tag length)');
      const d = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 });
      d.setAAD(Buffer.from(aad, 'utf8'));
      d.setAuthTag(authTag);
      return new Uint8Array(Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]));
    },
    needsReseal(sealed: string): boolean {
      return sealed.split('.')[1] !== String(current.version);
    },
  };
}

/**
 * A keyring that follows the key file: when a sealed secret names a key version it does not
 * hold (another process ran `inkan keys rotate`), it reads the keys again once and retries; and
 * it re-reads them every `refreshMs`, so a running server starts sealing under the newest key
 * without a restart.
 */
export function createReloadingKeyring(
  load: () => readonly MasterKey[],
  o: { now: () => number; refreshMs?: number },
): Keyring & { readonly currentVersion: number } {
  const refreshMs = o.refreshMs ?? 60_000;
  let ring = createKeyring(load());
  let loadedAt = o.now();
  const fresh = () => {
    if (o.now() - loadedAt >= refreshMs) reload();
    return ring;
  };
  const reload = () => {
    ring = createKeyring(load());
    loadedAt = o.now();
  };
  return {
    get currentVersion() {
      return fresh().currentVersion;
    },
    seal: (plaintext, aad) => fresh().seal(plaintext, aad),
    unseal(sealed, aad) {
      const r = fresh();
      const version = Number(sealed.split('.')[1]);
      if (!r.hasVersion(version)) reload();
      return ring.unseal(sealed, aad);
    },
    needsReseal: (sealed) => fresh().needsReseal(sealed),
  };
}
