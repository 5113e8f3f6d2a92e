import type { BankCustomer } from '../../../bank/bank-store.js';
import { html, type Html } from '../../shared/html.js';
import type { SettingsFlow } from '../flows.js';
import { checkSections, mailOtpResendForm } from './checks.js';
import {
  errorSummary,
  field,
  flowButtons,
  infoTable,
  notice,
  postForm,
  stepIndicator,
  yen,
  type FieldErrors,
} from './components.js';
import { page } from './layout.js';
import type { ScreenBase } from './otp.js';

/** What each change is called on its screens. */
export const SETTINGS_TITLES: Record<SettingsFlow['what'], string> = {
  email: 'メールアドレス変更',
  limit: '振込限度額変更',
  mailOtp: 'メール通知パスワード利用変更',
};

const STEPS = ['変更内容の入力', '変更内容の確認', '変更完了'];

function shell(o: ScreenBase, title: string, body: Html, flow = true): Html {
  return page({
    title,
    bankName: o.bankName,
    user: { name: o.name, csrf: o.csrf },
    nav: 'settings',
    ...(flow ? { flowCsrf: o.csrf } : {}),
    body,
  });
}

/** 登録情報の変更: what is registered, and a button per change. */
export function settingsMenu(
  o: ScreenBase & { customer: BankCustomer; otpActive: boolean; maxLimit: number; notice?: string },
): Html {
  const c = o.customer;
  const button = (what: string, label: string, enabled: boolean) =>
    enabled
      ? postForm(`/ib/settings/${what}/start`, o.csrf, html`<button type="submit" class="btn btn-primary">${label}</button>`)
      : html`<button type="button" class="btn" disabled aria-disabled="true">${label}</button>`;
  return shell(
    o,
    '登録情報の変更',
    html`${notice(o.notice)}
    <p class="lead">ご登録の内容を表示します。変更する項目のボタンを押して下さい。</p>
    ${infoTable('ご登録内容', [
      ['メールアドレス', c.email],
      ['振込限度額（1日あたり）', yen(Number(c.daily_limit))],
      ['メール通知パスワード', c.mail_otp_email === null ? '利用していません' : `利用中（送信先 ${c.mail_otp_email}）`],
      ['ワンタイムパスワード', o.otpActive ? '利用中' : '利用していません'],
    ])}
    <div class="menu">
      ${button('email', 'メールアドレス変更', true)}
      ${button('limit', '振込限度額変更', true)}
      ${button('mailOtp', 'メール通知パスワード利用変更', !o.otpActive)}
    </div>
    <section class="panel notes"><h2>ご確認ください</h2><div class="body">
      <p>・ワンタイムパスワードをご利用のお客さまは、登録内容の変更にワンタイムパスワードの入力が必要です。</p>
      <p>・ワンタイムパスワードとメール通知パスワードは何れか一つのみのご利用となります。ワンタイムパスワードの利用中はメール通知パスワードを変更できません。</p>
      <p>・振込限度額は、ワンタイムパスワードをご利用の場合は1日あたり${yen(o.maxLimit)}まで、ご利用でない場合は20万円までです。</p>
    </div></section>`,
    false,
  );
}

/** 変更内容の入力. */
export function settingsInput(
  o: ScreenBase & { what: SettingsFlow['what']; customer: BankCustomer; maxLimit: number; value?: string; errors?: FieldErrors },
): Html {
  const e = o.errors ?? {};
  const c = o.customer;
  const body =
    o.what === 'limit'
      ? html`${infoTable('現在の振込限度額', [['1日あたり', yen(Number(c.daily_limit))], ['変更できる上限', yen(o.maxLimit)]])}
        <section class="panel"><h2>変更後の振込限度額</h2>
        ${field({ name: 'value', label: '振込限度額（円）', hint: `1万円単位、${yen(o.maxLimit)}まで（半角数字）`, value: o.value, error: e['value'], inputmode: 'numeric', maxlength: 9, size: 'short' })}</section>`
      : html`${infoTable('現在の登録内容', [[o.what === 'email' ? 'メールアドレス' : 'メール通知パスワード送信先', (o.what === 'email' ? c.email : c.mail_otp_email) ?? '未登録']])}
        <section class="panel"><h2>${o.what === 'email' ? '変更後のメールアドレス' : '変更後のメール通知パスワード送信先'}</h2>
        ${field({ name: 'value', label: 'メールアドレス', hint: '半角英数字記号 4〜64文字', type: 'email', value: o.value, error: e['value'], inputmode: 'email', maxlength: 64 })}
        ${field({ name: 'valueConfirm', label: 'メールアドレス（確認用）', hint: '確認のため2回入力して下さい', type: 'email', error: e['valueConfirm'], inputmode: 'email', maxlength: 64 })}
        ${o.what === 'mailOtp' ? html`<p class="hint pad">※ 次の画面で、変更後のメールアドレスに送信したメール通知パスワードの入力が必要です。</p>` : ''}</section>`;
  return shell(
    o,
    `${SETTINGS_TITLES[o.what]}（入力）`,
    html`${stepIndicator(STEPS, 0)}${errorSummary(o.errors)}
    <p class="lead">変更内容を入力し、「次へ」ボタンを押して下さい。</p>
    ${postForm(`/ib/settings/${o.what}`, o.csrf, html`${body}${flowButtons({ primary: html`<button type="submit" class="btn btn-primary">次へ</button>`, back: false })}`)}`,
  );
}

/** How the change is confirmed. */
export type SettingsAuth =
  | { readonly kind: 'otp' }
  | { readonly kind: 'mail'; readonly sent: { readonly sentAt: number; readonly to: string } | null }
  | { readonly kind: 'none' };

/** 変更内容の確認. */
export function settingsConfirm(
  o: ScreenBase & { what: SettingsFlow['what']; before: string; after: string; auth: SettingsAuth; errors?: FieldErrors; message?: string },
): Html {
  const e = o.errors ?? {};
  return shell(
    o,
    `${SETTINGS_TITLES[o.what]}（確認）`,
    html`${stepIndicator(STEPS, 1)}${errorSummary(o.errors, o.message)}
    <p class="lead">変更内容をご確認のうえ、確認用パスワード${o.auth.kind === 'otp' ? '・ワンタイムパスワード' : o.auth.kind === 'mail' ? '・メール通知パスワード' : ''}を入力し、「変更を確定する」ボタンを押して下さい。</p>
    ${infoTable('変更内容', [['変更前', o.before], ['変更後', html`<strong>${o.after}</strong>`]])}
    ${postForm(
      `/ib/settings/${o.what}/confirm`,
      o.csrf,
      html`<section class="panel"><h2>確認用パスワードの入力</h2>
        ${field({ name: 'confirmPassword', label: '確認用パスワード', hint: '半角英数字6～12桁', type: 'password', error: e['confirmPassword'], maxlength: 12 })}
      </section>
      ${o.auth.kind === 'otp'
        ? html`<section class="panel"><h2>ワンタイムパスワードの入力</h2>
          ${field({ name: 'otp', label: 'ワンタイムパスワード', hint: '半角数字', error: e['otp'], inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 10, size: 'short' })}</section>`
        : o.auth.kind === 'mail'
          ? checkSections({ mailOtp: o.auth.sent }, e)
          : ''}
      ${flowButtons({ primary: html`<button type="submit" class="btn btn-primary">変更を確定する</button>` })}`,
    )}
    ${o.auth.kind === 'mail' ? mailOtpResendForm(o.csrf) : ''}`,
  );
}

/** 変更完了. */
export function settingsDone(o: ScreenBase & { what: SettingsFlow['what']; after: string }): Html {
  return shell(
    o,
    `${SETTINGS_TITLES[o.what]}（完了）`,
    html`${stepIndicator(STEPS, 2)}
    <div class="alert alert-info"><p>以下の内容で変更を受け付けました。</p></div>
    ${infoTable('変更後の内容', [[SETTINGS_TITLES[o.what].replace('変更', ''), o.after]])}
    <div class="actions"><a class="btn btn-primary" href="/ib/settings">登録情報の変更へ</a></div>`,
    false,
  );
}
