import type { Kysely, Migration } from 'kysely';
import type { DialectName } from './index.js';

/**
 * 007: passkeys of 生体認証ログイン (guide 000, STEP 5) and their challenges. A credential ID is
 * unique per bank; only the public key is kept (WebAuthn §6.1 credential record). A challenge row
 * lives until it is used (deleted by one conditional DELETE: single use across servers) or expires.
 */
export function passkeysMigration(dialect: DialectName): Migration {
  const bigint = dialect === 'sqlite' ? 'integer' : 'bigint';
  const id = dialect === 'sqlite' ? 'integer' : 'bigserial';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('passkeys')
        .addColumn('id', id, (c) =>
          dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
        .addColumn('service_id', 'text', (c) => c.notNull().references('tenants.service_id'))
        .addColumn('customer_id', bigint, (c) => c.notNull().references('customers.id'))
        .addColumn('credential_id', 'text', (c) => c.notNull())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('sign_count', bigint, (c) => c.notNull())
        .addColumn('transports', 'text', (c) => c.notNull())
        .addColumn('device_name', 'text', (c) => c.notNull())
        .addColumn('created_at', bigint, (c) => c.notNull())
        .addColumn('last_used_at', bigint)
        .addColumn('token_id', bigint)
        .addUniqueConstraint('passkeys_service_credential', ['service_id', 'credential_id'])
        .execute();
      await db.schema
        .createIndex('passkeys_customer')
        .on('passkeys')
        .column('customer_id')
        .execute();
      await db.schema.createIndex('passkeys_token').on('passkeys').column('token_id').execute();
      await db.schema
        .createTable('passkey_challenges')
        .addColumn('challenge', 'text', (c) => c.primaryKey())
        .addColumn('service_id', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('customer_id', bigint)
        .addColumn('created_at', bigint, (c) => c.notNull())
        .addColumn('expires_at', bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('passkey_challenges_expiry')
        .on('passkey_challenges')
        .column('expires_at')
        .execute();
    },
  };
}
