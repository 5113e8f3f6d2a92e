import {
  decideIssuance,
  HARDWARE_FEE_YEN,
  InkanError,
  type Store,
  type TenantRecord,
} from '../core/index.js';
import {
  auditEvent,
  iso,
  requireTenant,
  type ServiceDeps,
  type TenantCallContext,
} from './deps.js';
import { parseCustomerRef, parseIssueRequest } from './inputs.js';
import type { MailNotices } from './mail-notices.js';

/** The answer of トークン発行 (201). */
export interface IssueTokenResult {
  userId: string;
  serviceId: string;
  type: 'software' | 'hardware';
  state: 'issued';
  expiresAt: string;
  serial: string | null;
  /** 機種変更: the active token stays until this one is activated. */
  replacesActiveToken: boolean;
}

/** Hardware tokens travel by post: their issuance waits longer than the app's 24 hours. */
const HARDWARE_ISSUANCE_DAYS = 60;

async function freshUserId(deps: ServiceDeps, tx: Store, serviceId: string): Promise<string> {
  // 12 random digits; a collision with an earlier token of the tenant is checked, not assumed away.
  for (let i = 0; i < 10; i++) {
    const id = deps.randomDigits(12);
    if ((await tx.findTokenByUserId(serviceId, id)) === null) return id;
  }
  throw new Error('could not find a free user ID');
}

/**
 * トークン発行 (SPEC.md, "Issue, software token" and "Hardware token"): checks the lifecycle's
 * issuance rules, ends what the new token replaces, and records the issuance. The activation
 * password is kept only as a slow hash. Once committed, a software token's トークン発行のご案内
 * goes to its address through `notices` (best effort: the issuance stands whatever the mail does).
 */
export async function issueToken(
  deps: ServiceDeps,
  ctx: TenantCallContext,
  refInput: unknown,
  body: unknown,
  notices?: MailNotices,
): Promise<IssueTokenResult> {
  const ref = parseCustomerRef(refInput);
  const req = parseIssueRequest(body);
  const tenant: TenantRecord = await requireTenant(deps, ctx.serviceId);
  const policy = tenant.policy;
  // Hashing is slow on purpose: done before the transaction, which then stays short.
  const passwordHash =
    req.type === 'software' ? await deps.hasher.hash(req.activationPassword) : null;
  const result = await deps.store
    .transaction(async (tx) => {
      const now = deps.clock.now();
      const customer = await tx.ensureCustomer(tenant.serviceId, ref, now);
      await tx.lockCustomer(customer.id);
      const live = await tx.liveTokens(customer.id);
      const periodStart = now - policy.issuanceLimitDays * 86_400_000;
      const since = Math.max(periodStart, customer.issuanceLimitResetAt ?? 0);
      const decision = decideIssuance({
        type: req.type,
        live,
        recentIssuances: await tx.countIssuances(customer.id, since),
        lastDeactivatedAt: customer.lastDeactivatedAt,
        replace: req.replace,
        policy,
        now,
      });
      for (const end of decision.end) {
        await tx.endToken(end.tokenId, end.reason, now);
        await tx.appendAudit(
          auditEvent(deps, ctx, {
            action: 'token.ended',
            customerRef: ref,
            tokenId: end.tokenId,
            result: end.reason,
          }),
        );
      }
      const token = await tx.insertToken({
        serviceId: tenant.serviceId,
        customerId: customer.id,
        type: req.type,
        userId: await freshUserId(deps, tx, tenant.serviceId),
        serial: req.type === 'software' ? deps.randomDigits(10) : null,
        email: req.type === 'software' ? req.email : null,
        algorithm: policy.algorithm,
        digits: policy.digits,
        period: policy.period,
        passwordHash,
        issuedAt: now,
        expiresAt:
          req.type === 'software' ? decision.expiresAt : now + HARDWARE_ISSUANCE_DAYS * 86_400_000,
        replacesTokenId: decision.replacesTokenId,
      });
      await tx.appendAudit(
        auditEvent(deps, ctx, {
          action: 'token.issued',
          customerRef: ref,
          tokenId: token.id,
          result: 'issued',
          // SPEC.md: a hardware token's fee (1,100 yen) is recorded with the request.
          detail: {
            type: req.type,
            replaces: decision.replacesTokenId,
            ...(req.type === 'hardware' ? { feeYen: HARDWARE_FEE_YEN } : {}),
          },
        }),
      );
      return {
        tokenId: token.id,
        expiresAtMs: token.expiresAt,
        answer: {
          userId: token.userId,
          serviceId: token.serviceId,
          type: token.type,
          state: 'issued' as const,
          expiresAt: iso(token.expiresAt) ?? '',
          serial: token.serial,
          replacesActiveToken: decision.replacesTokenId !== null,
        },
      };
    })
    .catch(async (e: unknown) => {
      // A refused issuance is audited too; the transaction was rolled back, so it is written after.
      if (
        e instanceof InkanError &&
        (e.code === 'ISSUANCE_LIMIT' || e.code === 'TOKEN_EXISTS' || e.code === 'REISSUE_NEXT_DAY')
      ) {
        await deps.store.appendAudit(
          auditEvent(deps, ctx, {
            action: 'token.issue_refused',
            customerRef: ref,
            result: e.code,
          }),
        );
        deps.auditWritten();
      }
      throw e;
    });
  deps.auditWritten();
  // After the commit, never inside it: a mail must not tell of an issuance that was rolled back.
  if (req.type === 'software' && notices !== undefined) {
    notices.tokenIssued({
      tenant,
      customerRef: ref,
      tokenId: result.tokenId,
      email: req.email,
      userId: result.answer.userId,
      expiresAt: result.expiresAtMs,
    });
  }
  return result.answer;
}
