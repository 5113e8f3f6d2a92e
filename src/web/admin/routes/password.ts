import type { FastifyInstance } from 'fastify';
import { isInkanError, type FieldError } from '../../../core/index.js';
import { formField, sendHtml } from '../../shared/forms.js';
import type { AdminContext } from '../context.js';
import type { Messages } from '../i18n/ja.js';
import { passwordPage, type PasswordErrors } from '../views/password.js';
import { staffForm, staffScreen } from './staff-route.js';

/** The form's fields as the platform's change of password takes them. */
export function passwordForm(req: Parameters<typeof formField>[0]) {
  return {
    current: formField(req, 'current'),
    password: formField(req, 'password'),
    confirm: formField(req, 'confirm'),
  };
}

/** A VALIDATION_FAILED of the change, field by field in the page's words; null for others. */
export function passwordErrors(t: Messages, e: unknown): PasswordErrors | null {
  if (!isInkanError(e, 'VALIDATION_FAILED')) return null;
  const p = t.password;
  const out: PasswordErrors = {};
  for (const x of (e.extra['errors'] ?? []) as FieldError[]) {
    if (x.field === 'current') out.current = p.currentWrong;
    if (x.field === 'password') out.password = x.message.includes('differ') ? p.same : p.bad;
    if (x.field === 'confirm') out.confirm = p.mismatch;
  }
  return out;
}

/** パスワード変更 from the header, for a logged-in staff member (with the current password). */
export function registerAdminPasswordRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get(
    '/password',
    staffScreen(ctx, async (_req, reply, a) =>
      sendHtml(
        reply,
        passwordPage({
          locale: a.locale,
          csrf: a.session.data.csrf,
          forced: false,
          name: a.staff.name,
          staff: a.frame,
        }),
      ),
    ),
  );

  app.post(
    '/password',
    staffForm(ctx, async (req, reply, a) => {
      // Each try costs two scrypt hashes: limited like logins.
      if (!(await ctx.limit(req, reply, 'passwordPerStaff', `s${a.staff.id}`))) return reply;
      try {
        await ctx.o.console.changePassword(a.staff.id, req.ip, passwordForm(req), false);
      } catch (e) {
        const errors = passwordErrors(a.locale.t, e);
        if (errors === null) {
          // The wrong current password locked the account: the session ends with it.
          if (isInkanError(e, 'FORBIDDEN')) {
            await ctx.endSession(req, reply, a.session);
            return reply.redirect('/admin/login', 303);
          }
          throw e;
        }
        return sendHtml(
          reply,
          passwordPage({
            locale: { ...a.locale, here: '/admin/password' },
            csrf: a.session.data.csrf,
            forced: false,
            name: a.staff.name,
            staff: a.frame,
            errors,
          }),
          400,
        );
      }
      // Every session of the member ended with the change: this browser goes on under a new one.
      await ctx.startSession(req, reply, a.staff.id, {
        stage: 'full',
        notice: { key: 'passwordChanged' },
      });
      return reply.redirect('/admin/dashboard', 303);
    }),
  );
}
