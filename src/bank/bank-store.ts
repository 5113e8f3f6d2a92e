import type { Kysely, Selectable } from 'kysely';
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

/** A new customer (hashes made by the caller). */
export type NewBankCustomer = Omit<
  BankCustomer,
  'id' | 'failed_logins' | 'login_locked_at' | 'last_login_at'
>;

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

  /** Removes sessions idle since before `before`. */
  async purgeSessions(before: number): Promise<number> {
    const r = await this.db
      .deleteFrom('bank_sessions')
      .where('last_seen_at', '<', before)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
