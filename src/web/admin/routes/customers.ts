import type { FastifyInstance } from 'fastify';
import { isInkanError } from '../../../core/index.js';
import { formField, sendHtml } from '../../shared/forms.js';
import type { AdminContext, StaffAuthed } from '../context.js';
import type { StaffNotice } from '../session.js';
import { staffForm, staffScreen } from './staff-route.js';
import { customerHref, detailPage, reasonPage, searchPage } from '../views/customers.js';
import type { Messages } from '../i18n/ja.js';

/** A notice's words in the page's language. */
export function noticeText(t: Messages, n: StaffNotice | undefined): string | undefined {
  if (n === undefined) return undefined;
  switch (n.key) {
    case 'enrolled':
      return t.enrol.done;
    case 'passwordChanged':
      return t.password.done;
    case 'unlocked':
      return t.detail.unlocked;
    case 'lifted':
      return t.detail.lifted;
    case 'staffUnlocked':
      return t.staff.unlocked(n.loginId);
  }
}

/** Takes the session's notice for this page (it is shown once). */
export async function popNotice(ctx: AdminContext, a: StaffAuthed): Promise<string | undefined> {
  const { notice, ...rest } = a.session.data;
  if (notice === undefined) return undefined;
  await ctx.sessions.save(a.session, rest);
  return noticeText(a.locale.t, notice);
}

/** 顧客検索 → トークン詳細 → 閉塞解除 / 発行規制の解除, within the staff member's own bank. */
export function registerAdminCustomerRoutes(app: FastifyInstance, ctx: AdminContext): void {
  const { o } = ctx;

  app.get(
    '/customers',
    staffScreen(ctx, async (req, reply, a) => {
      const notice = await popNotice(ctx, a);
      const raw = (req.query as Record<string, unknown>)['q'];
      const t = a.locale.t.search;
      if (raw === undefined)
        return sendHtml(
          reply,
          searchPage({ locale: a.locale, staff: a.frame, ...(notice ? { notice } : {}) }),
        );
      const query = typeof raw === 'string' ? raw.trim() : '';
      if (query === '' || query.length > 64 || /\p{Cc}/u.test(query))
        return sendHtml(
          reply,
          searchPage({
            locale: a.locale,
            staff: a.frame,
            query: typeof raw === 'string' ? raw.slice(0, 64) : '',
            error: query === '' ? t.queryRequired : t.queryBad,
          }),
          400,
        );
      const hits = await o.console.search(a.caller, query);
      return sendHtml(reply, searchPage({ locale: a.locale, staff: a.frame, query, hits }));
    }),
  );

  app.get(
    '/customers/:ref',
    staffScreen(ctx, async (req, reply, a) => {
      const { ref } = req.params as { ref: string };
      const detail = await o.console.detail(a.caller, ref);
      const notice = await popNotice(ctx, a);
      return sendHtml(
        reply,
        detailPage({ locale: a.locale, staff: a.frame, detail, ...(notice ? { notice } : {}) }),
      );
    }),
  );

  /** The reason screens: GET draws, POST acts (the platform checks the role and the reason). */
  const reasonRoutes = (
    kind: 'unlock' | 'lift',
    path: string,
    act: (a: StaffAuthed, ref: string, reason: string) => Promise<unknown>,
    notice: StaffNotice,
  ) => {
    app.get(
      `/customers/:ref${path}`,
      staffScreen(ctx, async (req, reply, a) => {
        // The page of a 管理者-only action is not drawn for an オペレーター (nor is its link).
        if (kind === 'lift' && a.staff.role !== 'admin')
          return ctx.sorry(req, reply, 403, 'forbidden', a);
        const { ref } = req.params as { ref: string };
        const detail = await o.console.detail(a.caller, ref);
        return sendHtml(reply, reasonPage({ locale: a.locale, staff: a.frame, kind, detail }));
      }),
    );

    app.post(
      `/customers/:ref${path}`,
      staffForm(ctx, async (req, reply, a) => {
        const { ref } = req.params as { ref: string };
        const reason = formField(req, 'reason');
        try {
          // The platform checks the role first (an オペレーター gets 403 whatever the reason),
          // then the reason (1-200 characters).
          await act(a, ref, reason);
        } catch (e) {
          if (!isInkanError(e, 'VALIDATION_FAILED')) throw e;
          const detail = await o.console.detail(a.caller, ref);
          return sendHtml(
            reply,
            reasonPage({
              locale: a.locale,
              staff: a.frame,
              kind,
              detail,
              reason: reason.slice(0, 200),
              error: a.locale.t.unlock.reasonBad,
            }),
            400,
          );
        }
        await ctx.sessions.save(a.session, { ...a.session.data, notice });
        return reply.redirect(customerHref(ref), 303);
      }),
    );
  };

  reasonRoutes(
    'unlock',
    '/unlock',
    (a, ref, reason) => o.console.unlockToken(a.caller, ref, reason),
    {
      key: 'unlocked',
    },
  );
  reasonRoutes(
    'lift',
    '/issuance-limit',
    (a, ref, reason) => o.console.liftIssuanceLimit(a.caller, ref, reason),
    { key: 'lifted' },
  );
}
