import { HARDWARE_REISSUE_DAYS, InkanError, mayReissueHardware } from '../core/index.js';
import { requireCustomerTokens } from './customer.js';
import {
  auditEvent,
  iso,
  requireTenant,
  type ServiceDeps,
  type TenantCallContext,
} from './deps.js';
import { parseOtpRequest } from './inputs.js';
import { issueToken, type IssueTokenResult } from './issue-token.js';
import {
  answerUnreadable,
  computeOtpCheck,
  explainLostUpdate,
  recordWrongOtp,
  type OtpOutcome,
} from './otp-check.js';

/** The answer of a hardware re-issue: the new request, or the OTP's reason code. */
export type ReissueHardwareResult =
  ({ result: 'ok' } & IssueTokenResult) | (OtpOutcome & { userId?: undefined });

/**
 * Re-issue of a hardware token before it expires (SPEC.md "Hardware token": possible from 90
 * days before its expiry, and it needs a current OTP). The OTP is checked like any other (wrong
 * ones count toward the lockout, its step is used up); then a new hardware request is issued
 * that replaces the active token (機種変更's rule: the old fob keeps working until the new one
 * is activated with its serial + OTP, then it ends). Before the 90 days: REISSUE_NOT_YET.
 */
export async function reissueHardware(
  deps: ServiceDeps,
  ctx: TenantCallContext,
  refInput: unknown,
  body: unknown,
): Promise<ReissueHardwareResult> {
  const req = parseOtpRequest(body);
  const tenant = await requireTenant(deps, ctx.serviceId);
  const { customer, tokens } = await requireCustomerTokens(deps, ctx, refInput);
  const ref = customer.ref;
  const token = tokens.find((t) => t.state === 'active' && t.type === 'hardware');
  if (token === undefined) throw new InkanError('NOT_FOUND', { resource: 'hardware_token' });
  const now = deps.clock.now();
  if (!mayReissueHardware(token.validUntil, now)) {
    await deps.store.appendAudit(
      auditEvent(deps, ctx, {
        action: 'token.reissue',
        customerRef: ref,
        tokenId: token.id,
        result: 'not_yet',
      }),
    );
    deps.auditWritten();
    throw new InkanError('REISSUE_NOT_YET', {
      opensAt: iso((token.validUntil ?? 0) - HARDWARE_REISSUE_DAYS * 86_400_000),
    });
  }
  const check = computeOtpCheck(deps, token, req.otp, tenant.policy);
  if (check.result === 'unreadable') {
    const r = await answerUnreadable(deps, ctx, { token, ref, action: 'token.reissue' });
    deps.auditWritten();
    return r;
  }
  const used = await deps.store.transaction(async (tx): Promise<OtpOutcome | null> => {
    if (check.result === 'invalid')
      return recordWrongOtp(deps, tx, ctx, {
        token,
        ref,
        action: 'token.reissue',
        policy: tenant.policy,
      });
    const ok =
      check.result === 'ok' &&
      (await tx.consumeStep(token.id, 'active', check.step, check.drift, deps.clock.now()));
    if (!ok) {
      const why = check.result === 'replayed' ? 'replayed' : await explainLostUpdate(tx, token.id);
      await tx.appendAudit(
        auditEvent(deps, ctx, {
          action: 'token.reissue',
          customerRef: ref,
          tokenId: token.id,
          result: why,
        }),
      );
      return { result: why };
    }
    await tx.appendAudit(
      auditEvent(deps, ctx, {
        action: 'token.reissue',
        customerRef: ref,
        tokenId: token.id,
        result: 'ok',
      }),
    );
    return null;
  });
  deps.auditWritten();
  if (used !== null) return used;
  // The OTP is used up: now the new request, replacing the active fob (its own transaction,
  // with the issuance rules: 発行規制 still applies).
  const issued = await issueToken(deps, ctx, ref, { type: 'hardware', replace: true });
  return { result: 'ok', ...issued };
}
