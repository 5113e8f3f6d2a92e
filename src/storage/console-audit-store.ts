import type { Kysely } from 'kysely';
import type { AuditEvent, AuditSearch } from '../core/index.js';
import type { Database } from './schema.js';

const n = (v: number | string | bigint): number => (typeof v === 'number' ? v : Number(v));

/**
 * The console's reading of the audit trail and the tokens (issue 5): search with filters and
 * keyset paging (newest first, `beforeId`), counts for the dashboard. KyselyStore delegates here.
 */
export const consoleAuditStore = {
  async search(
    db: Kysely<Database>,
    serviceId: string,
    f: AuditSearch,
  ): Promise<(AuditEvent & { id: number })[]> {
    let q = db.selectFrom('audit_events').selectAll().where('service_id', '=', serviceId);
    if (f.customerRef !== undefined) q = q.where('customer_ref', '=', f.customerRef);
    if (f.actor !== undefined) q = q.where('actor', '=', f.actor);
    if (f.action !== undefined) q = q.where('action', '=', f.action);
    if (f.from !== undefined) q = q.where('at', '>=', f.from);
    if (f.to !== undefined) q = q.where('at', '<', f.to);
    if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
    const rows = await q.orderBy('id', 'desc').limit(f.limit).execute();
    return rows.map((r) => ({
      id: n(r.id),
      serviceId: r.service_id,
      at: n(r.at),
      actor: r.actor,
      action: r.action,
      customerRef: r.customer_ref,
      tokenId: r.token_id === null ? null : n(r.token_id),
      result: r.result,
      detail: JSON.parse(r.detail) as AuditEvent['detail'],
      clientIp: r.client_ip,
    }));
  },

  async count(
    db: Kysely<Database>,
    serviceId: string,
    f: { actions: readonly string[]; results?: readonly string[]; since: number },
  ): Promise<number> {
    let q = db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('service_id', '=', serviceId)
      .where('at', '>=', f.since)
      .where('action', 'in', f.actions);
    if (f.results !== undefined) q = q.where('result', 'in', f.results);
    return n((await q.executeTakeFirstOrThrow()).n);
  },

  async tokensByState(db: Kysely<Database>, serviceId: string): Promise<Record<string, number>> {
    const rows = await db
      .selectFrom('tokens')
      .select(['state', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('service_id', '=', serviceId)
      .groupBy('state')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.state, n(r.n)]));
  },

  async lockedTokens(db: Kysely<Database>, serviceId: string): Promise<number> {
    const r = await db
      .selectFrom('tokens')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('service_id', '=', serviceId)
      .where('locked', '=', 1)
      .where('state', '!=', 'ended')
      .executeTakeFirstOrThrow();
    return n(r.n);
  },

  async issuedSince(
    db: Kysely<Database>,
    serviceId: string,
    since: number,
  ): Promise<Record<string, number>> {
    const rows = await db
      .selectFrom('tokens')
      .select(['type', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('service_id', '=', serviceId)
      .where('issued_at', '>=', since)
      .groupBy('type')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.type, n(r.n)]));
  },
};
