import { sql, type Kysely } from 'kysely';
import {
  hardwareLifeState,
  type EndReason,
  type HardwareLifeState,
  type HardwareShipment,
  type HardwareStockItemView,
  type HardwareWaiting,
} from '../core/index.js';
import type { Database } from './schema.js';

const n = (v: number | string | bigint): number => (typeof v === 'number' ? v : Number(v));
const nOrNull = (v: number | string | bigint | null): number | null => (v === null ? null : n(v));
type TokenState = 'issued' | 'provisioned' | 'active' | 'ended';

/**
 * The hardware lifecycle in the console (issue 5): requests waiting to be shipped, shipping
 * (one conditional UPDATE on the item and one on the token, in the caller's transaction),
 * the shipped list, the inventory by stage and a look-up by serial. KyselyStore delegates here.
 */
export const hardwareDeskStore = {
  async waiting(
    db: Kysely<Database>,
    serviceId: string,
    now: number,
    limit: number,
  ): Promise<HardwareWaiting[]> {
    const rows = await db
      .selectFrom('tokens as t')
      .innerJoin('customers as c', 'c.id', 't.customer_id')
      .select(['t.id', 'c.ref', 't.user_id', 't.issued_at', 't.expires_at'])
      .where('t.service_id', '=', serviceId)
      .where('t.type', '=', 'hardware')
      .where('t.state', '=', 'issued')
      .where('t.serial', 'is', null)
      // A lapsed request (期限切れ) is not shipped: the customer must ask again.
      .where('t.expires_at', '>', now)
      .orderBy('t.id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      tokenId: n(r.id),
      customerRef: r.ref,
      userId: r.user_id,
      issuedAt: n(r.issued_at),
      expiresAt: n(r.expires_at),
    }));
  },

  /** The first serial in stock (still valid), to suggest on the ship form. */
  async nextInStock(db: Kysely<Database>, serviceId: string, now: number): Promise<string | null> {
    const r = await db
      .selectFrom('hardware_stock')
      .select('serial')
      .where('service_id', '=', serviceId)
      .where('state', '=', 'stock')
      .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', now)]))
      .orderBy('serial')
      .limit(1)
      .executeTakeFirst();
    return r?.serial ?? null;
  },

  async ship(
    db: Kysely<Database>,
    s: { serviceId: string; tokenId: number; serial: string; now: number },
  ): Promise<'ok' | 'no_stock' | 'not_waiting'> {
    const item = await db
      .updateTable('hardware_stock')
      .set({ state: 'shipped', token_id: s.tokenId, shipped_at: s.now })
      .where('service_id', '=', s.serviceId)
      .where('serial', '=', s.serial)
      .where('state', '=', 'stock')
      .where('token_id', 'is', null)
      .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', s.now)]))
      .executeTakeFirst();
    if (n(item.numUpdatedRows) !== 1) return 'no_stock';
    const token = await db
      .updateTable('tokens')
      .set({ serial: s.serial })
      .where('id', '=', s.tokenId)
      .where('service_id', '=', s.serviceId)
      .where('type', '=', 'hardware')
      .where('state', '=', 'issued')
      .where('serial', 'is', null)
      .where('expires_at', '>', s.now)
      .executeTakeFirst();
    return n(token.numUpdatedRows) === 1 ? 'ok' : 'not_waiting';
  },

  async shipments(
    db: Kysely<Database>,
    serviceId: string,
    o: { tokenId?: number; from?: number; to?: number; limit: number },
  ): Promise<HardwareShipment[]> {
    let q = db
      .selectFrom('hardware_stock as s')
      .innerJoin('tokens as t', 't.id', 's.token_id')
      .innerJoin('customers as c', 'c.id', 't.customer_id')
      .select([
        't.id',
        'c.ref',
        't.user_id',
        's.serial',
        's.shipped_at',
        't.state',
        's.valid_until',
      ])
      .where('s.service_id', '=', serviceId)
      .where('s.shipped_at', 'is not', null);
    if (o.tokenId !== undefined) q = q.where('t.id', '=', o.tokenId);
    if (o.from !== undefined) q = q.where('s.shipped_at', '>=', o.from);
    if (o.to !== undefined) q = q.where('s.shipped_at', '<', o.to);
    const rows = await q
      .orderBy('s.shipped_at', 'desc')
      .orderBy('s.id', 'desc')
      .limit(o.limit)
      .execute();
    return rows.map((r) => ({
      tokenId: n(r.id),
      customerRef: r.ref,
      userId: r.user_id,
      serial: r.serial,
      shippedAt: n(r.shipped_at ?? 0),
      tokenState: r.state as TokenState,
      validUntil: nOrNull(r.valid_until),
    }));
  },

  async lifeCounts(
    db: Kysely<Database>,
    serviceId: string,
    now: number,
  ): Promise<Record<HardwareLifeState, number>> {
    const rows = await db
      .selectFrom('hardware_stock as s')
      .leftJoin('tokens as t', 't.id', 's.token_id')
      .select([
        's.state as ss',
        't.state as ts',
        't.end_reason as er',
        sql<number>`CASE WHEN s.valid_until IS NOT NULL AND s.valid_until <= ${now} THEN 1 ELSE 0 END`.as(
          'past',
        ),
        (eb) => eb.fn.countAll<number | string>().as('n'),
      ])
      .where('s.service_id', '=', serviceId)
      .groupBy(['s.state', 't.state', 't.end_reason', sql`4`])
      .execute();
    const out: Record<HardwareLifeState, number> = {
      stock: 0,
      shipped: 0,
      active: 0,
      ended: 0,
      expired: 0,
    };
    for (const r of rows) {
      const stage = hardwareLifeState({
        stockState: r.ss as HardwareStockItemView['stockState'],
        tokenState: (r.ts ?? null) as TokenState | null,
        endReason: (r.er ?? null) as EndReason | null,
        pastValidity: n(r.past) === 1,
      });
      out[stage] += n(r.n);
    }
    return out;
  },

  async findItem(
    db: Kysely<Database>,
    serviceId: string,
    serial: string,
    now: number,
  ): Promise<HardwareStockItemView | null> {
    const r = await db
      .selectFrom('hardware_stock as s')
      .leftJoin('tokens as t', 't.id', 's.token_id')
      .leftJoin('customers as c', 'c.id', 't.customer_id')
      .select([
        's.serial',
        's.kind',
        's.state as ss',
        's.batch',
        's.imported_at',
        's.shipped_at',
        's.valid_from',
        's.valid_until',
        't.state as ts',
        't.end_reason as er',
        't.activated_at',
        't.ended_at',
        'c.ref',
      ])
      .where('s.service_id', '=', serviceId)
      .where('s.serial', '=', serial)
      .executeTakeFirst();
    if (r === undefined) return null;
    const validUntil = nOrNull(r.valid_until);
    const stockState = r.ss as HardwareStockItemView['stockState'];
    return {
      serial: r.serial,
      kind: r.kind as 'totp' | 'hotp',
      stockState,
      stage: hardwareLifeState({
        stockState,
        tokenState: (r.ts ?? null) as TokenState | null,
        endReason: (r.er ?? null) as EndReason | null,
        pastValidity: validUntil !== null && validUntil <= now,
      }),
      batch: r.batch,
      importedAt: n(r.imported_at),
      shippedAt: nOrNull(r.shipped_at ?? null),
      validFrom: nOrNull(r.valid_from),
      validUntil,
      customerRef: r.ref ?? null,
      activatedAt: nOrNull(r.activated_at ?? null),
      endedAt: nOrNull(r.ended_at ?? null),
    };
  },
};
