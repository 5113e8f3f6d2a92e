import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { DialectName } from '../storage/migrations/index.js';

/** bank_001: customers, accounts, transfers and sessions of the demo bank. */
function initial(dialect: DialectName): Migration {
  const bigint = dialect === 'sqlite' ? 'integer' : 'bigint';
  const id = dialect === 'sqlite' ? 'integer' : 'bigserial';
  const pk = dialect === 'sqlite';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('bank_customers')
        .addColumn('id', id, (c) => (pk ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('login_id', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_kana', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('confirm_password_hash', 'text', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('postal_address', 'text', (c) => c.notNull())
        .addColumn('platform_ref', 'text', (c) => c.notNull().unique())
        .addColumn('daily_limit', bigint, (c) => c.notNull())
        .addColumn('mail_otp_email', 'text')
        .addColumn('security_question', 'text')
        .addColumn('security_answer_hash', 'text')
        .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('login_locked_at', bigint)
        .addColumn('last_login_at', bigint)
        .addColumn('created_at', bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('bank_accounts')
        .addColumn('id', id, (c) => (pk ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('customer_id', bigint, (c) => c.notNull().references('bank_customers.id'))
        .addColumn('branch_code', 'text', (c) => c.notNull())
        .addColumn('branch_name', 'text', (c) => c.notNull())
        .addColumn('account_type', 'text', (c) => c.notNull())
        .addColumn('account_number', 'text', (c) => c.notNull())
        .addColumn('balance', bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('bank_transfers')
        .addColumn('id', id, (c) => (pk ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('customer_id', bigint, (c) => c.notNull().references('bank_customers.id'))
        .addColumn('account_id', bigint, (c) => c.notNull().references('bank_accounts.id'))
        .addColumn('payee_bank', 'text', (c) => c.notNull())
        .addColumn('payee_branch', 'text', (c) => c.notNull())
        .addColumn('payee_account_type', 'text', (c) => c.notNull())
        .addColumn('payee_account', 'text', (c) => c.notNull())
        .addColumn('payee_name', 'text', (c) => c.notNull())
        .addColumn('amount', bigint, (c) => c.notNull())
        .addColumn('fee', bigint, (c) => c.notNull())
        .addColumn('auth', 'text', (c) => c.notNull())
        .addColumn('created_at', bigint, (c) => c.notNull())
        .addColumn('jst_date', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('bank_transfers_customer_day')
        .on('bank_transfers')
        .columns(['customer_id', 'jst_date'])
        .execute();
      await db.schema
        .createTable('bank_sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', bigint, (c) => c.notNull().references('bank_customers.id'))
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', bigint, (c) => c.notNull())
        .addColumn('last_seen_at', bigint, (c) => c.notNull())
        .execute();
    },
  };
}

/**
 * bank_002: 電話番号認証 (guide 000 STEP 1 ⑤): one row per screen shown, marked verified by the
 * telephony provider's inbound-call webhook.
 */
function phoneChecks(dialect: DialectName): Migration {
  const bigint = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('bank_phone_checks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', bigint, (c) => c.notNull().references('bank_customers.id'))
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('called', 'text', (c) => c.notNull())
        .addColumn('caller', 'text')
        .addColumn('created_at', bigint, (c) => c.notNull())
        .addColumn('expires_at', bigint, (c) => c.notNull())
        .addColumn('verified_at', bigint)
        .execute();
      // The webhook's UPDATE looks for a customer's pending checks.
      await db.schema
        .createIndex('bank_phone_checks_customer_status')
        .on('bank_phone_checks')
        .columns(['customer_id', 'status'])
        .execute();
      // …of the customers whose お届出電話番号 is the caller's.
      await db.schema
        .createIndex('bank_customers_phone')
        .on('bank_customers')
        .column('phone')
        .execute();
    },
  };
}

/** The bank's migrations, in order. */
export function bankMigrations(dialect: DialectName): MigrationProvider {
  return {
    getMigrations: async () => ({
      bank_001_initial: initial(dialect),
      bank_002_phone_checks: phoneChecks(dialect),
    }),
  };
}
