import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The language switch shared by the portal and the admin console (SPEC.md, "Parts": Japanese
 * first, English switch): a cookie remembers the choice, and the switch returns only to a page
 * of the same part of this site.
 */

/** Japanese, the default, and English. */
export type Lang = 'ja' | 'en';

/** A language named by a cookie or a query; null for anything else. */
export function parseLang(v: unknown): Lang | null {
  return v === 'ja' || v === 'en' ? v : null;
}

/** The language the switch offers. */
export function otherLang(lang: Lang): Lang {
  return lang === 'ja' ? 'en' : 'ja';
}

const NOWHERE = 'http://nowhere.invalid';

/**
 * `back` as a same-site path under `prefix`, normalised; null for anything else (another host,
 * a scheme, `//host`, a backslash, control characters, a path outside the part, the switch
 * itself): never an open redirect.
 */
export function safePathUnder(prefix: string, back: string, switchPath: string): string | null {
  if (back.length > 2048 || !back.startsWith('/') || back.startsWith('//')) return null;
  if (/[\\\p{Cc}]/u.test(back)) return null;
  let u: URL;
  try {
    u = new URL(back, NOWHERE);
  } catch {
    return null;
  }
  if (u.origin !== NOWHERE) return null;
  if (u.pathname !== prefix && !u.pathname.startsWith(`${prefix}/`)) return null;
  if (u.pathname === switchPath) return null;
  return u.pathname + u.search;
}

/** A year: the language is a preference, not a credential. */
const LANG_MAX_AGE_S = 365 * 24 * 3600;

/** Where a part's switch lives and how its cookie is set. */
export interface LangSwitchOptions {
  /** The part's path, e.g. `/ib` or `/admin` (the cookie's Path). */
  readonly prefix: string;
  readonly cookie: string;
  readonly sameSite: 'lax' | 'strict';
  /** Where to go when no `back` is given. */
  readonly fallback: string;
  /** Answers a refused switch (an unknown language, a `back` outside the part). */
  readonly refuse: (req: FastifyRequest, reply: FastifyReply) => unknown;
}

/**
 * GET {prefix}/lang?to=en&back={prefix}/… sets the cookie and returns to `back`. Only the cookie
 * changes: a session and the procedure under way stay as they are. Registered inside the part's
 * own plugin (its routes are relative to the prefix).
 */
export function registerLangSwitch(app: FastifyInstance, o: LangSwitchOptions): void {
  const switchPath = `${o.prefix}/lang`;
  app.get('/lang', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const to = parseLang(q['to']);
    const raw = q['back'];
    const back =
      raw === undefined ? o.fallback : typeof raw === 'string' ? safePathUnder(o.prefix, raw, switchPath) : null;
    if (to === null || back === null) return o.refuse(req, reply);
    reply.setCookie(o.cookie, to, {
      path: o.prefix,
      sameSite: o.sameSite,
      httpOnly: true,
      secure: req.protocol === 'https',
      maxAge: LANG_MAX_AGE_S,
    });
    return reply.redirect(back, 303);
  });
}
