import { InkanError, type StoredToken } from '../core/index.js';
import { auditEvent, type ServiceDeps, type TenantCallContext } from './deps.js';
import { requireCustomer } from './customer.js';
import { parseUnlockRequest } from './inputs.js';
import { viewToken, type TokenView } from './token-view.js';

/** The token a bank means by "the customer's token": the active one, else the unfinished one. */
export function currentToken(live: readonly StoredToken[]): StoredToken | null {
  return live.find((t) => t.state === 'active') ?? live[0] ?? null;
}

/** GET /customers/{ref}/token: the token, with the 機種変更 replacement under `pending`. */
export async function getCustomerToken(
  deps: ServiceDeps,
  ctx: TenantCallContext,
  refInput: unknown,
): Promise<TokenView> {
  const customer = await requireCustomer(deps, ctx, refInput);
  const live = await deps.store.liveTokens(customer.id);
  const token = currentToken(live);
  if (token === null) throw new InkanError('NOT_FOUND', { resource: 'token' });
  const now = deps.clock.now();
  const view = viewToken(token, now);
  const pending = live.find((t) => t.id !== token.id);
  return pending === undefined ? view : { ...view, pending: viewToken(pending, now) };
}

/**
 * 閉塞解除 (「当組合にて停止状態の解除」): staff clear the lock and the count, with a reason that
 * goes to the audit trail.
 */
export async function unlockToken(
  deps: ServiceDeps,
  ctx: TenantCallContext,
  refInput: unknown,
  body: unknown,
): Promise<TokenView> {
  const { reason } = parseUnlockRequest(body);
  const customer = await requireCustomer(deps, ctx, refInput);
  const view = await deps.store.transaction(async (tx) => {
    const live = await tx.liveTokens(customer.id);
    const targets = live.filter((t) => t.locked || t.failCount > 0);
    const token = currentToken(live);
    if (token === null) throw new InkanError('NOT_FOUND', { resource: 'token' });
    if (targets.length === 0) {
      await tx.appendAudit(
        auditEvent(deps, ctx, {
          action: 'token.unlocked',
          customerRef: customer.ref,
          tokenId: token.id,
          result: 'not_locked',
          detail: { reason },
        }),
      );
    }
    for (const t of targets) {
      await tx.unlockToken(t.id);
      await tx.appendAudit(
        auditEvent(deps, ctx, {
          action: 'token.unlocked',
          customerRef: customer.ref,
          tokenId: t.id,
          result: 'unlocked',
          detail: { reason, failCount: t.failCount, wasLocked: t.locked },
        }),
      );
    }
    const after = await tx.getToken(token.id);
    return viewToken(after ?? token, deps.clock.now());
  });
  deps.auditWritten();
  return view;
}
