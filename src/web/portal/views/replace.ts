import { html, type Html } from '../../shared/html.js';
import { errorSummary, field, flowButtons, postForm, stepIndicator, type FieldErrors } from './components.js';
import { page } from './layout.js';
import type { ScreenBase } from './otp.js';

/** The steps of 機種変更 as the customer walks them. */
export const REPLACE_STEPS = ['ログインパスワードの確認', '電話番号認証', 'ソフトウェアトークン発行情報入力', '入力内容確認', '発行完了'];

/** 機種変更（トークン再発行）: what happens, then the login password. */
export function replacePassword(o: ScreenBase & { errors?: FieldErrors }): Html {
  return page({
    title: '機種変更（トークン再発行）',
    bankName: o.bankName,
    user: { name: o.name, csrf: o.csrf },
    nav: 'services',
    flowCsrf: o.csrf,
    body: html`${stepIndicator(REPLACE_STEPS, 0)}
    ${errorSummary(o.errors)}
    <p class="lead">スマートフォンの機種変更・紛失の際に、新しいスマートフォンのワンタイムパスワードアプリへトークンを発行します。書面によるお手続きは不要です。</p>
    <section class="panel notes"><h2>お手続きの流れ</h2><div class="body">
      <p>1. ログインパスワードを入力します。</p>
      <p>2. お届出電話番号から認証先電話番号へお電話いただき、ご本人であることを確認します（電話番号認証）。</p>
      <p>3. 新しいスマートフォンのメールアドレスと利用開始パスワードを登録し、トークンを発行します。</p>
      <p>4. 新しいスマートフォンでアプリの初期設定を行い、「ワンタイムパスワード利用開始」を行うと、それまでのトークンは自動的に利用解除となり、メールでお知らせします。</p>
      <p>※ 新しいトークンの利用開始までは、現在のトークン（お手元にある場合）を引き続きご利用いただけます。</p>
    </div></section>
    ${postForm(
      '/ib/otp/replace',
      o.csrf,
      html`<section class="panel"><h2>ログインパスワードの入力</h2>
        ${field({ name: 'password', label: 'ログインパスワード', type: 'password', error: o.errors?.['password'], maxlength: 64, autocomplete: 'current-password' })}
      </section>
      ${flowButtons({ primary: html`<button type="submit" class="btn btn-primary">電話番号認証を行う</button>` })}`,
    )}`,
  });
}
