import type { Keyring, Store } from '../core/index.js';
import { secretAad } from './deps.js';

/**
 * `inkan keys rotate`: re-seals every stored secret under the keyring's current key. Each row is
 * updated only if it still holds what was read, so a concurrent provisioning is never overwritten.
 */
export async function resealSecrets(
  store: Store,
  keyring: Keyring,
): Promise<{ resealed: number; total: number }> {
  let after = 0;
  let resealed = 0;
  let total = 0;
  for (;;) {
    const page = await store.listSealedSecrets(after, 500);
    if (page.length === 0) return { resealed, total };
    for (const row of page) {
      total += 1;
      after = row.id;
      if (!keyring.needsReseal(row.sealedSecret)) continue;
      const aad = secretAad(row);
      const secret = keyring.unseal(row.sealedSecret, aad);
      const sealed = keyring.seal(secret, aad);
      secret.fill(0);
      if (await store.updateSealedSecret(row.id, row.sealedSecret, sealed)) resealed += 1;
    }
  }
}
