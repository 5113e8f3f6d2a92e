import type { ServiceDeps } from './deps.js';
import { expireOverdueTransactions } from './transactions.js';

/** What one platform sweep did. */
export interface PlatformHousekeeping {
  /** Pending 取引認証 transactions past their expiry, now expired (each audited). */
  readonly expiredTransactions: number;
  /** Passkey challenges past their 120 s, removed (never used, so nothing to audit). */
  readonly passkeyChallenges: number;
}

/**
 * The platform's share of housekeeping (the runtime adds the bank's, src/housekeeping.ts). Every
 * step is a conditional statement, so two servers sweeping at once do each row once.
 */
export async function platformHousekeeping(
  deps: ServiceDeps,
  limit: number,
): Promise<PlatformHousekeeping> {
  const expiredTransactions = await expireOverdueTransactions(deps, limit);
  const passkeyChallenges = await deps.store.passkeys().purgeChallenges(deps.clock.now());
  return { expiredTransactions, passkeyChallenges };
}
