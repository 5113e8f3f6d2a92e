import {
  InkanError,
  checkStaffReason,
  mayStaff,
  type StaffPermission,
  type StaffRecord,
} from '../core/index.js';
import { auditEvent, type ServiceDeps } from './deps.js';
import type { PasskeyService, PasskeyView } from './passkeys.js';
import { staffContext, type StaffCaller } from './staff.js';

/**
 * The admin console's part of 生体認証ログイン (issue 6): a customer's registered devices, and
 * their removal by staff (a lost phone reported by telephone) with a reason. The same checks as
 * the staff desk: the staff member re-read, their own bank only, the role checked (閉塞解除's
 * permission: both roles), refusals and removals audited as `staff:<id>`.
 */
export function createStaffPasskeys(deps: ServiceDeps, passkeys: PasskeyService) {
  const authorize = async (
    caller: StaffCaller,
    permission: StaffPermission,
    ref: string,
  ): Promise<StaffRecord> => {
    const s = await deps.store.getStaff(caller.staffId);
    if (s === null || s.lockedAt !== null || !s.totpConfirmed) throw new InkanError('UNAUTHORIZED');
    if (!mayStaff(s.role, permission)) {
      await deps.store.appendAudit(
        auditEvent(deps, staffContext(s, caller.clientIp), {
          action: 'staff.forbidden',
          customerRef: ref,
          result: permission,
          detail: { staffId: s.id, role: s.role },
        }),
      );
      deps.auditWritten();
      throw new InkanError('FORBIDDEN');
    }
    return s;
  };
  return {
    /** The customer's devices (both roles). */
    async list(caller: StaffCaller, ref: string): Promise<PasskeyView[]> {
      const s = await authorize(caller, 'customer.read', ref);
      return (await passkeys.list(staffContext(s, caller.clientIp), ref)).passkeys;
    },

    /** Removes one device with a reason (1-200 characters); NOT_FOUND when not the customer's. */
    async remove(caller: StaffCaller, ref: string, id: number, reasonInput: string): Promise<void> {
      const s = await authorize(caller, 'token.unlock', ref);
      const bad = checkStaffReason(reasonInput);
      if (bad !== null) throw new InkanError('VALIDATION_FAILED', { errors: [bad] });
      await passkeys.remove(staffContext(s, caller.clientIp), ref, id, {
        reason: reasonInput.trim(),
      });
    },
  };
}

/** The admin console's passkey use cases. */
export type StaffPasskeys = ReturnType<typeof createStaffPasskeys>;
