import { html, type Html } from '../../shared/html.js';
import { field, jstDateTime, postForm } from './components.js';

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
  return postForm('/ib/mail-otp/resend', csrf, '', { id: 'mail-otp-resend', className: 'hidden-form' });
}

/** The confirm screen's sections for the extra checks, inside its form. */
export function checkSections(c: ConfirmChecks, errors: Readonly<Record<string, string>>): Html {
  return html`${
    c.mailOtp === undefined
      ? ''
      : html`<section class="panel"><h2>メール通知パスワード送信先</h2>
        ${
          c.mailOtp === null
            ? html`<p class="error">メール通知パスワードを送信できませんでした。「メール通知パスワードを再送信する」を押してください。</p>`
            : html`<p>メール通知パスワードは、お客様へ送信されたメールの本文に以下の送信日時を記載したメールをご確認ください。</p>
        <table class="info">
          <tr><th scope="row">送信日時</th><td data-testid="mail-otp-sent-at">${jstDateTime(new Date(c.mailOtp.sentAt).toISOString(), true)}</td></tr>
          <tr><th scope="row">送信先メールアドレス</th><td>${c.mailOtp.to}</td></tr>
        </table>`
        }
        ${field({ name: 'mailOtp', label: 'メール通知パスワード', hint: '半角数字6桁', error: errors['mailOtp'], inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6, size: 'short' })}
        <p class="pad"><button type="submit" form="mail-otp-resend" class="btn btn-link">メール通知パスワードを再送信する</button></p>
      </section>`
  }${
    c.question === undefined
      ? ''
      : html`<section class="panel"><h2>追加認証入力</h2>
        <table class="info"><tr><th scope="row">質問</th><td>${c.question}</td></tr></table>
        ${field({ name: 'securityAnswer', label: '回答', hint: '全角16文字以内', error: errors['securityAnswer'], maxlength: 16 })}
      </section>`
  }`;
}
