import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  InkanError,
  parsePolicy,
  PATTERNS,
  type Clock,
  type PasswordHasher,
  type Store,
  type TenantRecord,
} from '../core/index.js';
import { auditEvent, type CallContext, type ServiceDeps } from './deps.js';

/** The answer of `inkan tenant create`: the API key is shown this once only. */
export interface CreateTenantResult {
  serviceId: string;
  name: string;
  apiKey: string;
}

const KEY_PREFIX = 'inkan_';

/** A new API key: `inkan_<keyId>_<secret>`; the key ID finds the row, the secret is hashed. */
function newApiKey(): { keyId: string; secret: string; apiKey: string } {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { keyId, secret, apiKey: `${KEY_PREFIX}${keyId}_${secret}` };
}

/** Checks a new tenant's fields; throws VALIDATION_FAILED naming each bad one. */
export function checkTenantInput(input: { serviceId: string; name: string; policy?: unknown }): {
  serviceId: string;
  name: string;
  policy: TenantRecord['policy'];
} {
  const errors = [];
  if (!PATTERNS.serviceId.test(input.serviceId))
    errors.push({ field: 'serviceId', message: 'must be 8 digits' });
  const name = input.name.trim();
  if (name.length < 1 || name.length > 64)
    errors.push({ field: 'name', message: 'must be 1-64 characters' });
  if (errors.length > 0) throw new InkanError('VALIDATION_FAILED', { errors });
  return { serviceId: input.serviceId, name, policy: parsePolicy(input.policy ?? {}) };
}

/** A bank, with its policy and its first API key. */
export async function createTenant(
  deps: ServiceDeps,
  ctx: CallContext,
  input: { serviceId: string; name: string; policy?: unknown },
): Promise<CreateTenantResult> {
  const { name, policy } = checkTenantInput(input);
  const key = newApiKey();
  const hash = await deps.hasher.hash(key.secret);
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    await tx.createTenant({ serviceId: input.serviceId, name, policy, createdAt: now });
    await tx.addApiKey({
      keyId: key.keyId,
      serviceId: input.serviceId,
      hash,
      createdAt: now,
      revokedAt: null,
    });
    await tx.appendAudit(
      auditEvent(
        deps,
        { ...ctx, serviceId: input.serviceId },
        { action: 'tenant.created', result: 'ok', detail: { keyId: key.keyId } },
      ),
    );
  });
  deps.auditWritten();
  return { serviceId: input.serviceId, name, apiKey: key.apiKey };
}

/** A further API key for an existing tenant (key rollover, the demo); shown once. */
export async function issueApiKey(
  deps: ServiceDeps,
  ctx: CallContext,
  serviceId: string,
): Promise<string> {
  if ((await deps.store.getTenant(serviceId)) === null)
    throw new InkanError('NOT_FOUND', { resource: 'tenant' });
  const key = newApiKey();
  const hash = await deps.hasher.hash(key.secret);
  await deps.store.transaction(async (tx) => {
    await tx.addApiKey({
      keyId: key.keyId,
      serviceId,
      hash,
      createdAt: deps.clock.now(),
      revokedAt: null,
    });
    await tx.appendAudit(
      auditEvent(
        deps,
        { ...ctx, serviceId },
        { action: 'tenant.api_key_added', result: 'ok', detail: { keyId: key.keyId } },
      ),
    );
  });
  deps.auditWritten();
  return key.apiKey;
}

/** Finds the tenant of a bearer API key, or null. */
export interface ApiKeyAuthenticator {
  authenticate(apiKey: string): Promise<{ serviceId: string; keyId: string } | null>;
}

/**
 * API keys are checked against their slow hash once, then remembered for `ttlMs` by a SHA-256 of
 * the whole key (never the key itself), so the verify path does not pay scrypt on every call.
 * A revoked key stops working on every server within `ttlMs`.
 */
export function createApiKeyAuthenticator(
  store: Store,
  hasher: PasswordHasher,
  clock: Clock,
  ttlMs = 60_000,
): ApiKeyAuthenticator {
  const cache = new Map<
    string,
    { serviceId: string; keyId: string; until: number; digest: Buffer }
  >();
  const inflight = new Map<string, Promise<{ serviceId: string; keyId: string } | null>>();
  return {
    async authenticate(apiKey) {
      const m = /^inkan_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/.exec(apiKey);
      if (m === null) return null;
      const digest = createHash('sha256').update(apiKey).digest();
      const cacheKey = digest.toString('base64');
      const now = clock.now();
      const hit = cache.get(cacheKey);
      if (hit !== undefined && hit.until > now && timingSafeEqual(hit.digest, digest))
        return { serviceId: hit.serviceId, keyId: hit.keyId };
      // Single flight: requests that arrive together with the same uncached key share one scrypt.
      let pending = inflight.get(cacheKey);
      if (pending === undefined) {
        pending = (async () => {
          const keyId = m[1] ?? '';
          const rec = await store.findApiKey(keyId);
          if (
            rec === null ||
            rec.revokedAt !== null ||
            !(await hasher.verify(m[2] ?? '', rec.hash))
          )
            return null;
          if (cache.size > 10_000) cache.clear();
          cache.set(cacheKey, {
            serviceId: rec.serviceId,
            keyId,
            until: clock.now() + ttlMs,
            digest,
          });
          return { serviceId: rec.serviceId, keyId };
        })().finally(() => inflight.delete(cacheKey));
        inflight.set(cacheKey, pending);
      }
      return pending;
    },
  };
}
