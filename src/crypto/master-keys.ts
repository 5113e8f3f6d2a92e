import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { MasterKey } from './keyring.js';

/** Where the master keys come from, for messages. */
export type MasterKeySource = 'env' | 'file' | 'generated';

/**
 * Parses INKAN_MASTER_KEY: either one base64 key (version 1), or a comma-separated list of
 * `v<N>:<base64>`; the highest version seals, the others only open (during a rotation).
 */
export function parseMasterKeyEnv(value: string): MasterKey[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((item) => {
      const m = /^v(\d+):(.+)$/.exec(item);
      const version = m?.[1] !== undefined ? Number(m[1]) : 1;
      const key = Buffer.from(m?.[2] ?? item, 'base64');
      if (key.length !== 32)
        throw new Error(
          'INKAN_MASTER_KEY must be base64 of 32 random bytes (openssl rand -base64 32)',
        );
      return { version, key };
    });
}

interface KeyFile {
  keys: { version: number; key: string; createdAt: string }[];
}

/** Reads a key file (JSON `{ keys: [{ version, key }] }`). */
export function readKeyFile(path: string): MasterKey[] {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
  return parsed.keys.map((k) => ({ version: k.version, key: Buffer.from(k.key, 'base64') }));
}

/** Writes a key file readable by its owner only, atomically. */
export function writeKeyFile(path: string, keys: readonly MasterKey[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const body: KeyFile = {
    keys: keys.map((k) => ({
      version: k.version,
      key: k.key.toString('base64'),
      createdAt: new Date().toISOString(),
    })),
  };
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(body, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** A new random master key. */
export function generateMasterKey(version: number): MasterKey {
  return { version, key: randomBytes(32) };
}

/**
 * The master keys: INKAN_MASTER_KEY if set, else the key file; with neither, development mode
 * makes a key file and says so loudly (`warn`).
 */
export function loadMasterKeys(o: {
  env: string | undefined;
  keyFile: string;
  warn: (message: string) => void;
}): { keys: MasterKey[]; source: MasterKeySource } {
  if (o.env !== undefined && o.env !== '') return { keys: parseMasterKeyEnv(o.env), source: 'env' };
  if (existsSync(o.keyFile)) return { keys: readKeyFile(o.keyFile), source: 'file' };
  const keys = [generateMasterKey(1)];
  writeKeyFile(o.keyFile, keys);
  // A box of 72 columns; a path too long for it runs past the right edge.
  const row = (text: string) => (text.length <= 68 ? `* ${text.padEnd(68)} *` : `* ${text}`);
  o.warn(
    [
      '*'.repeat(72),
      row('INKAN DEVELOPMENT MODE: no INKAN_MASTER_KEY is set.'),
      row('A new master key was written to'),
      row(`  ${o.keyFile}`),
      row('Token secrets are sealed with it. Anyone with this file and the'),
      row('database can read every secret. In production set INKAN_MASTER_KEY.'),
      '*'.repeat(72),
    ].join('\n'),
  );
  return { keys, source: 'generated' };
}
