import { sql, type Kysely, type Migration } from 'kysely';

/**
 * 011: the audit trail's index by token holds only the events that name no customer.
 *
 * Every verification appends an audit row, and each index on `audit_events` whose key is not in
 * the order rows arrive (by customer, by token) dirties one more page in a random place of the
 * file per verification: on SQLite one more page for the group commit to write to the WAL and for
 * the checkpoint to copy back (about 10 µs per verification, measured), on PostgreSQL one more
 * index entry for the insert and again for the chainer's update.
 *
 * The events of a token that name a customer are already found through `audit_customer`: a token
 * belongs to one customer for life, and an event that names a token names that token's customer
 * or none. Only the events that name none (provisioning by the app, hardware stock) need the token
 * index, so it keeps just those, and a verification, which always names its customer, no longer
 * touches it. `listAudit({ tokenId })` reads both ways (kysely-store.ts).
 */
export function auditTokenIndexMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.dropIndex('audit_token').execute();
      await db.schema
        .createIndex('audit_token_unreferenced')
        .on('audit_events')
        .column('token_id')
        .where(sql.ref('customer_ref'), 'is', null)
        .execute();
    },
  };
}
