import { html, type Html } from '../../shared/html.js';
import type { Messages } from '../i18n/locale.js';
import { field, postForm } from './components.js';

/**
 * How a confirm step is confirmed beyond the 確認用パスワード: the OTP once 利用中, else the
 * メール通知パスワード (when and where it was sent; null when none is valid), else nothing.
 */
export type SecondFactor =
  | { readonly kind: 'otp' }
  | {
      readonly kind: 'mail';
      readonly sent: { readonly sentAt: number; readonly to: string } | null;
    }
  | { readonly kind: 'none' };

/** The extra checks a confirm screen may carry (tenant options, guides 000 and 002). */
export interface ConfirmChecks {
  /** メール通知パスワード: when and where it was sent, or null when sending failed. */
  readonly mailOtp?: { readonly sentAt: number; readonly to: string } | null;
  /** 追加認証: the customer's security question. */
  readonly question?: string;
  /** 電話番号認証 follows (the button reads 「電話番号認証を行う」). */
  readonly phone?: boolean;
}

/** The hidden form behind 「メール通知パスワードを再送信する」 (outside the step's own form). */
export function mailOtpResendForm(csrf: string): Html {
  return postForm('/ib/mail-otp/resend', csrf, '', {
    id: 'mail-otp-resend',
    className: 'hidden-form',
  });
}

/** The confirm screen's sections for the extra checks, inside its form. */
export function checkSections(
  t: Messages,
  c: ConfirmChecks,
  errors: Readonly<Record<string, string>>,
): Html {
  return html`${
    c.mailOtp === undefined
      ? ''
      : html`<section class="panel"><h2>${t.mailOtp.section}</h2>
        ${
          c.mailOtp === null
            ? html`<p class="error">${t.mailOtp.sendFailed}</p>`
            : html`<p>${t.mailOtp.sentLead}</p>
        <table class="info">
          <tr><th scope="row">${t.mailOtp.sentAt}</th><td data-testid="mail-otp-sent-at">${t.dateTime(new Date(c.mailOtp.sentAt).toISOString(), true)}</td></tr>
          <tr><th scope="row">${t.mailOtp.sentTo}</th><td>${c.mailOtp.to}</td></tr>
        </table>`
        }
        ${field(t, { name: 'mailOtp', label: t.mailOtp.label, hint: t.mailOtp.hint, error: errors['mailOtp'], inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6, size: 'short' })}
        <p class="pad"><button type="submit" form="mail-otp-resend" class="btn btn-link">${t.mailOtp.resend}</button></p>
      </section>`
  }${
    c.question === undefined
      ? ''
      : html`<section class="panel"><h2>${t.question.section}</h2>
        <table class="info"><tr><th scope="row">${t.question.question}</th><td>${c.question}</td></tr></table>
        ${field(t, { name: 'securityAnswer', label: t.question.label, hint: t.question.hint, error: errors['securityAnswer'], maxlength: 16, secret: true })}
      </section>`
  }`;
}
