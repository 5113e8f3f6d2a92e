import {
  InkanError,
  jstStartOfDay,
  jstStartOfWeek,
  parsePolicy,
  policyRange,
  type AuditEvent,
  type AuditSearch,
  type FieldError,
  type TenantPolicy,
} from '../core/index.js';
import { auditEvent, iso, requireTenant, type ServiceDeps } from './deps.js';
import { authorizeStaff } from './staff-authorize.js';
import { staffContext, type StaffCaller } from './staff.js';

/** The dashboard: the bank's tokens and today's and this week's activity (JST). */
export interface DashboardView {
  /** Tokens by state (issued, provisioned, active, ended), and live ones locked now. */
  tokens: { issued: number; provisioned: number; active: number; ended: number; locked: number };
  /** Since 00:00 JST today. */
  today: { lockouts: number; failures: number; since: string };
  /** Since Monday 00:00 JST. */
  week: { software: number; hardware: number; since: string };
  /** 管理者 only (null for an オペレーター): what waits for them. */
  pending: { approvals: number; shipments: number } | null;
}

/** The settings the console's policy editor changes (issue 5); the OTP's own shape is not. */
export const EDITABLE_POLICY = [
  'lockoutThreshold',
  'window',
  'issuanceExpiryHours',
  'issuanceLimitCount',
  'issuanceLimitDays',
  'activationPasswordAttempts',
  'reissueNextDay',
  'issueMailOtp',
  'issuePhoneCheck',
  'selfServiceReplace',
] as const;

/** One editable setting. */
export type EditablePolicyField = (typeof EDITABLE_POLICY)[number];

/** The numeric ones, with their ranges (for the form's hints and messages). */
export const POLICY_NUMBERS = [
  'lockoutThreshold',
  'window',
  'issuanceExpiryHours',
  'issuanceLimitCount',
  'issuanceLimitDays',
  'activationPasswordAttempts',
] as const satisfies readonly EditablePolicyField[];

/** The policy editor's view: the values and each number's range. */
export interface PolicyView {
  policy: TenantPolicy;
  /** The editable values as drawn: a save based on other values (another 管理者 saved) is refused. */
  basis: string;
  ranges: Record<(typeof POLICY_NUMBERS)[number], readonly [number, number]>;
}

/** A change as the audit trail and the page show it (no secrets: the policy has none). */
export interface PolicyChange {
  field: EditablePolicyField;
  before: number | boolean;
  after: number | boolean;
}

/** One audit event as the console lists and exports it. */
export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  actorName: string | null;
  action: string;
  result: string | null;
  customerRef: string | null;
  tokenId: number | null;
  clientIp: string | null;
  /** The event's detail, flat (staff reasons, serials, counts; never an OTP or secret). */
  detail: AuditEvent['detail'];
}

/** One page of the audit search. */
export interface AuditPage {
  rows: AuditRow[];
  /** The `beforeId` of the next page; null on the last. */
  nextBeforeId: number | null;
}

/** The audit search's filter as typed (all optional; dates are JST days YYYY-MM-DD). */
export interface AuditFilterInput {
  customerRef?: string;
  staffLoginId?: string;
  action?: string;
  from?: string;
  to?: string;
  beforeId?: string;
}

/** The editable settings' values in one string: what a form was drawn from. */
function basisOf(p: TenantPolicy): string {
  return EDITABLE_POLICY.map((f) => `${f}=${String(p[f])}`).join(';');
}

const FAILURE_ACTIONS = ['otp.verify', 'token.activate', 'token.deactivate'] as const;
const PAGE = 50;
/** The most rows one CSV export holds. */
export const AUDIT_EXPORT_MAX = 50_000;

/**
 * The console's overview and the bank's own settings (issue 5): the dashboard (both roles), the
 * tenant policy editor and the audit trail's search and export (管理者). Every policy change is
 * audited with its before and after values.
 */
export function createConsoleDesk(deps: ServiceDeps) {
  const fail = (errors: FieldError[]): never => {
    throw new InkanError('VALIDATION_FAILED', { errors });
  };

  /** The filter typed into the search form, checked; VALIDATION_FAILED names the bad fields. */
  const parseFilter = async (
    serviceId: string,
    input: AuditFilterInput,
  ): Promise<Omit<AuditSearch, 'limit'>> => {
    const errors: FieldError[] = [];
    const out: { -readonly [K in keyof AuditSearch]?: AuditSearch[K] } = {};
    const text = (v: string | undefined) => (v === undefined ? '' : v.trim());
    const ref = text(input.customerRef);
    if (ref !== '') {
      if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(ref)) out.customerRef = ref;
      else errors.push({ field: 'customerRef', message: 'must be a customer reference' });
    }
    const login = text(input.staffLoginId);
    if (login !== '') {
      const s = /^[A-Za-z0-9][A-Za-z0-9._@-]{2,63}$/.test(login)
        ? await deps.store.findStaffByLoginId(login)
        : null;
      if (s === null || s.serviceId !== serviceId)
        errors.push({ field: 'staffLoginId', message: 'no such staff member' });
      else out.actor = `staff:${s.id}`;
    }
    const action = text(input.action);
    if (action !== '') {
      if (/^[a-z_]+\.[a-z_]+$/.test(action)) out.action = action;
      else errors.push({ field: 'action', message: 'must be an event name' });
    }
    const day = (field: 'from' | 'to') => {
      const v = text(input[field]);
      if (v === '') return undefined;
      const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(v);
      const ms = m === null ? NaN : Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
      if (m === null || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== v) {
        errors.push({ field, message: 'must be a date YYYY-MM-DD' });
        return undefined;
      }
      // A JST day: 00:00 JST is 15:00 UTC the day before.
      return ms - 9 * 3_600_000;
    };
    const from = day('from');
    const to = day('to');
    if (from !== undefined) out.from = from;
    if (to !== undefined) out.to = to + 86_400_000;
    if (from !== undefined && to !== undefined && from > to)
      errors.push({ field: 'to', message: 'must not be before from' });
    const before = text(input.beforeId);
    if (before !== '') {
      if (/^[1-9][0-9]{0,14}$/.test(before)) out.beforeId = Number(before);
      else errors.push({ field: 'beforeId', message: 'must be an event number' });
    }
    if (errors.length > 0) fail(errors);
    return out;
  };

  const rowsOf = async (serviceId: string, events: readonly (AuditEvent & { id: number })[]) => {
    const names = new Map(
      (await deps.store.listStaff(serviceId)).map((x) => [
        `staff:${x.id}`,
        `${x.name}（${x.loginId}）`,
      ]),
    );
    return events.map((e): AuditRow => ({
      id: e.id,
      at: iso(e.at) ?? '',
      actor: e.actor,
      actorName: names.get(e.actor) ?? null,
      action: e.action,
      result: e.result,
      customerRef: e.customerRef,
      tokenId: e.tokenId,
      clientIp: e.clientIp,
      detail: e.detail,
    }));
  };

  return {
    /** The landing page's numbers (both roles); the 管理者's pending work too. */
    async dashboard(caller: StaffCaller): Promise<DashboardView> {
      const s = await authorizeStaff(deps, caller, 'dashboard.read');
      const now = deps.clock.now();
      const today = jstStartOfDay(now);
      const week = jstStartOfWeek(now);
      const [states, locked, lockouts, failures, issued] = await Promise.all([
        deps.store.countTokensByState(s.serviceId),
        deps.store.countLockedTokens(s.serviceId),
        deps.store.countAuditEvents(s.serviceId, { actions: ['token.locked'], since: today }),
        deps.store.countAuditEvents(s.serviceId, {
          actions: FAILURE_ACTIONS,
          results: ['invalid'],
          since: today,
        }),
        deps.store.countIssuedSince(s.serviceId, week),
      ]);
      let pending: DashboardView['pending'] = null;
      if (s.role === 'admin') {
        const [approvals, shipments] = await Promise.all([
          deps.store.listDeactivationRequests(s.serviceId, { pending: true, limit: 1000 }),
          deps.store.listHardwareWaiting(s.serviceId, now, 10_000),
        ]);
        pending = { approvals: approvals.length, shipments: shipments.length };
      }
      return {
        tokens: {
          issued: states['issued'] ?? 0,
          provisioned: states['provisioned'] ?? 0,
          active: states['active'] ?? 0,
          ended: states['ended'] ?? 0,
          locked,
        },
        today: { lockouts, failures, since: iso(today) ?? '' },
        week: {
          software: issued['software'] ?? 0,
          hardware: issued['hardware'] ?? 0,
          since: iso(week) ?? '',
        },
        pending,
      };
    },

    /** The bank's policy and the ranges of its numbers (管理者). */
    async policy(caller: StaffCaller): Promise<PolicyView> {
      const s = await authorizeStaff(deps, caller, 'tenant.policy');
      const t = await requireTenant(deps, s.serviceId);
      return {
        policy: t.policy,
        basis: basisOf(t.policy),
        ranges: Object.fromEntries(
          POLICY_NUMBERS.map((f) => [f, policyRange(f)]),
        ) as PolicyView['ranges'],
      };
    },

    /**
     * Changes the editable settings from the form's strings (numbers as typed, switches as
     * 'on' or absent): every field checked (parsePolicy's rules), nothing written when one is
     * bad; the change audited as `tenant.policy_changed` with each field's before and after.
     */
    async updatePolicy(
      caller: StaffCaller,
      form: Partial<Record<EditablePolicyField, string>>,
      basis: string,
    ): Promise<PolicyChange[]> {
      const s = await authorizeStaff(deps, caller, 'tenant.policy');
      // Read past the tenant cache: the basis is compared with what is stored now.
      const tenant = await deps.store.getTenant(s.serviceId);
      if (tenant === null) throw new InkanError('NOT_FOUND', { resource: 'tenant' });
      if (basis !== basisOf(tenant.policy)) throw new InkanError('POLICY_CHANGED');
      const input: Record<string, number | boolean> = {};
      const errors: FieldError[] = [];
      for (const f of EDITABLE_POLICY) {
        const raw = form[f];
        if ((POLICY_NUMBERS as readonly string[]).includes(f)) {
          const v = (raw ?? '').trim();
          if (/^[0-9]{1,6}$/.test(v)) input[f] = Number(v);
          else {
            const [min, max] = policyRange(f as (typeof POLICY_NUMBERS)[number]);
            errors.push({ field: f, message: `must be an integer from ${min} to ${max}` });
          }
        } else input[f] = raw === 'on';
      }
      if (errors.length > 0) fail(errors);
      const next = parsePolicy(input, tenant.policy);
      const changes: PolicyChange[] = EDITABLE_POLICY.filter(
        (f) => next[f] !== tenant.policy[f],
      ).map((f) => ({ field: f, before: tenant.policy[f], after: next[f] }));
      if (changes.length === 0) return [];
      const detail: Record<string, number | boolean | string> = {
        staffId: s.id,
        changed: changes.map((c) => c.field).join(','),
      };
      for (const c of changes) {
        detail[`${c.field}.before`] = c.before;
        detail[`${c.field}.after`] = c.after;
      }
      await deps.store.transaction(async (tx) => {
        await tx.updateTenantPolicy(s.serviceId, next);
        await tx.appendAudit(
          auditEvent(deps, staffContext(s, caller.clientIp), {
            action: 'tenant.policy_changed',
            result: 'ok',
            detail,
          }),
        );
      });
      deps.auditWritten();
      // This server at once; the others within the tenant cache's time-to-live.
      deps.tenants.invalidate(s.serviceId);
      return changes;
    },

    /** One page (50) of the bank's audit trail, newest first, filtered (管理者). */
    async searchAudit(caller: StaffCaller, input: AuditFilterInput): Promise<AuditPage> {
      const s = await authorizeStaff(deps, caller, 'audit.read');
      const filter = await parseFilter(s.serviceId, input);
      const events = await deps.store.searchAudit(s.serviceId, { ...filter, limit: PAGE + 1 });
      const page = events.slice(0, PAGE);
      return {
        rows: await rowsOf(s.serviceId, page),
        nextBeforeId: events.length > PAGE ? (page[page.length - 1]?.id ?? null) : null,
      };
    },

    /** Every matching event (up to AUDIT_EXPORT_MAX) for the CSV; the export itself audited. */
    async exportAudit(caller: StaffCaller, input: AuditFilterInput): Promise<AuditRow[]> {
      const s = await authorizeStaff(deps, caller, 'audit.read');
      const filter = await parseFilter(s.serviceId, { ...input, beforeId: '' });
      const out: (AuditEvent & { id: number })[] = [];
      let beforeId: number | undefined;
      while (out.length < AUDIT_EXPORT_MAX) {
        const page = await deps.store.searchAudit(s.serviceId, {
          ...filter,
          ...(beforeId === undefined ? {} : { beforeId }),
          limit: Math.min(1000, AUDIT_EXPORT_MAX - out.length),
        });
        out.push(...page);
        if (page.length < 1000) break;
        beforeId = page[page.length - 1]?.id;
      }
      await deps.store.appendAudit(
        auditEvent(deps, staffContext(s, caller.clientIp), {
          action: 'audit.exported',
          result: String(out.length),
          detail: { staffId: s.id, filter: JSON.stringify(input) },
        }),
      );
      deps.auditWritten();
      return rowsOf(s.serviceId, out);
    },
  };
}

/** The console desk's use cases. */
export type ConsoleDesk = ReturnType<typeof createConsoleDesk>;
