import { randomBytes } from 'node:crypto';
import {
  checkNewStaff,
  checkStaffPassword,
  type FieldError,
  encodeBase32,
  InkanError,
  mayStaff,
  otpauthUri,
  STAFF_LOCK_AT,
  STAFF_TOTP,
  staffActor,
  type StaffRecord,
  type StaffRole,
} from '../core/index.js';
import { verifyOtp } from '../core/otp/index.js';
import { createNodeHmac } from '../crypto/node-hmac.js';
import { auditEvent, iso, type CallContext, type ServiceDeps } from './deps.js';

/** What the console and the CLI may know of a staff member (never the hash or the secret). */
export interface StaffView {
  id: number;
  serviceId: string;
  /** The bank's name, for the console's header. */
  bankName: string;
  loginId: string;
  name: string;
  role: StaffRole;
  /** The authenticator app is set up (enrolment confirmed). */
  enrolled: boolean;
  locked: boolean;
  failedLogins: number;
  createdAt: string;
  lastLoginAt: string | null;
  /** Someone else set the password: the login asks for a new one before anything else. */
  passwordChangeRequired: boolean;
}

/** The password step of a staff login. Wrong ID and wrong password are one answer. */
export type StaffLoginResult =
  { result: 'ok'; staff: StaffView } | { result: 'wrong' } | { result: 'locked' };

/** A staff TOTP check, a value (CONVENTIONS.md, guideline 2). */
export interface StaffOtpResult {
  result: 'ok' | 'invalid' | 'replayed' | 'locked';
  /** Wrong codes left before the account locks (after `invalid`). */
  attemptsLeft?: number;
}

/** What the enrolment screen shows: the secret as a QR code's URI and for typing in. */
export interface StaffEnrolment {
  /** otpauth://totp/…: SHA1, 6 digits, 30 s, what authenticator apps expect. */
  uri: string;
  /** The same secret in base32, for manual entry. */
  secret: string;
  issuer: string;
  account: string;
}

/** The additional data a staff TOTP secret is sealed with: it opens only in its own row. */
export function staffSecretAad(s: { id: number; loginId: string }): string {
  return `inkan/staff-totp/v1:${s.id}:${s.loginId}`;
}

/** Who acts in the console: the staff member of the session, from their address. */
export interface StaffCaller {
  readonly staffId: number;
  readonly clientIp: string | null;
}

/** The audit context of a staff member's own action. */
export function staffContext(
  s: StaffRecord,
  clientIp: string | null,
): CallContext & { serviceId: string } {
  return { actor: staffActor(s.id), clientIp, serviceId: s.serviceId };
}

/**
 * The staff accounts of the admin console: creation (`inkan staff create`), the password step,
 * the authenticator-app enrolment at first login and the TOTP of every later login (single use,
 * ±1 step, locked after STAFF_LOCK_AT failures), and unlocking. Every step is audited.
 */
export function createStaffAccounts(deps: ServiceDeps) {
  /** A scrypt hash of nothing, so an unknown login ID costs what a known one does. */
  let dummyHash: Promise<string> | null = null;

  const view = async (s: StaffRecord): Promise<StaffView> => ({
    id: s.id,
    serviceId: s.serviceId,
    bankName: (await deps.tenants.get(s.serviceId))?.name ?? s.serviceId,
    loginId: s.loginId,
    name: s.name,
    role: s.role,
    enrolled: s.totpConfirmed,
    locked: s.lockedAt !== null,
    failedLogins: s.failedLogins,
    createdAt: iso(s.createdAt) ?? '',
    lastLoginAt: iso(s.lastLoginAt),
    passwordChangeRequired: s.passwordChangeRequired,
  });

  const audit = async (
    ctx: CallContext & { serviceId?: string | null },
    action: string,
    result: string,
    detail: Record<string, string | number | boolean | null> = {},
  ) => {
    await deps.store.appendAudit(auditEvent(deps, ctx, { action, result, detail }));
    deps.auditWritten();
  };

  const requireStaff = async (staffId: number): Promise<StaffRecord> => {
    const s = await deps.store.getStaff(staffId);
    if (s === null) throw new InkanError('NOT_FOUND', { resource: 'staff' });
    return s;
  };

  /** One more failed login; the lock is audited when this failure set it. */
  const countFailure = async (
    s: StaffRecord,
    ctx: CallContext & { serviceId: string },
  ): Promise<{ failedLogins: number; locked: boolean }> => {
    const r = await deps.store.recordStaffFailure(s.id, STAFF_LOCK_AT, deps.clock.now());
    if (r.locked && s.lockedAt === null)
      await audit(ctx, 'staff.locked', 'locked', { staffId: s.id, failedLogins: r.failedLogins });
    return r;
  };

  /** Checks a code against the staff member's secret (no writes). */
  const checkCode = (s: StaffRecord, sealed: string, code: string) => {
    const secret = deps.keyring.unseal(sealed, staffSecretAad(s));
    const hmac = createNodeHmac(secret, STAFF_TOTP.algorithm);
    secret.fill(0);
    return verifyOtp({
      otp: code,
      hmac,
      now: deps.clock.now(),
      period: STAFF_TOTP.period,
      digits: STAFF_TOTP.digits,
      window: STAFF_TOTP.window,
      lastStep: s.lastTotpStep,
    });
  };

  const enrolmentOf = async (s: StaffRecord, sealed: string): Promise<StaffEnrolment> => {
    const bank = (await deps.tenants.get(s.serviceId))?.name ?? s.serviceId;
    const issuer = `Inkan ${bank}`;
    const secret = deps.keyring.unseal(sealed, staffSecretAad(s));
    const e = {
      uri: otpauthUri({
        issuer,
        account: s.loginId,
        secret,
        algorithm: STAFF_TOTP.algorithm,
        digits: STAFF_TOTP.digits,
        period: STAFF_TOTP.period,
      }),
      secret: encodeBase32(secret),
      issuer,
      account: s.loginId,
    };
    secret.fill(0);
    return e;
  };

  return {
    /** `inkan staff create`: a staff member of a bank, to enrol an authenticator app at first login. */
    async create(
      ctx: CallContext,
      input: {
        serviceId: string;
        loginId: string;
        name: string;
        role: string;
        password: string;
        /** The password is another person's choice: the first login asks for a new one. */
        passwordChangeRequired?: boolean;
      },
    ): Promise<StaffView> {
      const errors = checkNewStaff(input);
      if (errors.length > 0) throw new InkanError('VALIDATION_FAILED', { errors });
      if ((await deps.tenants.get(input.serviceId)) === null)
        throw new InkanError('NOT_FOUND', { resource: 'tenant' });
      const passwordHash = await deps.hasher.hash(input.password);
      const s = await deps.store.transaction(async (tx) => {
        const created = await tx.insertStaff({
          serviceId: input.serviceId,
          loginId: input.loginId,
          name: input.name.trim(),
          role: input.role as StaffRole,
          passwordHash,
          createdAt: deps.clock.now(),
          passwordChangeRequired: input.passwordChangeRequired === true,
        });
        await tx.appendAudit(
          auditEvent(
            deps,
            { ...ctx, serviceId: input.serviceId },
            {
              action: 'staff.created',
              result: 'ok',
              detail: {
                staffId: created.id,
                loginId: created.loginId,
                role: created.role,
                passwordChangeRequired: created.passwordChangeRequired,
              },
            },
          ),
        );
        return created;
      });
      deps.auditWritten();
      return view(s);
    },

    /**
     * A staff member's own new password: at the login after someone else set it (`forced`:
     * password and code were just given), or from the console's パスワード変更 with the current
     * one. The rules of a new staff password hold, it must differ from the current one, and it
     * is typed twice. Audited (`staff.password_changed`); a wrong current password is audited and
     * counts toward the lock like a wrong login.
     */
    async changePassword(
      staffId: number,
      clientIp: string | null,
      input: { current?: string; password: string; confirm: string },
      forced: boolean,
    ): Promise<StaffView> {
      const s = await requireStaff(staffId);
      if (s.lockedAt !== null) throw new InkanError('FORBIDDEN');
      // The change without the current password is only the one the login requires.
      if (forced && !s.passwordChangeRequired) throw new InkanError('FORBIDDEN');
      const ctx = staffContext(s, clientIp);
      const errors: FieldError[] = [];
      if (!forced) {
        const current = input.current ?? '';
        if (
          current.length === 0 ||
          current.length > 128 ||
          !(await deps.hasher.verify(current, s.passwordHash))
        ) {
          await audit(ctx, 'staff.password_changed', 'wrong_password', { staffId: s.id });
          const f = await countFailure(s, ctx);
          if (f.locked) throw new InkanError('FORBIDDEN');
          throw new InkanError('VALIDATION_FAILED', {
            errors: [{ field: 'current', message: 'is not the current password' }],
          });
        }
      }
      const rule = checkStaffPassword(input.password, s.loginId);
      if (rule !== null) errors.push(rule);
      else if (await deps.hasher.verify(input.password, s.passwordHash))
        errors.push({ field: 'password', message: 'must differ from the current password' });
      if (input.confirm !== input.password)
        errors.push({ field: 'confirm', message: 'must repeat the new password' });
      if (errors.length > 0) throw new InkanError('VALIDATION_FAILED', { errors });
      const hash = await deps.hasher.hash(input.password);
      const changed = await deps.store.transaction(async (tx) => {
        if (!(await tx.setStaffPassword(s.id, s.passwordHash, hash, deps.clock.now())))
          return false;
        await tx.appendAudit(
          auditEvent(deps, ctx, {
            action: 'staff.password_changed',
            result: 'ok',
            detail: { staffId: s.id, forced },
          }),
        );
        return true;
      });
      if (!changed) {
        // Another change of this password came first (a double submission of the form): this
        // one is not made; the member's own change stands, unless an 管理者 reset it meanwhile.
        const now = await requireStaff(staffId);
        if (now.passwordChangeRequired) throw new InkanError('FORBIDDEN');
        return view(now);
      }
      deps.auditWritten();
      return view(await requireStaff(staffId));
    },

    /** The staff member as the console shows them; null when unknown. */
    async get(staffId: number): Promise<StaffView | null> {
      const s = await deps.store.getStaff(staffId);
      return s === null ? null : view(s);
    },

    /**
     * The password step. An unknown ID, a wrong password, and a wrong password on a locked
     * account answer alike (`wrong`); only the right password learns that the account is locked.
     * Wrong passwords count toward the lock; the right one resets nothing (the code still must come).
     */
    async checkPassword(
      clientIp: string | null,
      loginId: string,
      password: string,
    ): Promise<StaffLoginResult> {
      const s = await deps.store.findStaffByLoginId(loginId);
      if (s === null) {
        dummyHash ??= deps.hasher.hash('inkan-no-such-staff');
        await deps.hasher.verify(password, await dummyHash);
        await audit({ actor: 'console', clientIp }, 'staff.login', 'unknown_login_id');
        return { result: 'wrong' };
      }
      const ctx = staffContext(s, clientIp);
      const right = await deps.hasher.verify(password, s.passwordHash);
      if (!right) {
        await audit(ctx, 'staff.login', 'wrong_password', { staffId: s.id });
        if (s.lockedAt === null) await countFailure(s, ctx);
        return { result: 'wrong' };
      }
      if (s.lockedAt !== null) {
        await audit(ctx, 'staff.login', 'locked', { staffId: s.id });
        return { result: 'locked' };
      }
      await audit(ctx, 'staff.login', 'password_ok', { staffId: s.id });
      return { result: 'ok', staff: await view(s) };
    },

    /**
     * First login: a fresh secret for the authenticator app, kept sealed and unconfirmed until
     * one code proves the app has it. A later login before confirmation starts afresh, so a
     * secret shown once is never the one a later enrolment ends with.
     */
    async startEnrolment(staffId: number, clientIp: string | null): Promise<StaffEnrolment> {
      const s = await requireStaff(staffId);
      if (s.totpConfirmed || s.lockedAt !== null) throw new InkanError('FORBIDDEN');
      const secret = randomBytes(STAFF_TOTP.secretBytes);
      const sealed = deps.keyring.seal(secret, staffSecretAad(s));
      secret.fill(0);
      if (!(await deps.store.setStaffTotpSecret(s.id, sealed))) throw new InkanError('FORBIDDEN');
      await audit(staffContext(s, clientIp), 'staff.totp_enrolment', 'started', {
        staffId: s.id,
      });
      return enrolmentOf(s, sealed);
    },

    /** The enrolment under way (the screen drawn again); null when there is none. */
    async enrolment(staffId: number): Promise<StaffEnrolment | null> {
      const s = await requireStaff(staffId);
      if (s.totpConfirmed || s.sealedTotpSecret === null) return null;
      return enrolmentOf(s, s.sealedTotpSecret);
    },

    /** The first code from the app: confirms the enrolment (and uses its step up). */
    async confirmEnrolment(
      staffId: number,
      clientIp: string | null,
      code: string,
    ): Promise<StaffOtpResult> {
      const s = await requireStaff(staffId);
      const ctx = staffContext(s, clientIp);
      if (s.lockedAt !== null) return { result: 'locked' };
      if (s.totpConfirmed || s.sealedTotpSecret === null) throw new InkanError('FORBIDDEN');
      const check = checkCode(s, s.sealedTotpSecret, code);
      if (check.result === 'ok') {
        const now = deps.clock.now();
        if (await deps.store.confirmStaffTotp(s.id, s.sealedTotpSecret, check.step, now)) {
          await audit(ctx, 'staff.totp_enrolment', 'confirmed', { staffId: s.id });
          return { result: 'ok' };
        }
        // A lock or a newer login's secret came first.
        return { result: (await requireStaff(staffId)).lockedAt !== null ? 'locked' : 'invalid' };
      }
      await audit(ctx, 'staff.totp_enrolment', 'invalid', { staffId: s.id });
      const f = await countFailure(s, ctx);
      return f.locked
        ? { result: 'locked' }
        : { result: 'invalid', attemptsLeft: STAFF_LOCK_AT - f.failedLogins };
    },

    /**
     * The code of every later login: single use (a step once accepted is `replayed`), ±1 step,
     * and STAFF_LOCK_AT failures in a row lock the account.
     */
    async verifyTotp(
      staffId: number,
      clientIp: string | null,
      code: string,
    ): Promise<StaffOtpResult> {
      const s = await requireStaff(staffId);
      const ctx = staffContext(s, clientIp);
      if (s.lockedAt !== null) {
        await audit(ctx, 'staff.totp', 'locked', { staffId: s.id });
        return { result: 'locked' };
      }
      if (!s.totpConfirmed || s.sealedTotpSecret === null) throw new InkanError('FORBIDDEN');
      const check = checkCode(s, s.sealedTotpSecret, code);
      if (check.result === 'ok') {
        if (await deps.store.consumeStaffStep(s.id, check.step, deps.clock.now())) {
          await audit(ctx, 'staff.totp', 'ok', { staffId: s.id, drift: check.drift });
          return { result: 'ok' };
        }
        // Another request used this step first, or a lock came first.
        const now = await requireStaff(staffId);
        const result = now.lockedAt !== null ? 'locked' : 'replayed';
        await audit(ctx, 'staff.totp', result, { staffId: s.id });
        return { result };
      }
      if (check.result === 'replayed') {
        // A used code is refused and audited; it does not count (as for customers' OTPs).
        await audit(ctx, 'staff.totp', 'replayed', { staffId: s.id });
        return { result: 'replayed' };
      }
      await audit(ctx, 'staff.totp', 'invalid', { staffId: s.id });
      const f = await countFailure(s, ctx);
      return f.locked
        ? { result: 'locked' }
        : { result: 'invalid', attemptsLeft: STAFF_LOCK_AT - f.failedLogins };
    },

    /** Logout or the idle timeout, on record. */
    async recordLogout(
      staffId: number,
      clientIp: string | null,
      why: 'logout' | 'idle_timeout',
    ): Promise<void> {
      const s = await deps.store.getStaff(staffId);
      if (s === null) return;
      await audit(staffContext(s, clientIp), 'staff.logout', why, { staffId: s.id });
    },

    /** The bank's staff, for an 管理者 (staff.unlock). */
    async list(caller: StaffCaller): Promise<StaffView[]> {
      const me = await requireStaff(caller.staffId);
      if (!mayStaff(me.role, 'staff.unlock')) throw new InkanError('FORBIDDEN');
      return Promise.all((await deps.store.listStaff(me.serviceId)).map(view));
    },

    /**
     * Lifts a staff account's lock: an 管理者 of the same bank (another bank's staff is
     * NOT_FOUND), or the CLI (`caller` null) by login ID.
     */
    async unlock(
      caller: StaffCaller | null,
      target: { staffId: number } | { loginId: string },
    ): Promise<StaffView> {
      let ctx: CallContext & { serviceId?: string };
      let serviceId: string | null = null;
      if (caller === null) ctx = { actor: 'cli', clientIp: null };
      else {
        const me = await requireStaff(caller.staffId);
        if (!mayStaff(me.role, 'staff.unlock')) throw new InkanError('FORBIDDEN');
        ctx = staffContext(me, caller.clientIp);
        serviceId = me.serviceId;
      }
      const t =
        'staffId' in target
          ? await deps.store.getStaff(target.staffId)
          : await deps.store.findStaffByLoginId(target.loginId);
      if (t === null || (serviceId !== null && t.serviceId !== serviceId))
        throw new InkanError('NOT_FOUND', { resource: 'staff' });
      const changed = await deps.store.unlockStaff(t.id);
      await audit(
        { ...ctx, serviceId: t.serviceId },
        'staff.unlocked',
        changed ? 'ok' : 'not_locked',
        {
          staffId: t.id,
          loginId: t.loginId,
        },
      );
      return view((await deps.store.getStaff(t.id)) ?? t);
    },
  };
}

/** The staff accounts' use cases. */
export type StaffAccounts = ReturnType<typeof createStaffAccounts>;
