/**
 * The console's languages: Japanese first, English by the header's switch (the `adm_lang`
 * cookie), and where the switch may send the staff member back to.
 */
import { en } from './en.js';
import { ja, type Messages } from './ja.js';

export type { Messages } from './ja.js';

import { localesOf, parseLang, type Lang, type PageLocale } from '../../shared/lang-switch.js';

export { parseLang, type Lang };

/** The cookie that remembers the choice (Path=/admin). */
export const ADMIN_LANG_COOKIE = 'adm_lang';

/** The switch's route: GET /admin/lang?to=en&back=/admin/… */
export const ADMIN_LANG_PATH = '/admin/lang';

/** What a console page is drawn with: its language, the words, and the page the switch returns to. */
export type Locale = PageLocale<Messages>;

/** The locale of a language for the page at `here`, and the switch's link back to it. */
export const { createLocale, langSwitchUrl } = localesOf<Messages>({ ja, en }, ADMIN_LANG_PATH);
