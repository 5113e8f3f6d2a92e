import { sql, type Kysely, type Selectable } from 'kysely';
import type { DialectName } from '../storage/migrations/index.js';
import { openPartDatabase } from '../storage/open-store.js';
import { bankMigrations } from './migrations.js';
import type { BankDatabase } from './schema.js';

/** A customer of the bank as its internet banking knows them. */
export type BankCustomer = Selectable<BankDatabase['bank_customers']>;
/** One of a customer's accounts. */
export type BankAccount = Selectable<BankDatabase['bank_accounts']>;
/** A sent transfer. */
export type BankTransfer = Selectable<BankDatabase['bank_transfers']>;

/** What a 電話番号認証 is for: トークン発行 or 機種変更. */
export type PhoneCheckPurpose = 'issue' | 'replace';

/** One 電話番号認証 (a screen's wait for the customer's call). */
export interface PhoneCheckRow {
  readonly id: string;
  readonly customerId: number;
  readonly purpose: PhoneCheckPurpose;
  readonly status: 'pending' | 'verified';
  /** The 認証先電話番号 the screen showed, digits only. */
  readonly called: string;
  /** The number the verifying call came from, digits only; null while pending. */
  readonly caller: string | null;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly verifiedAt: number | null;
}

/** A new customer (hashes made by the caller). */
export type NewBankCustomer = Omit<
  BankCustomer,
  'id' | 'failed_logins' | 'login_locked_at' | 'last_login_at'
>;

/** A transfer to send (its row without the id). */
export type NewTransfer = Omit<BankTransfer, 'id'>;

/** A transfer's outcome: sent, or refused by the day's limit or the balance. */
export type TransferOutcome =
  | { readonly ok: true; readonly id: number }
  | { readonly ok: false; readonly reason: 'limit' | 'balance' };

/** A stored session row. */
export interface SessionRow {
  readonly idHash: string;
  readonly customerId: number;
  readonly data: string;
  readonly version: number;
  readonly createdAt: number;
  readonly lastSeenAt: number;
}

/** The demo bank's storage: customers, accounts, transfers and internet-banking sessions. */
export class BankStore {
  private constructor(
    private readonly db: Kysely<BankDatabase>,
    readonly dialect: DialectName,
  ) {}

  /** Opens (and migrates) the bank's tables in the database at `url`. */
  static async open(o: { url: string; pgSchema?: string }): Promise<BankStore> {
    const { db, dialect } = await openPartDatabase<BankDatabase>({
      url: o.url,
      ...(o.pgSchema === undefined ? {} : { pgSchema: o.pgSchema }),
      migrations: bankMigrations,
      migrationTableName: 'bank_migrations',
    });
    return new BankStore(db, dialect);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  // ── customers ────────────────────────────────────────────────────────────

  async createCustomer(c: NewBankCustomer): Promise<number> {
    const r = await this.db
      .insertInto('bank_customers')
      .values({ ...c, failed_logins: 0, login_locked_at: null, last_login_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async addAccount(a: Omit<BankAccount, 'id'>): Promise<number> {
    const r = await this.db
      .insertInto('bank_accounts')
      .values(a)
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async customerByLoginId(loginId: string): Promise<BankCustomer | null> {
    return (
      (await this.db
        .selectFrom('bank_customers')
        .selectAll()
        .where('login_id', '=', loginId)
        .executeTakeFirst()) ?? null
    );
  }

  /** The customer the platform knows by this reference (a passkey login names it). */
  async customerByPlatformRef(ref: string): Promise<BankCustomer | null> {
    return (
      (await this.db
        .selectFrom('bank_customers')
        .selectAll()
        .where('platform_ref', '=', ref)
        .executeTakeFirst()) ?? null
    );
  }

  async customer(id: number): Promise<BankCustomer | null> {
    return (
      (await this.db
        .selectFrom('bank_customers')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst()) ?? null
    );
  }

  async countCustomers(): Promise<number> {
    const r = await this.db
      .selectFrom('bank_customers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /**
   * A wrong login password: the count goes up in one statement, and the login locks at `lockAt`
   * (checked in the same UPDATE, so parallel guesses cannot pass the limit).
   */
  async recordLoginFailure(id: number, now: number, lockAt: number): Promise<{ locked: boolean }> {
    await this.db
      .updateTable('bank_customers')
      .set((eb) => ({
        failed_logins: eb('failed_logins', '+', 1),
        login_locked_at: eb
          .case()
          .when(eb('failed_logins', '+', 1), '>=', lockAt)
          .then(eb.fn.coalesce('login_locked_at', eb.val(now)))
          .else(eb.ref('login_locked_at'))
          .end(),
      }))
      .where('id', '=', id)
      .execute();
    const c = await this.customer(id);
    return { locked: c?.login_locked_at != null };
  }

  async recordLoginSuccess(id: number, now: number): Promise<void> {
    await this.db
      .updateTable('bank_customers')
      .set({ failed_logins: 0, last_login_at: now })
      .where('id', '=', id)
      .where('login_locked_at', 'is', null)
      .execute();
  }

  async setDailyLimit(id: number, yen: number): Promise<void> {
    await this.db
      .updateTable('bank_customers')
      .set({ daily_limit: yen })
      .where('id', '=', id)
      .execute();
  }

  /** Lowers the daily limit to `yen` if it is above (利用解除: back to 200,000 yen). */
  async capDailyLimit(id: number, yen: number): Promise<void> {
    await this.db
      .updateTable('bank_customers')
      .set({ daily_limit: yen })
      .where('id', '=', id)
      .where('daily_limit', '>', yen)
      .execute();
  }

  /** メール通知パスワード利用変更: the address codes go to (null: not used). */
  async setMailOtpEmail(id: number, email: string | null): Promise<void> {
    await this.db
      .updateTable('bank_customers')
      .set({ mail_otp_email: email })
      .where('id', '=', id)
      .execute();
  }

  async setEmail(id: number, email: string): Promise<void> {
    await this.db.updateTable('bank_customers').set({ email }).where('id', '=', id).execute();
  }

  async accounts(customerId: number): Promise<BankAccount[]> {
    return this.db
      .selectFrom('bank_accounts')
      .selectAll()
      .where('customer_id', '=', customerId)
      .orderBy('id')
      .execute();
  }

  // ── 電話番号認証 ─────────────────────────────────────────────────────────

  /** Stores a new pending 電話番号認証 (the caller makes the random ID and the times). */
  async createPhoneCheck(c: {
    id: string;
    customerId: number;
    purpose: PhoneCheckPurpose;
    called: string;
    createdAt: number;
    expiresAt: number;
  }): Promise<void> {
    await this.db
      .insertInto('bank_phone_checks')
      .values({
        id: c.id,
        customer_id: c.customerId,
        purpose: c.purpose,
        status: 'pending',
        called: c.called,
        caller: null,
        created_at: c.createdAt,
        expires_at: c.expiresAt,
        verified_at: null,
      })
      .execute();
  }

  async phoneCheck(id: string): Promise<PhoneCheckRow | null> {
    const r = await this.db
      .selectFrom('bank_phone_checks')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return r === undefined
      ? null
      : {
          id: r.id,
          customerId: Number(r.customer_id),
          purpose: r.purpose === 'replace' ? 'replace' : 'issue',
          status: r.status === 'verified' ? 'verified' : 'pending',
          called: r.called,
          caller: r.caller,
          createdAt: Number(r.created_at),
          expiresAt: Number(r.expires_at),
          verifiedAt: r.verified_at === null ? null : Number(r.verified_at),
        };
  }

  /**
   * An inbound call from `callerDigits` to `calledDigits` (both digits only, domestic form):
   * marks verified every pending, unexpired check that showed `calledDigits` as its 認証先電話番号
   * and whose customer's お届出電話番号 is the caller. One conditional UPDATE, so two servers given
   * the same webhook (a provider retry) mark each check once; returns the IDs this call marked.
   */
  async verifyPhoneCheckByCall(
    callerDigits: string,
    calledDigits: string,
    now: number,
  ): Promise<string[]> {
    if (callerDigits === '' || calledDigits === '') return [];
    const rows = await this.db
      .updateTable('bank_phone_checks')
      .set({ status: 'verified', caller: callerDigits, verified_at: now })
      .where('status', '=', 'pending')
      .where('expires_at', '>', now)
      .where('called', '=', calledDigits)
      .where('customer_id', 'in', (eb) =>
        eb
          .selectFrom('bank_customers')
          .select('bank_customers.id')
          .where('phone', '=', callerDigits),
      )
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  // ── transfers ────────────────────────────────────────────────────────────

  /** What the customer sent on a JST day (yen, fees excluded), for the daily limit. */
  async sentOn(customerId: number, jstDate: string): Promise<number> {
    const r = await this.db
      .selectFrom('bank_transfers')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.val(0)).as('total'))
      .where('customer_id', '=', customerId)
      .where('jst_date', '=', jstDate)
      .executeTakeFirstOrThrow();
    return Number(r.total);
  }

  /** A customer's transfers, newest first. */
  async transfers(customerId: number, limit = 20): Promise<BankTransfer[]> {
    return this.db
      .selectFrom('bank_transfers')
      .selectAll()
      .where('customer_id', '=', customerId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  /**
   * Sends a transfer in one transaction: the day's total stays within `limit` and the balance
   * covers amount plus fee, checked and written under the write lock (BEGIN IMMEDIATE on
   * SQLite, the customer's row locked on PostgreSQL), so parallel transfers cannot both pass.
   */
  async transfer(t: NewTransfer & { limit: number }): Promise<TransferOutcome> {
    return this.writeTransaction(async (trx) => {
      if (this.dialect === 'postgres') {
        await trx
          .selectFrom('bank_customers')
          .select('id')
          .where('id', '=', t.customer_id)
          .forUpdate()
          .execute();
      }
      const sent = await trx
        .selectFrom('bank_transfers')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.val(0)).as('total'))
        .where('customer_id', '=', t.customer_id)
        .where('jst_date', '=', t.jst_date)
        .executeTakeFirstOrThrow();
      if (Number(sent.total) + t.amount > t.limit) return { ok: false, reason: 'limit' } as const;
      const debit = await trx
        .updateTable('bank_accounts')
        .set((eb) => ({ balance: eb('balance', '-', t.amount + t.fee) }))
        .where('id', '=', t.account_id)
        .where('customer_id', '=', t.customer_id)
        .where('balance', '>=', t.amount + t.fee)
        .executeTakeFirst();
      if (Number(debit.numUpdatedRows) !== 1) return { ok: false, reason: 'balance' } as const;
      const { limit: _l, ...row } = t;
      const r = await trx
        .insertInto('bank_transfers')
        .values(row)
        .returning('id')
        .executeTakeFirstOrThrow();
      return { ok: true, id: Number(r.id) } as const;
    });
  }

  /** One write transaction; SQLite takes the write lock first (another process may be writing). */
  private async writeTransaction<T>(fn: (trx: Kysely<BankDatabase>) => Promise<T>): Promise<T> {
    if (this.dialect === 'postgres') return this.db.transaction().execute(fn);
    return this.db.connection().execute(async (conn) => {
      await sql`BEGIN IMMEDIATE`.execute(conn);
      try {
        const out = await fn(conn);
        await sql`COMMIT`.execute(conn);
        return out;
      } catch (e) {
        await sql`ROLLBACK`.execute(conn);
        throw e;
      }
    });
  }

  // ── sessions ─────────────────────────────────────────────────────────────

  async createSession(row: Omit<SessionRow, 'version'>): Promise<void> {
    await this.db
      .insertInto('bank_sessions')
      .values({
        id_hash: row.idHash,
        customer_id: row.customerId,
        data: row.data,
        version: 1,
        created_at: row.createdAt,
        last_seen_at: row.lastSeenAt,
      })
      .execute();
  }

  async session(idHash: string): Promise<SessionRow | null> {
    const r = await this.db
      .selectFrom('bank_sessions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .executeTakeFirst();
    return r === undefined
      ? null
      : {
          idHash: r.id_hash,
          customerId: Number(r.customer_id),
          data: r.data,
          version: r.version,
          createdAt: Number(r.created_at),
          lastSeenAt: Number(r.last_seen_at),
        };
  }

  /**
   * Saves a session's data if nobody else saved it since `version` was read (compare-and-set).
   * This is what makes a double-submitted form harmless: only one request moves a step on.
   */
  async saveSession(idHash: string, version: number, data: string, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('bank_sessions')
      .set({ data, version: version + 1, last_seen_at: now })
      .where('id_hash', '=', idHash)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async touchSession(idHash: string, now: number): Promise<void> {
    await this.db
      .updateTable('bank_sessions')
      .set({ last_seen_at: now })
      .where('id_hash', '=', idHash)
      .execute();
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('bank_sessions').where('id_hash', '=', idHash).execute();
  }

  /**
   * Removes 電話番号認証 checks that expired before `before` (they hold the customer's phone
   * number, and a flow waits on one for 120 s at most).
   */
  async purgePhoneChecks(before: number): Promise<number> {
    const r = await this.db
      .deleteFrom('bank_phone_checks')
      .where('expires_at', '<', before)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** Removes sessions idle since before `before`. */
  async purgeSessions(before: number): Promise<number> {
    const r = await this.db
      .deleteFrom('bank_sessions')
      .where('last_seen_at', '<', before)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
