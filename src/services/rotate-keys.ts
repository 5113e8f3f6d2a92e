import type { Keyring, Store } from '../core/index.js';
import { secretAad } from './deps.js';
import { stockAad } from './hardware.js';
import { staffSecretAad } from './staff.js';

/**
 * `inkan keys rotate`: re-seals every stored secret under the keyring's current key. Each row is
 * updated only if it still holds what was read, so a concurrent provisioning is never overwritten.
 */
export async function resealSecrets(
  store: Store,
  keyring: Keyring,
): Promise<{ resealed: number; total: number }> {
  const tokens = await resealPages(
    keyring,
    (after) => store.listSealedSecrets(after, 500),
    (row) => secretAad(row),
    (row, sealed) => store.updateSealedSecret(row.id, row.sealedSecret, sealed),
  );
  // The hardware stock's secrets too: a database dump must reveal none under an old key.
  const stock = await resealPages(
    keyring,
    (after) => store.listSealedStock(after, 500),
    (row) => stockAad(row),
    (row, sealed) => store.updateSealedStock(row.id, row.sealedSecret, sealed),
  );
  // And the staff's authenticator secrets (admin console).
  const staff = await resealPages(
    keyring,
    (after) => store.listSealedStaffSecrets(after, 500),
    (row) => staffSecretAad(row),
    (row, sealed) => store.updateSealedStaffSecret(row.id, row.sealedSecret, sealed),
  );
  return {
    resealed: tokens.resealed + stock.resealed + staff.resealed,
    total: tokens.total + stock.total + staff.total,
  };
}

/** Re-seals the rows of one table, page by page. */
async function resealPages<R extends { id: number; sealedSecret: string }>(
  keyring: Keyring,
  page: (afterId: number) => Promise<R[]>,
  aadOf: (row: R) => string,
  update: (row: R, sealed: string) => Promise<boolean>,
): Promise<{ resealed: number; total: number }> {
  let after = 0;
  let resealed = 0;
  let total = 0;
  for (;;) {
    const rows = await page(after);
    if (rows.length === 0) return { resealed, total };
    for (const row of rows) {
      total += 1;
      after = row.id;
      if (!keyring.needsReseal(row.sealedSecret)) continue;
      const aad = aadOf(row);
      const secret = keyring.unseal(row.sealedSecret, aad);
      const sealed = keyring.seal(secret, aad);
      secret.fill(0);
      if (await update(row, sealed)) resealed += 1;
    }
  }
}
