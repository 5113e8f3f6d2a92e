/**
 * 閉塞 (lockout), SPEC.md: after N consecutive wrong OTPs the token is locked until staff unlock it
 * (「当組合にて停止状態の解除」); a correct OTP resets the count unless the token is already locked.
 * The store applies exactly this rule inside one conditional UPDATE so that it holds across
 * server processes; this function is the rule's reference, used by tests and the in-memory model.
 */
export interface FailureCounts {
  readonly failCount: number;
  readonly locked: boolean;
}

/** The counts after one more wrong OTP. */
export function applyFailure(counts: FailureCounts, threshold: number): FailureCounts {
  const failCount = counts.failCount + 1;
  return { failCount, locked: counts.locked || failCount >= threshold };
}

/** The counts after a correct OTP: reset, but a locked token stays locked. */
export function applySuccess(counts: FailureCounts): FailureCounts {
  return counts.locked ? counts : { failCount: 0, locked: false };
}
