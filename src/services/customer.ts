import { InkanError, type CustomerRecord, type StoredToken } from '../core/index.js';
import type { ServiceDeps, TenantCallContext } from './deps.js';
import { parseCustomerRef } from './inputs.js';

/**
 * The calling tenant's customer. An unknown reference, or another tenant's customer, is
 * NOT_FOUND: a bank can never see or touch another bank's customers.
 */
export async function requireCustomer(
  deps: ServiceDeps,
  ctx: TenantCallContext,
  refInput: unknown,
): Promise<CustomerRecord> {
  const ref = parseCustomerRef(refInput);
  const c = await deps.store.getCustomer(ctx.serviceId, ref);
  if (c === null) throw new InkanError('NOT_FOUND', { resource: 'customer' });
  return c;
}

/** The customer and its live tokens in one read; NOT_FOUND as above. */
export async function requireCustomerTokens(
  deps: ServiceDeps,
  ctx: TenantCallContext,
  refInput: unknown,
): Promise<{ customer: CustomerRecord; tokens: StoredToken[] }> {
  const ref = parseCustomerRef(refInput);
  const found = await deps.store.findCustomerTokens(ctx.serviceId, ref);
  if (found === null) throw new InkanError('NOT_FOUND', { resource: 'customer' });
  return found;
}
