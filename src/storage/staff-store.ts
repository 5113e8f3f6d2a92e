import { sql, type Kysely, type Selectable } from 'kysely';
import type {
  NewStaff,
  StaffRecord,
  StaffRole,
  StaffSessionRow,
  StaffSessionStore,
} from '../core/index.js';
import type { Database } from './schema.js';

type StaffRow = Selectable<Database['staff']>;

function numOrNull(v: number | string | null): number | null {
  return v === null ? null : Number(v);
}

function toStaff(r: StaffRow): StaffRecord {
  return {
    id: Number(r.id),
    serviceId: r.service_id,
    loginId: r.login_id,
    name: r.name,
    role: r.role as StaffRole,
    passwordHash: r.password_hash,
    sealedTotpSecret: r.totp_sealed,
    totpConfirmed: Number(r.totp_confirmed) === 1,
    lastTotpStep: numOrNull(r.totp_last_step),
    failedLogins: Number(r.failed_logins),
    lockedAt: numOrNull(r.locked_at),
    createdAt: Number(r.created_at),
    lastLoginAt: numOrNull(r.last_login_at),
    passwordChangeRequired: Number(r.password_change_required) === 1,
  };
}

/**
 * The admin console's staff in the `staff` table (migration 004); KyselyStore delegates here.
 * The TOTP methods are single conditional statements, like the tokens' own: single use and the
 * lock hold across server processes.
 */
export const staffStore = {
  async insert(db: Kysely<Database>, s: NewStaff): Promise<StaffRecord> {
    const r = await db
      .insertInto('staff')
      .values({
        service_id: s.serviceId,
        login_id: s.loginId,
        name: s.name,
        role: s.role,
        password_hash: s.passwordHash,
        totp_sealed: null,
        totp_last_step: null,
        locked_at: null,
        created_at: s.createdAt,
        last_login_at: null,
        password_change_required: s.passwordChangeRequired ? 1 : 0,
        password_changed_at: s.createdAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toStaff(r);
  },

  async get(db: Kysely<Database>, staffId: number): Promise<StaffRecord | null> {
    const r = await db.selectFrom('staff').selectAll().where('id', '=', staffId).executeTakeFirst();
    return r === undefined ? null : toStaff(r);
  },

  async byLoginId(db: Kysely<Database>, loginId: string): Promise<StaffRecord | null> {
    const r = await db
      .selectFrom('staff')
      .selectAll()
      .where('login_id', '=', loginId)
      .executeTakeFirst();
    return r === undefined ? null : toStaff(r);
  },

  async list(db: Kysely<Database>, serviceId: string): Promise<StaffRecord[]> {
    const rows = await db
      .selectFrom('staff')
      .selectAll()
      .where('service_id', '=', serviceId)
      .orderBy('login_id')
      .execute();
    return rows.map(toStaff);
  },

  /**
   * The staff member's own new password, replacing `previousHash` only (compare-and-set: of two
   * changes at once one wins); no change is required any more, and the member's sessions end.
   */
  async setPassword(
    db: Kysely<Database>,
    staffId: number,
    previousHash: string,
    hash: string,
    now: number,
  ): Promise<boolean> {
    const r = await db
      .updateTable('staff')
      .set({ password_hash: hash, password_change_required: 0, password_changed_at: now })
      .where('id', '=', staffId)
      .where('password_hash', '=', previousHash)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    // Every session of the member ends (one stolen before the change does not outlive it).
    await db.deleteFrom('staff_sessions').where('staff_id', '=', staffId).execute();
    return true;
  },

  async setTotpSecret(db: Kysely<Database>, staffId: number, sealed: string): Promise<boolean> {
    const r = await db
      .updateTable('staff')
      .set({ totp_sealed: sealed, totp_last_step: null })
      .where('id', '=', staffId)
      .where('totp_confirmed', '=', 0)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async confirmTotp(
    db: Kysely<Database>,
    staffId: number,
    sealed: string,
    step: number,
    now: number,
  ): Promise<boolean> {
    const r = await db
      .updateTable('staff')
      .set({
        totp_confirmed: 1,
        totp_last_step: step,
        failed_logins: 0,
        last_login_at: now,
      })
      .where('id', '=', staffId)
      .where('totp_sealed', '=', sealed)
      .where('totp_confirmed', '=', 0)
      .where('locked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async consumeStep(
    db: Kysely<Database>,
    staffId: number,
    step: number,
    now: number,
  ): Promise<boolean> {
    // 「一度使用したワンタイムパスワードは無効」 for staff too: the step only above the last one.
    const r = await db
      .updateTable('staff')
      .set({ totp_last_step: step, failed_logins: 0, last_login_at: now })
      .where('id', '=', staffId)
      .where('totp_confirmed', '=', 1)
      .where('locked_at', 'is', null)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async recordFailure(
    db: Kysely<Database>,
    staffId: number,
    threshold: number,
    now: number,
  ): Promise<{ failedLogins: number; locked: boolean }> {
    // Counted and decided in one statement: concurrent wrong codes never lose an increment.
    const r = await db
      .updateTable('staff')
      .set({
        failed_logins: sql<number>`failed_logins + 1`,
        locked_at: sql<
          number | null
        >`CASE WHEN locked_at IS NULL AND failed_logins + 1 >= ${threshold} THEN ${now} ELSE locked_at END`,
      })
      .where('id', '=', staffId)
      .returning(['failed_logins', 'locked_at'])
      .executeTakeFirst();
    if (r === undefined) throw new Error(`staff ${staffId} not found`);
    return { failedLogins: Number(r.failed_logins), locked: r.locked_at !== null };
  },

  async unlock(db: Kysely<Database>, staffId: number): Promise<boolean> {
    const r = await db
      .updateTable('staff')
      .set({ failed_logins: 0, locked_at: null })
      .where('id', '=', staffId)
      .where((eb) => eb.or([eb('locked_at', 'is not', null), eb('failed_logins', '>', 0)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async listSealed(db: Kysely<Database>, afterId: number, limit: number) {
    const rows = await db
      .selectFrom('staff')
      .select(['id', 'login_id', 'totp_sealed'])
      .where('id', '>', afterId)
      .where('totp_sealed', 'is not', null)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      loginId: r.login_id,
      sealedSecret: r.totp_sealed ?? '',
    }));
  },

  async updateSealed(
    db: Kysely<Database>,
    staffId: number,
    oldSealed: string,
    newSealed: string,
  ): Promise<boolean> {
    const r = await db
      .updateTable('staff')
      .set({ totp_sealed: newSealed })
      .where('id', '=', staffId)
      .where('totp_sealed', '=', oldSealed)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** Customer ids of the bank matching the query by reference or by a token's identifiers. */
  async searchCustomerIds(
    db: Kysely<Database>,
    serviceId: string,
    query: string,
    limit: number,
  ): Promise<number[]> {
    const byRef = await db
      .selectFrom('customers')
      .select('id')
      .where('service_id', '=', serviceId)
      .where('ref', '=', query)
      .execute();
    const byToken = await db
      .selectFrom('tokens')
      .select('customer_id')
      .distinct()
      .where('service_id', '=', serviceId)
      .where((eb) =>
        eb.or([
          eb('user_id', '=', query),
          eb('serial', '=', query),
          eb(sql<string>`lower(email)`, '=', query.toLowerCase()),
        ]),
      )
      .orderBy('customer_id')
      .limit(limit)
      .execute();
    const ids = new Set<number>([
      ...byRef.map((r) => Number(r.id)),
      ...byToken.map((r) => Number(r.customer_id)),
    ]);
    return [...ids].slice(0, limit);
  },
};

/** The admin console's sessions in `staff_sessions` (migration 004). */
export function createStaffSessionStore(db: Kysely<Database>): StaffSessionStore {
  return {
    async createStaffSession(row) {
      await db
        .insertInto('staff_sessions')
        .values({
          id_hash: row.idHash,
          staff_id: row.staffId,
          version: 1,
          data: row.data,
          created_at: row.createdAt,
          last_seen_at: row.lastSeenAt,
        })
        .execute();
    },
    async getStaffSession(idHash): Promise<StaffSessionRow | null> {
      const r = await db
        .selectFrom('staff_sessions')
        .selectAll()
        .where('id_hash', '=', idHash)
        .executeTakeFirst();
      if (r === undefined) return null;
      return {
        idHash: r.id_hash,
        staffId: Number(r.staff_id),
        version: Number(r.version),
        data: r.data,
        createdAt: Number(r.created_at),
        lastSeenAt: Number(r.last_seen_at),
      };
    },
    async saveStaffSession(idHash, version, data, now) {
      const r = await db
        .updateTable('staff_sessions')
        .set({ data, version: version + 1, last_seen_at: now })
        .where('id_hash', '=', idHash)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async touchStaffSession(idHash, now) {
      await db
        .updateTable('staff_sessions')
        .set({ last_seen_at: now })
        .where('id_hash', '=', idHash)
        .execute();
    },
    async deleteStaffSession(idHash) {
      await db.deleteFrom('staff_sessions').where('id_hash', '=', idHash).execute();
    },
    async purgeStaffSessions(before) {
      const r = await db
        .deleteFrom('staff_sessions')
        .where('last_seen_at', '<', before)
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
