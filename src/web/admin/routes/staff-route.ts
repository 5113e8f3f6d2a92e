import type { FastifyReply, FastifyRequest } from 'fastify';
import { isInkanError } from '../../../core/index.js';
import type { AdminContext, StaffAuthed } from '../context.js';

/** A console route's work, once the staff member is known (and, for a form, its CSRF checked). */
export type StaffHandler = (
  req: FastifyRequest,
  reply: FastifyReply,
  a: StaffAuthed,
) => Promise<FastifyReply>;

/**
 * A refusal of the platform as a page: FORBIDDEN is the 403 page (a role refused on the
 * server, whatever the page showed), NOT_FOUND the customer-not-found page (another bank's
 * customer looks exactly like none). Anything else goes to the error handler.
 */
export function refusalPage(
  ctx: AdminContext,
  req: FastifyRequest,
  reply: FastifyReply,
  a: StaffAuthed,
  e: unknown,
): FastifyReply {
  if (isInkanError(e, 'FORBIDDEN')) return ctx.sorry(req, reply, 403, 'forbidden', a);
  if (isInkanError(e, 'NOT_FOUND')) return ctx.sorry(req, reply, 404, 'customerNotFound', a);
  if (isInkanError(e, 'UNAUTHORIZED')) return reply.redirect('/admin/login', 303);
  throw e;
}

/**
 * A console screen: only for a signed-in staff member (else the login page); what the platform
 * refuses while the handler runs is answered by `refusalPage`. The role is the platform's to
 * check: a page only draws what it answers.
 */
export function staffScreen(ctx: AdminContext, handler: StaffHandler) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const a = await ctx.requireStaff(req, reply);
    if (a === null) return reply;
    try {
      return await handler(req, reply, a);
    } catch (e) {
      return refusalPage(ctx, req, reply, a, e);
    }
  };
}

/** A console form's POST: as `staffScreen`, and only with the session's CSRF token. */
export function staffForm(ctx: AdminContext, handler: StaffHandler) {
  return staffScreen(ctx, async (req, reply, a) =>
    ctx.checkCsrf(req, reply, a.session, a) ? handler(req, reply, a) : reply,
  );
}
