import { html, type Html } from '../../shared/html.js';
import type { Locale } from '../i18n/locale.js';
import {
  errorSummary,
  field,
  notice,
  paragraphs,
  postForm,
  requiredMark,
  submitButton,
  type FieldErrors,
} from './components.js';
import { page } from './layout.js';
import { loginTabs, passkeyLoginPanel, type LoginTab } from './passkeys.js';

/** Common inputs of the pages before login. */
export interface LoginPageBase {
  readonly locale: Locale;
  readonly bankName: string;
  readonly csrf: string;
}

/** ログイン: ログインID and ログインパスワード (and an OTP handed over by the app). */
export function loginPage(
  o: LoginPageBase & {
    loginId?: string;
    errors?: FieldErrors;
    message?: string;
    info?: string;
    tab?: LoginTab;
  },
): Html {
  const t = o.locale.t;
  const tab = o.tab ?? 'password';
  return page({
    locale: o.locale,
    title: t.login.title,
    bankName: o.bankName,
    body: html`<div class="login-box">
      ${notice(o.info)}
      ${errorSummary(o.errors, o.message)}
      ${loginTabs(o.locale, tab)}
      ${
        tab === 'passkey'
          ? passkeyLoginPanel(o)
          : html`<section class="panel" role="tabpanel" aria-labelledby="tab-password">
        <h2>${t.login.section}</h2>
        ${postForm(
          '/ib/login',
          o.csrf,
          html`
          <p class="app-otp" id="app-otp-note" hidden>${t.login.appOtpNote}</p>
          <input type="hidden" name="appOtp" id="app-otp" value="">
          ${field(t, { name: 'loginId', label: t.login.loginId, value: o.loginId, error: o.errors?.['loginId'], autocomplete: 'username', maxlength: 32 })}
          ${field(t, { name: 'password', label: t.common.loginPassword, type: 'password', error: o.errors?.['password'], autocomplete: 'current-password', maxlength: 64 })}
          <div class="actions">${submitButton(t.login.submit)}</div>`,
        )}
      </section>`
      }
    </div>`,
  });
}

/** ワンタイムパスワード認証: the second factor at login once the OTP is 利用中. */
export function loginOtpPage(
  o: LoginPageBase & { name: string; errors?: FieldErrors; message?: string },
): Html {
  const t = o.locale.t;
  return page({
    locale: o.locale,
    title: t.login.otpTitle,
    bankName: o.bankName,
    body: html`<div class="login-box">
      ${errorSummary(o.errors, o.message)}
      <p class="lead">${t.login.otpLead(o.name)}</p>
      <section class="panel">
        <h2>${t.otpInput.section}</h2>
        ${postForm(
          '/ib/login/otp',
          o.csrf,
          html`${field(t, { name: 'otp', label: t.otpInput.label, hint: t.common.halfDigits, error: o.errors?.['otp'], inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 10, size: 'short' })}
          <div class="actions">${submitButton(t.login.otpSubmit)}</div>`,
        )}
      </section>
      ${postForm('/ib/logout', o.csrf, html`<div class="actions-back"><button type="submit" class="btn btn-link">${t.login.quit}</button></div>`)}
    </div>`,
  });
}

/** ワンタイムパスワード認証の停止 (閉塞): the guide's words, and the bank's number to call. */
export function lockedPage(o: { locale: Locale; bankName: string; phone: string }): Html {
  const t = o.locale.t;
  return page({
    locale: o.locale,
    title: t.locked.title,
    bankName: o.bankName,
    body: html`<div class="login-box">
      <div class="alert alert-error" role="alert"><p>${t.locked.alert}</p></div>
      <section class="panel"><h2>${t.locked.section}</h2>
        ${paragraphs(t.locked.body)}
        <p><strong>${t.locked.helpdesk(o.bankName, o.phone)}</strong>${t.locked.hours}</p>
      </section>
      <div class="actions"><a class="btn btn-secondary" href="/ib/login">${t.common.toLogin}</a></div>
    </div>`,
  });
}

/** ログイン (ワンタイムパスワード利用促進), guide 002: 申請する / 申請しない. */
export function promotePage(o: LoginPageBase & { name: string; error?: string }): Html {
  const t = o.locale.t;
  return page({
    locale: o.locale,
    title: t.promote.title,
    bankName: o.bankName,
    user: { name: o.name, csrf: o.csrf },
    body: html`
      ${errorSummary(o.error === undefined ? undefined : { choice: o.error })}
      <p class="lead">${t.promote.lead}</p>
      ${postForm(
        '/ib/login/promote',
        o.csrf,
        html`<section class="panel"><h2>${t.promote.section}</h2>
        <div class="field${o.error ? ' has-error' : ''}"><label>${requiredMark(t)}${t.promote.section}</label>
          <div class="control"><div class="radio-row" role="radiogroup">
            <label><input type="radio" name="choice" value="apply" checked> ${t.promote.apply}</label>
            <label><input type="radio" name="choice" value="skip"> ${t.promote.skip}</label>
          </div>${o.error ? html`<p class="error" role="alert">${o.error}</p>` : ''}</div></div>
        </section>
        <div class="notes panel"><h2>${t.promote.notesTitle}</h2><div class="body">
          ${paragraphs(t.promote.notes)}
        </div></div>
        <div class="actions">${submitButton(t.common.next)}</div>`,
      )}`,
  });
}
