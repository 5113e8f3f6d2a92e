import type { Kysely, Migration } from 'kysely';
import type { DialectName } from './index.js';

/**
 * 008: the token app's Web Push subscriptions (issue 7 item 3). One row per token and endpoint;
 * removed when the app unsubscribes, when the push service answers 404/410 (RFC 8030 §7.3), and
 * when the token ends.
 */
export function pushSubscriptionsMigration(dialect: DialectName): Migration {
  const bigint = dialect === 'sqlite' ? 'integer' : 'bigint';
  const id = dialect === 'sqlite' ? 'integer' : 'bigserial';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('push_subscriptions')
        .addColumn('id', id, (c) =>
          dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
        .addColumn('token_id', bigint, (c) => c.notNull().references('tokens.id'))
        .addColumn('endpoint', 'text', (c) => c.notNull())
        .addColumn('p256dh', 'text', (c) => c.notNull())
        .addColumn('auth', 'text', (c) => c.notNull())
        .addColumn('created_at', bigint, (c) => c.notNull())
        .addColumn('last_success_at', bigint)
        .addColumn('last_failure_at', bigint)
        .addUniqueConstraint('push_subscriptions_token_endpoint', ['token_id', 'endpoint'])
        .execute();
    },
  };
}
