import {
  checkPaperRef,
  checkStaffReason,
  decisionFor,
  InkanError,
  type DeactivationRequestRecord,
  type FieldError,
  type StaffRecord,
} from '../core/index.js';
import { auditEvent, iso, type ServiceDeps } from './deps.js';
import { endAll } from './deactivate-token.js';
import { authorizeStaff } from './staff-authorize.js';
import { staffContext, type StaffCaller } from './staff.js';

/** A paper request as the console shows it (names instead of staff IDs). */
export interface DeactivationRequestView {
  id: number;
  customerRef: string;
  reason: string;
  paperRef: string;
  state: DeactivationRequestRecord['state'];
  requestedBy: { id: number; name: string };
  requestedAt: string;
  decidedBy: { id: number; name: string } | null;
  decidedAt: string | null;
  decisionReason: string | null;
}

/** What the approvals screen lists. */
export interface DeactivationRequestList {
  pending: DeactivationRequestView[];
  /** The most recent decided ones (approved, rejected, cancelled). */
  decided: DeactivationRequestView[];
}

const REF = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Forced 利用解除 on a paper request (書面による手続き, guide 004; SPEC.md "Staff can deactivate
 * on a paper request") under four eyes (issue 5): a 管理者 records the request (承認待ち); a
 * SECOND 管理者 of the same bank approves it, and only then every live token of the customer ends
 * (the same path as the API's force). The requester can withdraw (取消), the other can reject
 * (却下), both with a reason. Every step is audited; each decision is one conditional UPDATE, so
 * two decisions at once cannot both act.
 */
export function createPaperDeactivations(deps: ServiceDeps) {
  const fail = (errors: FieldError[]): never => {
    throw new InkanError('VALIDATION_FAILED', { errors });
  };

  const viewsOf = async (
    s: StaffRecord,
    rows: readonly DeactivationRequestRecord[],
  ): Promise<DeactivationRequestView[]> => {
    const names = new Map((await deps.store.listStaff(s.serviceId)).map((x) => [x.id, x.name]));
    const who = (id: number) => ({ id, name: names.get(id) ?? String(id) });
    return rows.map((r) => ({
      id: r.id,
      customerRef: r.customerRef,
      reason: r.reason,
      paperRef: r.paperRef,
      state: r.state,
      requestedBy: who(r.requestedBy),
      requestedAt: iso(r.requestedAt) ?? '',
      decidedBy: r.decidedBy === null ? null : who(r.decidedBy),
      decidedAt: iso(r.decidedAt),
      decisionReason: r.decisionReason,
    }));
  };

  /** The request of the staff member's own bank (another bank's is NOT_FOUND, as none). */
  const requestOf = async (s: StaffRecord, id: number): Promise<DeactivationRequestRecord> => {
    const r =
      Number.isSafeInteger(id) && id > 0 ? await deps.store.getDeactivationRequest(id) : null;
    if (r === null || r.serviceId !== s.serviceId)
      throw new InkanError('NOT_FOUND', { resource: 'request' });
    return r;
  };

  return {
    /** Records a paper request as 承認待ち; nothing changes on the token yet. */
    async request(
      caller: StaffCaller,
      ref: string,
      input: { reason: string; paperRef: string },
    ): Promise<DeactivationRequestView> {
      const s = await authorizeStaff(deps, caller, 'token.force_deactivate', ref);
      const errors = [checkStaffReason(input.reason), checkPaperRef(input.paperRef)].filter(
        (e): e is FieldError => e !== null,
      );
      if (errors.length > 0) fail(errors);
      const c = REF.test(ref) ? await deps.store.getCustomer(s.serviceId, ref) : null;
      if (c === null) throw new InkanError('NOT_FOUND', { resource: 'customer' });
      const now = deps.clock.now();
      const row = await deps.store.transaction(async (tx) => {
        // The customer's lock first (as issuance and activation take it): one pending at a time.
        await tx.lockCustomer(c.id);
        if ((await tx.liveTokens(c.id)).length === 0)
          throw new InkanError('NOT_FOUND', { resource: 'token' });
        if ((await tx.pendingDeactivationRequest(c.id)) !== null)
          throw new InkanError('REQUEST_PENDING');
        const r = await tx.insertDeactivationRequest({
          serviceId: s.serviceId,
          customerId: c.id,
          customerRef: c.ref,
          reason: input.reason.trim(),
          paperRef: input.paperRef.trim(),
          requestedBy: s.id,
          requestedAt: now,
        });
        await tx.appendAudit(
          auditEvent(deps, staffContext(s, caller.clientIp), {
            action: 'token.deactivation_requested',
            customerRef: c.ref,
            result: 'pending',
            detail: { requestId: r.id, reason: r.reason, paperRef: r.paperRef, staffId: s.id },
          }),
        );
        return r;
      });
      deps.auditWritten();
      return (await viewsOf(s, [row]))[0]!;
    },

    /** The bank's pending requests and the 20 most recent decided ones. */
    async list(caller: StaffCaller): Promise<DeactivationRequestList> {
      const s = await authorizeStaff(deps, caller, 'token.force_deactivate');
      const [pending, decided] = await Promise.all([
        deps.store.listDeactivationRequests(s.serviceId, { pending: true, limit: 200 }),
        deps.store.listDeactivationRequests(s.serviceId, { pending: false, limit: 20 }),
      ]);
      return { pending: await viewsOf(s, pending), decided: await viewsOf(s, decided) };
    },

    /** One request of the bank. */
    async get(caller: StaffCaller, id: number): Promise<DeactivationRequestView> {
      const s = await authorizeStaff(deps, caller, 'token.force_deactivate');
      return (await viewsOf(s, [await requestOf(s, id)]))[0]!;
    },

    /**
     * A second 管理者 approves: the request becomes 承認済 and every live token of the customer
     * ends (`staff_deactivated`), in one transaction. The requester's own approval is refused
     * (OWN_REQUEST, audited) whatever the page showed.
     */
    async approve(caller: StaffCaller, id: number): Promise<DeactivationRequestView> {
      const s = await authorizeStaff(deps, caller, 'token.force_deactivate');
      const r = await requestOf(s, id);
      const ctx = staffContext(s, caller.clientIp);
      if (decisionFor(r.requestedBy, s.id, 'approve') === 'own_request') {
        await deps.store.appendAudit(
          auditEvent(deps, ctx, {
            action: 'token.deactivation_approve',
            customerRef: r.customerRef,
            result: 'own_request',
            detail: { requestId: r.id, staffId: s.id },
          }),
        );
        deps.auditWritten();
        throw new InkanError('OWN_REQUEST');
      }
      const now = deps.clock.now();
      await deps.store.transaction(async (tx) => {
        await tx.lockCustomer(r.customerId);
        const won = await tx.decideDeactivationRequest(r.id, {
          state: 'approved',
          decidedBy: s.id,
          decidedAt: now,
          reason: null,
        });
        if (!won) throw new InkanError('REQUEST_DECIDED');
        const live = await tx.liveTokens(r.customerId);
        await tx.appendAudit(
          auditEvent(deps, ctx, {
            action: 'token.deactivation_approved',
            customerRef: r.customerRef,
            result: live.length > 0 ? 'approved' : 'no_token',
            detail: {
              requestId: r.id,
              requestedBy: r.requestedBy,
              staffId: s.id,
              paperRef: r.paperRef,
            },
          }),
        );
        await endAll(
          deps,
          tx,
          { ...ctx, serviceId: s.serviceId },
          r.customerId,
          r.customerRef,
          'staff_deactivated',
          { reason: r.reason, paperRef: r.paperRef, requestId: String(r.id) },
        );
      });
      deps.auditWritten();
      return (await viewsOf(s, [await requestOf(s, id)]))[0]!;
    },

    /**
     * Withdraws (the requester: 取消) or rejects (another 管理者: 却下) a pending request, with a
     * reason; the token is left as it is.
     */
    async reject(
      caller: StaffCaller,
      id: number,
      reasonInput: string,
    ): Promise<DeactivationRequestView> {
      const s = await authorizeStaff(deps, caller, 'token.force_deactivate');
      const r = await requestOf(s, id);
      const bad = checkStaffReason(reasonInput);
      if (bad !== null) fail([bad]);
      const state = decisionFor(r.requestedBy, s.id, 'reject');
      if (state === 'own_request' || state === 'approved') throw new InkanError('FORBIDDEN');
      const reason = reasonInput.trim();
      await deps.store.transaction(async (tx) => {
        const won = await tx.decideDeactivationRequest(r.id, {
          state,
          decidedBy: s.id,
          decidedAt: deps.clock.now(),
          reason,
        });
        if (!won) throw new InkanError('REQUEST_DECIDED');
        await tx.appendAudit(
          auditEvent(deps, staffContext(s, caller.clientIp), {
            action: 'token.deactivation_rejected',
            customerRef: r.customerRef,
            result: state,
            detail: { requestId: r.id, reason, staffId: s.id },
          }),
        );
      });
      deps.auditWritten();
      return (await viewsOf(s, [await requestOf(s, id)]))[0]!;
    },
  };
}

/** The four-eyes paper requests' use cases. */
export type PaperDeactivations = ReturnType<typeof createPaperDeactivations>;
