import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from './index.js';

/**
 * 006: 取引認証 (SPEC.md, "Transaction authentication"). A transaction's ID is random (the
 * primary key, never a sequence). `offline_step` with `offline_question` is unique per token, so
 * an offline code (OCRA QN19-T1M) approves at most one transaction. `app_clocks` keeps the
 * last request time the token app proved per token: a replayed request is refused.
 * `customer_transaction_policies` holds a customer's own 取引認証 mode, over the tenant's.
 */
export function transactions(dialect: DialectName): Migration {
  const bigint = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('transactions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('service_id', 'text', (c) => c.notNull().references('tenants.service_id'))
        .addColumn('customer_id', bigint, (c) => c.notNull().references('customers.id'))
        .addColumn('customer_ref', 'text', (c) => c.notNull())
        .addColumn('token_id', bigint, (c) => c.notNull().references('tokens.id'))
        .addColumn('algorithm', 'text', (c) => c.notNull())
        .addColumn('payee_bank', 'text', (c) => c.notNull())
        .addColumn('payee_branch', 'text', (c) => c.notNull())
        .addColumn('payee_account', 'text', (c) => c.notNull())
        .addColumn('payee_name', 'text', (c) => c.notNull())
        .addColumn('amount', bigint, (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('challenge', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('created_at', bigint, (c) => c.notNull())
        .addColumn('expires_at', bigint, (c) => c.notNull())
        .addColumn('result_at', bigint)
        .addColumn('channel', 'text')
        .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('offline_question', 'text')
        .addColumn('offline_step', bigint)
        .execute();
      await db.schema
        .createIndex('transactions_token_state')
        .on('transactions')
        .columns(['token_id', 'state'])
        .execute();
      await db.schema
        .createIndex('transactions_offline_once')
        .on('transactions')
        .columns(['token_id', 'offline_question', 'offline_step'])
        .unique()
        .where(sql.ref('offline_step'), 'is not', null)
        .execute();
      await db.schema
        .createTable('app_clocks')
        .addColumn('token_id', bigint, (c) => c.primaryKey().references('tokens.id'))
        .addColumn('last_time', bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('customer_transaction_policies')
        .addColumn('customer_id', bigint, (c) => c.primaryKey().references('customers.id'))
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('amount', bigint)
        .addColumn('updated_at', bigint, (c) => c.notNull())
        .execute();
    },
  };
}
