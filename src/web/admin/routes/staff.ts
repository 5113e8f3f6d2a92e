import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isInkanError, type FieldError } from '../../../core/index.js';
import { formField, sendHtml } from '../../shared/forms.js';
import type { AdminContext, StaffAuthed } from '../context.js';
import type { Messages } from '../i18n/ja.js';
import { staffPage, temporaryPasswordPage, type NewStaffForm } from '../views/staff.js';
import { popNotice } from './customers.js';
import { staffForm, staffScreen } from './staff-route.js';

const DONE = ['created', 'reset', 'locked', 'password'] as const;
type Done = (typeof DONE)[number];

function idOf(req: FastifyRequest): number | null {
  const raw = (req.params as { id: string }).id;
  return /^[1-9][0-9]{0,14}$/.test(raw) ? Number(raw) : null;
}

function addErrors(t: Messages, e: unknown): NewStaffForm['errors'] | null {
  const a = t.staffAdmin;
  if (isInkanError(e, 'STAFF_EXISTS')) return { loginId: a.loginIdTaken };
  if (!isInkanError(e, 'VALIDATION_FAILED')) return null;
  const fields = ((e.extra['errors'] ?? []) as FieldError[]).map((x) => x.field);
  return {
    ...(fields.includes('loginId') ? { loginId: a.loginIdBad } : {}),
    ...(fields.includes('name') ? { name: a.nameBad } : {}),
    ...(fields.includes('role') ? { role: a.roleBad } : {}),
    ...(fields.includes('password') ? { password: a.passwordBad } : {}),
  };
}

/**
 * 行員管理 (管理者 only, enforced by the platform): the bank's staff, adding one, ロック解除,
 * 認証アプリ再登録 and ロック.
 */
export function registerAdminStaffRoutes(app: FastifyInstance, ctx: AdminContext): void {
  const draw = async (
    reply: FastifyReply,
    a: StaffAuthed,
    extra: { notice?: string; add?: NewStaffForm } = {},
    status = 200,
  ) => {
    const list = await ctx.o.console.listStaff(a.caller);
    return sendHtml(
      reply,
      staffPage({ locale: { ...a.locale, here: '/admin/staff' }, staff: a.frame, list, ...extra }),
      status,
    );
  };

  app.get(
    '/staff',
    staffScreen(ctx, async (req, reply, a) => {
      const q = req.query as Record<string, unknown>;
      const done = q['done'];
      const who = typeof q['who'] === 'string' ? q['who'].slice(0, 64) : '';
      const notice =
        DONE.includes(done as Done) && who !== ''
          ? a.locale.t.staffAdmin.done[done as Done](who)
          : await popNotice(ctx, a);
      return draw(reply, a, notice ? { notice } : {});
    }),
  );

  app.post(
    '/staff',
    staffForm(ctx, async (req, reply, a) => {
      const input = {
        loginId: formField(req, 'loginId').trim(),
        name: formField(req, 'name'),
        role: formField(req, 'role'),
        password: formField(req, 'password'),
      };
      try {
        const s = await ctx.o.console.createStaff(a.caller, input);
        return reply.redirect(
          `/admin/staff?done=created&who=${encodeURIComponent(s.loginId)}`,
          303,
        );
      } catch (e) {
        const errors = addErrors(a.locale.t, e);
        if (errors === null) throw e;
        const add: NewStaffForm = {
          loginId: input.loginId.slice(0, 64),
          name: input.name.slice(0, 64),
          role: input.role === 'admin' ? 'admin' : 'operator',
          errors,
        };
        return draw(reply, a, { add }, 400);
      }
    }),
  );

  const action = (
    path: string,
    act: (a: StaffAuthed, id: number) => Promise<{ loginId: string }>,
    done: Done | 'unlocked',
  ) =>
    app.post(
      `/staff/:id/${path}`,
      staffForm(ctx, async (req, reply, a) => {
        const id = idOf(req);
        if (id === null) return ctx.sorry(req, reply, 404, 'notFound', a);
        let target: { loginId: string };
        try {
          target = await act(a, id);
        } catch (e) {
          // Not a staff member of this bank: the staff page's own not-found, not the customer's.
          if (isInkanError(e, 'NOT_FOUND')) return ctx.sorry(req, reply, 404, 'notFound', a);
          throw e;
        }
        if (done === 'unlocked') {
          await ctx.sessions.save(a.session, {
            ...a.session.data,
            notice: { key: 'staffUnlocked', loginId: target.loginId },
          });
          return reply.redirect('/admin/staff', 303);
        }
        return reply.redirect(
          `/admin/staff?done=${done}&who=${encodeURIComponent(target.loginId)}`,
          303,
        );
      }),
    );

  /** The member of the path, within the 管理者's bank (the platform refuses others later too). */
  const memberOf = async (a: StaffAuthed, id: number) =>
    (await ctx.o.console.listStaff(a.caller)).find((x) => x.id === id && x.id !== a.staff.id) ??
    null;

  app.get(
    '/staff/:id/password',
    staffScreen(ctx, async (req, reply, a) => {
      const id = idOf(req);
      // One's own password is changed on the パスワード変更 screen, never by a temporary one.
      if (id === a.staff.id) return reply.redirect('/admin/password', 303);
      const member = id === null ? null : await memberOf(a, id);
      if (member === null) return ctx.sorry(req, reply, 404, 'notFound', a);
      return sendHtml(reply, temporaryPasswordPage({ locale: a.locale, staff: a.frame, member }));
    }),
  );

  app.post(
    '/staff/:id/password',
    staffForm(ctx, async (req, reply, a) => {
      const id = idOf(req);
      if (id === null) return ctx.sorry(req, reply, 404, 'notFound', a);
      if (id === a.staff.id) return reply.redirect('/admin/password', 303); // nothing changes
      // Each try costs a scrypt hash: limited like logins.
      if (!(await ctx.limit(req, reply, 'passwordPerStaff', `s${a.staff.id}`))) return reply;
      let target: { loginId: string };
      try {
        target = await ctx.o.console.setStaffTemporaryPassword(
          a.caller,
          id,
          formField(req, 'password'),
        );
      } catch (e) {
        if (isInkanError(e, 'NOT_FOUND')) return ctx.sorry(req, reply, 404, 'notFound', a);
        if (!isInkanError(e, 'VALIDATION_FAILED')) throw e;
        const member = await memberOf(a, id);
        if (member === null) return ctx.sorry(req, reply, 404, 'notFound', a);
        const error = a.locale.t.staffAdmin.tempBad;
        const page = temporaryPasswordPage({ locale: a.locale, staff: a.frame, member, error });
        return sendHtml(reply, page, 400);
      }
      return reply.redirect(
        `/admin/staff?done=password&who=${encodeURIComponent(target.loginId)}`,
        303,
      );
    }),
  );

  action('unlock', (a, id) => ctx.o.console.unlockStaff(a.caller, id), 'unlocked');
  action('reset-totp', (a, id) => ctx.o.console.resetStaffAuthenticator(a.caller, id), 'reset');
  action('lock', (a, id) => ctx.o.console.lockStaff(a.caller, id), 'locked');
}
