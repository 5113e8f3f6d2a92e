import { InkanError, selectActivationTarget, type Store } from '../core/index.js';

/** A binding that lost to another activation: its transaction is rolled back whole. */
class LostBinding extends Error {}
import { auditEvent, requireTenant, type ServiceDeps, type TenantCallContext } from './deps.js';
import { requireCustomerTokens } from './customer.js';
import { checkHardwareOtp, sealForToken } from './hardware.js';
import { parseOtpRequest } from './inputs.js';
import {
  answerUnreadable,
  computeOtpCheck,
  explainLostUpdate,
  recordWrongOtp,
  type OtpOutcome,
} from './otp-check.js';

/** The answer of 利用開始: `{ state: 'active' }` on success, else the reason code. */
export type ActivateResult =
  (OtpOutcome & { state?: 'active' }) | { result: 'ok'; state: 'active' };

/**
 * 利用開始 (SPEC.md): the first OTP from the app moves the token to 利用中, using up its step.
 * During 機種変更 the old token ends in the same transaction, so there is never a moment with
 * two active tokens or none.
 */
export async function activateToken(
  deps: ServiceDeps,
  ctx: TenantCallContext,
  refInput: unknown,
  body: unknown,
): Promise<ActivateResult> {
  const req = parseOtpRequest(body, true);
  const tenant = await requireTenant(deps, ctx.serviceId);
  const { customer, tokens } = await requireCustomerTokens(deps, ctx, refInput);
  const ref = customer.ref;
  const target = selectActivationTarget(tokens, deps.clock.now());
  const audit = (
    result: string,
    tokenId: number | null,
    detail: Record<string, number | string | null> = {},
  ) =>
    auditEvent(deps, ctx, { action: 'token.activate', customerRef: ref, tokenId, result, detail });
  let outcome: ActivateResult;
  if (target.result !== undefined) {
    await deps.store.appendAudit(audit(target.result, target.token?.id ?? null));
    outcome = { result: target.result };
  } else {
    const token = target.token;
    /** 機種変更: the token this one replaces ends in the same transaction. */
    const endReplaced = async (tx: Store, now: number) => {
      if (token.replacesTokenId === null) return;
      await tx.endToken(token.replacesTokenId, 'replaced', now);
      await tx.appendAudit(
        auditEvent(deps, ctx, {
          action: 'token.ended',
          customerRef: ref,
          tokenId: token.replacesTokenId,
          result: 'replaced',
        }),
      );
      // The old phone's passkeys (生体認証ログイン) end with its token.
      for (const p of await tx.passkeys().removeForTokens([token.replacesTokenId])) {
        await tx.appendAudit(
          auditEvent(deps, ctx, {
            action: 'passkey.removed',
            customerRef: ref,
            tokenId: p.tokenId,
            result: 'replaced',
            detail: { passkeyId: String(p.id), deviceName: p.deviceName },
          }),
        );
      }
    };
    if (token.type === 'hardware') {
      // BOK501: the serial on the back of the token and its OTP. The serial picks the item in
      // the bank's stock (imported from PSKC); its secret checks the OTP and then becomes the
      // token's. Anything else is `invalid` and counted, so serials cannot be probed.
      if (req.serial === undefined) {
        throw new InkanError('VALIDATION_FAILED', {
          errors: [{ field: 'serial', message: 'is required for a hardware token' }],
        });
      }
      const check = await checkHardwareOtp(deps, token, req.serial, req.otp, tenant.policy);
      outcome = await deps.store
        .transaction(async (tx): Promise<ActivateResult> => {
          await tx.lockCustomer(customer.id);
          if (check.result !== 'ok') {
            return recordWrongOtp(deps, tx, ctx, {
              token,
              ref,
              action: 'token.activate',
              policy: tenant.policy,
            });
          }
          const now = deps.clock.now();
          const won = await tx.bindHardwareToken({
            tokenId: token.id,
            stockId: check.item.id,
            serial: check.item.serial,
            sealedSecret: sealForToken(deps, token, check.secret),
            algorithm: check.item.algorithm,
            digits: check.item.digits,
            period: check.item.period,
            step: check.step,
            drift: check.drift,
            validFrom: now,
            // The vendor's expiry; without one, the bank's validity period (SPEC: every hardware
            // token has an 有効期限).
            validUntil: check.item.validUntil ?? now + tenant.policy.tokenValidityDays * 86_400_000,
            now,
          });
          if (!won) {
            // Another activation bound this item or this token first: nothing of this one stays.
            throw new LostBinding();
          }
          await endReplaced(tx, now);
          await tx.appendAudit(
            audit('ok', token.id, { serial: check.item.serial, drift: check.drift }),
          );
          return { result: 'ok', state: 'active' };
        })
        .catch(async (e: unknown) => {
          if (!(e instanceof LostBinding)) throw e;
          const why = await explainLostUpdate(deps.store, token.id);
          await deps.store.appendAudit(audit(why, token.id));
          return { result: why };
        });
    } else {
      const check = computeOtpCheck(deps, token, req.otp, tenant.policy);
      outcome =
        check.result === 'unreadable'
          ? await answerUnreadable(deps, ctx, { token, ref, action: 'token.activate' })
          : await deps.store.transaction(async (tx): Promise<ActivateResult> => {
              // The customer's lock first, as issuance takes it: a 利用開始 and a トークン発行 for
              // one customer never interleave (else the issuance could end a just-activated token).
              await tx.lockCustomer(customer.id);
              const now = deps.clock.now();
              if (check.result === 'invalid') {
                return recordWrongOtp(deps, tx, ctx, {
                  token,
                  ref,
                  action: 'token.activate',
                  policy: tenant.policy,
                });
              }
              if (check.result === 'replayed') {
                await tx.appendAudit(audit('replayed', token.id));
                return { result: 'replayed' };
              }
              const won = await tx.activateWithStep(
                token.id,
                'provisioned',
                check.step,
                check.drift,
                now,
                null,
                now,
              );
              if (!won) {
                const why = await explainLostUpdate(tx, token.id);
                await tx.appendAudit(audit(why, token.id));
                return { result: why };
              }
              await endReplaced(tx, now);
              await tx.appendAudit(audit('ok', token.id, { drift: check.drift }));
              return { result: 'ok', state: 'active' };
            });
    }
  }
  deps.auditWritten();
  return outcome;
}
