import type { Kysely, Migration } from 'kysely';
import type { DialectName } from './index.js';

/**
 * 010: a staff member whose password another person set (an 管理者 adding them in the console)
 * must choose their own at the first login; and when each password was last set.
 */
export function staffPasswordChangeMigration(dialect: DialectName): Migration {
  const bigint = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('staff')
        .addColumn('password_change_required', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('staff').addColumn('password_changed_at', bigint).execute();
    },
  };
}
