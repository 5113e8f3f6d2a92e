import { html, type Html } from '../../shared/html.js';
import { langSwitchUrl, otherLang, type Locale } from '../i18n/locale.js';
import { flowForms, postForm } from './components.js';

/** What every portal page is drawn with. */
export interface PageOptions {
  /** The page's language and the path its switch returns to. */
  readonly locale: Locale;
  /** The screen's name, as the guides title it (e.g. トークン発行（選択）). */
  readonly title: string;
  /** The guides' 画面ID (BOP001, BOT010, BOK501…), shown in the page in every language. */
  readonly screenId?: string;
  readonly bankName: string;
  /** The logged-in customer, for the header and the ログアウト button. */
  readonly user?: { readonly name: string; readonly csrf: string; readonly lastLogin?: string };
  /** Which item of the global navigation is current. */
  readonly nav?: 'home' | 'transfer' | 'services' | 'settings';
  /** Draw the hidden 申込を中止する / 戻る forms (pages inside a flow). */
  readonly flowCsrf?: string;
  readonly body: Html;
}

const NAV: readonly [NonNullable<PageOptions['nav']>, string][] = [
  ['home', '/ib/top'],
  ['transfer', '/ib/transfer'],
  ['services', '/ib/otp'],
  ['settings', '/ib/settings'],
];

/**
 * The header's language switch, on every page: a plain link (it changes only the `ib_lang`
 * cookie, never the session or the flow) written in the language it leads to.
 */
function langSwitch(l: Locale): Html {
  const to = otherLang(l.lang);
  return html`<a class="lang-switch" href="${langSwitchUrl(l)}" lang="${to}" hreflang="${to}" title="${l.t.layout.switchLabel}" data-lang-switch>${l.t.layout.switchTo}</a>`;
}

/** The page frame: the bank's header, the global navigation, the screen, the footer. */
export function page(o: PageOptions): Html {
  const t = o.locale.t;
  return html`<!doctype html>
<html lang="${o.locale.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${t.layout.title(o.title, o.bankName)}</title>
<link rel="stylesheet" href="/ib/assets/portal.css">
<script src="/ib/assets/portal.js" defer></script>
</head>
<body>
<header class="site">
  <div class="brand"><span class="seal" aria-hidden="true">${o.bankName.slice(0, 1)}</span><span class="bank">${o.bankName}</span><span class="sub">${t.layout.service}</span></div>
  <div class="who">
  ${
    o.user === undefined
      ? ''
      : html`<span class="name">${t.layout.customer(o.user.name)}</span>
    ${o.user.lastLogin ? html`<span class="last">${t.layout.lastLogin(o.user.lastLogin)}</span>` : ''}`
  }
    ${langSwitch(o.locale)}
    ${
      o.user === undefined
        ? ''
        : postForm(
            '/ib/logout',
            o.user.csrf,
            html`<button type="submit" class="btn btn-logout">${t.layout.logout}</button>`,
            { className: 'logout' },
          )
    }
  </div>
</header>
${
  o.user === undefined || o.nav === undefined
    ? ''
    : html`<nav class="global" aria-label="${t.layout.navLabel}"><ul>${NAV.map(
        ([key, href]) =>
          html`<li><a href="${href}"${key === o.nav ? html` aria-current="page"` : ''}>${t.layout.nav[key]}</a></li>`,
      )}</ul></nav>`
}
<main>
  <div class="screen-head">
    <h1>${o.title}</h1>
    ${o.screenId ? html`<p class="screen-id">${t.layout.screenId(o.screenId)}</p>` : ''}
  </div>
  ${o.body}
</main>
${o.flowCsrf === undefined ? '' : flowForms(o.flowCsrf)}
<footer class="site"><p>${t.layout.footer(o.bankName)}</p></footer>
</body>
</html>`;
}

/** What every logged-in screen is drawn with. */
export interface ScreenBase {
  readonly locale: PageOptions['locale'];
  readonly bankName: string;
  readonly name: string;
  readonly csrf: string;
}

/**
 * A logged-in customer's screen: the page frame with the customer's header, the navigation item
 * of its part, its 画面ID, and the hidden 申込を中止する / 戻る forms when it is a procedure's step.
 */
export function screenPage(
  o: ScreenBase,
  nav: NonNullable<PageOptions['nav']>,
  title: string,
  body: Html,
  opts: { screenId?: string; flow?: boolean } = {},
): Html {
  return page({
    locale: o.locale,
    title,
    bankName: o.bankName,
    user: { name: o.name, csrf: o.csrf },
    nav,
    ...(opts.screenId === undefined ? {} : { screenId: opts.screenId }),
    ...(opts.flow === true ? { flowCsrf: o.csrf } : {}),
    body,
  });
}
