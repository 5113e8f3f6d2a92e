import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely, Selectable } from 'kysely';
import type { HardwareBinding, HardwareStockRecord, NewHardwareStock } from '../core/index.js';
import type { HashAlgorithm } from '../core/otp/index.js';
import type { Database } from './schema.js';

/** Rows per INSERT: well inside SQLite's limit of bound parameters. */
const CHUNK = 500;

function toRecord(r: Selectable<Database['hardware_stock']>): HardwareStockRecord {
  return {
    id: Number(r.id),
    serviceId: r.service_id,
    serial: r.serial,
    kind: r.kind as HardwareStockRecord['kind'],
    algorithm: r.algorithm as HashAlgorithm,
    digits: r.digits,
    period: r.period,
    counter: Number(r.counter),
    sealedSecret: r.sealed_secret,
    validFrom: r.valid_from === null ? null : Number(r.valid_from),
    validUntil: r.valid_until === null ? null : Number(r.valid_until),
    state: r.state as HardwareStockRecord['state'],
    tokenId: r.token_id === null ? null : Number(r.token_id),
    batch: r.batch,
    importedAt: Number(r.imported_at),
  };
}

/** The hardware stock's part of the store (KyselyStore delegates here). */
export const hardwareStockStore = {
  async existingSerials(db: Kysely<Database>, serviceId: string, serials: readonly string[]) {
    const found: string[] = [];
    for (let i = 0; i < serials.length; i += CHUNK) {
      const rows = await db
        .selectFrom('hardware_stock')
        .select('serial')
        .where('service_id', '=', serviceId)
        .where('serial', 'in', serials.slice(i, i + CHUNK))
        .execute();
      for (const r of rows) found.push(r.serial);
    }
    return found;
  },

  async insert(db: Kysely<Database>, rows: readonly NewHardwareStock[]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      // better-sqlite3 runs each statement synchronously: between chunks the event loop gets a
      // turn (requests are read, answers sent), so a large import never stops the server.
      if (i > 0) await nextTurn();
      await db
        .insertInto('hardware_stock')
        .values(
          rows.slice(i, i + CHUNK).map((r) => ({
            service_id: r.serviceId,
            serial: r.serial,
            kind: r.kind,
            algorithm: r.algorithm,
            digits: r.digits,
            period: r.period,
            counter: r.counter,
            sealed_secret: r.sealedSecret,
            valid_from: r.validFrom,
            valid_until: r.validUntil,
            state: 'stock',
            token_id: null,
            batch: r.batch,
            imported_at: r.importedAt,
          })),
        )
        .execute();
    }
  },

  async find(db: Kysely<Database>, serviceId: string, serial: string) {
    const r = await db
      .selectFrom('hardware_stock')
      .selectAll()
      .where('service_id', '=', serviceId)
      .where('serial', '=', serial)
      .executeTakeFirst();
    return r === undefined ? null : toRecord(r);
  },

  async bind(db: Kysely<Database>, b: HardwareBinding): Promise<boolean> {
    const item = await db
      .updateTable('hardware_stock')
      .set({ state: 'active', token_id: b.tokenId })
      .where('id', '=', b.stockId)
      // Unassigned stock, or the item staff shipped for this very token (発送済).
      .where((eb) =>
        eb.or([
          eb('state', '=', 'stock'),
          eb.and([eb('state', '=', 'shipped'), eb('token_id', '=', b.tokenId)]),
        ]),
      )
      .executeTakeFirst();
    if (Number(item.numUpdatedRows) !== 1) return false;
    const token = await db
      .updateTable('tokens')
      .set({
        state: 'active',
        serial: b.serial,
        sealed_secret: b.sealedSecret,
        algorithm: b.algorithm,
        digits: b.digits,
        period: b.period,
        activated_at: b.now,
        last_step: b.step,
        fail_count: 0,
        drift: b.drift,
        last_used_at: b.now,
        valid_from: b.validFrom,
        valid_until: b.validUntil,
      })
      .where('id', '=', b.tokenId)
      .where('state', '=', 'issued')
      .where('type', '=', 'hardware')
      .where('locked', '=', 0)
      .executeTakeFirst();
    return Number(token.numUpdatedRows) === 1;
  },

  async count(db: Kysely<Database>, serviceId: string) {
    const rows = await db
      .selectFrom('hardware_stock')
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .where('service_id', '=', serviceId)
      .groupBy('state')
      .execute();
    const out: Record<HardwareStockRecord['state'], number> = {
      stock: 0,
      shipped: 0,
      active: 0,
      ended: 0,
    };
    for (const r of rows) out[r.state as HardwareStockRecord['state']] = Number(r.n);
    return out;
  },

  async listSealed(db: Kysely<Database>, afterId: number, limit: number) {
    const rows = await db
      .selectFrom('hardware_stock')
      .select(['id', 'service_id', 'serial', 'sealed_secret'])
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      serviceId: r.service_id,
      serial: r.serial,
      sealedSecret: r.sealed_secret,
    }));
  },

  async updateSealed(db: Kysely<Database>, id: number, oldSealed: string, newSealed: string) {
    const r = await db
      .updateTable('hardware_stock')
      .set({ sealed_secret: newSealed })
      .where('id', '=', id)
      .where('sealed_secret', '=', oldSealed)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
};
