import { sql, type Kysely, type Selectable } from 'kysely';
import type {
  CustomerTransactionPolicy,
  NewTransaction,
  TransactionAuthMode,
  SettleTransaction,
  TransactionChannel,
  TransactionRecord,
  TransactionState,
} from '../core/index.js';
import type { HashAlgorithm } from '../core/otp/index.js';
import type { Database } from './schema.js';

type TransactionRow = Selectable<Database['transactions']>;

function toTransaction(r: TransactionRow): TransactionRecord {
  return {
    id: r.id,
    serviceId: r.service_id,
    customerId: Number(r.customer_id),
    customerRef: r.customer_ref,
    tokenId: Number(r.token_id),
    algorithm: r.algorithm as HashAlgorithm,
    payeeBank: r.payee_bank,
    payeeBranch: r.payee_branch,
    payeeAccount: r.payee_account,
    payeeName: r.payee_name,
    amount: Number(r.amount),
    currency: r.currency,
    challenge: r.challenge,
    state: r.state as TransactionState,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    resultAt: r.result_at === null ? null : Number(r.result_at),
    channel: r.channel as TransactionChannel | null,
    failures: Number(r.failures),
  };
}

function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * 取引認証's transactions (migration 006); KyselyStore delegates here. Every state change is one
 * conditional UPDATE on `state = 'pending'`, so of two concurrent approvals (or an approval and a
 * rejection) exactly one wins, across server processes.
 */
/** One conditional UPDATE out of pending, on the side of the expiry that `when` names. */
async function leavePending(
  db: Kysely<Database>,
  id: string,
  to: 'cancelled' | 'expired',
  when: '>' | '<=',
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('transactions')
    .set({ state: to, result_at: now })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where('expires_at', when, now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export const transactionStore = {
  async insert(db: Kysely<Database>, t: NewTransaction): Promise<void> {
    await db
      .insertInto('transactions')
      .values({
        id: t.id,
        service_id: t.serviceId,
        customer_id: t.customerId,
        customer_ref: t.customerRef,
        token_id: t.tokenId,
        algorithm: t.algorithm,
        payee_bank: t.payeeBank,
        payee_branch: t.payeeBranch,
        payee_account: t.payeeAccount,
        payee_name: t.payeeName,
        amount: t.amount,
        currency: t.currency,
        challenge: t.challenge,
        state: 'pending',
        created_at: t.createdAt,
        expires_at: t.expiresAt,
        result_at: null,
        channel: null,
        offline_question: null,
        offline_step: null,
      })
      .execute();
  },

  async get(
    db: Kysely<Database>,
    serviceId: string,
    id: string,
  ): Promise<TransactionRecord | null> {
    const r = await db
      .selectFrom('transactions')
      .selectAll()
      .where('id', '=', id)
      .where('service_id', '=', serviceId)
      .executeTakeFirst();
    return r === undefined ? null : toTransaction(r);
  },

  async pending(db: Kysely<Database>, tokenId: number, now: number): Promise<TransactionRecord[]> {
    const rows = await db
      .selectFrom('transactions')
      .selectAll()
      .where('token_id', '=', tokenId)
      .where('state', '=', 'pending')
      .where('expires_at', '>', now)
      .orderBy('created_at')
      .orderBy('id')
      .limit(10)
      .execute();
    return rows.map(toTransaction);
  },

  /** Pending transactions whose expiry has passed, oldest expiry first (index 009). */
  async overdue(db: Kysely<Database>, now: number, limit: number): Promise<TransactionRecord[]> {
    const rows = await db
      .selectFrom('transactions')
      .selectAll()
      .where('state', '=', 'pending')
      .where('expires_at', '<=', now)
      .orderBy('expires_at')
      .limit(limit)
      .execute();
    return rows.map(toTransaction);
  },

  async settle(db: Kysely<Database>, s: SettleTransaction): Promise<boolean> {
    try {
      const r = await db
        .updateTable('transactions')
        .set({
          state: s.to,
          result_at: s.now,
          channel: s.channel,
          offline_question: s.offlineQuestion ?? null,
          offline_step: s.offlineStep ?? null,
        })
        .where('id', '=', s.id)
        .where('state', '=', 'pending')
        .where('expires_at', '>', s.now)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    } catch (e) {
      // The same offline code (token, question, time step) approved another transaction first.
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  },

  /** pending → cancelled while still before its expiry. */
  cancel: (db: Kysely<Database>, id: string, now: number) =>
    leavePending(db, id, 'cancelled', '>', now),

  /** pending → expired once its expiry has passed. */
  expire: (db: Kysely<Database>, id: string, now: number) =>
    leavePending(db, id, 'expired', '<=', now),

  async recordFailure(
    db: Kysely<Database>,
    id: string,
    max: number,
    now: number,
  ): Promise<{ failures: number; failed: boolean } | null> {
    // Counted and decided in one statement (like the tokens' 閉塞).
    const r = await db
      .updateTable('transactions')
      .set({
        failures: sql<number>`failures + 1`,
        state: sql<string>`CASE WHEN failures + 1 >= ${max} THEN 'failed' ELSE state END`,
        result_at: sql<
          number | null
        >`CASE WHEN failures + 1 >= ${max} THEN ${now} ELSE result_at END`,
      })
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .returning(['failures', 'state'])
      .executeTakeFirst();
    return r === undefined ? null : { failures: Number(r.failures), failed: r.state === 'failed' };
  },

  async fail(db: Kysely<Database>, id: string, now: number): Promise<boolean> {
    const r = await db
      .updateTable('transactions')
      .set({ state: 'failed', result_at: now })
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async advanceAppClock(db: Kysely<Database>, tokenId: number, time: number): Promise<boolean> {
    // One statement: insert the first time, else move forward only (a replay or an older request
    // updates nothing).
    const r = await db
      .insertInto('app_clocks')
      .values({ token_id: tokenId, last_time: time })
      .onConflict((oc) =>
        oc
          .column('token_id')
          .doUpdateSet({ last_time: (eb) => eb.ref('excluded.last_time') })
          .where('app_clocks.last_time', '<', time),
      )
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  },

  async clearOtpFailures(db: Kysely<Database>, tokenId: number): Promise<void> {
    await db
      .updateTable('tokens')
      .set({ fail_count: 0 })
      .where('id', '=', tokenId)
      .where('locked', '=', 0)
      .where('fail_count', '>', 0)
      .execute();
  },

  async getCustomerPolicy(
    db: Kysely<Database>,
    customerId: number,
  ): Promise<CustomerTransactionPolicy | null> {
    const r = await db
      .selectFrom('customer_transaction_policies')
      .selectAll()
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    return r === undefined
      ? null
      : {
          transactionAuth: r.mode as TransactionAuthMode,
          transactionAuthAmount: r.amount === null ? null : Number(r.amount),
        };
  },

  async setCustomerPolicy(
    db: Kysely<Database>,
    customerId: number,
    policy: CustomerTransactionPolicy | null,
    now: number,
  ): Promise<void> {
    if (policy === null) {
      await db
        .deleteFrom('customer_transaction_policies')
        .where('customer_id', '=', customerId)
        .execute();
      return;
    }
    const row = {
      customer_id: customerId,
      mode: policy.transactionAuth,
      amount: policy.transactionAuthAmount,
      updated_at: now,
    };
    await db
      .insertInto('customer_transaction_policies')
      .values(row)
      .onConflict((oc) =>
        oc
          .column('customer_id')
          .doUpdateSet({ mode: row.mode, amount: row.amount, updated_at: now }),
      )
      .execute();
  },
};
