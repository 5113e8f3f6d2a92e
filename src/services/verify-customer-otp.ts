import { selectVerifyTarget } from '../core/index.js';
import { auditEvent, requireTenant, type ServiceDeps, type TenantCallContext } from './deps.js';
import { requireCustomer } from './customer.js';
import { parseOtpRequest } from './inputs.js';
import { computeOtpCheck, explainLostUpdate, recordWrongOtp, type OtpOutcome } from './otp-check.js';

/**
 * POST /customers/{ref}/verify: login, transfer or settings change with the 利用中 token.
 * A failed verification is an answer (200 with its reason code), not an error. Single use and
 * the lockout count are written by one conditional statement each, audited in the same
 * transaction.
 */
export async function verifyCustomerOtp(deps: ServiceDeps, ctx: TenantCallContext, refInput: unknown, body: unknown): Promise<OtpOutcome> {
  const { otp } = parseOtpRequest(body);
  const tenant = await requireTenant(deps, ctx.serviceId);
  const customer = await requireCustomer(deps, ctx, refInput);
  const ref = customer.ref;
  const target = selectVerifyTarget(await deps.store.liveTokens(customer.id), deps.clock.now());
  let outcome: OtpOutcome;
  if (target.result !== undefined) {
    await deps.store.appendAudit(auditEvent(deps, ctx, { action: 'otp.verify', customerRef: ref, tokenId: target.token?.id ?? null, result: target.result }));
    outcome = { result: target.result };
  } else {
    const token = target.token;
    const check = computeOtpCheck(deps, token, otp, tenant.policy);
    outcome = await deps.store.transaction(async (tx): Promise<OtpOutcome> => {
      const now = deps.clock.now();
      if (check.result === 'invalid') {
        return recordWrongOtp(deps, tx, ctx, { token, ref, action: 'otp.verify', policy: tenant.policy });
      }
      let result: OtpOutcome['result'] = 'replayed';
      if (check.result === 'ok') {
        result = (await tx.consumeStep(token.id, 'active', check.step, check.drift, now)) ? 'ok' : await explainLostUpdate(tx, token.id);
      }
      // 「一度使用したワンタイムパスワードは無効」: a replay is refused and audited, not counted.
      await tx.appendAudit(
        auditEvent(deps, ctx, { action: 'otp.verify', customerRef: ref, tokenId: token.id, result, detail: result === 'ok' && check.result === 'ok' ? { drift: check.drift } : {} }),
      );
      return { result };
    });
  }
  deps.auditWritten();
  return outcome;
}
