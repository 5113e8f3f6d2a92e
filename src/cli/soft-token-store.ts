import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ProvisionedTokenInfo } from '../core/index.js';
import { createKeyring } from '../crypto/keyring.js';

/** One software token held by the terminal (the stand-in for a customer's phone). */
export interface SoftToken extends ProvisionedTokenInfo {
  readonly url: string;
  /** The secret, sealed (AES-256-GCM) under the device key kept in a file of its own. */
  readonly sealedSecret: string;
}

interface TokenFile {
  tokens: SoftToken[];
}

/** Where the terminal keeps its tokens: INKAN_SOFT_TOKEN_DIR, else ~/.inkan. */
export function softTokenDir(env: NodeJS.ProcessEnv): string {
  return env['INKAN_SOFT_TOKEN_DIR'] ?? join(homedir(), '.inkan');
}

function writePrivate(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/**
 * The terminal's token wallet: `soft-tokens.json` holds the tokens with their secrets sealed,
 * `device.key` the key that opens them; both readable by the user only (0600), so neither file
 * alone (a backup, a copied folder) gives away a secret.
 */
export function openSoftTokenStore(dir: string) {
  const tokensPath = join(dir, 'soft-tokens.json');
  const keyPath = join(dir, 'device.key');
  const deviceKey = (): Buffer => {
    if (!existsSync(keyPath)) writePrivate(keyPath, randomBytes(32).toString('base64') + '\n');
    return Buffer.from(readFileSync(keyPath, 'utf8').trim(), 'base64');
  };
  const keyring = () => createKeyring([{ version: 1, key: deviceKey() }]);
  const aad = (t: Pick<SoftToken, 'serviceId' | 'userId'>) =>
    `inkan/soft-token/v1:${t.serviceId}:${t.userId}`;
  const read = (): TokenFile =>
    existsSync(tokensPath)
      ? (JSON.parse(readFileSync(tokensPath, 'utf8')) as TokenFile)
      : { tokens: [] };
  return {
    tokensPath,
    keyPath,
    list: (): SoftToken[] => read().tokens,
    /** Adds (or replaces, for the same IDs) a token, sealing its secret. */
    save(t: Omit<SoftToken, 'sealedSecret'>, secret: Uint8Array): void {
      const sealedSecret = keyring().seal(secret, aad(t));
      const others = read().tokens.filter(
        (x) => !(x.serviceId === t.serviceId && x.userId === t.userId),
      );
      writePrivate(
        tokensPath,
        JSON.stringify({ tokens: [...others, { ...t, sealedSecret }] }, null, 2) + '\n',
      );
    },
    remove(serviceId: string, userId: string): boolean {
      const file = read();
      const kept = file.tokens.filter((x) => !(x.serviceId === serviceId && x.userId === userId));
      if (kept.length === file.tokens.length) return false;
      writePrivate(tokensPath, JSON.stringify({ tokens: kept }, null, 2) + '\n');
      return true;
    },
    secretOf: (t: SoftToken): Uint8Array => keyring().unseal(t.sealedSecret, aad(t)),
  };
}
