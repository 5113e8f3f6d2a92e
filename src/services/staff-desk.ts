import {
  checkStaffReason,
  InkanError,
  mayStaff,
  type AuditEvent,
  type CustomerRecord,
  type StaffPermission,
  type StaffRecord,
  type StoredToken,
} from '../core/index.js';
import { requireTenant, auditEvent, iso, type ServiceDeps } from './deps.js';
import { staffContext, type StaffCaller } from './staff.js';
import { currentToken, getCustomerToken, unlockToken } from './unlock-token.js';
import type { TokenView } from './token-view.js';

/** A search hit: one customer of the bank and what identifies their current token. */
export interface CustomerHit {
  ref: string;
  state: TokenView['state'];
  type: StoredToken['type'] | null;
  userId: string | null;
  serial: string | null;
  email: string | null;
  locked: boolean;
}

/** One token of a customer's history (ended ones too). */
export interface TokenHistoryItem {
  id: number;
  type: StoredToken['type'];
  state: StoredToken['state'];
  userId: string;
  serial: string | null;
  email: string | null;
  issuedAt: string;
  activatedAt: string | null;
  endedAt: string | null;
  endReason: StoredToken['endReason'];
}

/** One event of the audit trail as staff read it. */
export interface HistoryEntry {
  id: number;
  at: string;
  action: string;
  result: string | null;
  tokenId: number | null;
  /** `api:…`, `portal`, `app`, `cli`, `system`, or `staff:<id>`. */
  actor: string;
  /** For `staff:<id>`: who that is (same bank). */
  actorName: string | null;
  /** The reason staff gave, when the event has one. */
  reason: string | null;
}

/** 発行規制: issuances counted toward the bank's limit, and whether it holds now. */
export interface IssuanceLimitView {
  restricted: boolean;
  counted: number;
  limit: number;
  periodDays: number;
  liftedAt: string | null;
}

/** トークン詳細: a customer's token, its history and the audit trail, newest first. */
export interface CustomerDetail {
  ref: string;
  createdAt: string;
  token: TokenView | null;
  /** Email of the current software token (TokenView has none). */
  email: string | null;
  tokens: TokenHistoryItem[];
  issuance: IssuanceLimitView;
  history: HistoryEntry[];
  /** A 書面による利用解除 waiting for a second 管理者's approval (issue 5), if any. */
  pendingPaperRequest: { id: number; requestedAt: string } | null;
}

/** How many audit events the detail shows. */
const HISTORY_LIMIT = 200;

/**
 * The bank staff's work on customers (admin console): search, トークン詳細, 閉塞解除 and lifting
 * 発行規制. Each call re-reads the staff member (a lock or a changed role holds at once), is
 * confined to the staff member's own bank (another bank's customer is NOT_FOUND), checks the
 * role on the server (FORBIDDEN, audited) and is on record.
 */
export function createStaffDesk(deps: ServiceDeps) {
  const audit = async (e: AuditEvent) => {
    await deps.store.appendAudit(e);
    deps.auditWritten();
  };

  /** The acting staff member, allowed `permission`; else UNAUTHORIZED or FORBIDDEN. */
  const authorize = async (
    caller: StaffCaller,
    permission: StaffPermission,
    customerRef: string | null = null,
  ): Promise<StaffRecord> => {
    const s = await deps.store.getStaff(caller.staffId);
    if (s === null || s.lockedAt !== null || !s.totpConfirmed) throw new InkanError('UNAUTHORIZED');
    if (!mayStaff(s.role, permission)) {
      await audit(
        auditEvent(deps, staffContext(s, caller.clientIp), {
          action: 'staff.forbidden',
          customerRef,
          result: permission,
          detail: { staffId: s.id, role: s.role },
        }),
      );
      throw new InkanError('FORBIDDEN');
    }
    return s;
  };

  const requireCustomer = async (s: StaffRecord, ref: string): Promise<CustomerRecord> => {
    const c = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(ref)
      ? await deps.store.getCustomer(s.serviceId, ref)
      : null;
    if (c === null) throw new InkanError('NOT_FOUND', { resource: 'customer' });
    return c;
  };

  const reasonOf = (input: string): string => {
    const bad = checkStaffReason(input);
    if (bad !== null) throw new InkanError('VALIDATION_FAILED', { errors: [bad] });
    return input.trim();
  };

  const issuanceOf = async (c: CustomerRecord): Promise<IssuanceLimitView> => {
    const { policy } = await requireTenant(deps, c.serviceId);
    const now = deps.clock.now();
    const since = Math.max(
      now - policy.issuanceLimitDays * 86_400_000,
      c.issuanceLimitResetAt ?? 0,
    );
    const counted = await deps.store.countIssuances(c.id, since);
    return {
      restricted: counted >= policy.issuanceLimitCount,
      counted,
      limit: policy.issuanceLimitCount,
      periodDays: policy.issuanceLimitDays,
      liftedAt: iso(c.issuanceLimitResetAt),
    };
  };

  /** The customer's events: by reference, and by token (provisioning has no reference). */
  const historyOf = async (
    s: StaffRecord,
    c: CustomerRecord,
    tokens: readonly StoredToken[],
  ): Promise<HistoryEntry[]> => {
    const pages = await Promise.all([
      deps.store.listAudit({ serviceId: s.serviceId, customerRef: c.ref, limit: HISTORY_LIMIT }),
      ...tokens.map((t) =>
        deps.store.listAudit({ serviceId: s.serviceId, tokenId: t.id, limit: HISTORY_LIMIT }),
      ),
    ]);
    const byId = new Map<number, AuditEvent & { id: number }>();
    for (const page of pages) for (const e of page) byId.set(e.id, e);
    const names = new Map(
      (await deps.store.listStaff(s.serviceId)).map((x) => [`staff:${x.id}`, x.name]),
    );
    return [...byId.values()]
      .sort((a, b) => b.id - a.id)
      .slice(0, HISTORY_LIMIT)
      .map((e) => ({
        id: e.id,
        at: iso(e.at) ?? '',
        action: e.action,
        result: e.result,
        tokenId: e.tokenId,
        actor: e.actor,
        actorName: names.get(e.actor) ?? null,
        reason: typeof e.detail['reason'] === 'string' ? e.detail['reason'] : null,
      }));
  };

  return {
    /**
     * 顧客検索: the bank's customers whose reference, ユーザID, serial or e-mail (any case) is
     * exactly `query` (no partial matches: staff look up what the customer tells them).
     */
    async search(caller: StaffCaller, queryInput: string): Promise<CustomerHit[]> {
      const s = await authorize(caller, 'customer.read');
      const query = queryInput.trim();
      if (query.length < 1 || query.length > 64 || /\p{Cc}/u.test(query))
        throw new InkanError('VALIDATION_FAILED', {
          errors: [{ field: 'q', message: 'must be 1-64 characters' }],
        });
      const found = await deps.store.searchCustomers(s.serviceId, query, 20);
      await audit(
        auditEvent(deps, staffContext(s, caller.clientIp), {
          action: 'staff.customer_search',
          result: String(found.length),
          detail: { staffId: s.id, query },
        }),
      );
      return Promise.all(
        found.map(async (c) => {
          const t = currentToken(await deps.store.liveTokens(c.id));
          return {
            ref: c.ref,
            state: t === null ? 'none' : t.state === 'ended' ? 'none' : t.state,
            type: t?.type ?? null,
            userId: t?.userId ?? null,
            serial: t?.serial ?? null,
            email: t?.email ?? null,
            locked: t?.locked ?? false,
          };
        }),
      );
    },

    /** トークン詳細: the token (with a pending 機種変更), every token before it, the trail. */
    async detail(caller: StaffCaller, ref: string): Promise<CustomerDetail> {
      const s = await authorize(caller, 'customer.read', ref);
      const c = await requireCustomer(s, ref);
      const ctx = staffContext(s, caller.clientIp);
      let token: TokenView | null = null;
      try {
        token = await getCustomerToken(deps, ctx, c.ref);
      } catch (e) {
        if (!(e instanceof InkanError && e.code === 'NOT_FOUND')) throw e;
      }
      const tokens = await deps.store.customerTokenHistory(c.id);
      await audit(
        auditEvent(deps, ctx, {
          action: 'staff.customer_viewed',
          customerRef: c.ref,
          result: 'ok',
          detail: { staffId: s.id },
        }),
      );
      const current = currentToken(tokens.filter((t) => t.state !== 'ended'));
      return {
        ref: c.ref,
        createdAt: iso(c.createdAt) ?? '',
        token,
        email: current?.email ?? null,
        tokens: tokens.map((t) => ({
          id: t.id,
          type: t.type,
          state: t.state,
          userId: t.userId,
          serial: t.serial,
          email: t.email,
          issuedAt: iso(t.issuedAt) ?? '',
          activatedAt: iso(t.activatedAt),
          endedAt: iso(t.endedAt),
          endReason: t.endReason,
        })),
        issuance: await issuanceOf(c),
        history: await historyOf(s, c, tokens),
        pendingPaperRequest: await deps.store
          .pendingDeactivationRequest(c.id)
          .then((r) => (r === null ? null : { id: r.id, requestedAt: iso(r.requestedAt) ?? '' })),
      };
    },

    /** 閉塞解除 with a reason (both roles): the platform's unlockToken as `staff:<id>`. */
    async unlockToken(caller: StaffCaller, ref: string, reasonInput: string): Promise<TokenView> {
      const s = await authorize(caller, 'token.unlock', ref);
      const reason = reasonOf(reasonInput);
      const c = await requireCustomer(s, ref);
      return unlockToken(deps, staffContext(s, caller.clientIp), c.ref, { reason });
    },

    /** Lifting 発行規制 (管理者 only): only issuances after now count toward the limit. */
    async liftIssuanceLimit(
      caller: StaffCaller,
      ref: string,
      reasonInput: string,
    ): Promise<IssuanceLimitView> {
      const s = await authorize(caller, 'customer.lift_issuance_limit', ref);
      const reason = reasonOf(reasonInput);
      const c = await requireCustomer(s, ref);
      const before = await issuanceOf(c);
      const now = deps.clock.now();
      await deps.store.transaction(async (tx) => {
        await tx.lockCustomer(c.id);
        await tx.liftIssuanceLimit(c.id, now);
        await tx.appendAudit(
          auditEvent(deps, staffContext(s, caller.clientIp), {
            action: 'customer.issuance_limit_lifted',
            customerRef: c.ref,
            result: before.restricted ? 'lifted' : 'not_restricted',
            detail: { reason, counted: before.counted, staffId: s.id },
          }),
        );
      });
      deps.auditWritten();
      return issuanceOf({ ...c, issuanceLimitResetAt: now });
    },
  };
}

/** The staff desk's use cases. */
export type StaffDesk = ReturnType<typeof createStaffDesk>;
