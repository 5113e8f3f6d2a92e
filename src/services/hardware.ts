import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  InkanError,
  type HardwareStockRecord,
  type NewHardwareStock,
  type StoredToken,
  type TenantPolicy,
} from '../core/index.js';
import { verifyHotp, verifyOtp } from '../core/otp/index.js';
import { createNodeHmac } from '../crypto/node-hmac.js';
import { readPskcOffThread } from '../crypto/pskc-thread.js';
import {
  auditEvent,
  requireTenant,
  secretAad,
  type CallContext,
  type ServiceDeps,
} from './deps.js';
import { HOTP_LOOK_AHEAD } from './otp-check.js';

/** The associated data a stock item's secret is sealed with: its bank and serial. */
export function stockAad(item: Pick<HardwareStockRecord, 'serviceId' | 'serial'>): string {
  return `inkan/hardware-secret/v1:${item.serviceId}:${item.serial}`;
}

/** Secrets sealed between two turns of the event loop during an import. */
const SEAL_CHUNK = 1000;

/** What an import did. */
export interface ImportHardwareResult {
  readonly serviceId: string;
  readonly imported: number;
  readonly batch: string;
  readonly totp: number;
  readonly hotp: number;
}

/**
 * Imports a vendor's PSKC file (RFC 6030) into the bank's stock: every key or none. A malformed
 * or tampered file is refused whole (PSKC_INVALID), and so is one with a serial already in stock
 * (SERIAL_EXISTS, naming it); secrets are sealed under the master key before they are stored.
 */
export async function importHardware(
  deps: ServiceDeps,
  ctx: CallContext,
  input: { serviceId: string; xml: string; preSharedKey?: Uint8Array; batch: string },
): Promise<ImportHardwareResult> {
  await requireTenant(deps, input.serviceId);
  // Parsing, MAC checks and decryption run on a thread of their own: a large file would otherwise
  // stop every customer's request while staff import (pskc-thread.ts).
  const keys = await readPskcOffThread(input.xml, input.preSharedKey);
  const now = deps.clock.now();
  const expired = keys.find((k) => k.validUntil !== null && k.validUntil <= now);
  if (expired !== undefined) {
    throw new InkanError('PSKC_INVALID', {
      reason: `key of serial ${expired.serial} has already expired`,
    });
  }
  const existing = await deps.store.existingSerials(
    input.serviceId,
    keys.map((k) => k.serial),
  );
  if (existing.length > 0)
    throw new InkanError('SERIAL_EXISTS', {
      serials: existing.slice(0, 10),
      count: existing.length,
    });
  const rows: NewHardwareStock[] = [];
  for (const [i, k] of keys.entries()) {
    // Sealing 100,000 secrets takes a while too: the event loop gets a turn every so often.
    if (i > 0 && i % SEAL_CHUNK === 0) await nextTurn();
    const row = {
      serviceId: input.serviceId,
      serial: k.serial,
      kind: k.kind,
      algorithm: k.algorithm,
      digits: k.digits,
      period: k.period,
      counter: k.counter,
      validFrom: k.validFrom,
      validUntil: k.validUntil,
      batch: input.batch,
      importedAt: now,
    };
    const sealedSecret = deps.keyring.seal(k.secret, stockAad(row));
    k.secret.fill(0);
    rows.push({ ...row, sealedSecret });
  }
  await deps.store.transaction(async (tx) => {
    await tx.insertHardwareStock(rows);
    await tx.appendAudit(
      auditEvent(
        deps,
        { ...ctx, serviceId: input.serviceId },
        {
          action: 'hardware.imported',
          customerRef: null,
          tokenId: null,
          result: 'ok',
          detail: { count: rows.length, batch: input.batch },
        },
      ),
    );
  });
  deps.auditWritten();
  return {
    serviceId: input.serviceId,
    imported: rows.length,
    batch: input.batch,
    totp: rows.filter((r) => r.kind === 'totp').length,
    hotp: rows.filter((r) => r.kind === 'hotp').length,
  };
}

/** A hardware 利用開始's check of the typed serial and OTP against the bank's stock. */
export type HardwareCheck =
  | {
      readonly result: 'ok';
      readonly item: HardwareStockRecord;
      readonly secret: Uint8Array;
      readonly step: number;
      readonly drift: number;
    }
  | { readonly result: 'invalid' };

/**
 * Looks the serial up in the bank's stock and checks the OTP with the item's own secret and
 * parameters. Unknown, already bound, expired or (for a token staff shipped) a different serial
 * all answer `invalid`, the same as a wrong OTP, so serials cannot be probed (SPEC.md).
 */
export async function checkHardwareOtp(
  deps: ServiceDeps,
  token: StoredToken,
  serial: string,
  otp: string,
  policy: TenantPolicy,
): Promise<HardwareCheck> {
  if (token.serial !== null && token.serial !== serial) return { result: 'invalid' };
  const item = await deps.store.findHardwareStock(token.serviceId, serial);
  const now = deps.clock.now();
  // In stock, or shipped for this very token (発送済, issue 5): an item shipped to another
  // customer, bound or ended is never usable here (guide 001).
  const usable =
    item !== null &&
    (item.state === 'stock' || (item.state === 'shipped' && item.tokenId === token.id));
  if (item === null || !usable || (item.validUntil !== null && item.validUntil <= now)) {
    return { result: 'invalid' };
  }
  let secret: Uint8Array;
  try {
    secret = deps.keyring.unseal(item.sealedSecret, stockAad(item));
  } catch {
    return { result: 'invalid' };
  }
  const hmac = createNodeHmac(secret, item.algorithm);
  const check =
    item.kind === 'hotp'
      ? verifyHotp({
          otp,
          hmac,
          digits: item.digits,
          lastCounter: null,
          initialCounter: item.counter,
          lookAhead: HOTP_LOOK_AHEAD,
        })
      : verifyOtp({
          otp,
          hmac,
          now,
          period: item.period,
          digits: item.digits,
          window: policy.window,
          lastStep: null,
        });
  if (check.result !== 'ok') {
    secret.fill(0);
    return { result: 'invalid' };
  }
  return { result: 'ok', item, secret, step: check.step, drift: check.drift };
}

/** The secret sealed for the token it is bound to (its own associated data). */
export function sealForToken(deps: ServiceDeps, token: StoredToken, secret: Uint8Array): string {
  const sealed = deps.keyring.seal(secret, secretAad(token));
  secret.fill(0);
  return sealed;
}
