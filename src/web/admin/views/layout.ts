import type { StaffView } from '../../../client/index.js';
import { html, type Html, type HtmlValue } from '../../shared/html.js';
import { langSwitchUrl, type Locale } from '../i18n/locale.js';

/** What every console page is drawn with. */
export interface AdminPageOptions {
  readonly locale: Locale;
  /** The screen's name (顧客検索, トークン詳細, 閉塞解除, …). */
  readonly title: string;
  /** The logged-in staff member and the session's CSRF token (header, menu, ログアウト). */
  readonly staff?: { readonly view: StaffView; readonly csrf: string };
  /**
   * The current menu item; `none` draws the menu with no item current (pages outside it:
   * パスワード変更, messages). Without it, no menu (login screens).
   */
  readonly nav?:
    | 'dashboard'
    | 'customers'
    | 'staff'
    | 'approvals'
    | 'hardware'
    | 'shipping'
    | 'audit'
    | 'policy'
    | 'none';
  /** A narrow column (login screens). */
  readonly narrow?: boolean;
  readonly body: Html;
}

/** A POST form carrying the session's CSRF token. */
export function postForm(action: string, csrf: string, content: HtmlValue, className = ''): Html {
  return html`<form method="post" action="${action}"${className ? html` class="${className}"` : ''} novalidate><input type="hidden" name="_csrf" value="${csrf}">${content}</form>`;
}

/** An alert box; nothing for no text. */
export function alert(kind: 'error' | 'info' | 'ok', text: string | undefined): Html {
  if (text === undefined || text === '') return html``;
  return html`<div class="alert alert-${kind}" role="${kind === 'error' ? 'alert' : 'status'}"><p>${text}</p></div>`;
}

/** One labelled input with its hint and error. */
export function field(o: {
  name: string;
  label: string;
  type?: 'text' | 'password' | 'search';
  value?: string;
  hint?: string;
  error?: string;
  autocomplete?: string;
  inputmode?: 'numeric' | 'text' | 'email';
  maxlength?: number;
  className?: string;
  textarea?: boolean;
  autofocus?: boolean;
}): Html {
  const id = `f-${o.name}`;
  const described = o.error ? html` aria-invalid="true" aria-describedby="${id}-err"` : '';
  const control = o.textarea
    ? html`<textarea id="${id}" name="${o.name}"${o.maxlength ? html` maxlength="${o.maxlength}"` : ''}${described}${o.autofocus ? html` autofocus` : ''}>${o.value ?? ''}</textarea>`
    : html`<input id="${id}" name="${o.name}" type="${o.type ?? 'text'}"${o.className ? html` class="${o.className}"` : ''} value="${o.type === 'password' ? '' : (o.value ?? '')}" autocomplete="${o.autocomplete ?? 'off'}"${o.inputmode ? html` inputmode="${o.inputmode}"` : ''}${o.maxlength ? html` maxlength="${o.maxlength}"` : ''}${described}${o.autofocus ? html` autofocus` : ''}>`;
  return html`<div class="field${o.error ? ' has-error' : ''}">
  <label for="${id}">${o.label}</label>
  ${control}
  ${o.hint ? html`<p class="hint">${o.hint}</p>` : ''}
  ${o.error ? html`<p class="error" id="${id}-err">${o.error}</p>` : ''}
</div>`;
}

/** A two-column table of labels and values. */
export function kvTable(rows: readonly (readonly [string, HtmlValue] | null)[]): Html {
  return html`<table class="kv">${rows.map((r) =>
    r === null ? '' : html`<tr><th scope="row">${r[0]}</th><td>${r[1]}</td></tr>`,
  )}</table>`;
}

/** The page frame: header with the bank, the staff member and the switch; menu; screen; note. */
export function adminPage(o: AdminPageOptions): Html {
  const t = o.locale.t;
  const s = o.staff;
  const to = o.locale.lang === 'ja' ? 'en' : 'ja';
  const items: [Exclude<AdminPageOptions['nav'], 'none' | undefined>, string, string][] = [
    ['dashboard', '/admin/dashboard', t.dashboard.nav],
    ['customers', '/admin/customers', t.layout.nav.customers],
  ];
  // 管理者 screens (the server refuses the others as well).
  if (s?.view.role === 'admin')
    items.push(
      ['approvals', '/admin/approvals', t.fourEyes.nav],
      ['hardware', '/admin/hardware', t.hardware.nav],
      ['shipping', '/admin/hardware/shipments', t.hardware.navShip],
      ['audit', '/admin/audit', t.audit.nav],
      ['policy', '/admin/policy', t.policy.nav],
      ['staff', '/admin/staff', t.layout.nav.staff],
    );
  const menu = s !== undefined && o.nav !== undefined;
  return html`<!doctype html>
<html lang="${o.locale.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${t.layout.title(o.title, s?.view.bankName ?? null)}</title>
<link rel="stylesheet" href="/admin/assets/admin.css">
${menu ? html`<script src="/admin/assets/admin.js" defer></script>` : ''}
</head>
<body>
<header class="bar">
  <div class="brand"><span class="seal" aria-hidden="true">印</span><span class="product">Inkan ${t.layout.product}</span>${s ? html`<span class="bank">${s.view.bankName}（${s.view.serviceId}）</span>` : ''}</div>
  <div class="who">
    ${s ? html`<span class="name" data-staff-name>${s.view.name}</span><span class="role" data-role="${s.view.role}">${t.role(s.view.role)}</span><a class="password" href="/admin/password">${t.password.link}</a>` : ''}
    <a class="lang" href="${langSwitchUrl(o.locale)}" lang="${to}" hreflang="${to}" title="${t.layout.switchLabel}">${t.layout.switchTo}</a>
    ${s ? postForm('/admin/logout', s.csrf, html`<button type="submit">${t.layout.logout}</button>`) : ''}
  </div>
</header>
${
  menu
    ? html`<nav class="menu" aria-label="${t.layout.navLabel}"><ul>${items.map(
        ([key, href, label]) =>
          html`<li><a href="${href}"${key === o.nav ? html` aria-current="page"` : ''}>${label}</a></li>`,
      )}</ul></nav>`
    : ''
}
<main${o.narrow ? html` class="narrow"` : ''}>
<h1>${o.title}</h1>
${o.body}
</main>
<footer class="note"><p>${t.layout.footer}</p></footer>
</body>
</html>`;
}

/** A page that only says what happened, with one link onward. */
export function messagePage(o: {
  locale: Locale;
  title: string;
  text: string;
  link: { href: string; label: string };
  staff?: AdminPageOptions['staff'];
  /** The menu item the message belongs to (default: none current). */
  nav?: AdminPageOptions['nav'];
}): Html {
  return adminPage({
    locale: o.locale,
    title: o.title,
    ...(o.staff ? { staff: o.staff, nav: o.nav ?? 'none' } : {}),
    body: html`${alert('error', o.text)}<p><a class="btn btn-secondary" href="${o.link.href}">${o.link.label}</a></p>`,
  });
}
