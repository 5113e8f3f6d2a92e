import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { paperRequestsAndShipping } from './005_paper_requests_and_shipping.js';
import { transactions } from './006_transactions.js';
import { passkeysMigration } from './007_passkeys.js';
import { pushSubscriptionsMigration } from './008_push_subscriptions.js';
import { housekeepingIndexesMigration } from './009_housekeeping_indexes.js';
import { staffPasswordChangeMigration } from './010_staff_password_change.js';
import { auditTokenIndexMigration } from './011_audit_token_index.js';

/** Which SQL dialect a migration writes for (identity columns differ). */
export type DialectName = 'sqlite' | 'postgres';

function idColumn(dialect: DialectName): 'integer' | 'bigserial' {
  return dialect === 'sqlite' ? 'integer' : 'bigserial';
}

/** 001: tenants, API keys, customers, tokens and the audit trail. */
function initial(dialect: DialectName): Migration {
  const bigint = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('tenants')
        .addColumn('service_id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('policy', 'text', (c) => c.notNull())
        .addColumn('created_at', bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('api_keys')
        .addColumn('key_id', 'text', (c) => c.primaryKey())
        .addColumn('service_id', 'text', (c) => c.notNull().references('tenants.service_id'))
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('created_at', bigint, (c) => c.notNull())
        .addColumn('revoked_at', bigint)
        .execute();
      await db.schema
        .createTable('customers')
        .addColumn('id', idColumn(dialect), (c) =>
          dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
        .addColumn('service_id', 'text', (c) => c.notNull().references('tenants.service_id'))
        .addColumn('ref', 'text', (c) => c.notNull())
        .addColumn('created_at', bigint, (c) => c.notNull())
        .addColumn('issuance_limit_reset_at', bigint)
        .addColumn('last_deactivated_at', bigint)
        .addUniqueConstraint('customers_service_ref', ['service_id', 'ref'])
        .execute();
      await db.schema
        .createTable('tokens')
        .addColumn('id', idColumn(dialect), (c) =>
          dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
        .addColumn('service_id', 'text', (c) => c.notNull().references('tenants.service_id'))
        .addColumn('customer_id', bigint, (c) => c.notNull().references('customers.id'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('serial', 'text')
        .addColumn('email', 'text')
        .addColumn('algorithm', 'text', (c) => c.notNull())
        .addColumn('digits', 'integer', (c) => c.notNull())
        .addColumn('period', 'integer', (c) => c.notNull())
        .addColumn('last_step', bigint)
        .addColumn('fail_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_at', bigint)
        .addColumn('drift', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('password_attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('password_hash', 'text')
        .addColumn('sealed_secret', 'text')
        .addColumn('issued_at', bigint, (c) => c.notNull())
        .addColumn('expires_at', bigint, (c) => c.notNull())
        .addColumn('provisioned_at', bigint)
        .addColumn('activated_at', bigint)
        .addColumn('valid_from', bigint)
        .addColumn('valid_until', bigint)
        .addColumn('last_used_at', bigint)
        .addColumn('replaces_token_id', bigint)
        .addColumn('ended_at', bigint)
        .addColumn('end_reason', 'text')
        .addUniqueConstraint('tokens_service_user', ['service_id', 'user_id'])
        .execute();
      await db.schema
        .createIndex('tokens_customer_state')
        .on('tokens')
        .columns(['customer_id', 'state'])
        .execute();
      await db.schema
        .createIndex('tokens_customer_issued')
        .on('tokens')
        .columns(['customer_id', 'issued_at'])
        .execute();
      await db.schema
        .createTable('audit_events')
        .addColumn('id', idColumn(dialect), (c) =>
          dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
        .addColumn('seq', bigint, (c) => c.unique())
        .addColumn('service_id', 'text')
        .addColumn('at', bigint, (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('customer_ref', 'text')
        .addColumn('token_id', bigint)
        .addColumn('result', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('client_ip', 'text')
        .addColumn('prev_hash', 'text')
        .addColumn('hash', 'text')
        .execute();
      await db.schema
        .createIndex('audit_unchained')
        .on('audit_events')
        .column('id')
        .where(sql.ref('seq'), 'is', null)
        .execute();
      await db.schema
        .createIndex('audit_customer')
        .on('audit_events')
        .columns(['service_id', 'customer_ref'])
        .execute();
      await db.schema.createIndex('audit_token').on('audit_events').column('token_id').execute();
    },
  };
}

/** 002: the development mail outbox (SPEC.md, "Messages": no SMTP configured, mails land here). */
function mailOutbox(dialect: DialectName): Migration {
  const bigint = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('mail_outbox')
        .addColumn('id', idColumn(dialect), (c) =>
          dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
        .addColumn('to_addr', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('created_at', bigint, (c) => c.notNull())
        .execute();
    },
  };
}

/**
 * 003: the bank's stock of hardware tokens (SPEC.md, "Hardware token"), imported from vendors'
 * PSKC files; a serial is unique per bank. Secrets sealed like the tokens' own.
 */
function hardwareStock(dialect: DialectName): Migration {
  const bigint = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('hardware_stock')
        .addColumn('id', idColumn(dialect), (c) =>
          dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
        .addColumn('service_id', 'text', (c) => c.notNull().references('tenants.service_id'))
        .addColumn('serial', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('algorithm', 'text', (c) => c.notNull())
        .addColumn('digits', 'integer', (c) => c.notNull())
        .addColumn('period', 'integer', (c) => c.notNull())
        .addColumn('counter', bigint, (c) => c.notNull())
        .addColumn('sealed_secret', 'text', (c) => c.notNull())
        .addColumn('valid_from', bigint)
        .addColumn('valid_until', bigint)
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('token_id', bigint)
        .addColumn('batch', 'text', (c) => c.notNull())
        .addColumn('imported_at', bigint, (c) => c.notNull())
        .addUniqueConstraint('hardware_stock_serial', ['service_id', 'serial'])
        .execute();
    },
  };
}

/**
 * 004: bank staff of the admin console and their sessions. A login ID is unique across the
 * platform (the login form asks for nothing else; the bank comes from the account). The TOTP
 * secret is sealed like the tokens' own; a session row holds the cookie's SHA-256 only.
 */
function staff(dialect: DialectName): Migration {
  const bigint = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('staff')
        .addColumn('id', idColumn(dialect), (c) =>
          dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
        .addColumn('service_id', 'text', (c) => c.notNull().references('tenants.service_id'))
        .addColumn('login_id', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('totp_sealed', 'text')
        .addColumn('totp_confirmed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('totp_last_step', bigint)
        .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_at', bigint)
        .addColumn('created_at', bigint, (c) => c.notNull())
        .addColumn('last_login_at', bigint)
        .execute();
      await db.schema.createIndex('staff_service').on('staff').column('service_id').execute();
      await db.schema
        .createTable('staff_sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('staff_id', bigint, (c) => c.notNull().references('staff.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('created_at', bigint, (c) => c.notNull())
        .addColumn('last_seen_at', bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('staff_sessions_seen')
        .on('staff_sessions')
        .column('last_seen_at')
        .execute();
      // Staff search a customer by a token's ユーザID, serial or e-mail (admin console).
      await db.schema
        .createIndex('tokens_service_serial')
        .on('tokens')
        .columns(['service_id', 'serial'])
        .execute();
      await db.schema
        .createIndex('tokens_service_email')
        .on('tokens')
        .expression(sql`service_id, lower(email)`)
        .execute();
    },
  };
}

/** The versioned migrations, in order; they run at start (Kysely's Migrator). */
export function migrationProvider(dialect: DialectName): MigrationProvider {
  return {
    async getMigrations() {
      return {
        '001_initial': initial(dialect),
        '002_mail_outbox': mailOutbox(dialect),
        '003_hardware_stock': hardwareStock(dialect),
        '004_staff': staff(dialect),
        '005_paper_requests_and_shipping': paperRequestsAndShipping(dialect),
        '006_transactions': transactions(dialect),
        '007_passkeys': passkeysMigration(dialect),
        '008_push_subscriptions': pushSubscriptionsMigration(dialect),
        '009_housekeeping_indexes': housekeepingIndexesMigration(),
        '010_staff_password_change': staffPasswordChangeMigration(dialect),
        '011_audit_token_index': auditTokenIndexMigration(),
      };
    },
  };
}
