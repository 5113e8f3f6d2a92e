import { InkanError } from '../errors.js';
import type { TenantPolicy } from '../tenant/policy.js';
import { jstDate } from '../time/jst.js';
import { isIssuanceExpired, type EndReason, type Token, type TokenType } from './token.js';

/** What the service knows when a customer asks for a new token. */
export interface DecideIssuanceOptions {
  readonly type: TokenType;
  /** The customer's live tokens (at most an active one and an unfinished one). */
  readonly live: readonly Token[];
  /** Issuances counted toward 発行規制: in the period and after staff last lifted it. */
  readonly recentIssuances: number;
  readonly lastDeactivatedAt: number | null;
  /** 機種変更: keep the active token until the new one is activated. */
  readonly replace: boolean;
  readonly policy: TenantPolicy;
  readonly now: number;
}

/** The decision: which live tokens end now, and which active token the new one replaces. */
export interface IssuanceDecision {
  readonly end: readonly { readonly tokenId: number; readonly reason: EndReason }[];
  readonly replacesTokenId: number | null;
  readonly expiresAt: number;
}

/**
 * SPEC.md's issuance rules:
 * - issuing while a token is unfinished replaces it (or ends it as expired when its time ran out);
 * - while one is active: TOKEN_EXISTS, unless `replace` (機種変更: the old one stays active);
 * - more than the tenant's count in its period: ISSUANCE_LIMIT until staff lift it (発行規制);
 * - the next-day rule after 利用解除 (tenant option): REISSUE_NEXT_DAY on the same JST day.
 */
export function decideIssuance(o: DecideIssuanceOptions): IssuanceDecision {
  const active = o.live.find((t) => t.state === 'active') ?? null;
  if (active !== null && !o.replace) throw new InkanError('TOKEN_EXISTS');
  if (o.recentIssuances >= o.policy.issuanceLimitCount) {
    throw new InkanError('ISSUANCE_LIMIT', {
      limit: o.policy.issuanceLimitCount,
      periodDays: o.policy.issuanceLimitDays,
    });
  }
  if (
    o.policy.reissueNextDay &&
    o.lastDeactivatedAt !== null &&
    jstDate(o.lastDeactivatedAt) === jstDate(o.now)
  ) {
    throw new InkanError('REISSUE_NEXT_DAY');
  }
  const end = o.live
    .filter((t) => t.state !== 'active')
    .map((t) => ({
      tokenId: t.id,
      reason: (isIssuanceExpired(t, o.now) ? 'expired' : 'reissued') as EndReason,
    }));
  return {
    end,
    replacesTokenId: active?.id ?? null,
    expiresAt: o.now + o.policy.issuanceExpiryHours * 3_600_000,
  };
}
