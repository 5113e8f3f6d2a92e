/**
 * The console's languages: Japanese first, English by the header's switch (the `adm_lang`
 * cookie), and where the switch may send the staff member back to.
 */
import { en } from './en.js';
import { ja, type Messages } from './ja.js';

export type { Messages } from './ja.js';

/** Japanese, the default, and English. */
export type Lang = 'ja' | 'en';

/** The cookie that remembers the choice (Path=/admin). */
export const ADMIN_LANG_COOKIE = 'adm_lang';

/** The switch's route: GET /admin/lang?to=en&back=/admin/… */
export const ADMIN_LANG_PATH = '/admin/lang';

const CATALOGUES: Readonly<Record<Lang, Messages>> = { ja, en };

/** A language named by a cookie or a query; null for anything else. */
export function parseLang(v: unknown): Lang | null {
  return v === 'ja' || v === 'en' ? v : null;
}

/** What a page is drawn with: its language, the words, and the page the switch returns to. */
export interface Locale {
  readonly lang: Lang;
  readonly t: Messages;
  readonly here: string;
}

export function createLocale(lang: Lang, here: string): Locale {
  return { lang, t: CATALOGUES[lang], here };
}

/** The switch's link to the other language and back to the same page. */
export function langSwitchUrl(l: Locale): string {
  const q = new URLSearchParams({ to: l.lang === 'ja' ? 'en' : 'ja', back: l.here });
  return `${ADMIN_LANG_PATH}?${q.toString()}`;
}

const NOWHERE = 'http://admin.invalid';

/**
 * `back` as a same-site path under /admin, normalised; null for anything else (another host, a
 * scheme, `//host`, a backslash, control characters, a path outside the console): never an
 * open redirect.
 */
export function safeAdminPath(back: string): string | null {
  if (back.length > 2048 || !back.startsWith('/') || back.startsWith('//')) return null;
  if (/[\\\p{Cc}]/u.test(back)) return null;
  let u: URL;
  try {
    u = new URL(back, NOWHERE);
  } catch {
    return null;
  }
  if (u.origin !== NOWHERE) return null;
  if (u.pathname !== '/admin' && !u.pathname.startsWith('/admin/')) return null;
  if (u.pathname === ADMIN_LANG_PATH) return null;
  return u.pathname + u.search;
}
