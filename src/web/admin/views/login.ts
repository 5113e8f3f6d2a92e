import type { StaffEnrolment } from '../../../client/index.js';
import { html, type Html } from '../../shared/html.js';
import type { Locale } from '../i18n/locale.js';
import { adminPage, alert, field, kvTable, postForm } from './layout.js';

/** 行員ログイン: login ID and password (one generic message for either wrong). */
export function loginPage(o: {
  locale: Locale;
  csrf: string;
  loginId?: string;
  errors?: Partial<Record<'loginId' | 'password', string>>;
  message?: string;
  info?: string;
}): Html {
  const t = o.locale.t.login;
  return adminPage({
    locale: o.locale,
    title: t.title,
    narrow: true,
    body: html`${alert('error', o.message)}${alert('info', o.info)}
<div class="panel"><div class="body">
<p class="lead">${t.lead}</p>
${postForm(
  '/admin/login',
  o.csrf,
  html`${field({ name: 'loginId', label: t.loginId, value: o.loginId ?? '', autocomplete: 'username', maxlength: 64, ...(o.errors?.loginId ? { error: o.errors.loginId } : {}), autofocus: true })}
  ${field({ name: 'password', label: t.password, type: 'password', autocomplete: 'current-password', maxlength: 128, ...(o.errors?.password ? { error: o.errors.password } : {}) })}
  <div class="actions"><button type="submit" class="btn">${t.submit}</button></div>`,
  'stack',
)}
</div></div>`,
  });
}

/** 認証アプリの登録: the QR code, the key for typing in, and the first code. */
export function enrolPage(o: {
  locale: Locale;
  csrf: string;
  enrolment: StaffEnrolment;
  /** The QR code as an SVG data: URL (an image: no markup of the library reaches the page). */
  qrDataUrl: string;
  error?: string;
}): Html {
  const t = o.locale.t.enrol;
  const e = o.enrolment;
  return adminPage({
    locale: o.locale,
    title: t.title,
    body: html`${alert('error', o.error)}
<p class="lead">${t.lead}</p>
<div class="panel"><div class="body enrol">
  <div><img src="${o.qrDataUrl}" alt="${t.qrAlt}" width="220" height="220" data-otpauth="${e.uri}"><p><a href="${e.uri}" id="otpauth-link">${t.openInApp}</a></p></div>
  <div>
    <p>${t.manual}</p>
    ${kvTable([
      [
        t.key,
        html`<span class="secret" id="totp-secret">${e.secret.replace(/(.{4})(?=.)/g, '$1 ')}</span>`,
      ],
      [t.issuer, e.issuer],
      [t.account, e.account],
      [t.kind, t.kindValue],
    ])}
    ${postForm(
      '/admin/login/enrol',
      o.csrf,
      html`${field({ name: 'code', label: t.code, hint: t.codeHint, inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6, className: 'code', ...(o.error ? { error: o.error } : {}), autofocus: true })}
      <div class="actions"><button type="submit" class="btn">${t.submit}</button></div>`,
      'stack',
    )}
  </div>
</div></div>`,
  });
}

/** 確認コードの入力: the code from the app at every login after the first. */
export function totpPage(o: {
  locale: Locale;
  csrf: string;
  name: string;
  error?: string;
  info?: string;
}): Html {
  const t = o.locale.t.totp;
  return adminPage({
    locale: o.locale,
    title: t.title,
    narrow: true,
    body: html`${alert('info', o.info)}
<div class="panel"><div class="body">
<p class="lead">${t.lead(o.name)}</p>
${postForm(
  '/admin/login/totp',
  o.csrf,
  html`${field({ name: 'code', label: t.code, inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6, className: 'code', ...(o.error ? { error: o.error } : {}), autofocus: true })}
  <div class="actions"><button type="submit" class="btn">${t.submit}</button><a href="/admin/login">${t.backToLogin}</a></div>`,
  'stack',
)}
</div></div>`,
  });
}
