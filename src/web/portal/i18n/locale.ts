/**
 * The portal's languages (SPEC.md, "Parts": Japanese first, English switch): which catalogue a
 * request is drawn in, and where the header's switch may send the customer back to.
 */
import type { ErrorCode } from '../../../core/index.js';
import { en } from './en.js';
import { ja, type Messages } from './ja.js';

export type { Messages } from './ja.js';

import {
  localesOf,
  otherLang,
  parseLang,
  type Lang,
  type PageLocale,
} from '../../shared/lang-switch.js';

export { otherLang, parseLang, type Lang };

/** The cookie that remembers the customer's choice (Path=/ib, SameSite=Lax). */
export const LANG_COOKIE = 'ib_lang';

/** The route of the header's switch: GET /ib/lang?to=en&back=/ib/… */
export const LANG_SWITCH_PATH = '/ib/lang';

/** What a portal page is drawn with: its language, that language's words, and the page itself. */
export type Locale = PageLocale<Messages>;

/** The locale of a language for the page at `here`, and the switch's link back to it. */
export const { createLocale, langSwitchUrl } = localesOf<Messages>({ ja, en }, LANG_SWITCH_PATH);

/**
 * A message for the next page, kept in the session by its catalogue key (or a platform refusal
 * by its code), so the page draws it in the language it is shown in, switched or not.
 */
export type Notice = { readonly key: keyof Messages['notices'] } | { readonly refusal: ErrorCode };

/** The words of a notice; undefined for none (or a session written before notices had keys). */
export function noticeText(t: Messages, n: Notice | undefined): string | undefined {
  if (typeof n !== 'object' || n === null) return undefined;
  if ('key' in n) return Object.hasOwn(t.notices, n.key) ? t.notices[n.key] : undefined;
  return 'refusal' in n ? t.refusal(n.refusal) : undefined;
}
