/**
 * Bank staff (行員) of the admin console: who they are, what each role may do, and the fixed
 * parameters of their own second factor. Pure: no I/O, no clock.
 */

/** オペレーター (look up, unlock) or 管理者 (also the bank's restricted actions). */
export type StaffRole = 'operator' | 'admin';

/** The roles, for input checks. */
export const STAFF_ROLES: readonly StaffRole[] = ['operator', 'admin'];

/** One staff member of one bank, as stored (the TOTP secret sealed, the password hashed). */
export interface StaffRecord {
  readonly id: number;
  /** The bank (サービスID) the staff member works for: they see its customers only. */
  readonly serviceId: string;
  /** Unique across the platform: the login form asks for nothing else. */
  readonly loginId: string;
  readonly name: string;
  readonly role: StaffRole;
  readonly passwordHash: string;
  /** The authenticator app's secret, sealed; null before the first login. */
  readonly sealedTotpSecret: string | null;
  /** True once the staff member proved the app works with one code (enrolment confirmed). */
  readonly totpConfirmed: boolean;
  /** Highest accepted TOTP step (single use), null before the first. */
  readonly lastTotpStep: number | null;
  /** Consecutive failed logins (wrong password or wrong code). */
  readonly failedLogins: number;
  /** Set when the account locked; cleared by an 管理者 of the bank or the CLI. */
  readonly lockedAt: number | null;
  readonly createdAt: number;
  readonly lastLoginAt: number | null;
  /** Set by another person (an 管理者 adding them): to be changed at the next login. */
  readonly passwordChangeRequired: boolean;
}

/** A staff member to add. */
export interface NewStaff {
  readonly serviceId: string;
  readonly loginId: string;
  readonly name: string;
  readonly role: StaffRole;
  readonly passwordHash: string;
  readonly createdAt: number;
  /** True when someone else chose the password (the console's 行員管理). */
  readonly passwordChangeRequired: boolean;
}

/**
 * The staff TOTP: what every standard authenticator app expects of an `otpauth://` URI with no
 * parameters beyond the secret (RFC 6238 defaults as Google Authenticator's Key Uri Format reads
 * them: SHA1, 6 digits, 30 seconds), accepted one step either side (RFC 6238 §5.2).
 */
export const STAFF_TOTP = Object.freeze({
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
  window: 1,
  /** 160 bits, the HMAC-SHA1 output size (RFC 4226 §4 R6 recommends at least this). */
  secretBytes: 20,
} as const);

/** This many failed logins in a row lock the staff account. */
export const STAFF_LOCK_AT = 5;

/** Something a staff member does in the console. */
export type StaffPermission =
  | 'customer.read'
  | 'token.unlock'
  | 'customer.lift_issuance_limit'
  | 'staff.unlock'
  // Issue 5's console: forced 利用解除 (four eyes), hardware, policy, audit, staff accounts.
  | 'token.force_deactivate'
  | 'hardware.manage'
  | 'tenant.policy'
  | 'audit.read'
  | 'staff.manage'
  | 'dashboard.read';

const GRANTS: Readonly<Record<StaffRole, readonly StaffPermission[]>> = {
  // オペレーター: look up and 閉塞解除 (the help desk's daily work).
  operator: ['customer.read', 'token.unlock', 'dashboard.read'],
  // 管理者: also the actions that relax a safeguard of the bank.
  admin: [
    'customer.read',
    'token.unlock',
    'customer.lift_issuance_limit',
    'staff.unlock',
    'token.force_deactivate',
    'hardware.manage',
    'tenant.policy',
    'audit.read',
    'staff.manage',
    'dashboard.read',
  ],
};

/** True when a role may do this. */
export function mayStaff(role: StaffRole, permission: StaffPermission): boolean {
  return GRANTS[role].includes(permission);
}

/** The audit trail's actor for a staff member (SPEC.md: `staff:<id>`). */
export function staffActor(staffId: number): string {
  return `staff:${staffId}`;
}
