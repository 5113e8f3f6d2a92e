import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isInkanError, type FieldError } from '../../../core/index.js';
import { formField, sendHtml } from '../../shared/forms.js';
import type { AdminContext, StaffAuthed } from '../context.js';
import type { Messages } from '../i18n/ja.js';
import { staffPage, type NewStaffForm } from '../views/staff.js';
import { popNotice, refusalPage } from './customers.js';

const DONE = ['created', 'reset', 'locked'] as const;
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
    req: FastifyRequest,
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

  app.get('/staff', async (req, reply) => {
    const a = await ctx.requireStaff(req, reply);
    if (a === null) return reply;
    try {
      const q = req.query as Record<string, unknown>;
      const done = q['done'];
      const who = typeof q['who'] === 'string' ? q['who'].slice(0, 64) : '';
      const notice =
        DONE.includes(done as Done) && who !== ''
          ? a.locale.t.staffAdmin.done[done as Done](who)
          : await popNotice(ctx, a);
      const list = await ctx.o.console.listStaff(a.caller);
      return sendHtml(
        reply,
        staffPage({ locale: a.locale, staff: a.frame, list, ...(notice ? { notice } : {}) }),
      );
    } catch (e) {
      return refusalPage(ctx, req, reply, a, e);
    }
  });

  app.post('/staff', async (req, reply) => {
    const a = await ctx.requireStaff(req, reply);
    if (a === null) return reply;
    if (!ctx.checkCsrf(req, reply, a.session, a)) return reply;
    const input = {
      loginId: formField(req, 'loginId').trim(),
      name: formField(req, 'name'),
      role: formField(req, 'role'),
      password: formField(req, 'password'),
    };
    try {
      const s = await ctx.o.console.createStaff(a.caller, input);
      return reply.redirect(`/admin/staff?done=created&who=${encodeURIComponent(s.loginId)}`, 303);
    } catch (e) {
      const errors = addErrors(a.locale.t, e);
      if (errors === null) return refusalPage(ctx, req, reply, a, e);
      try {
        return await draw(
          req,
          reply,
          a,
          {
            add: {
              loginId: input.loginId.slice(0, 64),
              name: input.name.slice(0, 64),
              role: input.role === 'admin' ? 'admin' : 'operator',
              errors,
            },
          },
          400,
        );
      } catch (e2) {
        return refusalPage(ctx, req, reply, a, e2);
      }
    }
  });

  const action = (
    path: string,
    act: (a: StaffAuthed, id: number) => Promise<{ loginId: string }>,
    done: Done | 'unlocked',
  ) =>
    app.post(`/staff/:id/${path}`, async (req, reply) => {
      const a = await ctx.requireStaff(req, reply);
      if (a === null) return reply;
      if (!ctx.checkCsrf(req, reply, a.session, a)) return reply;
      const id = idOf(req);
      if (id === null) return ctx.sorry(req, reply, 404, 'notFound', a);
      try {
        const target = await act(a, id);
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
      } catch (e) {
        if (isInkanError(e, 'NOT_FOUND')) return ctx.sorry(req, reply, 404, 'notFound', a);
        return refusalPage(ctx, req, reply, a, e);
      }
    });

  action('unlock', (a, id) => ctx.o.console.unlockStaff(a.caller, id), 'unlocked');
  action('reset-totp', (a, id) => ctx.o.console.resetStaffAuthenticator(a.caller, id), 'reset');
  action('lock', (a, id) => ctx.o.console.lockStaff(a.caller, id), 'locked');
}
