import { InkanError, selectDeactivationTarget, type Store } from '../core/index.js';
import { auditEvent, requireTenant, type ServiceDeps, type TenantCallContext } from './deps.js';
import { requireCustomerTokens } from './customer.js';
import { parseDeactivateRequest } from './inputs.js';
import {
  answerUnreadable,
  computeOtpCheck,
  explainLostUpdate,
  recordWrongOtp,
  type OtpOutcome,
} from './otp-check.js';

/** The answer of 利用解除. */
export type DeactivateResult =
  { result: 'ok'; state: 'none' } | (OtpOutcome & { state?: undefined });

/**
 * Ends every live token of a customer (the caller's transaction holds the customer's lock) and
 * marks the customer deactivated; each end is audited. Also the four-eyes approval's effect.
 */
export async function endAll(
  deps: ServiceDeps,
  tx: Store,
  ctx: TenantCallContext,
  customerId: number,
  ref: string,
  reason: 'deactivated' | 'staff_deactivated',
  detail: Record<string, string>,
) {
  const now = deps.clock.now();
  const ended: number[] = [];
  for (const t of await tx.liveTokens(customerId)) {
    if (await tx.endToken(t.id, reason, now)) {
      ended.push(t.id);
      await tx.appendAudit(
        auditEvent(deps, ctx, {
          action: 'token.deactivated',
          customerRef: ref,
          tokenId: t.id,
          result: reason,
          detail,
        }),
      );
    }
  }
  // 生体認証ログイン (issue 6): the passkeys made on this phone end with its OTP, in the same
  // transaction (a lost phone must not keep logging in).
  for (const p of await tx.passkeys().removeForTokens(ended)) {
    await tx.appendAudit(
      auditEvent(deps, ctx, {
        action: 'passkey.removed',
        customerRef: ref,
        tokenId: p.tokenId,
        result: reason,
        detail: { passkeyId: String(p.id), deviceName: p.deviceName, ...detail },
      }),
    );
  }
  await tx.markCustomerDeactivated(customerId, now);
}

/**
 * 利用解除 (SPEC.md): with a current OTP (its step is used up), or forced by staff on a paper
 * request (書面による手続き) with a reason. Every live token of the customer ends; the status
 * returns to 未登録.
 */
export async function deactivateToken(
  deps: ServiceDeps,
  ctx: TenantCallContext,
  refInput: unknown,
  body: unknown,
): Promise<DeactivateResult> {
  const req = parseDeactivateRequest(body);
  const tenant = await requireTenant(deps, ctx.serviceId);
  const { customer, tokens: live } = await requireCustomerTokens(deps, ctx, refInput);
  const ref = customer.ref;
  let outcome: DeactivateResult;
  if ('force' in req) {
    if (live.length === 0) throw new InkanError('NOT_FOUND', { resource: 'token' });
    await deps.store.transaction(async (tx) => {
      await tx.lockCustomer(customer.id);
      await endAll(deps, tx, ctx, customer.id, ref, 'staff_deactivated', { reason: req.reason });
    });
    outcome = { result: 'ok', state: 'none' };
  } else {
    const target = selectDeactivationTarget(live, deps.clock.now());
    if (target.result !== undefined) {
      await deps.store.appendAudit(
        auditEvent(deps, ctx, {
          action: 'token.deactivate',
          customerRef: ref,
          tokenId: target.token?.id ?? null,
          result: target.result,
        }),
      );
      outcome = { result: target.result };
    } else {
      const token = target.token;
      const check = computeOtpCheck(deps, token, req.otp, tenant.policy);
      outcome =
        check.result === 'unreadable'
          ? await answerUnreadable(deps, ctx, { token, ref, action: 'token.deactivate' })
          : await deps.store.transaction(async (tx): Promise<DeactivateResult> => {
              if (check.result === 'invalid')
                return recordWrongOtp(deps, tx, ctx, {
                  token,
                  ref,
                  action: 'token.deactivate',
                  policy: tenant.policy,
                });
              // Customer lock before token rows, in the same order as issuance and activation.
              await tx.lockCustomer(customer.id);
              const state = token.state === 'active' ? 'active' : 'provisioned';
              const used =
                check.result === 'ok' &&
                (await tx.consumeStep(token.id, state, check.step, check.drift, deps.clock.now()));
              if (!used) {
                const why =
                  check.result === 'replayed' ? 'replayed' : await explainLostUpdate(tx, token.id);
                await tx.appendAudit(
                  auditEvent(deps, ctx, {
                    action: 'token.deactivate',
                    customerRef: ref,
                    tokenId: token.id,
                    result: why,
                  }),
                );
                return { result: why };
              }
              await endAll(deps, tx, ctx, customer.id, ref, 'deactivated', {});
              return { result: 'ok', state: 'none' };
            });
    }
  }
  deps.auditWritten();
  return outcome;
}
