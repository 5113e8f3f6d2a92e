import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isInkanError, type FieldError } from '../../../core/index.js';
import { formField, sendHtml } from '../../shared/forms.js';
import type { AdminContext, StaffAuthed } from '../context.js';
import { approvalsPage, requestPage } from '../views/approvals.js';
import { messagePage } from '../views/layout.js';
import { refusalPage, staffForm, staffScreen } from './staff-route.js';

const DONE = ['requested', 'approved', 'rejected', 'cancelled'] as const;
type Done = (typeof DONE)[number];

/** A request ID of the path; null when it is not one. */
function idOf(req: FastifyRequest): number | null {
  const raw = (req.params as { id: string }).id;
  return /^[1-9][0-9]{0,14}$/.test(raw) ? Number(raw) : null;
}

/**
 * Forced 利用解除 on a paper request under four eyes (guide 004, issue 5), 管理者 only: the
 * request form on a customer, the 承認待ち list, approve and reject/withdraw. The platform checks
 * the role, the bank and that the approver is not the requester; the pages only draw.
 */
export function registerAdminApprovalRoutes(app: FastifyInstance, ctx: AdminContext): void {
  const { o } = ctx;

  /** The message page of a refusal particular to four eyes. */
  const fourEyesRefusal = (
    req: FastifyRequest,
    reply: FastifyReply,
    a: StaffAuthed,
    e: unknown,
  ): FastifyReply => {
    const f = a.locale.t.fourEyes;
    const link = { href: '/admin/approvals', label: f.toList };
    if (isInkanError(e, 'OWN_REQUEST'))
      return sendHtml(
        reply,
        messagePage({
          locale: { ...a.locale, here: link.href },
          title: f.ownTitle,
          text: f.ownText,
          link,
          staff: a.frame,
          nav: 'approvals',
        }),
        403,
      );
    if (isInkanError(e, 'REQUEST_DECIDED'))
      return sendHtml(
        reply,
        messagePage({
          locale: { ...a.locale, here: link.href },
          title: f.decidedTitle,
          text: f.decidedText,
          link,
          staff: a.frame,
          nav: 'approvals',
        }),
        409,
      );
    if (isInkanError(e, 'NOT_FOUND')) return ctx.sorry(req, reply, 404, 'notFound', a);
    return refusalPage(ctx, req, reply, a, e);
  };

  app.get(
    '/customers/:ref/deactivate',
    staffScreen(ctx, async (req, reply, a) => {
      // 管理者 only: not drawn for an オペレーター (the platform refuses the POST as well).
      if (a.staff.role !== 'admin') return ctx.sorry(req, reply, 403, 'forbidden', a);
      const { ref } = req.params as { ref: string };
      const detail = await o.console.detail(a.caller, ref);
      return sendHtml(reply, requestPage({ locale: a.locale, staff: a.frame, detail }));
    }),
  );

  app.post(
    '/customers/:ref/deactivate',
    staffForm(ctx, async (req, reply, a) => {
      const { ref } = req.params as { ref: string };
      const reason = formField(req, 'reason');
      const paperRef = formField(req, 'paperRef');
      const f = a.locale.t.fourEyes;
      let errors: { reason?: string; paperRef?: string; form?: string };
      let status = 400;
      try {
        await o.console.requestDeactivation(a.caller, ref, { reason, paperRef });
        return reply.redirect('/admin/approvals?done=requested', 303);
      } catch (e) {
        if (isInkanError(e, 'VALIDATION_FAILED')) {
          const fields = ((e.extra['errors'] ?? []) as FieldError[]).map((x) => x.field);
          errors = {
            ...(fields.includes('reason') ? { reason: f.reasonBad } : {}),
            ...(fields.includes('paperRef') ? { paperRef: f.paperRefBad } : {}),
          };
        } else if (isInkanError(e, 'REQUEST_PENDING')) {
          errors = { form: f.pendingAlready };
          status = 409;
        } else if (isInkanError(e, 'NOT_FOUND') && e.extra['resource'] === 'token') {
          errors = { form: f.noToken };
          status = 409;
        } else throw e;
      }
      const detail = await o.console.detail(a.caller, ref);
      return sendHtml(
        reply,
        requestPage({
          locale: { ...a.locale, here: req.url },
          staff: a.frame,
          detail,
          reason: reason.slice(0, 200),
          paperRef: paperRef.slice(0, 32),
          errors,
        }),
        status,
      );
    }),
  );

  app.get(
    '/approvals',
    staffScreen(ctx, async (req, reply, a) => {
      const list = await o.console.deactivationRequests(a.caller);
      const done = (req.query as Record<string, unknown>)['done'];
      const notice = DONE.includes(done as Done)
        ? a.locale.t.fourEyes.done[done as Done]
        : undefined;
      return sendHtml(
        reply,
        approvalsPage({ locale: a.locale, staff: a.frame, list, ...(notice ? { notice } : {}) }),
      );
    }),
  );

  /** The 承認待ち list again, with a refusal next to request `id`. */
  const listWithError = async (
    reply: FastifyReply,
    a: StaffAuthed,
    error: { id: number; text: string; reason: string; kind?: 'approve' },
  ) =>
    sendHtml(
      reply,
      approvalsPage({
        locale: { ...a.locale, here: '/admin/approvals' },
        staff: a.frame,
        list: await o.console.deactivationRequests(a.caller),
        error,
      }),
      400,
    );

  app.post(
    '/approvals/:id/approve',
    staffForm(ctx, async (req, reply, a) => {
      const id = idOf(req);
      if (id === null) return ctx.sorry(req, reply, 404, 'notFound', a);
      // The approver confirms they checked the paper itself (four eyes on the document, guide 004).
      if (formField(req, 'checked') !== 'on') {
        const text = a.locale.t.fourEyes.checkedBad;
        return listWithError(reply, a, { id, text, reason: '', kind: 'approve' });
      }
      try {
        await o.console.approveDeactivation(a.caller, id);
      } catch (e) {
        return fourEyesRefusal(req, reply, a, e);
      }
      return reply.redirect('/admin/approvals?done=approved', 303);
    }),
  );

  app.post(
    '/approvals/:id/reject',
    staffForm(ctx, async (req, reply, a) => {
      const id = idOf(req);
      if (id === null) return ctx.sorry(req, reply, 404, 'notFound', a);
      const reason = formField(req, 'reason');
      let state: string;
      try {
        state = (await o.console.rejectDeactivation(a.caller, id, reason)).state;
      } catch (e) {
        if (!isInkanError(e, 'VALIDATION_FAILED')) return fourEyesRefusal(req, reply, a, e);
        const text = a.locale.t.unlock.reasonBad;
        return listWithError(reply, a, { id, text, reason: reason.slice(0, 200) });
      }
      return reply.redirect(`/admin/approvals?done=${state}`, 303);
    }),
  );
}
