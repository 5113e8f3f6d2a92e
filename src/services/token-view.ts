import {
  isIssuanceExpired,
  isPastValidity,
  type PublicTokenState,
  type StoredToken,
} from '../core/index.js';
import { iso } from './deps.js';

/** GET /customers/{ref}/token: what a bank may know of a token (never its secret). */
export interface TokenView {
  state: PublicTokenState;
  type: StoredToken['type'];
  serviceId: string;
  userId: string;
  serial: string | null;
  failCount: number;
  locked: boolean;
  lockedAt: string | null;
  expired: boolean;
  issuedAt: string;
  expiresAt: string;
  provisionedAt: string | null;
  activatedAt: string | null;
  validFrom: string | null;
  validUntil: string | null;
  lastUsedAt: string | null;
  drift: number;
  algorithm: string;
  digits: number;
  period: number;
  /** 機種変更: the new token waiting for 利用開始 while this one stays active. */
  pending?: TokenView;
}

/** The public view of a token. */
export function viewToken(t: StoredToken, now: number): TokenView {
  return {
    state: t.state === 'ended' ? 'none' : t.state,
    type: t.type,
    serviceId: t.serviceId,
    userId: t.userId,
    serial: t.serial,
    failCount: t.failCount,
    locked: t.locked,
    lockedAt: iso(t.lockedAt),
    expired: isIssuanceExpired(t, now) || isPastValidity(t, now),
    issuedAt: iso(t.issuedAt) ?? '',
    expiresAt: iso(t.expiresAt) ?? '',
    provisionedAt: iso(t.provisionedAt),
    activatedAt: iso(t.activatedAt),
    validFrom: iso(t.validFrom),
    validUntil: iso(t.validUntil),
    lastUsedAt: iso(t.lastUsedAt),
    drift: t.drift,
    algorithm: t.algorithm,
    digits: t.digits,
    period: t.period,
  };
}
