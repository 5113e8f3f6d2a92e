import type { Kysely, Migration } from 'kysely';

/**
 * 009: what the housekeeping sweep (services/housekeeping.ts) looks rows up by, so that it reads
 * only the rows it changes: pending 取引認証 transactions past their expiry, and the development
 * outbox by age.
 */
export function housekeepingIndexesMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('transactions_state_expires')
        .on('transactions')
        .columns(['state', 'expires_at'])
        .execute();
      await db.schema
        .createIndex('mail_outbox_created')
        .on('mail_outbox')
        .column('created_at')
        .execute();
    },
  };
}
