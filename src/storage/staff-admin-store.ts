import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * 行員管理's writes (issue 5): an 管理者 resets a staff member's authenticator app (the next
 * login enrols afresh), sets a temporary password (the next login changes it) or locks the
 * account; each ends the member's sessions at once.
 */
export const staffAdminStore = {
  async resetTotp(db: Kysely<Database>, staffId: number): Promise<boolean> {
    const r = await db
      .updateTable('staff')
      .set({ totp_sealed: null, totp_confirmed: 0, totp_last_step: null })
      .where('id', '=', staffId)
      .executeTakeFirst();
    await db.deleteFrom('staff_sessions').where('staff_id', '=', staffId).execute();
    return Number(r.numUpdatedRows) === 1;
  },

  async resetPassword(
    db: Kysely<Database>,
    staffId: number,
    hash: string,
    now: number,
  ): Promise<boolean> {
    const r = await db
      .updateTable('staff')
      .set({ password_hash: hash, password_change_required: 1, password_changed_at: now })
      .where('id', '=', staffId)
      .executeTakeFirst();
    await db.deleteFrom('staff_sessions').where('staff_id', '=', staffId).execute();
    return Number(r.numUpdatedRows) === 1;
  },

  async lock(db: Kysely<Database>, staffId: number, now: number): Promise<boolean> {
    const r = await db
      .updateTable('staff')
      .set({ locked_at: now })
      .where('id', '=', staffId)
      .where('locked_at', 'is', null)
      .executeTakeFirst();
    await db.deleteFrom('staff_sessions').where('staff_id', '=', staffId).execute();
    return Number(r.numUpdatedRows) === 1;
  },
};
