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

/** What a page is drawn with: its language, that language's words, and the page itself. */
export interface PageLocale<M> {
  readonly lang: Lang;
  readonly t: M;
  /** The path the language switch returns to: this page. */
  readonly here: string;
}

/** A part's locales over its catalogues, and the link of its switch from a page and back. */
export function localesOf<M>(
  catalogues: Readonly<Record<Lang, M>>,
  switchPath: string,
): {
  createLocale(lang: Lang, here: string): PageLocale<M>;
  langSwitchUrl(l: PageLocale<M>): string;
} {
  return {
    createLocale: (lang, here) => ({ lang, t: catalogues[lang], here }),
    langSwitchUrl: (l) => {
      const q = new URLSearchParams({ to: otherLang(l.lang), back: l.here });
      return `${switchPath}?${q.toString()}`;
    },
  };
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
      raw === undefined
        ? o.fallback
        : typeof raw === 'string'
          ? safePathUnder(o.prefix, raw, switchPath)
          : null;
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
