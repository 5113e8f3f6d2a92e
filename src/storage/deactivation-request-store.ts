import type { Kysely, Selectable } from 'kysely';
import type {
  DeactivationDecision,
  DeactivationRequestRecord,
  DeactivationRequestState,
  NewDeactivationRequest,
} from '../core/index.js';
import type { Database } from './schema.js';

type Row = Selectable<Database['deactivation_requests']>;

const n = (v: number | string | bigint): number => (typeof v === 'number' ? v : Number(v));
const nOrNull = (v: number | string | bigint | null): number | null => (v === null ? null : n(v));

function toRecord(r: Row): DeactivationRequestRecord {
  return {
    id: n(r.id),
    serviceId: r.service_id,
    customerId: n(r.customer_id),
    customerRef: r.customer_ref,
    reason: r.reason,
    paperRef: r.paper_ref,
    state: r.state as DeactivationRequestState,
    requestedBy: n(r.requested_by),
    requestedAt: n(r.requested_at),
    decidedBy: nOrNull(r.decided_by),
    decidedAt: nOrNull(r.decided_at),
    decisionReason: r.decision_reason,
  };
}

/**
 * The four-eyes paper requests (migration 005); KyselyStore delegates here. A decision is one
 * conditional UPDATE on `state = 'pending'`: of two staff deciding at once, one wins.
 */
export const deactivationRequestStore = {
  async insert(
    db: Kysely<Database>,
    r: NewDeactivationRequest,
  ): Promise<DeactivationRequestRecord> {
    const row = await db
      .insertInto('deactivation_requests')
      .values({
        service_id: r.serviceId,
        customer_id: r.customerId,
        customer_ref: r.customerRef,
        reason: r.reason,
        paper_ref: r.paperRef,
        state: 'pending',
        requested_by: r.requestedBy,
        requested_at: r.requestedAt,
        decided_by: null,
        decided_at: null,
        decision_reason: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  },

  async get(db: Kysely<Database>, id: number): Promise<DeactivationRequestRecord | null> {
    const row = await db
      .selectFrom('deactivation_requests')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? null : toRecord(row);
  },

  async pendingOf(
    db: Kysely<Database>,
    customerId: number,
  ): Promise<DeactivationRequestRecord | null> {
    const row = await db
      .selectFrom('deactivation_requests')
      .selectAll()
      .where('customer_id', '=', customerId)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return row === undefined ? null : toRecord(row);
  },

  async list(
    db: Kysely<Database>,
    serviceId: string,
    filter: { pending: boolean; limit: number },
  ): Promise<DeactivationRequestRecord[]> {
    const rows = await db
      .selectFrom('deactivation_requests')
      .selectAll()
      .where('service_id', '=', serviceId)
      .where('state', filter.pending ? '=' : '<>', 'pending')
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .execute();
    return rows.map(toRecord);
  },

  async decide(db: Kysely<Database>, id: number, d: DeactivationDecision): Promise<boolean> {
    const r = await db
      .updateTable('deactivation_requests')
      .set({
        state: d.state,
        decided_by: d.decidedBy,
        decided_at: d.decidedAt,
        decision_reason: d.reason,
      })
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return n(r.numUpdatedRows) === 1;
  },
};
