import type {
  AuditEvent,
  Clock,
  Keyring,
  PasswordHasher,
  Store,
  StoredToken,
  TenantRecord,
} from '../core/index.js';
import { InkanError } from '../core/index.js';

/** Who is calling, for the audit trail. */
export interface CallContext {
  /** `api:<keyId>`, `app`, `cli`, `staff:<id>`, `system`. */
  readonly actor: string;
  readonly clientIp: string | null;
}

/** A tenant call: the tenant is the one the API key belongs to. */
export interface TenantCallContext extends CallContext {
  readonly serviceId: string;
}

/** What every use case needs; built once by the composition root. */
export interface ServiceDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly keyring: Keyring;
  readonly hasher: PasswordHasher;
  /** Random digits for ユーザID and serials (crypto.randomInt in production). */
  readonly randomDigits: (length: number) => string;
  /** Tells the audit chainer that new events wait (debounced). */
  readonly auditWritten: () => void;
  readonly tenants: TenantCache;
}

/** Tenants change rarely and are read on every call: cached briefly. */
export interface TenantCache {
  get(serviceId: string): Promise<TenantRecord | null>;
  invalidate(serviceId: string): void;
}

/**
 * A tenant cache with a time-to-live, so a policy change reaches every server within `ttlMs`.
 * `changed` is told of every invalidation, for caches beside this one (the verify thread's).
 */
export function createTenantCache(
  store: Store,
  clock: Clock,
  o: { ttlMs?: number; changed?: (serviceId: string) => void } = {},
): TenantCache {
  const ttlMs = o.ttlMs ?? 5_000;
  const entries = new Map<string, { tenant: TenantRecord | null; until: number }>();
  return {
    async get(serviceId) {
      const now = clock.now();
      const hit = entries.get(serviceId);
      if (hit !== undefined && hit.until > now) return hit.tenant;
      const tenant = await store.getTenant(serviceId);
      // Only found tenants are remembered: a bank created a moment ago is found at once.
      if (tenant !== null) entries.set(serviceId, { tenant, until: now + ttlMs });
      return tenant;
    },
    invalidate(serviceId) {
      entries.delete(serviceId);
      o.changed?.(serviceId);
    },
  };
}

/** The tenant of a call; an unknown one is NOT_FOUND. */
export async function requireTenant(deps: ServiceDeps, serviceId: string): Promise<TenantRecord> {
  const t = await deps.tenants.get(serviceId);
  if (t === null) throw new InkanError('NOT_FOUND', { resource: 'tenant' });
  return t;
}

/** The additional data a token's secret is sealed with: it opens only in its own row. */
export function secretAad(token: Pick<StoredToken, 'serviceId' | 'userId'>): string {
  return `inkan/token-secret/v1:${token.serviceId}:${token.userId}`;
}

/** An audit event for a call, with the common fields filled in. */
export function auditEvent(
  deps: ServiceDeps,
  ctx: CallContext & { serviceId?: string | null },
  e: Pick<AuditEvent, 'action'> & Partial<Omit<AuditEvent, 'action'>>,
): AuditEvent {
  return {
    serviceId: e.serviceId ?? ctx.serviceId ?? null,
    at: e.at ?? deps.clock.now(),
    actor: e.actor ?? ctx.actor,
    action: e.action,
    customerRef: e.customerRef ?? null,
    tokenId: e.tokenId ?? null,
    result: e.result ?? null,
    detail: e.detail ?? {},
    clientIp: e.clientIp ?? ctx.clientIp,
  };
}

/** ISO 8601 (UTC) or null. */
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
