import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ADMIN_LANG_COOKIE, parseLang, safeAdminPath } from '../i18n/locale.js';

/** A year: the language is a preference, not a credential. */
const LANG_MAX_AGE_S = 365 * 24 * 3600;

/**
 * The header's language switch: GET /admin/lang?to=en&back=/admin/… sets `adm_lang` and returns
 * to `back`, a path under /admin of this site (never an open redirect). Only the cookie changes.
 */
export function registerAdminLangRoute(
  app: FastifyInstance,
  refuse: (req: FastifyRequest, reply: FastifyReply) => unknown,
): void {
  app.get('/lang', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const to = parseLang(q['to']);
    const raw = q['back'];
    const back =
      raw === undefined ? '/admin/customers' : typeof raw === 'string' ? safeAdminPath(raw) : null;
    if (to === null || back === null) return refuse(req, reply);
    reply.setCookie(ADMIN_LANG_COOKIE, to, {
      path: '/admin',
      sameSite: 'strict',
      httpOnly: true,
      secure: req.protocol === 'https',
      maxAge: LANG_MAX_AGE_S,
    });
    return reply.redirect(back, 303);
  });
}
