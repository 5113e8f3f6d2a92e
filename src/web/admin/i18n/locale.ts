/**
 * The console's languages: Japanese first, English by the header's switch (the `adm_lang`
 * cookie), and where the switch may send the staff member back to.
 */
import { en } from './en.js';
import { ja, type Messages } from './ja.js';

export type { Messages } from './ja.js';

import { otherLang, parseLang, type Lang } from '../../shared/lang-switch.js';

export { parseLang, type Lang };

/** The cookie that remembers the choice (Path=/admin). */
export const ADMIN_LANG_COOKIE = 'adm_lang';

/** The switch's route: GET /admin/lang?to=en&back=/admin/… */
export const ADMIN_LANG_PATH = '/admin/lang';

const CATALOGUES: Readonly<Record<Lang, Messages>> = { ja, en };


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
  const q = new URLSearchParams({ to: otherLang(l.lang), back: l.here });
  return `${ADMIN_LANG_PATH}?${q.toString()}`;
}
