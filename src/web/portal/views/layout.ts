import { html, type Html } from '../../shared/html.js';
import { flowForms, postForm } from './components.js';

/** What every portal page is drawn with. */
export interface PageOptions {
  /** The screen's name, as the guides title it (e.g. トークン発行（選択）). */
  readonly title: string;
  /** The guides' 画面ID (BOP001, BOT010, BOK501…), shown in the page. */
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

const NAV: readonly [PageOptions['nav'], string, string][] = [
  ['home', 'ホーム', '/ib/top'],
  ['transfer', '振込', '/ib/transfer'],
  ['services', 'ご利用サービスの変更', '/ib/otp'],
  ['settings', '登録情報の変更', '/ib/settings'],
];

/** The page frame: the bank's header, the global navigation, the screen, the footer. */
export function page(o: PageOptions): Html {
  return html`<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${o.title} | ${o.bankName} インターネットバンキング</title>
<link rel="stylesheet" href="/ib/assets/portal.css">
<script src="/ib/assets/portal.js" defer></script>
</head>
<body>
<header class="site">
  <div class="brand"><span class="seal" aria-hidden="true">${o.bankName.slice(0, 1)}</span><span class="bank">${o.bankName}</span><span class="sub">インターネットバンキング</span></div>
  ${
    o.user === undefined
      ? ''
      : html`<div class="who">
    <span class="name">${o.user.name} 様</span>
    ${o.user.lastLogin ? html`<span class="last">前回ログイン ${o.user.lastLogin}</span>` : ''}
    ${postForm('/ib/logout', o.user.csrf, html`<button type="submit" class="btn btn-logout">ログアウト</button>`, { className: 'logout' })}
  </div>`
  }
</header>
${
  o.user === undefined || o.nav === undefined
    ? ''
    : html`<nav class="global" aria-label="グローバルナビゲーション"><ul>${NAV.map(
        ([key, label, href]) =>
          html`<li><a href="${href}"${key === o.nav ? html` aria-current="page"` : ''}>${label}</a></li>`,
      )}</ul></nav>`
}
<main>
  <div class="screen-head">
    <h1>${o.title}</h1>
    ${o.screenId ? html`<p class="screen-id">画面ID : ${o.screenId}</p>` : ''}
  </div>
  ${o.body}
</main>
${o.flowCsrf === undefined ? '' : flowForms(o.flowCsrf)}
<footer class="site"><p>${o.bankName}　インターネットバンキング　|　ワンタイムパスワードは Inkan が提供しています</p></footer>
</body>
</html>`;
}
