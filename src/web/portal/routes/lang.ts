import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LANG_COOKIE, parseLang, safeReturnPath } from '../i18n/locale.js';

/** How long the choice is remembered: a year (it is a preference, not a credential). */
const LANG_MAX_AGE_S = 365 * 24 * 3600;

/**
 * The header's language switch (SPEC.md, "Parts": Japanese first, English switch):
 * GET /ib/lang?to=en&back=/ib/otp sets the `ib_lang` cookie and returns to `back`. Only the
 * cookie changes: the session, its flow and the step's values stay, so the same step is drawn in
 * the other language. `back` must be a path under /ib of this site (no open redirect); anything
 * else, or an unknown language, is refused and changes nothing.
 */
export function registerLangRoutes(
  app: FastifyInstance,
  refuse: (req: FastifyRequest, reply: FastifyReply) => unknown,
): void {
  app.get('/lang', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const to = parseLang(q['to']);
    const raw = q['back'];
    const back = raw === undefined ? '/ib/top' : typeof raw === 'string' ? safeReturnPath(raw) : null;
    if (to === null || back === null) return refuse(req, reply);
    reply.setCookie(LANG_COOKIE, to, {
      path: '/ib',
      sameSite: 'lax',
      httpOnly: true,
      secure: req.protocol === 'https',
      maxAge: LANG_MAX_AGE_S,
    });
    return reply.redirect(back, 303);
  });
}
