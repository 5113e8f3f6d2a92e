import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  EDITABLE_POLICY,
  POLICY_NUMBERS,
  type AuditFilterInput,
  type EditablePolicyField,
} from '../../../client/index.js';
import { isInkanError, type FieldError } from '../../../core/index.js';
import { formField, sendHtml } from '../../shared/forms.js';
import type { AdminContext, StaffAuthed } from '../context.js';
import { toCsv } from '../csv.js';
import type { Messages } from '../i18n/ja.js';
import { jstDate } from '../../../core/index.js';
import {
  auditCsvRows,
  auditPage,
  dashboardPage,
  policyPage,
  type AuditFilterForm,
} from '../views/overview.js';
import { popNotice } from './customers.js';
import { staffForm, staffScreen } from './staff-route.js';

function filterOf(req: FastifyRequest): AuditFilterForm & { beforeId: string } {
  const q = req.query as Record<string, unknown>;
  const s = (k: string) => (typeof q[k] === 'string' ? (q[k] as string).slice(0, 64) : '');
  return {
    customerRef: s('customerRef'),
    staffLoginId: s('staffLoginId'),
    action: s('action'),
    from: s('from'),
    to: s('to'),
    beforeId: s('beforeId'),
  };
}

function auditErrors(t: Messages, e: { extra: Readonly<Record<string, unknown>> }) {
  const fields = ((e.extra['errors'] ?? []) as FieldError[]).map((x) => x.field);
  const a = t.audit;
  const out: Partial<Record<keyof AuditFilterForm, string>> = {};
  if (fields.includes('customerRef')) out.customerRef = a.refBad;
  if (fields.includes('staffLoginId')) out.staffLoginId = a.staffBad;
  if (fields.includes('action')) out.action = a.actionBad;
  if (fields.includes('from')) out.from = a.dateBad;
  if (fields.includes('to'))
    out.to = ((e.extra['errors'] ?? []) as FieldError[]).some(
      (x) => x.field === 'to' && x.message.includes('before'),
    )
      ? a.rangeBad
      : a.dateBad;
  return out;
}

/**
 * ダッシュボード (the landing page, both roles), 運用設定 (the tenant policy editor) and 操作履歴
 * (audit search, paging, CSV export), the last two 管理者 only (the platform checks the role).
 */
export function registerAdminOverviewRoutes(app: FastifyInstance, ctx: AdminContext): void {
  const { o } = ctx;

  app.get(
    '/dashboard',
    staffScreen(ctx, async (_req, reply, a) => {
      const view = await o.console.dashboard(a.caller);
      const notice = await popNotice(ctx, a);
      return sendHtml(
        reply,
        dashboardPage({ locale: a.locale, staff: a.frame, view, ...(notice ? { notice } : {}) }),
      );
    }),
  );

  app.get(
    '/policy',
    staffScreen(ctx, async (_req, reply, a) => {
      const view = await o.console.policy(a.caller);
      return sendHtml(reply, policyPage({ locale: a.locale, staff: a.frame, view }));
    }),
  );

  app.post(
    '/policy',
    staffForm(ctx, async (req, reply, a) => {
      const form: Partial<Record<EditablePolicyField, string>> = {};
      for (const f of EDITABLE_POLICY) form[f] = formField(req, f);
      const locale = { ...a.locale, here: '/admin/policy' };
      const basis = formField(req, 'basis');
      try {
        const changes = await o.console.updatePolicy(a.caller, form, basis);
        const view = await o.console.policy(a.caller);
        return sendHtml(reply, policyPage({ locale, staff: a.frame, view, changes }));
      } catch (e) {
        // Drawn afresh from what is stored now: after POLICY_CHANGED, the other 管理者's values
        // are what to look at.
        if (isInkanError(e, 'POLICY_CHANGED')) {
          const view = await o.console.policy(a.caller);
          const formError = a.locale.t.policy.changedMeanwhile;
          return sendHtml(reply, policyPage({ locale, staff: a.frame, view, formError }), 409);
        }
        if (!isInkanError(e, 'VALIDATION_FAILED')) throw e;
        const view = await o.console.policy(a.caller);
        const bad = ((e.extra['errors'] ?? []) as FieldError[]).map((x) => x.field);
        const errors: Partial<Record<EditablePolicyField, string>> = {};
        for (const f of POLICY_NUMBERS)
          if (bad.includes(f)) errors[f] = a.locale.t.policy.bad(...view.ranges[f]);
        return sendHtml(
          reply,
          policyPage({ locale, staff: a.frame, view, values: form, errors, basis }),
          400,
        );
      }
    }),
  );

  /** The 操作履歴 page with the filter's errors. */
  const auditRefused = (
    reply: FastifyReply,
    a: StaffAuthed,
    filter: AuditFilterForm,
    e: { extra: Readonly<Record<string, unknown>> },
  ) =>
    sendHtml(
      reply,
      auditPage({
        locale: a.locale,
        staff: a.frame,
        filter,
        page: null,
        errors: auditErrors(a.locale.t, e),
      }),
      400,
    );

  app.get(
    '/audit',
    staffScreen(ctx, async (req, reply, a) => {
      const { beforeId, ...filter } = filterOf(req);
      const input: AuditFilterInput = { ...filter, beforeId };
      try {
        const page = await o.console.searchAudit(a.caller, input);
        return sendHtml(
          reply,
          auditPage({ locale: a.locale, staff: a.frame, filter, page, paged: beforeId !== '' }),
        );
      } catch (e) {
        if (!isInkanError(e, 'VALIDATION_FAILED')) throw e;
        return auditRefused(reply, a, filter, e);
      }
    }),
  );

  app.get(
    '/audit.csv',
    staffScreen(ctx, async (req, reply, a) => {
      const { beforeId: _ignored, ...filter } = filterOf(req);
      try {
        const rows = await o.console.exportAudit(a.caller, filter);
        const name = `inkan-audit-${a.staff.serviceId}-${jstDate(Date.now()).replace(/-/g, '')}.csv`;
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(toCsv(auditCsvRows(a.locale.t, rows)));
      } catch (e) {
        if (!isInkanError(e, 'VALIDATION_FAILED')) throw e;
        return auditRefused(reply, a, filter, e);
      }
    }),
  );
}
