import type pg from 'pg';
import { CompiledQuery, sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import {
  InkanError,
  isInkanError,
  parsePolicy,
  type ApiKeyRecord,
  type AuditEvent,
  type ChainedAuditEvent,
  type CustomerRecord,
  type EndReason,
  type HardwareBinding,
  type HardwareStockRecord,
  type MailOutbox,
  type NewHardwareStock,
  type NewStaff,
  type NewToken,
  type PasskeyStore,
  type PushSubscriptionStore,
  type ProvisioningCandidate,
  type ProvisioningResult,
  type Sha256Hex,
  type StaffRecord,
  type StaffSessionStore,
  type Store,
  type StoredToken,
  type TenantRecord,
  type NewTransaction,
  type SettleTransaction,
  type TransactionRecord,
} from '../core/index.js';
import { chainHash, GENESIS_HASH } from '../core/audit/audit-chain.js';
import type { HashAlgorithm } from '../core/otp/index.js';
import type { Database } from './schema.js';
import type { DialectName } from './migrations/index.js';
import { createGroupCommit } from './group-commit.js';
import { createPgHotBatch } from './pg-hot-batch.js';
import { DEFERRED_COMMIT } from './sqlite-durable.js';
import { hardwareStockStore } from './hardware-stock-store.js';
import { createMailOutboxStore } from './mail-outbox-store.js';
import { createPasskeyStore } from './passkey-store.js';
import { createPushSubscriptionStore } from './push-subscription-store.js';
import { createStaffSessionStore, staffStore } from './staff-store.js';
import { transactionStore } from './transaction-store.js';
import { sha256Hex } from '../crypto/sha256.js';
import { deactivationRequestStore } from './deactivation-request-store.js';
import { hardwareDeskStore } from './hardware-desk-store.js';
import { consoleAuditStore } from './console-audit-store.js';
import { staffAdminStore } from './staff-admin-store.js';
import type {
  AuditSearch,
  DeactivationDecision,
  DeactivationRequestRecord,
  NewDeactivationRequest,
} from '../core/index.js';

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
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/**
 * The hot path's statements, written once by hand: Kysely's query builder costs more than the
 * query itself at thousands of verifications per second. `?` placeholders (numbered for PostgreSQL).
 */
const HOT_SQL = {
  customerTokens: `SELECT c.id AS c_id, c.created_at AS c_created_at, c.issuance_limit_reset_at AS c_reset,
      c.last_deactivated_at AS c_deactivated, t.*
    FROM customers c LEFT JOIN tokens t ON t.customer_id = c.id AND t.state <> 'ended'
    WHERE c.service_id = ? AND c.ref = ? ORDER BY t.id`,
  consumeStep: `UPDATE tokens SET last_step = ?, fail_count = 0, drift = ?, last_used_at = ?
    WHERE id = ? AND state = ? AND locked = 0 AND (last_step IS NULL OR last_step < ?)`,
  otpFailure: `UPDATE tokens SET fail_count = fail_count + 1,
      locked = CASE WHEN fail_count + 1 >= ? THEN 1 ELSE locked END,
      locked_at = CASE WHEN locked = 0 AND fail_count + 1 >= ? THEN ? ELSE locked_at END
    WHERE id = ? RETURNING fail_count, locked`,
  consumeStepWithAudit: `WITH used AS (
      UPDATE tokens SET last_step = ?, fail_count = 0, drift = ?, last_used_at = ?
      WHERE id = ? AND state = ? AND locked = 0 AND (last_step IS NULL OR last_step < ?) RETURNING id)
    INSERT INTO audit_events (service_id, at, actor, action, customer_ref, token_id, result, detail, client_ip)
    SELECT ?::text, ?::bigint, ?::text, ?::text, ?::text, ?::bigint, ?::text, ?::text, ?::text FROM used RETURNING id`,
  appendChainedAudit: `INSERT INTO audit_events (seq, service_id, at, actor, action, customer_ref, token_id, result, detail, client_ip, prev_hash, hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  appendAudit: `INSERT INTO audit_events (service_id, at, actor, action, customer_ref, token_id, result, detail, client_ip)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
} as const;

function numbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

const PG_HOT_SQL = Object.fromEntries(
  Object.entries(HOT_SQL).map(([k, v]) => [k, numbered(v)]),
) as Record<keyof typeof HOT_SQL, string>;

/** A row of HOT_SQL.customerTokens: a live token (or nulls) with its customer's columns. */
type CustomerTokensRow = TokenRow & {
  c_id: number;
  c_created_at: number;
  c_reset: number | null;
  c_deactivated: number | null;
};

/** The audit event's columns, in the order of HOT_SQL's audit statements. */
function auditParams(e: AuditEvent): unknown[] {
  return [
    e.serviceId,
    e.at,
    e.actor,
    e.action,
    e.customerRef,
    e.tokenId,
    e.result,
    JSON.stringify(e.detail),
    e.clientIp,
  ];
}

/** The last chained audit event (written once: every SQLite group commit reads it). */
const CHAIN_HEAD = CompiledQuery.raw(
  'SELECT seq, hash FROM audit_events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1',
);

/** The last chained audit event's place and hash (seq 0 and the genesis hash when none). */
async function readChainHead(
  db: Pick<Kysely<Database>, 'executeQuery'>,
): Promise<{ seq: number; hash: string }> {
  const head = (await db.executeQuery<{ seq: number | string; hash: string }>(CHAIN_HEAD)).rows[0];
  return { seq: head === undefined ? 0 : num(head.seq), hash: head?.hash ?? GENESIS_HASH };
}

/** What a KyselyStore is built with besides its Kysely instance. */
export interface KyselyStoreOptions {
  /** True for the store handed to a transaction's callback. */
  readonly inTransaction?: boolean;
  /** SQLite: a second connection for the hot path's reads, so they never queue behind a commit (WAL readers see the last commit). */
  readonly readDb?: Kysely<Database> | null;
  /** PostgreSQL: the pool itself, for the hot path's named (prepared) statements. */
  readonly pgPool?: pg.Pool | null;
  /** SQLite transactions: the audit chain's head. */
  readonly chain?: { seq: number; hash: string } | null;
  /** SQLite on a file: waits until every commit so far is on disk (sqlite-durable.ts). */
  readonly sqliteFlush?: (() => Promise<void>) | null;
}

/**
 * The one Store implementation, on Kysely, for SQLite and PostgreSQL alike. The OTP methods are
 * single conditional UPDATEs (`… WHERE last_step < :step`), so two requests, two processes or two
 * servers can never both use the same step, and fail counts never lose an increment.
 */
export class KyselyStore implements Store {
  private readonly group: { submit<T>(fn: (tx: Store) => Promise<T>): Promise<T> } | null;

  private readonly readDb: Kysely<Database> | null;
  private readonly pgPool: pg.Pool | null;
  private readonly sqliteFlush: (() => Promise<void>) | null;
  /** PostgreSQL outside a transaction: the hot path's reads and writes, batched. */
  private readonly pgBatch: ReturnType<typeof createPgHotBatch<CustomerTokensRow>> | null;
  /** SQLite, inside a transaction: the audit chain's head, so events are chained as they are written. */
  private readonly chain: { seq: number; hash: string } | null;

  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: DialectName,
    o: KyselyStoreOptions = {},
  ) {
    this.readDb = o.readDb ?? null;
    this.pgPool = o.pgPool ?? null;
    this.chain = o.chain ?? null;
    this.sqliteFlush = o.sqliteFlush ?? null;
    this.group =
      o.inTransaction === true
        ? null
        : createGroupCommit<Store>({
            runTransaction: (work) =>
              dialect === 'sqlite'
                ? this.sqliteImmediateTransaction(work)
                : this.db
                    .transaction()
                    .execute((trx: Transaction<Database>) =>
                      work(new KyselyStore(trx, dialect, { inTransaction: true })),
                    ),
            maxGroup: 64,
            // SQLite has one writer; when commits are flushed after the connection is released,
            // the next group writes while earlier groups' flushes run. Three in flight, so that a
            // group can write while one flush runs and the next waits for it (one flush at a
            // time, see sqlite-durable.ts): ahead of two in 6 of 6 alternating bench pairs, +2-7%.
            concurrency: dialect === 'postgres' ? 4 : this.sqliteFlush !== null ? 3 : 1,
            // A group that waited out another connection's lock fails together: alone, each
            // would wait it out again.
            retryAlone: (e) => !isInkanError(e, 'SERVICE_BUSY'),
          });
    this.pgBatch =
      this.pgPool !== null && this.group !== null
        ? createPgHotBatch<CustomerTokensRow>(this.pgPool, {
            customerTokens: async (serviceId, ref) =>
              (await this.hot<CustomerTokensRow>('customerTokens', [serviceId, ref], true)).rows,
            consumeStepWithAudit: async (x) =>
              (
                await this.hot('consumeStepWithAudit', [
                  x.step,
                  x.drift,
                  x.now,
                  x.tokenId,
                  x.state,
                  x.step,
                  ...auditParams(x.audit),
                ])
              ).rows.length === 1,
          })
        : null;
  }

  private async hot<R>(
    key: keyof typeof HOT_SQL,
    params: readonly unknown[],
    read = false,
  ): Promise<{ rows: R[]; changed: number }> {
    if (this.pgPool !== null && this.group !== null) {
      // Outside a transaction on PostgreSQL: a named statement is parsed and planned once per
      // connection instead of on every request.
      const r = await this.pgPool.query({
        name: `inkan_${key}`,
        text: PG_HOT_SQL[key],
        values: [...params],
      });
      return { rows: r.rows as R[], changed: r.rowCount ?? 0 };
    }
    const text = this.dialect === 'postgres' ? PG_HOT_SQL[key] : HOT_SQL[key];
    const db = read && this.readDb !== null ? this.readDb : this.db;
    const r = await db.executeQuery<R>(CompiledQuery.raw(text, [...params]));
    return { rows: r.rows, changed: Number(r.numAffectedRows ?? 0) };
  }

  /**
   * SQLite: BEGIN IMMEDIATE takes the write lock first, so a transaction that reads before it
   * writes waits (busy_timeout) for another process's write instead of failing with
   * "database is locked" when it tries to upgrade.
   */
  private async sqliteImmediateTransaction(work: (tx: Store) => Promise<void>): Promise<void> {
    const flush = this.sqliteFlush;
    await this.db.connection().execute(async (conn) => {
      await sql`BEGIN IMMEDIATE`.execute(conn);
      try {
        // BEGIN IMMEDIATE holds the write lock: the head read here stays the head until COMMIT.
        const chain = await readChainHead(conn);
        await work(new KyselyStore(conn, this.dialect, { inTransaction: true, chain }));
      } catch (e) {
        await sql`ROLLBACK`.execute(conn);
        throw e;
      }
      if (flush === null) await sql`COMMIT`.execute(conn);
      else await conn.executeQuery(DEFERRED_COMMIT);
    });
    // Durable before anyone is answered; meanwhile the connection serves the next group's writes.
    if (flush !== null) await flush();
  }

  /** One transaction, committed together with others that arrive meanwhile (group commit). */
  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.group === null) return fn(this);
    return this.group.submit(fn);
  }

  async close(): Promise<void> {
    await this.readDb?.destroy();
    await this.db.destroy();
  }

  /** The development mail outbox on this database (its table only; the connection stays private). */
  mailOutbox(): MailOutbox {
    return createMailOutboxStore(this.db);
  }

  /** Passkeys of 生体認証ログイン (migration 007), on this store's connection (or transaction). */
  passkeys(): PasskeyStore {
    return createPasskeyStore(this.db);
  }

  /** The token app's Web Push subscriptions (migration 008). */
  pushSubscriptions(): PushSubscriptionStore {
    return createPushSubscriptionStore(this.db);
  }

  // ── tenants ───────────────────────────────────────────────────────────────

  async createTenant(t: TenantRecord): Promise<void> {
    try {
      await this.db
        .insertInto('tenants')
        .values({
          service_id: t.serviceId,
          name: t.name,
          policy: JSON.stringify(t.policy),
          created_at: t.createdAt,
        })
        .execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new InkanError('TENANT_EXISTS', {}, { cause: e });
      throw e;
    }
  }

  async getTenant(serviceId: string): Promise<TenantRecord | null> {
    const r = await this.db
      .selectFrom('tenants')
      .selectAll()
      .where('service_id', '=', serviceId)
      .executeTakeFirst();
    return r === undefined ? null : this.toTenant(r);
  }

  async listTenants(): Promise<TenantRecord[]> {
    const rows = await this.db.selectFrom('tenants').selectAll().orderBy('service_id').execute();
    return rows.map((r) => this.toTenant(r));
  }

  private toTenant(r: Selectable<Database['tenants']>): TenantRecord {
    return {
      serviceId: r.service_id,
      name: r.name,
      policy: parsePolicy(JSON.parse(r.policy)),
      createdAt: num(r.created_at),
    };
  }

  async updateTenantPolicy(serviceId: string, policy: TenantRecord['policy']): Promise<void> {
    await this.db
      .updateTable('tenants')
      .set({ policy: JSON.stringify(policy) })
      .where('service_id', '=', serviceId)
      .execute();
  }

  async addApiKey(k: ApiKeyRecord): Promise<void> {
    await this.db
      .insertInto('api_keys')
      .values({
        key_id: k.keyId,
        service_id: k.serviceId,
        hash: k.hash,
        created_at: k.createdAt,
        revoked_at: k.revokedAt,
      })
      .execute();
  }

  async findApiKey(keyId: string): Promise<ApiKeyRecord | null> {
    const r = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('key_id', '=', keyId)
      .executeTakeFirst();
    if (r === undefined) return null;
    return {
      keyId: r.key_id,
      serviceId: r.service_id,
      hash: r.hash,
      createdAt: num(r.created_at),
      revokedAt: numOrNull(r.revoked_at),
    };
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

  async findCustomerTokens(
    serviceId: string,
    ref: string,
  ): Promise<{ customer: CustomerRecord; tokens: StoredToken[] } | null> {
    const rows =
      this.pgBatch !== null
        ? await this.pgBatch.customerTokens(serviceId, ref)
        : (await this.hot<CustomerTokensRow>('customerTokens', [serviceId, ref], true)).rows;
    const first = rows[0];
    if (first === undefined) return null;
    const customer: CustomerRecord = {
      id: num(first.c_id),
      serviceId,
      ref,
      createdAt: num(first.c_created_at),
      issuanceLimitResetAt: numOrNull(first.c_reset),
      lastDeactivatedAt: numOrNull(first.c_deactivated),
    };
    return { customer, tokens: rows.filter((r) => r.id !== null).map(toToken) };
  }

  async ensureCustomer(serviceId: string, ref: string, now: number): Promise<CustomerRecord> {
    // Insert-or-nothing, then read: safe when two issuances for a new customer race.
    await this.db
      .insertInto('customers')
      .values({
        service_id: serviceId,
        ref,
        created_at: now,
        issuance_limit_reset_at: null,
        last_deactivated_at: null,
      })
      .onConflict((oc) => oc.columns(['service_id', 'ref']).doNothing())
      .execute();
    const c = await this.getCustomer(serviceId, ref);
    if (c === null) throw new Error('customer vanished after insert');
    return c;
  }

  async lockCustomer(customerId: number): Promise<void> {
    if (this.dialect === 'postgres') {
      await this.db
        .selectFrom('customers')
        .select('id')
        .where('id', '=', customerId)
        .forUpdate()
        .execute();
    }
  }

  async markCustomerDeactivated(customerId: number, now: number): Promise<void> {
    await this.db
      .updateTable('customers')
      .set({ last_deactivated_at: now })
      .where('id', '=', customerId)
      .execute();
  }

  async liftIssuanceLimit(customerId: number, now: number): Promise<void> {
    await this.db
      .updateTable('customers')
      .set({ issuance_limit_reset_at: now })
      .where('id', '=', customerId)
      .execute();
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

  async findTokenByUserId(
    serviceId: string,
    userId: string,
  ): Promise<ProvisioningCandidate | null> {
    const r = await this.db
      .selectFrom('tokens')
      .selectAll()
      .where('service_id', '=', serviceId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return r === undefined ? null : { ...toToken(r), passwordHash: r.password_hash };
  }

  async getToken(tokenId: number): Promise<StoredToken | null> {
    const r = await this.db
      .selectFrom('tokens')
      .selectAll()
      .where('id', '=', tokenId)
      .executeTakeFirst();
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
    const ended = num(r.numUpdatedRows) === 1;
    // Issue 7: an ended token's push subscriptions go with it, in the same transaction (every
    // way a token ends passes here: 利用解除, replacement, staff).
    if (ended) await createPushSubscriptionStore(this.db).removeForTokens([tokenId]);
    return ended;
  }

  async recordPasswordFailure(
    tokenId: number,
    limit: number,
    now: number,
  ): Promise<{ attempts: number; voided: boolean } | null> {
    // One statement: the count and the void decision cannot be split by a concurrent request.
    const r = await this.db
      .updateTable('tokens')
      .set({
        password_attempts: sql<number>`password_attempts + 1`,
        state: sql<string>`CASE WHEN password_attempts + 1 >= ${limit} THEN 'ended' ELSE state END`,
        end_reason: sql<
          string | null
        >`CASE WHEN password_attempts + 1 >= ${limit} THEN 'void' ELSE end_reason END`,
        ended_at: sql<
          number | null
        >`CASE WHEN password_attempts + 1 >= ${limit} THEN ${now} ELSE ended_at END`,
      })
      .where('id', '=', tokenId)
      .where('state', '=', 'issued')
      .returning(['password_attempts', 'state'])
      .executeTakeFirst();
    if (r === undefined) return null;
    return { attempts: r.password_attempts, voided: r.state === 'ended' };
  }

  async completeProvisioning(
    tokenId: number,
    limit: number,
    p: ProvisioningResult,
  ): Promise<boolean> {
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

  async consumeStep(
    tokenId: number,
    state: 'active' | 'provisioned',
    step: number,
    drift: number,
    now: number,
  ): Promise<boolean> {
    // 「一度使用したワンタイムパスワードは無効」: the step is taken only if it is above the last one.
    const r = await this.hot('consumeStep', [step, drift, now, tokenId, state, step]);
    return r.changed === 1;
  }

  async consumeStepWithAudit(
    tokenId: number,
    state: 'active' | 'provisioned',
    step: number,
    drift: number,
    now: number,
    e: AuditEvent,
  ): Promise<boolean> {
    if (this.pgBatch !== null) {
      // One statement for this request and those that arrived with it: no BEGIN/COMMIT round
      // trips, one commit (and WAL flush) for the batch, single use decided row by row.
      return this.pgBatch.consumeStepWithAudit({ tokenId, state, step, drift, now, audit: e });
    }
    return this.transaction(async (tx) => {
      if (!(await tx.consumeStep(tokenId, state, step, drift, now))) return false;
      await tx.appendAudit(e);
      return true;
    });
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
    if (step !== null)
      q = q.where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]));
    const r = await q.executeTakeFirst();
    return num(r.numUpdatedRows) === 1;
  }

  async recordOtpFailure(
    tokenId: number,
    threshold: number,
    now: number,
  ): Promise<{ failCount: number; locked: boolean }> {
    // 閉塞: counted and decided in one statement, exact under any concurrency.
    const { rows } = await this.hot<{ fail_count: number; locked: number }>('otpFailure', [
      threshold,
      threshold,
      now,
      tokenId,
    ]);
    const r = rows[0];
    if (r === undefined) throw new Error(`token ${tokenId} not found`);
    return { failCount: num(r.fail_count), locked: num(r.locked) === 1 };
  }

  async unlockToken(tokenId: number): Promise<void> {
    await this.db
      .updateTable('tokens')
      .set({ locked: 0, fail_count: 0, locked_at: null })
      .where('id', '=', tokenId)
      .execute();
  }

  // ── 取引認証 (migration 006; storage/transaction-store.ts) ─────────────────

  insertTransaction(t: NewTransaction): Promise<void> {
    return transactionStore.insert(this.db, t);
  }
  getTransaction(serviceId: string, id: string): Promise<TransactionRecord | null> {
    return transactionStore.get(this.db, serviceId, id);
  }
  pendingTransactions(tokenId: number, now: number): Promise<TransactionRecord[]> {
    return transactionStore.pending(this.db, tokenId, now);
  }
  settleTransaction(s: SettleTransaction): Promise<boolean> {
    return transactionStore.settle(this.db, s);
  }
  overdueTransactions(now: number, limit: number): Promise<TransactionRecord[]> {
    return transactionStore.overdue(this.db, now, limit);
  }
  cancelTransaction(id: string, now: number): Promise<boolean> {
    return transactionStore.cancel(this.db, id, now);
  }
  expireTransaction(id: string, now: number): Promise<boolean> {
    return transactionStore.expire(this.db, id, now);
  }
  recordTransactionFailure(id: string, max: number, now: number) {
    return transactionStore.recordFailure(this.db, id, max, now);
  }
  failTransaction(id: string, now: number): Promise<boolean> {
    return transactionStore.fail(this.db, id, now);
  }
  advanceAppClock(tokenId: number, time: number): Promise<boolean> {
    return transactionStore.advanceAppClock(this.db, tokenId, time);
  }
  clearOtpFailures(tokenId: number): Promise<void> {
    return transactionStore.clearOtpFailures(this.db, tokenId);
  }
  getCustomerTransactionPolicy(customerId: number) {
    return transactionStore.getCustomerPolicy(this.db, customerId);
  }
  setCustomerTransactionPolicy(
    customerId: number,
    policy: Parameters<typeof transactionStore.setCustomerPolicy>[2],
    now: number,
  ): Promise<void> {
    return transactionStore.setCustomerPolicy(this.db, customerId, policy, now);
  }

  // ── hardware stock ───────────────────────────────────────────────────────

  existingSerials(serviceId: string, serials: readonly string[]): Promise<string[]> {
    return hardwareStockStore.existingSerials(this.db, serviceId, serials);
  }

  async insertHardwareStock(rows: readonly NewHardwareStock[]): Promise<void> {
    try {
      await hardwareStockStore.insert(this.db, rows);
    } catch (e) {
      // Another import added one of these serials meanwhile.
      if (isUniqueViolation(e)) throw new InkanError('SERIAL_EXISTS', {}, { cause: e });
      throw e;
    }
  }

  findHardwareStock(serviceId: string, serial: string): Promise<HardwareStockRecord | null> {
    return hardwareStockStore.find(this.db, serviceId, serial);
  }

  bindHardwareToken(b: HardwareBinding): Promise<boolean> {
    return hardwareStockStore.bind(this.db, b);
  }

  countHardwareStock(serviceId: string) {
    return hardwareStockStore.count(this.db, serviceId);
  }

  listSealedStock(afterId: number, limit: number) {
    return hardwareStockStore.listSealed(this.db, afterId, limit);
  }

  updateSealedStock(stockId: number, oldSealed: string, newSealed: string): Promise<boolean> {
    return hardwareStockStore.updateSealed(this.db, stockId, oldSealed, newSealed);
  }

  async listSealedSecrets(
    afterId: number,
    limit: number,
  ): Promise<{ id: number; serviceId: string; userId: string; sealedSecret: string }[]> {
    const rows = await this.db
      .selectFrom('tokens')
      .select(['id', 'service_id', 'user_id', 'sealed_secret'])
      .where('id', '>', afterId)
      .where('sealed_secret', 'is not', null)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: num(r.id),
      serviceId: r.service_id,
      userId: r.user_id,
      sealedSecret: r.sealed_secret ?? '',
    }));
  }

  async updateSealedSecret(
    tokenId: number,
    oldSealed: string,
    newSealed: string,
  ): Promise<boolean> {
    const r = await this.db
      .updateTable('tokens')
      .set({ sealed_secret: newSealed })
      .where('id', '=', tokenId)
      .where('sealed_secret', '=', oldSealed)
      .executeTakeFirst();
    return num(r.numUpdatedRows) === 1;
  }

  // ── staff (admin console) ─────────────────────────────────────────────────

  /** The admin console's sessions on this database (their table only). */
  staffSessions(): StaffSessionStore {
    return createStaffSessionStore(this.db);
  }

  async insertStaff(s: NewStaff): Promise<StaffRecord> {
    try {
      return await staffStore.insert(this.db, s);
    } catch (e) {
      if (isUniqueViolation(e)) throw new InkanError('STAFF_EXISTS', {}, { cause: e });
      throw e;
    }
  }

  getStaff(staffId: number): Promise<StaffRecord | null> {
    return staffStore.get(this.db, staffId);
  }

  findStaffByLoginId(loginId: string): Promise<StaffRecord | null> {
    return staffStore.byLoginId(this.db, loginId);
  }

  listStaff(serviceId: string): Promise<StaffRecord[]> {
    return staffStore.list(this.db, serviceId);
  }

  setStaffPassword(
    staffId: number,
    previousHash: string,
    hash: string,
    now: number,
  ): Promise<boolean> {
    return staffStore.setPassword(this.db, staffId, previousHash, hash, now);
  }

  setStaffTotpSecret(staffId: number, sealed: string): Promise<boolean> {
    return staffStore.setTotpSecret(this.db, staffId, sealed);
  }

  confirmStaffTotp(staffId: number, sealed: string, step: number, now: number): Promise<boolean> {
    return staffStore.confirmTotp(this.db, staffId, sealed, step, now);
  }

  consumeStaffStep(staffId: number, step: number, now: number): Promise<boolean> {
    return staffStore.consumeStep(this.db, staffId, step, now);
  }

  recordStaffFailure(staffId: number, threshold: number, now: number) {
    return staffStore.recordFailure(this.db, staffId, threshold, now);
  }

  unlockStaff(staffId: number): Promise<boolean> {
    return staffStore.unlock(this.db, staffId);
  }

  listSealedStaffSecrets(afterId: number, limit: number) {
    return staffStore.listSealed(this.db, afterId, limit);
  }

  updateSealedStaffSecret(staffId: number, oldSealed: string, newSealed: string) {
    return staffStore.updateSealed(this.db, staffId, oldSealed, newSealed);
  }

  async searchCustomers(serviceId: string, query: string, limit: number) {
    const ids = await staffStore.searchCustomerIds(this.db, serviceId, query, limit);
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('customers')
      .selectAll()
      .where('id', 'in', ids)
      .orderBy('ref')
      .execute();
    return rows.map(toCustomer);
  }

  async customerTokenHistory(customerId: number): Promise<StoredToken[]> {
    const rows = await this.db
      .selectFrom('tokens')
      .selectAll()
      .where('customer_id', '=', customerId)
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toToken);
  }

  // ── audit ─────────────────────────────────────────────────────────────────

  async appendAudit(e: AuditEvent): Promise<void> {
    if (this.chain !== null) {
      // SQLite holds the write lock for the whole transaction: chain the event as it is written.
      const seq = this.chain.seq + 1;
      const hash = chainHash(this.chain.hash, { ...e, seq }, sha256Hex);
      await this.hot('appendChainedAudit', [seq, ...auditParams(e), this.chain.hash, hash]);
      this.chain.seq = seq;
      this.chain.hash = hash;
      return;
    }
    if (this.dialect === 'sqlite' && this.group !== null)
      return this.transaction((tx) => tx.appendAudit(e));
    // PostgreSQL: written unchained; the chainer links it (no global lock on the hot path).
    await this.hot('appendAudit', auditParams(e));
  }

  async chainAudit(sha256: Sha256Hex): Promise<number> {
    // Events are written unchained inside each business transaction (no global lock on the hot
    // path); this links them afterwards, one chainer at a time, in commit-visible id order.
    return this.transaction(async (tx) => (tx as KyselyStore).chainPending(sha256));
  }

  private async chainPending(sha256: Sha256Hex): Promise<number> {
    if (this.dialect === 'postgres')
      await sql`SELECT pg_advisory_xact_lock(7102001)`.execute(this.db);
    const head = await readChainHead(this.db);
    let seq = head.seq;
    let prev = head.hash;
    let total = 0;
    for (;;) {
      const rows = await this.db
        .selectFrom('audit_events')
        .selectAll()
        .where('seq', 'is', null)
        .orderBy('id')
        .limit(500)
        .execute();
      if (rows.length === 0) {
        // Keep this transaction's head in step, so events written after this in the same
        // transaction continue the chain.
        if (this.chain !== null) {
          this.chain.seq = seq;
          this.chain.hash = prev;
        }
        return total;
      }
      const links: { id: number; seq: number; prev: string; hash: string }[] = [];
      for (const r of rows) {
        seq += 1;
        const e = { ...toAudit(r), seq };
        const hash = chainHash(prev, e, sha256);
        links.push({ id: e.id, seq, prev, hash });
        prev = hash;
      }
      // One statement per page (UPDATE … FROM works on PostgreSQL and on SQLite ≥ 3.33).
      const cast = this.dialect === 'postgres' ? sql`::bigint` : sql``;
      const values = sql.join(
        links.map((l) => sql`(${l.id}${cast}, ${l.seq}${cast}, ${l.prev}, ${l.hash})`),
      );
      await sql`WITH v(id, seq, prev, hash) AS (VALUES ${values})
        UPDATE audit_events SET seq = v.seq, prev_hash = v.prev, hash = v.hash
        FROM v WHERE audit_events.id = v.id`.execute(this.db);
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
    return rows.map((r) => ({
      ...toAudit(r),
      seq: num(r.seq ?? 0),
      prevHash: r.prev_hash ?? '',
      hash: r.hash ?? '',
    }));
  }

  async countUnchainedAudit(): Promise<number> {
    const r = await this.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('seq', 'is', null)
      .executeTakeFirstOrThrow();
    return num(r.n);
  }

  async listAudit(filter: {
    serviceId?: string;
    customerRef?: string;
    tokenId?: number;
    limit: number;
  }): Promise<(AuditEvent & { id: number })[]> {
    let q = this.db.selectFrom('audit_events').selectAll();
    if (filter.serviceId !== undefined) q = q.where('service_id', '=', filter.serviceId);
    if (filter.customerRef !== undefined) q = q.where('customer_ref', '=', filter.customerRef);
    const { tokenId } = filter;
    if (tokenId !== undefined) {
      // A token's events: those that name no customer, by `audit_token_unreferenced`, and those
      // that name its customer, by `audit_customer` (migration 011 says why).
      q = q.where('id', 'in', (eb) =>
        eb
          .selectFrom('audit_events')
          .select('id')
          .where('customer_ref', 'is', null)
          .where('token_id', '=', tokenId)
          .unionAll(
            eb
              .selectFrom('tokens as t')
              .innerJoin('customers as c', 'c.id', 't.customer_id')
              .innerJoin('audit_events as a', (j) =>
                j.onRef('a.service_id', '=', 'c.service_id').onRef('a.customer_ref', '=', 'c.ref'),
              )
              .select('a.id')
              .where('t.id', '=', tokenId)
              .where('a.token_id', '=', tokenId),
          ),
      );
    }
    const rows = await q.orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map(toAudit);
  }

  // ── four-eyes paper requests (issue 5; deactivation-request-store.ts) ─────

  insertDeactivationRequest(r: NewDeactivationRequest): Promise<DeactivationRequestRecord> {
    return deactivationRequestStore.insert(this.db, r);
  }

  getDeactivationRequest(id: number): Promise<DeactivationRequestRecord | null> {
    return deactivationRequestStore.get(this.db, id);
  }

  pendingDeactivationRequest(customerId: number): Promise<DeactivationRequestRecord | null> {
    return deactivationRequestStore.pendingOf(this.db, customerId);
  }

  listDeactivationRequests(serviceId: string, filter: { pending: boolean; limit: number }) {
    return deactivationRequestStore.list(this.db, serviceId, filter);
  }

  decideDeactivationRequest(id: number, d: DeactivationDecision): Promise<boolean> {
    return deactivationRequestStore.decide(this.db, id, d);
  }

  // ── hardware lifecycle in the console (issue 5; hardware-desk-store.ts) ───

  listHardwareWaiting(serviceId: string, now: number, limit: number) {
    return hardwareDeskStore.waiting(this.db, serviceId, now, limit);
  }

  nextHardwareInStock(serviceId: string, now: number) {
    return hardwareDeskStore.nextInStock(this.db, serviceId, now);
  }

  shipHardware(s: { serviceId: string; tokenId: number; serial: string; now: number }) {
    return hardwareDeskStore.ship(this.db, s);
  }

  listHardwareShipments(
    serviceId: string,
    o: { tokenId?: number; from?: number; to?: number; limit: number },
  ) {
    return hardwareDeskStore.shipments(this.db, serviceId, o);
  }

  countHardwareLife(serviceId: string, now: number) {
    return hardwareDeskStore.lifeCounts(this.db, serviceId, now);
  }

  findHardwareItem(serviceId: string, serial: string, now: number) {
    return hardwareDeskStore.findItem(this.db, serviceId, serial, now);
  }

  // ── audit search and dashboard (issue 5; console-audit-store.ts) ──────────

  searchAudit(serviceId: string, f: AuditSearch) {
    return consoleAuditStore.search(this.db, serviceId, f);
  }

  countAuditEvents(
    serviceId: string,
    f: { actions: readonly string[]; results?: readonly string[]; since: number },
  ) {
    return consoleAuditStore.count(this.db, serviceId, f);
  }

  countTokensByState(serviceId: string) {
    return consoleAuditStore.tokensByState(this.db, serviceId);
  }

  countLockedTokens(serviceId: string) {
    return consoleAuditStore.lockedTokens(this.db, serviceId);
  }

  countIssuedSince(serviceId: string, since: number) {
    return consoleAuditStore.issuedSince(this.db, serviceId, since);
  }

  // ── 行員管理 (issue 5; staff-admin-store.ts) ───────────────────────────────

  resetStaffTotp(staffId: number): Promise<boolean> {
    return staffAdminStore.resetTotp(this.db, staffId);
  }

  resetStaffPassword(staffId: number, hash: string, now: number): Promise<boolean> {
    return staffAdminStore.resetPassword(this.db, staffId, hash, now);
  }

  lockStaff(staffId: number, now: number): Promise<boolean> {
    return staffAdminStore.lock(this.db, staffId, now);
  }
}
