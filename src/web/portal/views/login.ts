import { html, type Html } from '../../shared/html.js';
import { errorSummary, field, notice, postForm, type FieldErrors } from './components.js';
import { page } from './layout.js';

/** Common inputs of the pages before login. */
export interface LoginPageBase {
  readonly bankName: string;
  readonly csrf: string;
}

/** ログイン: ログインID and ログインパスワード (and an OTP handed over by the app). */
export function loginPage(
  o: LoginPageBase & { loginId?: string; errors?: FieldErrors; message?: string; info?: string },
): Html {
  return page({
    title: 'ログイン',
    bankName: o.bankName,
    body: html`<div class="login-box">
      ${notice(o.info)}
      ${errorSummary(o.errors, o.message)}
      <section class="panel">
        <h2>ログインID・ログインパスワードの入力</h2>
        ${postForm(
          '/ib/login',
          o.csrf,
          html`
          <p class="app-otp" id="app-otp-note" hidden>ワンタイムパスワードアプリのワンタイムパスワードを使用してログインします。</p>
          <input type="hidden" name="appOtp" id="app-otp" value="">
          ${field({ name: 'loginId', label: 'ログインID', value: o.loginId, error: o.errors?.['loginId'], autocomplete: 'username', maxlength: 32 })}
          ${field({ name: 'password', label: 'ログインパスワード', type: 'password', error: o.errors?.['password'], autocomplete: 'current-password', maxlength: 64 })}
          <div class="actions"><button type="submit" class="btn btn-primary">ログイン</button></div>`,
        )}
      </section>
    </div>`,
  });
}

/** ワンタイムパスワード認証: the second factor at login once the OTP is 利用中. */
export function loginOtpPage(
  o: LoginPageBase & { name: string; errors?: FieldErrors; message?: string },
): Html {
  return page({
    title: 'ワンタイムパスワード認証',
    bankName: o.bankName,
    body: html`<div class="login-box">
      ${errorSummary(o.errors, o.message)}
      <p class="lead">${o.name} 様、ワンタイムパスワードアプリ（またはハードウェアトークン）に表示されているワンタイムパスワードを入力し、「認証する」ボタンを押して下さい。</p>
      <section class="panel">
        <h2>ワンタイムパスワードの入力</h2>
        ${postForm(
          '/ib/login/otp',
          o.csrf,
          html`${field({ name: 'otp', label: 'ワンタイムパスワード', hint: '半角数字', error: o.errors?.['otp'], inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 10, size: 'short' })}
          <div class="actions"><button type="submit" class="btn btn-primary">認証する</button></div>`,
        )}
      </section>
      ${postForm('/ib/logout', o.csrf, html`<div class="actions-back"><button type="submit" class="btn btn-link">ログインを中止する</button></div>`)}
    </div>`,
  });
}

/** ワンタイムパスワード認証の停止 (閉塞): the guide's words, and the bank's number to call. */
export function lockedPage(o: { bankName: string; phone: string }): Html {
  return page({
    title: 'ワンタイムパスワード認証の停止',
    bankName: o.bankName,
    body: html`<div class="login-box">
      <div class="alert alert-error" role="alert"><p>ワンタイムパスワード認証が停止しているため、ログインできません。</p></div>
      <section class="panel"><h2>ご連絡のお願い</h2>
        <p>ワンタイムパスワードを連続して一定回数以上間違えたため、不正ログインを防止するためにワンタイムパスワード認証を停止しました。</p>
        <p>状況を確認後、当行にて停止状態の解除を実施いたしますので、お手数ですが下記までご連絡ください。</p>
        <p><strong>${o.bankName} インターネットバンキング ヘルプデスク　${o.phone}</strong>（平日 9:00〜17:00）</p>
      </section>
      <div class="actions"><a class="btn btn-secondary" href="/ib/login">ログイン画面へ</a></div>
    </div>`,
  });
}

/** ログイン (ワンタイムパスワード利用促進), guide 002: 申請する / 申請しない. */
export function promotePage(
  o: LoginPageBase & { name: string; error?: string },
): Html {
  return page({
    title: 'ログイン（ワンタイムパスワード利用促進）',
    bankName: o.bankName,
    user: { name: o.name, csrf: o.csrf },
    body: html`
      ${errorSummary(o.error === undefined ? undefined : { choice: o.error })}
      <p class="lead">ワンタイムパスワード利用申請をご選択のうえ、「次へ」ボタンを押して下さい。</p>
      ${postForm(
        '/ib/login/promote',
        o.csrf,
        html`<section class="panel"><h2>ワンタイムパスワード利用申請</h2>
        <div class="field${o.error ? ' has-error' : ''}"><label><span class="req">必須</span>ワンタイムパスワード利用申請</label>
          <div class="control"><div class="radio-row" role="radiogroup">
            <label><input type="radio" name="choice" value="apply" checked> 申請する</label>
            <label><input type="radio" name="choice" value="skip"> 申請しない</label>
          </div>${o.error ? html`<p class="error" role="alert">${o.error}</p>` : ''}</div></div>
        </section>
        <div class="notes panel"><h2>ご注意</h2><div class="body">
          <p>※「申請する」、「申請しない」をご選択下さい。</p>
          <p>※「申請する」を選択した場合、ワンタイムパスワード申請内容選択画面へ遷移します。</p>
          <p>※「申請しない」を選択した場合、トップページへ遷移します。</p>
        </div></div>
        <div class="actions"><button type="submit" class="btn btn-primary">次へ</button></div>`,
      )}`,
  });
}
