/**
 * A hardware token's place in its life as staff see it (guide 001, SPEC.md "Hardware token"):
 * 在庫 → 発送待ち (a customer asked; the fee recorded) → 発送済 (staff shipped a serial) → 利用中
 * (the customer activated it with serial + OTP) → 解除済 (never usable again) or 期限切れ.
 * Pure: derived from the stock item and the token it went to.
 */
import type { EndReason } from '../token/token.js';

/** The fee of a hardware token, recorded at the customer's request (SPEC.md: 1,100 yen). */
export const HARDWARE_FEE_YEN = 1100;

/** Re-issue is possible from this many days before the token's expiry (SPEC.md). */
export const HARDWARE_REISSUE_DAYS = 90;

/** A stock item's life stage (発送待ち is a request without an item, counted apart). */
export type HardwareLifeState = 'stock' | 'shipped' | 'active' | 'ended' | 'expired';

/** What the stage is derived from. */
export interface HardwareStateInput {
  readonly stockState: 'stock' | 'shipped' | 'active' | 'ended';
  /** The token the item went to, when it did. */
  readonly tokenState: 'issued' | 'provisioned' | 'active' | 'ended' | null;
  readonly endReason: EndReason | null;
  /** The vendor's validity ran out (valid_until ≤ now). */
  readonly pastValidity: boolean;
}

/**
 * The stage: an ended token's item is 解除済 (or 期限切れ when the issuance ran out), whatever
 * the item says (guide 001: a deactivated hardware token can never be activated again); an item
 * past the vendor's validity is 期限切れ.
 */
export function hardwareLifeState(i: HardwareStateInput): HardwareLifeState {
  if (i.stockState === 'ended') return 'ended';
  if (i.tokenState === 'ended') return i.endReason === 'expired' ? 'expired' : 'ended';
  if (i.pastValidity) return 'expired';
  return i.stockState;
}

/** True when re-issue is open: from HARDWARE_REISSUE_DAYS before `validUntil` (SPEC.md). */
export function mayReissueHardware(validUntil: number | null, now: number): boolean {
  return validUntil !== null && now >= validUntil - HARDWARE_REISSUE_DAYS * 86_400_000;
}

/** A シリアル番号: 8-12 digits (guide 001: on the back of the token). */
export const HARDWARE_SERIAL = /^[0-9]{8,12}$/;

/** A customer's request for a hardware token waiting to be shipped (発送待ち). */
export interface HardwareWaiting {
  readonly tokenId: number;
  readonly customerRef: string;
  readonly userId: string;
  readonly issuedAt: number;
  /** The request lapses (期限切れ) if not activated by then. */
  readonly expiresAt: number;
}

/** A stock item staff shipped to a customer (発送済 and after). */
export interface HardwareShipment {
  readonly tokenId: number;
  readonly customerRef: string;
  readonly userId: string;
  readonly serial: string;
  readonly shippedAt: number;
  readonly tokenState: 'issued' | 'provisioned' | 'active' | 'ended';
  readonly validUntil: number | null;
}

/** One stock item found by its serial, with where it went. */
export interface HardwareStockItemView {
  readonly serial: string;
  readonly kind: 'totp' | 'hotp';
  readonly stockState: 'stock' | 'shipped' | 'active' | 'ended';
  readonly stage: HardwareLifeState;
  readonly batch: string;
  readonly importedAt: number;
  readonly shippedAt: number | null;
  readonly validFrom: number | null;
  readonly validUntil: number | null;
  readonly customerRef: string | null;
  readonly activatedAt: number | null;
  readonly endedAt: number | null;
}
