import { checkStaffPassword, InkanError, type StaffRecord, type Store } from '../core/index.js';
import { auditEvent, type ServiceDeps } from './deps.js';
import { authorizeStaff } from './staff-authorize.js';
import { createStaffAccounts, staffContext, type StaffCaller, type StaffView } from './staff.js';

/**
 * 行員管理 for the bank's 管理者 (issue 5): add a staff member (as `inkan staff create`), reset
 * a member's authenticator app (lost phone: the next login enrols a new one), lock an account.
 * Only within the 管理者's bank (another bank's staff is NOT_FOUND), never on oneself (a
 * 管理者 cannot lock themselves out); every step audited.
 */
export function createStaffAdmin(deps: ServiceDeps) {
  const accounts = createStaffAccounts(deps);

  const target = async (me: StaffRecord, staffId: number): Promise<StaffRecord> => {
    const t = Number.isSafeInteger(staffId) ? await deps.store.getStaff(staffId) : null;
    if (t === null || t.serviceId !== me.serviceId)
      throw new InkanError('NOT_FOUND', { resource: 'staff' });
    if (t.id === me.id) throw new InkanError('FORBIDDEN', { reason: 'self' });
    return t;
  };

  /**
   * One 行員管理 action on member `t` by `me`: its write and its audit event (`result` from what
   * the write answered) in one transaction; then the member as they are now.
   */
  const actOn = async (
    me: StaffRecord,
    caller: StaffCaller,
    t: StaffRecord,
    action: string,
    write: (tx: Store) => Promise<boolean>,
    result: (changed: boolean) => string = () => 'ok',
  ): Promise<StaffView> => {
    await deps.store.transaction(async (tx) => {
      const changed = await write(tx);
      await tx.appendAudit(
        auditEvent(deps, staffContext(me, caller.clientIp), {
          action,
          result: result(changed),
          detail: { staffId: t.id, loginId: t.loginId, by: me.id },
        }),
      );
    });
    deps.auditWritten();
    const after = await accounts.get(t.id);
    if (after === null) throw new InkanError('NOT_FOUND', { resource: 'staff' });
    return after;
  };

  return {
    /** A new staff member of the 管理者's bank, to enrol an authenticator app at first login. */
    async create(
      caller: StaffCaller,
      input: { loginId: string; name: string; role: string; password: string },
    ): Promise<StaffView> {
      const me = await authorizeStaff(deps, caller, 'staff.manage');
      // The 管理者 chose this password: the new member chooses their own at the first login.
      return accounts.create(staffContext(me, caller.clientIp), {
        ...input,
        serviceId: me.serviceId,
        passwordChangeRequired: true,
      });
    },

    /** 認証アプリの再登録: the secret is cleared and the member's sessions end. */
    async resetAuthenticator(caller: StaffCaller, staffId: number): Promise<StaffView> {
      const me = await authorizeStaff(deps, caller, 'staff.manage');
      const t = await target(me, staffId);
      // Not while a temporary password waits to be changed (see setTemporaryPassword).
      if (t.passwordChangeRequired)
        throw new InkanError('FORBIDDEN', { reason: 'temporary_password' });
      return actOn(me, caller, t, 'staff.totp_reset', (tx) => tx.resetStaffTotp(t.id));
    },

    /**
     * 仮パスワードの設定 (a forgotten password): the 管理者 sets a temporary one, told to the
     * member safely; the member's sessions end, and their next login asks for their own.
     */
    async setTemporaryPassword(
      caller: StaffCaller,
      staffId: number,
      password: string,
    ): Promise<StaffView> {
      const me = await authorizeStaff(deps, caller, 'staff.manage');
      const t = await target(me, staffId);
      // Not together with a reset authenticator app: one 管理者 could otherwise set both and log
      // in as the colleague with their own phone. (Lost both? A new account, which is visible.)
      if (!t.totpConfirmed) throw new InkanError('FORBIDDEN', { reason: 'authenticator_reset' });
      const bad = checkStaffPassword(password, t.loginId);
      if (bad !== null) throw new InkanError('VALIDATION_FAILED', { errors: [bad] });
      const hash = await deps.hasher.hash(password);
      return actOn(me, caller, t, 'staff.password_reset', (tx) =>
        tx.resetStaffPassword(t.id, hash, deps.clock.now()),
      );
    },

    /** ロック: the account cannot log in until unlocked; its sessions end at once. */
    async lock(caller: StaffCaller, staffId: number): Promise<StaffView> {
      const me = await authorizeStaff(deps, caller, 'staff.manage');
      const t = await target(me, staffId);
      return actOn(
        me,
        caller,
        t,
        'staff.locked',
        (tx) => tx.lockStaff(t.id, deps.clock.now()),
        (changed) => (changed ? 'by_admin' : 'already_locked'),
      );
    },
  };
}

/** 行員管理's use cases. */
export type StaffAdmin = ReturnType<typeof createStaffAdmin>;
