import { selectVerifyTarget } from '../core/index.js';
import { auditEvent, requireTenant, type ServiceDeps, type TenantCallContext } from './deps.js';
import { requireCustomerTokens } from './customer.js';
import { parseOtpRequest } from './inputs.js';
import {
  answerUnreadable,
  computeOtpCheck,
  explainLostUpdate,
  recordWrongOtp,
  type OtpOutcome,
} from './otp-check.js';

/**
 * POST /customers/{ref}/verify: login, transfer or settings change with the 利用中 token.
 * A failed verification is an answer (200 with its reason code), not an error. Single use and
 * the lockout count are written by one conditional statement each, audited in the same
 * transaction.
 */
export async function verifyCustomerOtp(
  deps: ServiceDeps,
  ctx: TenantCallContext,
  refInput: unknown,
  body: unknown,
): Promise<OtpOutcome> {
  const { otp } = parseOtpRequest(body);
  const tenant = await requireTenant(deps, ctx.serviceId);
  const { customer, tokens } = await requireCustomerTokens(deps, ctx, refInput);
  const ref = customer.ref;
  const target = selectVerifyTarget(tokens, deps.clock.now());
  let outcome: OtpOutcome;
  if (target.result !== undefined) {
    await deps.store.appendAudit(
      auditEvent(deps, ctx, {
        action: 'otp.verify',
        customerRef: ref,
        tokenId: target.token?.id ?? null,
        result: target.result,
      }),
    );
    outcome = { result: target.result };
  } else {
    const token = target.token;
    const check = computeOtpCheck(deps, token, otp, tenant.policy);
    const audit = (result: string, detail: Record<string, number> = {}) =>
      auditEvent(deps, ctx, {
        action: 'otp.verify',
        customerRef: ref,
        tokenId: token.id,
        result,
        detail,
      });
    if (check.result === 'unreadable') {
      outcome = await answerUnreadable(deps, ctx, { token, ref, action: 'otp.verify' });
    } else if (
      check.result === 'ok' &&
      (await deps.store.consumeStepWithAudit(
        token.id,
        'active',
        check.step,
        check.drift,
        deps.clock.now(),
        audit('ok', { drift: check.drift }),
      ))
    ) {
      outcome = { result: 'ok' };
    } else {
      outcome = await deps.store.transaction(async (tx): Promise<OtpOutcome> => {
        if (check.result === 'invalid') {
          return recordWrongOtp(deps, tx, ctx, {
            token,
            ref,
            action: 'otp.verify',
            policy: tenant.policy,
          });
        }
        // 「一度使用したワンタイムパスワードは無効」: a replay is refused and audited, not counted. An `ok`
        // that lost its step to a concurrent request is a replay too (or locked meanwhile).
        const result =
          check.result === 'replayed' ? 'replayed' : await explainLostUpdate(tx, token.id);
        await tx.appendAudit(audit(result));
        return { result };
      });
    }
  }
  deps.auditWritten();
  return outcome;
}
