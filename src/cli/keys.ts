import type { Config } from '../config.js';
import { createKeyring } from '../crypto/keyring.js';
import { generateMasterKey, loadMasterKeys, writeKeyFile } from '../crypto/master-keys.js';
import { resealSecrets } from '../services/index.js';
import { dialectOf, openStore } from '../storage/open-store.js';
import { EXIT, reportError, type Io } from './output.js';

/**
 * `inkan keys rotate`. With a key file: adds a new master key version to it and re-seals every
 * secret under it. Old versions stay in the file; running servers re-read the file when they
 * meet a secret sealed under a version they do not hold, and every minute.
 * With INKAN_MASTER_KEY: re-seals under the highest version in the variable; put the new key
 * first as `v2:<base64>,v1:<base64>`, rotate, then drop v1.
 */
export async function runKeysRotate(config: Config, io: Io, json: boolean): Promise<number> {
  try {
    dialectOf(config.databaseUrl); // refuse a bad DATABASE_URL before writing a key
    // The database first: one that cannot be opened gets no new key version (nor, on a new
    // folder, a key file). The new key is written before any secret is sealed under it.
    const loadKeys = () =>
      loadMasterKeys({ env: config.masterKeyEnv, keyFile: config.masterKeyFile, warn: io.err });
    let loaded = config.masterKeyEnv === undefined ? null : loadKeys(); // checked before any write
    const store = await openStore({ url: config.databaseUrl });
    try {
      loaded ??= loadKeys();
      const source = loaded.source;
      let keys = loaded.keys;
      if (source !== 'env') {
        const next = generateMasterKey(Math.max(...keys.map((k) => k.version)) + 1);
        keys = [...keys, next];
        writeKeyFile(config.masterKeyFile, keys);
      }
      const keyring = createKeyring(keys);
      const r = await resealSecrets(store, keyring);
      const out = {
        keyVersion: keyring.currentVersion,
        source,
        resealed: r.resealed,
        secrets: r.total,
      };
      if (json) io.out(JSON.stringify(out));
      else
        io.out(
          `Master key v${out.keyVersion} (${source}): re-sealed ${r.resealed} of ${r.total} secrets.`,
        );
      return EXIT.ok;
    } finally {
      await store.close();
    }
  } catch (e) {
    return reportError(io, e, json);
  }
}

/** `inkan keys generate`: a key for INKAN_MASTER_KEY. */
export function runKeysGenerate(io: Io): number {
  io.out(generateMasterKey(1).key.toString('base64'));
  return EXIT.ok;
}
