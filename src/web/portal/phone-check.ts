import { randomBytes } from 'node:crypto';
import type { BankStore, PhoneCheckPurpose } from '../../bank/bank-store.js';
import type { Clock } from '../../core/index.js';
import { formatJapanesePhone, normalizeJapanesePhone } from '../shared/phone-number.js';

export type { PhoneCheckPurpose } from '../../bank/bank-store.js';

/** 「120秒以内に「認証先電話番号」にお電話ください」 (guide 000 STEP 1 ⑤). */
export const PHONE_CHECK_TTL_MS = 120_000;

/** The 認証先電話番号 when the bank configures none. */
export const DEFAULT_PHONE_CHECK_NUMBER = '0120-000-111';

/** Where a 電話番号認証 stands: waiting for the call, done, or past its 120 seconds. */
export type PhoneCheckState = 'pending' | 'verified' | 'expired';

/** A check as its screen draws it. */
export interface PhoneCheckInfo {
  readonly state: PhoneCheckState;
  readonly purpose: PhoneCheckPurpose;
  /** When the 120 seconds end (ms since the epoch, the portal's clock). */
  readonly expiresAt: number;
  /** Whole seconds left (0 once expired or verified). */
  readonly secondsLeft: number;
}

/** 電話番号認証 for the portal's screens and for the telephony webhook. */
export interface PhoneCheckService {
  /** The 認証先電話番号 as the screen shows it (0120-000-111). */
  readonly number: string;
  /**
   * Starts a check for the customer: the screen that shows the number is drawn with the returned
   * ID, and polls its state by it. Every call starts a new one (「もう一度」 after expiry).
   */
  startPhoneCheck(
    customerId: number,
    purpose: PhoneCheckPurpose,
  ): Promise<{ id: string; expiresAt: number }>;
  /**
   * The state of the customer's check; null when there is no such check, it is another
   * customer's, or (when `purpose` is given) it was started for something else. A verified check
   * stays verified; the flow that asked for it moves on once and forgets its ID.
   */
  phoneCheckState(
    id: string,
    customerId: number,
    purpose?: PhoneCheckPurpose,
  ): Promise<PhoneCheckState | null>;
  /** The same with the time left, for drawing the screen. */
  phoneCheckInfo(
    id: string,
    customerId: number,
    purpose?: PhoneCheckPurpose,
  ): Promise<PhoneCheckInfo | null>;
  /**
   * A call the provider reported (its From and To as sent, any format): marks the caller's
   * pending checks that showed the called number; returns how many it marked.
   */
  recordInboundCall(from: string, to: string): Promise<number>;
}

/** A check ID as the routes accept it: 128 bits in base64url. */
export const PHONE_CHECK_ID = /^[A-Za-z0-9_-]{22}$/;

/** The phone-check service over the bank's store, on the portal's clock. */
export function createPhoneCheckService(o: {
  bank: BankStore;
  clock: Clock;
  /** 認証先電話番号; default {@link DEFAULT_PHONE_CHECK_NUMBER}. */
  number?: string;
}): PhoneCheckService {
  const configured = o.number ?? DEFAULT_PHONE_CHECK_NUMBER;
  const called = normalizeJapanesePhone(configured);
  if (called === null)
    throw new Error(`phoneCheckNumber is not a Japanese telephone number: ${configured}`);

  const info = async (id: string, customerId: number, purpose?: PhoneCheckPurpose) => {
    if (!PHONE_CHECK_ID.test(id)) return null;
    const row = await o.bank.phoneCheck(id);
    if (row === null || row.customerId !== customerId) return null;
    if (purpose !== undefined && row.purpose !== purpose) return null;
    const now = o.clock.now();
    const state: PhoneCheckState =
      row.status === 'verified' ? 'verified' : now < row.expiresAt ? 'pending' : 'expired';
    return {
      state,
      purpose: row.purpose,
      expiresAt: row.expiresAt,
      secondsLeft: state === 'pending' ? Math.ceil((row.expiresAt - now) / 1000) : 0,
    };
  };

  return {
    number: formatJapanesePhone(configured),
    async startPhoneCheck(customerId, purpose) {
      const id = randomBytes(16).toString('base64url');
      const now = o.clock.now();
      const expiresAt = now + PHONE_CHECK_TTL_MS;
      await o.bank.createPhoneCheck({ id, customerId, purpose, called, createdAt: now, expiresAt });
      return { id, expiresAt };
    },
    async phoneCheckState(id, customerId, purpose) {
      return (await info(id, customerId, purpose))?.state ?? null;
    },
    phoneCheckInfo: info,
    async recordInboundCall(from, to) {
      const caller = normalizeJapanesePhone(from);
      const callee = normalizeJapanesePhone(to);
      if (caller === null || callee === null) return 0;
      return (await o.bank.verifyPhoneCheckByCall(caller, callee, o.clock.now())).length;
    },
  };
}
