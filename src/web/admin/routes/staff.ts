import type { FastifyInstance } from 'fastify';
import { sendHtml } from '../../shared/forms.js';
import type { AdminContext } from '../context.js';
import { staffPage } from '../views/staff.js';
import { popNotice, refusalPage } from './customers.js';

/** 行員管理 (管理者 only, enforced by the platform): the bank's staff and ロック解除. */
export function registerAdminStaffRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/staff', async (req, reply) => {
    const a = await ctx.requireStaff(req, reply);
    if (a === null) return reply;
    try {
      const list = await ctx.o.console.listStaff(a.caller);
      const notice = await popNotice(ctx, a);
      return sendHtml(
        reply,
        staffPage({ locale: a.locale, staff: a.frame, list, ...(notice ? { notice } : {}) }),
      );
    } catch (e) {
      return refusalPage(ctx, req, reply, a, e);
    }
  });

  app.post('/staff/:id/unlock', async (req, reply) => {
    const a = await ctx.requireStaff(req, reply);
    if (a === null) return reply;
    if (!ctx.checkCsrf(req, reply, a.session, a)) return reply;
    const id = Number((req.params as { id: string }).id);
    if (!Number.isSafeInteger(id) || id < 1) return ctx.sorry(req, reply, 404, 'notFound', a);
    try {
      const target = await ctx.o.console.unlockStaff(a.caller, id);
      await ctx.sessions.save(a.session, {
        ...a.session.data,
        notice: { key: 'staffUnlocked', loginId: target.loginId },
      });
      return reply.redirect('/admin/staff', 303);
    } catch (e) {
      return refusalPage(ctx, req, reply, a, e);
    }
  });
}
