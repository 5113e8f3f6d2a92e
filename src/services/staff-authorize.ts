import { InkanError, mayStaff, type StaffPermission, type StaffRecord } from '../core/index.js';
import { auditEvent, type ServiceDeps } from './deps.js';
import { staffContext, type StaffCaller } from './staff.js';

/**
 * The acting staff member, allowed `permission`: re-read on every call (a lock or a changed role
 * holds at once). UNAUTHORIZED when gone, locked or not enrolled; FORBIDDEN (audited) when the
 * role does not allow it: the server decides, whatever a page showed.
 */
export async function authorizeStaff(
  deps: ServiceDeps,
  caller: StaffCaller,
  permission: StaffPermission,
  customerRef: string | null = null,
): Promise<StaffRecord> {
  const s = await deps.store.getStaff(caller.staffId);
  if (s === null || s.lockedAt !== null || !s.totpConfirmed) throw new InkanError('UNAUTHORIZED');
  if (!mayStaff(s.role, permission)) {
    await deps.store.appendAudit(
      auditEvent(deps, staffContext(s, caller.clientIp), {
        action: 'staff.forbidden',
        customerRef,
        result: permission,
        detail: { staffId: s.id, role: s.role },
      }),
    );
    deps.auditWritten();
    throw new InkanError('FORBIDDEN');
  }
  return s;
}
