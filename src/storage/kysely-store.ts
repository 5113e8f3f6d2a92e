import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import {
  InkanError,
  parsePolicy,
  type ApiKeyRecord,
  type AuditEvent,
  type ChainedAuditEvent,
  type CustomerRecord,
  type EndReason,
  type NewToken,
  type ProvisioningCandidate,
  type ProvisioningResult,
  type Sha256Hex,
  type Store,
  type StoredToken,
  type TenantRecord,
} from '../core/index.js';
import { chainHash, GENESIS_HASH } from '../core/audit/audit-chain.js';
import type { HashAlgorithm } from '../core/otp/index.js';
import type { Database } from './schema.js';
import type { DialectName } from './migrations/index.js';

type TokenRow = Selectable<Database['tokens']>;
type AuditRow = Selectable<Database['audit_events']>;

/** Kysely may hand back bigint columns as strings on some drivers: always numbers here. */
function num(v: number | string | bigint): number {
  return typeof v === 'number' ? v : Number(v);
}
function numOrNull(v: number | string | bigint | null): number | null {
  return v === null ? null : num(v);
}

function toToken(r: TokenRow): StoredToken {
  return {
    id: num(r.id),
    serviceId: r.service_id,
    customerId: num(r.customer_id),
    type: r.type as StoredToken['type'],
    state: r.state as StoredToken['state'],
    userId: r.user_id,
    serial: r.serial,
    email: r.email,
    algorithm: r.algorithm as HashAlgorithm,
    digits: r.digits,
    period: r.period,
    lastStep: numOrNull(r.last_step),
    failCount: r.fail_count,
    locked: r.locked === 1,
    lockedAt: numOrNull(r.locked_at),
    drift: r.drift,
    passwordAttempts: r.password_attempts,
    issuedAt: num(r.issued_at),
    expiresAt: num(r.expires_at),
    provisionedAt: numOrNull(r.provisioned_at),
    activatedAt: numOrNull(r.activated_at),
    validFrom: numOrNull(r.valid_from),
    validUntil: numOrNull(r.valid_until),
    lastUsedAt: numOrNull(r.last_used_at),
    replacesTokenId: numOrNull(r.replaces_token_id),
    endedAt: numOrNull(r.ended_at),
    endReason: r.end_reason as EndReason | null,
    sealedSecret: r.sealed_secret,
  };
}

function toAudit(r: AuditRow): AuditEvent & { id: number } {
  return {
    id: num(r.id),
    serviceId: r.service_id,
    at: num(r.at),
    actor: r.actor,
    action: r.action,
    customerRef: r.customer_ref,
    tokenId: numOrNull(r.token_id),
    result: r.result,
    detail: JSON.parse(r.detail) as AuditEvent['detail'],
    clientIp: r.client_ip,
  };
}

function toCustomer(r: Selectable<Database['customers']>): CustomerRecord {
  return {
    id: num(r.id),
    serviceId: r.service_id,
    ref: r.ref,
    createdAt: num(r.created_at),
    issuanceLimitResetAt: numOrNull(r.issuance_limit_reset_at),
    lastDeactivatedAt: numOrNull(r.last_deactivated_at),
  };
}

function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * The one Store implementation, on Kysely, for SQLite and PostgreSQL alike. The OTP methods are
 * single conditional UPDATEs (`… WHERE last_step < :step`), so two requests, two processes or two
 * servers can never both use the same step, and fail counts never lose an increment.
 */
export class KyselyStore implements Store {
  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: DialectName,
    private readonly inTransaction = false,
  ) {}

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return this.db.transaction().execute((trx: Transaction<Database>) => fn(new KyselyStore(trx, this.dialect, true)));
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  // ── tenants ───────────────────────────────────────────────────────────────

  async createTenant(t: TenantRecord): Promise<void> {
    try {
      await this.db
        .insertInto('tenants')
        .values({ service_id: t.serviceId, name: t.name, policy: JSON.stringify(t.policy), created_at: t.createdAt })
        .execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new InkanError('TENANT_EXISTS', {}, { cause: e });
      throw e;
    }
  }

  async getTenant(serviceId: string): Promise<TenantRecord | null> {
    const r = await this.db.selectFrom('tenants').selectAll().where('service_id', '=', serviceId).executeTakeFirst();
    return r === undefined ? null : this.toTenant(r);
  }

  async listTenants(): Promise<TenantRecord[]> {
    const rows = await this.db.selectFrom('tenants').selectAll().orderBy('service_id').execute();
    return rows.map((r) => this.toTenant(r));
  }

  private toTenant(r: Selectable<Database['tenants']>): TenantRecord {
    return { serviceId: r.service_id, name: r.name, policy: parsePolicy(JSON.parse(r.policy)), createdAt: num(r.created_at) };
  }

  async updateTenantPolicy(serviceId: string, policy: TenantRecord['policy']): Promise<void> {
    await this.db.updateTable('tenants').set({ policy: JSON.stringify(policy) }).where('service_id', '=', serviceId).execute();
  }

  async addApiKey(k: ApiKeyRecord): Promise<void> {
    await this.db
      .insertInto('api_keys')
      .values({ key_id: k.keyId, service_id: k.serviceId, hash: k.hash, created_at: k.createdAt, revoked_at: k.revokedAt })
      .execute();
  }

  async findApiKey(keyId: string): Promise<ApiKeyRecord | null> {
    const r = await this.db.selectFrom('api_keys').selectAll().where('key_id', '=', keyId).executeTakeFirst();
    if (r === undefined) return null;
    return { keyId: r.key_id, serviceId: r.service_id, hash: r.hash, createdAt: num(r.created_at), revokedAt: numOrNull(r.revoked_at) };
  }

  // ── customers ─────────────────────────────────────────────────────────────

  async getCustomer(serviceId: string, ref: string): Promise<CustomerRecord | null> {
    const r = await this.db
      .selectFrom('customers')
      .selectAll()
      .where('service_id', '=', serviceId)
      .where('ref', '=', ref)
      .executeTakeFirst();
    return r === undefined ? null : toCustomer(r);
  }

  async ensureCustomer(serviceId: string, ref: string, now: number): Promise<CustomerRecord> {
    // Insert-or-nothing, then read: safe when two issuances for a new customer race.
    await this.db
      .insertInto('customers')
      .values({ service_id: serviceId, ref, created_at: now, issuance_limit_reset_at: null, last_deactivated_at: null })
      .onConflict((oc) => oc.columns(['service_id', 'ref']).doNothing())
      .execute();
    const c = await this.getCustomer(serviceId, ref);
    if (c === null) throw new Error('customer vanished after insert');
    return c;
  }

  async lockCustomer(customerId: number): Promise<void> {
    if (this.dialect === 'postgres') {
      await this.db.selectFrom('customers').select('id').where('id', '=', customerId).forUpdate().execute();
    }
  }

  async markCustomerDeactivated(customerId: number, now: number): Promise<void> {
    await this.db.updateTable('customers').set({ last_deactivated_at: now }).where('id', '=', customerId).execute();
  }

  async liftIssuanceLimit(customerId: number, now: number): Promise<void> {
    await this.db.updateTable('customers').set({ issuance_limit_reset_at: now }).where('id', '=', customerId).execute();
  }

  // ── tokens ────────────────────────────────────────────────────────────────

  async liveTokens(customerId: number): Promise<StoredToken[]> {
    const rows = await this.db
      .selectFrom('tokens')
      .selectAll()
      .where('customer_id', '=', customerId)
      .where('state', '!=', 'ended')
      .orderBy('id')
      .execute();
    return rows.map(toToken);
  }

  async findTokenByUserId(serviceId: string, userId: string): Promise<ProvisioningCandidate | null> {
    const r = await this.db
      .selectFrom('tokens')
      .selectAll()
      .where('service_id', '=', serviceId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return r === undefined ? null : { ...toToken(r), passwordHash: r.password_hash };
  }

  async getToken(tokenId: number): Promise<StoredToken | null> {
    const r = await this.db.selectFrom('tokens').selectAll().where('id', '=', tokenId).executeTakeFirst();
    return r === undefined ? null : toToken(r);
  }

  async countIssuances(customerId: number, since: number): Promise<number> {
    const r = await this.db
      .selectFrom('tokens')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('customer_id', '=', customerId)
      .where('issued_at', '>=', since)
      .executeTakeFirstOrThrow();
    return num(r.n);
  }

  async insertToken(t: NewToken): Promise<StoredToken> {
    const r = await this.db
      .insertInto('tokens')
      .values({
        service_id: t.serviceId,
        customer_id: t.customerId,
        type: t.type,
        state: 'issued',
        user_id: t.userId,
        serial: t.serial,
        email: t.email,
        algorithm: t.algorithm,
        digits: t.digits,
        period: t.period,
        last_step: null,
        locked_at: null,
        password_hash: t.passwordHash,
        sealed_secret: null,
        issued_at: t.issuedAt,
        expires_at: t.expiresAt,
        provisioned_at: null,
        activated_at: null,
        valid_from: null,
        valid_until: null,
        last_used_at: null,
        replaces_token_id: t.replacesTokenId,
        ended_at: null,
        end_reason: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toToken(r);
  }

  async endToken(tokenId: number, reason: EndReason, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('tokens')
      .set({ state: 'ended', end_reason: reason, ended_at: now, password_hash: null })
      .where('id', '=', tokenId)
      .where('state', '!=', 'ended')
      .executeTakeFirst();
    return num(r.numUpdatedRows) === 1;
  }

  async recordPasswordFailure(tokenId: number, limit: number, now: number): Promise<{ attempts: number; voided: boolean } | null> {
    // One statement: the count and the void decision cannot be split by a concurrent request.
    const r = await this.db
      .updateTable('tokens')
      .set({
        password_attempts: sql<number>`password_attempts + 1`,
        state: sql<string>`CASE WHEN password_attempts + 1 >= ${limit} THEN 'ended' ELSE state END`,
        end_reason: sql<string | null>`CASE WHEN password_attempts + 1 >= ${limit} THEN 'void' ELSE end_reason END`,
        ended_at: sql<number | null>`CASE WHEN password_attempts + 1 >= ${limit} THEN ${now} ELSE ended_at END`,
      })
      .where('id', '=', tokenId)
      .where('state', '=', 'issued')
      .returning(['password_attempts', 'state'])
      .executeTakeFirst();
    if (r === undefined) return null;
    return { attempts: r.password_attempts, voided: r.state === 'ended' };
  }

  async completeProvisioning(tokenId: number, limit: number, p: ProvisioningResult): Promise<boolean> {
    const r = await this.db
      .updateTable('tokens')
      .set({
        state: 'provisioned',
        sealed_secret: p.sealedSecret,
        password_hash: null, // the activation password is never usable again
        provisioned_at: p.now,
        valid_from: p.validFrom,
        valid_until: p.validUntil,
      })
      .where('id', '=', tokenId)
      .where('state', '=', 'issued')
      .where('password_attempts', '<', limit)
      .executeTakeFirst();
    return num(r.numUpdatedRows) === 1;
  }

  async consumeStep(tokenId: number, state: 'active' | 'provisioned', step: number, drift: number, now: number): Promise<boolean> {
    // 「一度使用したワンタイムパスワードは無効」: the step is taken only if it is above the last one.
    const r = await this.db
      .updateTable('tokens')
      .set({ last_step: step, fail_count: 0, drift, last_used_at: now })
      .where('id', '=', tokenId)
      .where('state', '=', state)
      .where('locked', '=', 0)
      .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
      .executeTakeFirst();
    return num(r.numUpdatedRows) === 1;
  }

  async activateWithStep(
    tokenId: number,
    from: 'issued' | 'provisioned',
    step: number | null,
    drift: number,
    validFrom: number,
    validUntil: number | null,
    now: number,
  ): Promise<boolean> {
    let q = this.db
      .updateTable('tokens')
      .set({
        state: 'active',
        activated_at: now,
        last_step: step,
        fail_count: 0,
        drift,
        last_used_at: now,
        valid_from: sql<number>`COALESCE(valid_from, ${validFrom})`,
        valid_until: sql<number | null>`COALESCE(valid_until, ${validUntil})`,
      })
      .where('id', '=', tokenId)
      .where('state', '=', from)
      .where('locked', '=', 0);
    if (step !== null) q = q.where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]));
    const r = await q.executeTakeFirst();
    return num(r.numUpdatedRows) === 1;
  }

  async recordOtpFailure(tokenId: number, threshold: number, now: number): Promise<{ failCount: number; locked: boolean }> {
    // 閉塞: counted and decided in one statement, exact under any concurrency.
    const r = await this.db
      .updateTable('tokens')
      .set({
        fail_count: sql<number>`fail_count + 1`,
        locked: sql<number>`CASE WHEN fail_count + 1 >= ${threshold} THEN 1 ELSE locked END`,
        locked_at: sql<number | null>`CASE WHEN locked = 0 AND fail_count + 1 >= ${threshold} THEN ${now} ELSE locked_at END`,
      })
      .where('id', '=', tokenId)
      .returning(['fail_count', 'locked'])
      .executeTakeFirstOrThrow();
    return { failCount: r.fail_count, locked: r.locked === 1 };
  }

  async unlockToken(tokenId: number): Promise<void> {
    await this.db.updateTable('tokens').set({ locked: 0, fail_count: 0, locked_at: null }).where('id', '=', tokenId).execute();
  }

  async listSealedSecrets(afterId: number, limit: number): Promise<{ id: number; serviceId: string; userId: string; sealedSecret: string }[]> {
    const rows = await this.db
      .selectFrom('tokens')
      .select(['id', 'service_id', 'user_id', 'sealed_secret'])
      .where('id', '>', afterId)
      .where('sealed_secret', 'is not', null)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: num(r.id), serviceId: r.service_id, userId: r.user_id, sealedSecret: r.sealed_secret ?? '' }));
  }

  async updateSealedSecret(tokenId: number, oldSealed: string, newSealed: string): Promise<boolean> {
    const r = await this.db
      .updateTable('tokens')
      .set({ sealed_secret: newSealed })
      .where('id', '=', tokenId)
      .where('sealed_secret', '=', oldSealed)
      .executeTakeFirst();
    return num(r.numUpdatedRows) === 1;
  }

  // ── audit ─────────────────────────────────────────────────────────────────

  async appendAudit(e: AuditEvent): Promise<void> {
    await this.db
      .insertInto('audit_events')
      .values({
        seq: null,
        service_id: e.serviceId,
        at: e.at,
        actor: e.actor,
        action: e.action,
        customer_ref: e.customerRef,
        token_id: e.tokenId,
        result: e.result,
        detail: JSON.stringify(e.detail),
        client_ip: e.clientIp,
        prev_hash: null,
        hash: null,
      })
      .execute();
  }

  async chainAudit(sha256: Sha256Hex): Promise<number> {
    // Events are written unchained inside each business transaction (no global lock on the hot
    // path); this links them afterwards, one chainer at a time, in commit-visible id order.
    return this.transaction(async (tx) => (tx as KyselyStore).chainPending(sha256));
  }

  private async chainPending(sha256: Sha256Hex): Promise<number> {
    if (this.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(7102001)`.execute(this.db);
    const head = await this.db
      .selectFrom('audit_events')
      .select(['seq', 'hash'])
      .where('seq', 'is not', null)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    let seq = head?.seq === undefined || head.seq === null ? 0 : num(head.seq);
    let prev = head?.hash ?? GENESIS_HASH;
    let total = 0;
    for (;;) {
      const rows = await this.db.selectFrom('audit_events').selectAll().where('seq', 'is', null).orderBy('id').limit(500).execute();
      if (rows.length === 0) return total;
      for (const r of rows) {
        seq += 1;
        const e = { ...toAudit(r), seq };
        const hash = chainHash(prev, e, sha256);
        await this.db.updateTable('audit_events').set({ seq, prev_hash: prev, hash }).where('id', '=', e.id).execute();
        prev = hash;
      }
      total += rows.length;
    }
  }

  async readAuditChain(afterSeq: number, limit: number): Promise<ChainedAuditEvent[]> {
    const rows = await this.db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ ...toAudit(r), seq: num(r.seq ?? 0), prevHash: r.prev_hash ?? '', hash: r.hash ?? '' }));
  }

  async countUnchainedAudit(): Promise<number> {
    const r = await this.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('seq', 'is', null)
      .executeTakeFirstOrThrow();
    return num(r.n);
  }

  async listAudit(filter: { serviceId?: string; customerRef?: string; tokenId?: number; limit: number }): Promise<(AuditEvent & { id: number })[]> {
    let q = this.db.selectFrom('audit_events').selectAll();
    if (filter.serviceId !== undefined) q = q.where('service_id', '=', filter.serviceId);
    if (filter.customerRef !== undefined) q = q.where('customer_ref', '=', filter.customerRef);
    if (filter.tokenId !== undefined) q = q.where('token_id', '=', filter.tokenId);
    const rows = await q.orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map(toAudit);
  }
}
