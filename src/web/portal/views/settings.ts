import type { BankCustomer } from '../../../bank/bank-store.js';
import { html, type Html } from '../../shared/html.js';
import type { SettingsFlow } from '../flows.js';
import { checkSections, mailOtpResendForm, type SecondFactor } from './checks.js';
import {
  errorSummary,
  field,
  flowButtons,
  infoTable,
  notice,
  paragraphs,
  postForm,
  stepIndicator,
  submitButton,
  type FieldErrors,
} from './components.js';
import { screenPage } from './layout.js';
import { otpSection, type ScreenBase } from './otp.js';

function shell(o: ScreenBase, title: string, body: Html, flow = true): Html {
  return screenPage(o, 'settings', title, body, { flow });
}

/** 登録情報の変更: what is registered, and a button per change. */
export function settingsMenu(
  o: ScreenBase & { customer: BankCustomer; otpActive: boolean; maxLimit: number; notice?: string },
): Html {
  const t = o.locale.t;
  const x = t.settings;
  const c = o.customer;
  const button = (what: SettingsFlow['what'], enabled: boolean) =>
    enabled
      ? postForm(`/ib/settings/${what}/start`, o.csrf, submitButton(x.titles[what]))
      : html`<button type="button" class="btn" disabled aria-disabled="true">${x.titles[what]}</button>`;
  return shell(
    o,
    x.title,
    html`${notice(o.notice)}
    <p class="lead">${x.lead}</p>
    ${infoTable(x.registered, [
      [t.common.email, c.email],
      [t.common.dailyLimit, t.yen(Number(c.daily_limit))],
      [
        t.mailOtp.label,
        c.mail_otp_email === null ? t.common.notUsed : x.mailOtpInUse(c.mail_otp_email),
      ],
      [t.otpInput.label, o.otpActive ? t.common.inUse : t.common.notUsed],
    ])}
    <div class="menu">
      ${button('email', true)}
      ${button('limit', true)}
      ${button('mailOtp', !o.otpActive)}
    </div>
    <p class="passkeys-link"><a href="/ib/settings/passkeys">${t.passkeys.link}</a></p>
    <section class="panel notes"><h2>${t.common.pleaseCheck}</h2><div class="body">
      ${paragraphs(x.notes(t.yen(o.maxLimit)))}
    </div></section>`,
    false,
  );
}

/** 変更内容の入力. */
export function settingsInput(
  o: ScreenBase & {
    what: SettingsFlow['what'];
    customer: BankCustomer;
    maxLimit: number;
    value?: string;
    errors?: FieldErrors;
  },
): Html {
  const t = o.locale.t;
  const x = t.settings;
  const e = o.errors ?? {};
  const c = o.customer;
  const body =
    o.what === 'limit'
      ? html`${infoTable(x.currentLimit, [
          [x.perDay, t.yen(Number(c.daily_limit))],
          [x.upTo, t.yen(o.maxLimit)],
        ])}
        <section class="panel"><h2>${x.newLimit}</h2>
        ${field(t, { name: 'value', label: x.limitLabel, hint: x.limitHint(t.yen(o.maxLimit)), value: o.value, error: e['value'], inputmode: 'numeric', maxlength: 9, size: 'short' })}</section>`
      : html`${infoTable(x.current, [[o.what === 'email' ? t.common.email : x.mailOtpTo, (o.what === 'email' ? c.email : c.mail_otp_email) ?? t.common.notRegistered]])}
        <section class="panel"><h2>${o.what === 'email' ? x.newEmail : x.newMailOtpTo}</h2>
        ${field(t, { name: 'value', label: t.common.email, hint: t.common.emailHint, type: 'email', value: o.value, error: e['value'], inputmode: 'email', maxlength: 64 })}
        ${field(t, { name: 'valueConfirm', label: t.common.emailConfirm, hint: t.common.enterTwice, type: 'email', error: e['valueConfirm'], inputmode: 'email', maxlength: 64 })}
        ${o.what === 'mailOtp' ? html`<p class="hint pad">${x.mailOtpNext}</p>` : ''}</section>`;
  return shell(
    o,
    x.inputTitle(x.titles[o.what]),
    html`${stepIndicator(t, x.steps, 0)}${errorSummary(o.errors)}
    <p class="lead">${x.inputLead}</p>
    ${postForm(`/ib/settings/${o.what}`, o.csrf, html`${body}${flowButtons(t, { primary: submitButton(t.common.next), back: false })}`)}`,
  );
}

/** How the change is confirmed. */
export type SettingsAuth = SecondFactor;

/** 変更内容の確認. */
export function settingsConfirm(
  o: ScreenBase & {
    what: SettingsFlow['what'];
    before: string;
    after: string;
    auth: SettingsAuth;
    errors?: FieldErrors;
    message?: string;
  },
): Html {
  const t = o.locale.t;
  const x = t.settings;
  const e = o.errors ?? {};
  const asks = [
    t.confirmPassword.name,
    ...(o.auth.kind === 'otp' ? [t.otpInput.name] : o.auth.kind === 'mail' ? [t.mailOtp.name] : []),
  ];
  return shell(
    o,
    x.confirmTitle(x.titles[o.what]),
    html`${stepIndicator(t, x.steps, 1)}${errorSummary(o.errors, o.message)}
    <p class="lead">${x.confirmLead(t.list(asks))}</p>
    ${infoTable(x.change, [
      [x.before, o.before],
      [x.after, html`<strong>${o.after}</strong>`],
    ])}
    ${postForm(
      `/ib/settings/${o.what}/confirm`,
      o.csrf,
      html`<section class="panel"><h2>${t.confirmPassword.section}</h2>
        ${field(t, { name: 'confirmPassword', label: t.confirmPassword.label, hint: t.confirmPassword.hint, type: 'password', error: e['confirmPassword'], maxlength: 12 })}
      </section>
      ${
        o.auth.kind === 'otp'
          ? otpSection(t, e)
          : o.auth.kind === 'mail'
            ? checkSections(t, { mailOtp: o.auth.sent }, e)
            : ''
      }
      ${flowButtons(t, { primary: submitButton(x.submit) })}`,
    )}
    ${o.auth.kind === 'mail' ? mailOtpResendForm(o.csrf) : ''}`,
  );
}

/** 変更完了. */
export function settingsDone(o: ScreenBase & { what: SettingsFlow['what']; after: string }): Html {
  const t = o.locale.t;
  const x = t.settings;
  return shell(
    o,
    x.doneTitle(x.titles[o.what]),
    html`${stepIndicator(t, x.steps, 2)}
    <div class="alert alert-info"><p>${x.accepted}</p></div>
    ${infoTable(x.changed, [[x.items[o.what], o.after]])}
    <div class="actions"><a class="btn btn-primary" href="/ib/settings">${x.toMenu}</a></div>`,
    false,
  );
}
