import type { Kysely, Migration } from 'kysely';
import type { DialectName } from './index.js';

/**
 * 005 (issue 5's console): forced 利用解除 on a paper request (書面による手続き, guide 004) under
 * four eyes: one 管理者 records the request, a second approves it before it takes effect; a row
 * is decided once (`state` leaves `pending` by one conditional UPDATE). And the hardware
 * shipping (発送済): when staff assigned a stock item to a customer's request. And an index
 * for the audit search and the dashboard (a bank's events by time).
 */
export function paperRequestsAndShipping(dialect: DialectName): Migration {
  const bigint = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('deactivation_requests')
        .addColumn('id', dialect === 'sqlite' ? 'integer' : 'bigserial', (c) =>
          dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
        .addColumn('service_id', 'text', (c) => c.notNull().references('tenants.service_id'))
        .addColumn('customer_id', bigint, (c) => c.notNull().references('customers.id'))
        .addColumn('customer_ref', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('paper_ref', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('requested_by', bigint, (c) => c.notNull().references('staff.id'))
        .addColumn('requested_at', bigint, (c) => c.notNull())
        .addColumn('decided_by', bigint, (c) => c.references('staff.id'))
        .addColumn('decided_at', bigint)
        .addColumn('decision_reason', 'text')
        .execute();
      await db.schema
        .createIndex('deactivation_requests_service_state')
        .on('deactivation_requests')
        .columns(['service_id', 'state'])
        .execute();
      await db.schema
        .createIndex('deactivation_requests_customer')
        .on('deactivation_requests')
        .column('customer_id')
        .execute();
      await db.schema.alterTable('hardware_stock').addColumn('shipped_at', bigint).execute();
      // The console's audit search and dashboard read a bank's events by time.
      await db.schema
        .createIndex('audit_service_at')
        .on('audit_events')
        .columns(['service_id', 'at'])
        .execute();
    },
  };
}
