import type { ReasonCode, StoredToken, Store, TenantPolicy } from '../core/index.js';
import { verifyHotp, verifyOtp, type VerifyOtpResult } from '../core/otp/index.js';

/** Counters an HOTP key-fob may be ahead of the server (presses not used; RFC 4226 §7.4). */
export const HOTP_LOOK_AHEAD = 10;
import { createNodeHmac } from '../crypto/node-hmac.js';
import { auditEvent, secretAad, type ServiceDeps, type TenantCallContext } from './deps.js';

/** An OTP check: the engine's answer, or `unreadable` when the token's secret cannot be opened. */
export type OtpCheck = VerifyOtpResult | { result: 'unreadable' };

/** Computes the OTP check against a token's secret; no writes. */
export function computeOtpCheck(
  deps: ServiceDeps,
  token: StoredToken,
  otp: string,
  policy: TenantPolicy,
): OtpCheck {
  if (token.sealedSecret === null) return { result: 'unreadable' };
  let secret: Uint8Array;
  try {
    secret = deps.keyring.unseal(token.sealedSecret, secretAad(token));
  } catch {
    // A sealed secret that does not open in its own row (changed, copied from another row, or
    // under a key this server lacks) can match nothing.
    return { result: 'unreadable' };
  }
  const hmac = createNodeHmac(secret, token.algorithm);
  secret.fill(0);
  if (token.period === 0) {
    // A counter-based (HOTP) hardware token: its last step is the last counter used.
    return verifyHotp({
      otp,
      hmac,
      digits: token.digits,
      lastCounter: token.lastStep,
      initialCounter: 0,
      lookAhead: HOTP_LOOK_AHEAD,
    });
  }
  return verifyOtp({
    otp,
    hmac,
    now: deps.clock.now(),
    period: token.period,
    digits: token.digits,
    window: policy.window,
    lastStep: token.lastStep,
  });
}

/** The answer of an OTP check on the wire. */
export interface OtpOutcome {
  readonly result: ReasonCode;
  readonly failCount?: number;
  readonly locked?: boolean;
}

/**
 * Writes a wrong OTP: the count goes up atomically and locks at the tenant's threshold (閉塞).
 * Every OTP check counts when wrong (SPEC.md, contract details). Audited in the same transaction.
 */
export async function recordWrongOtp(
  deps: ServiceDeps,
  tx: Store,
  ctx: TenantCallContext,
  o: { token: StoredToken; ref: string; action: string; policy: TenantPolicy },
): Promise<OtpOutcome> {
  const counts = await tx.recordOtpFailure(o.token.id, o.policy.lockoutThreshold, deps.clock.now());
  await tx.appendAudit(
    auditEvent(deps, ctx, {
      action: o.action,
      customerRef: o.ref,
      tokenId: o.token.id,
      result: 'invalid',
      detail: { failCount: counts.failCount },
    }),
  );
  if (counts.locked && !o.token.locked && counts.failCount === o.policy.lockoutThreshold) {
    await tx.appendAudit(
      auditEvent(deps, ctx, {
        action: 'token.locked',
        customerRef: o.ref,
        tokenId: o.token.id,
        result: 'locked',
        detail: { failCount: counts.failCount },
      }),
    );
  }
  return { result: 'invalid', failCount: counts.failCount, locked: counts.locked };
}

/**
 * A token whose secret cannot be opened: the answer is `invalid`, not counted toward the lockout
 * (the customer did nothing wrong), and the audit trail says why so that staff can act.
 */
export async function answerUnreadable(
  deps: ServiceDeps,
  ctx: TenantCallContext,
  o: { token: StoredToken; ref: string; action: string },
): Promise<OtpOutcome> {
  await deps.store.appendAudit(
    auditEvent(deps, ctx, {
      action: o.action,
      customerRef: o.ref,
      tokenId: o.token.id,
      result: 'secret_unreadable',
    }),
  );
  return { result: 'invalid' };
}

/** After a conditional update lost: the token was locked meanwhile, or the step was used. */
export async function explainLostUpdate(
  tx: Store,
  tokenId: number,
): Promise<'locked' | 'replayed' | 'not_active'> {
  const now = await tx.getToken(tokenId);
  if (now === null || now.state === 'ended') return 'not_active';
  return now.locked ? 'locked' : 'replayed';
}
