import type { FieldError } from '../errors.js';
import { STAFF_ROLES, type StaffRole } from './staff.js';

/** A staff login ID: 3-64 letters, digits and `._@-`, starting with a letter or digit. */
export const STAFF_LOGIN_ID = /^[A-Za-z0-9][A-Za-z0-9._@-]{2,63}$/;

/** Shortest staff password: NIST SP 800-63B §5.1.1 asks at least 8; a bank's back office, 12. */
export const STAFF_PASSWORD_MIN = 12;
const STAFF_PASSWORD_MAX = 128;

/** A 閉塞解除 or 発行規制 reason: 1-200 characters after trimming, no control characters. */
export function checkStaffReason(reason: string): FieldError | null {
  const r = reason.trim();
  if (r.length < 1 || r.length > 200 || /\p{Cc}/u.test(r.replace(/[\r\n\t]/g, ' ')))
    return { field: 'reason', message: 'a reason of 1-200 characters is required' };
  return null;
}

/**
 * The initial password's strength: 12-128 characters, no control characters, not the login ID
 * nor containing it, and not one character repeated (NIST SP 800-63B §5.1.1.2: refuse values
 * known to be weak; no composition rules).
 */
export function checkStaffPassword(password: string, loginId: string): FieldError | null {
  const bad = (message: string): FieldError => ({ field: 'password', message });
  if (password.length < STAFF_PASSWORD_MIN)
    return bad(`must be at least ${STAFF_PASSWORD_MIN} characters`);
  if (password.length > STAFF_PASSWORD_MAX)
    return bad(`must be at most ${STAFF_PASSWORD_MAX} characters`);
  if (/\p{Cc}/u.test(password)) return bad('must not contain control characters');
  if (loginId.length > 0 && password.toLowerCase().includes(loginId.toLowerCase()))
    return bad('must not contain the login ID');
  if (new Set(password).size < 4) return bad('must use at least 4 different characters');
  return null;
}

/** A new staff member's fields, checked; the failing ones named. */
export function checkNewStaff(input: {
  serviceId: string;
  loginId: string;
  name: string;
  role: string;
  password: string;
}): FieldError[] {
  const errors: FieldError[] = [];
  if (!/^[0-9]{8}$/.test(input.serviceId))
    errors.push({ field: 'serviceId', message: 'must be 8 digits' });
  if (!STAFF_LOGIN_ID.test(input.loginId))
    errors.push({
      field: 'loginId',
      message: 'must be 3-64 letters, digits or "._@-", starting with a letter or digit',
    });
  const name = input.name.trim();
  if (name.length < 1 || name.length > 64 || /\p{Cc}/u.test(name))
    errors.push({ field: 'name', message: 'must be 1-64 characters' });
  if (!STAFF_ROLES.includes(input.role as StaffRole))
    errors.push({ field: 'role', message: 'must be operator or admin' });
  const pw = checkStaffPassword(input.password, input.loginId);
  if (pw !== null) errors.push(pw);
  return errors;
}
