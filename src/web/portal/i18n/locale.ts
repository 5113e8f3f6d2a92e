/**
 * The portal's languages (SPEC.md, "Parts": Japanese first, English switch): which catalogue a
 * request is drawn in, and where the header's switch may send the customer back to.
 */
import type { ErrorCode } from '../../../core/index.js';
import { en } from './en.js';
import { ja, type Messages } from './ja.js';

export type { Messages } from './ja.js';

/** Japanese, the default, and English. */
export type Lang = 'ja' | 'en';

/** The cookie that remembers the customer's choice (Path=/ib, SameSite=Lax). */
export const LANG_COOKIE = 'ib_lang';

/** The route of the header's switch: GET /ib/lang?to=en&back=/ib/… */
export const LANG_SWITCH_PATH = '/ib/lang';

const CATALOGUES: Readonly<Record<Lang, Messages>> = { ja, en };

/** A language named by a cookie or a query; null for anything else. */
export function parseLang(v: unknown): Lang | null {
  return v === 'ja' || v === 'en' ? v : null;
}

/** What a page is drawn with: its language, that language's words, and the page itself. */
export interface Locale {
  readonly lang: Lang;
  readonly t: Messages;
  /** The path under /ib the language switch returns to: this page. */
  readonly here: string;
}

/** The locale of a language, for the page at `here`. */
export function createLocale(lang: Lang, here: string): Locale {
  return { lang, t: CATALOGUES[lang], here };
}

/** The language the header's switch offers. */
export function otherLang(lang: Lang): Lang {
  return lang === 'ja' ? 'en' : 'ja';
}

/** The switch's link from a page to the other language and back to the same page. */
export function langSwitchUrl(l: Locale): string {
  const q = new URLSearchParams({ to: otherLang(l.lang), back: l.here });
  return `${LANG_SWITCH_PATH}?${q.toString()}`;
}

/**
 * A message for the next page, kept in the session by its catalogue key (or a platform refusal
 * by its code), so the page draws it in the language it is shown in, switched or not.
 */
export type Notice =
  | { readonly key: keyof Messages['notices'] }
  | { readonly refusal: ErrorCode };

/** The words of a notice; undefined for none (or a session written before notices had keys). */
export function noticeText(t: Messages, n: Notice | undefined): string | undefined {
  if (typeof n !== 'object' || n === null) return undefined;
  if ('key' in n) return Object.hasOwn(t.notices, n.key) ? t.notices[n.key] : undefined;
  return 'refusal' in n ? t.refusal(n.refusal) : undefined;
}

/** The origin paths are resolved against: a host no request can name. */
const NOWHERE = 'http://portal.invalid';

/**
 * The switch's `back` as a same-site path under /ib, normalised (`/ib/../x` is not under /ib);
 * null for anything else: another host, a scheme, `//host`, a backslash (browsers read it as a
 * slash), control characters, or a path outside the portal. The redirect is never open.
 */
export function safeReturnPath(back: string): string | null {
  if (back.length > 2048 || !back.startsWith('/') || back.startsWith('//')) return null;
  if (/[\\\p{Cc}]/u.test(back)) return null;
  let u: URL;
  try {
    u = new URL(back, NOWHERE);
  } catch {
    return null;
  }
  if (u.origin !== NOWHERE) return null;
  if (u.pathname !== '/ib' && !u.pathname.startsWith('/ib/')) return null;
  // The switch itself is no page to come back to.
  if (u.pathname === LANG_SWITCH_PATH) return null;
  return u.pathname + u.search;
}
