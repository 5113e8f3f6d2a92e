import { html, type Html, type HtmlValue } from '../../shared/html.js';
import { formatJapanesePhone, normalizeJapanesePhone } from '../../shared/phone-number.js';
import { PHONE_CHECK_TTL_MS, type PhoneCheckState } from '../phone-check.js';
import { errorSummary, flowButtons, postForm } from './components.js';
import { page } from './layout.js';

/** What the 電話番号認証 screen is drawn from. */
export interface PhoneCheckScreenOptions {
  readonly bankName: string;
  /** The customer's name (header) and the session's CSRF token (every form). */
  readonly name: string;
  readonly csrf: string;
  /** The screen's title, e.g. トークン発行（電話番号認証）. */
  readonly title: string;
  readonly screenId?: string;
  /** The procedure's step indicator (stepIndicator(...) with this step current). */
  readonly steps?: Html;
  /** The check's ID (startPhoneCheck): the page polls /ib/phone-check/:id/status. */
  readonly checkId: string;
  readonly state: PhoneCheckState;
  /** Seconds left on the portal's clock (phoneCheckInfo). */
  readonly secondsLeft: number;
  /** When the 120 seconds end (ms since the epoch), shown as a JST time for pages without script. */
  readonly expiresAt: number;
  /** お届出電話番号: the customer's registered phone (digits). */
  readonly registeredPhone: string;
  /** 認証先電話番号 (ctx.phoneCheck.number). */
  readonly checkNumber: string;
  /**
   * Where 「実行」 posts (the flow's own step URL). The page submits the same form by itself once
   * the call is verified; the route checks the state again on the server.
   */
  readonly action: string;
  /** Extra hidden fields of that form. */
  readonly hidden?: Readonly<Record<string, string>>;
  /** A POST that starts a new check, offered once this one expired (「もう一度」). */
  readonly retryAction?: string;
  /** Draws 申込を中止する / 戻る (the flow's hidden forms); default true. */
  readonly flowButtons?: boolean;
  /** An error above the screen (e.g. 「実行」 pressed before the call came). */
  readonly message?: string;
}

/** The messages the script swaps in; drawn by the server, so no Japanese text lives in the script. */
const STATUS_TEXT: Record<PhoneCheckState, string> = {
  pending: 'お届出電話番号からのお電話をお待ちしています。',
  verified: '電話番号認証が完了しました。次の画面へ進みます。',
  expired:
    'お電話を確認できないまま120秒が経過しました。お手数ですが、もう一度電話番号認証を行ってください。',
};

/** 「実行」 pressed (or posted) while the call has not come yet. */
export const PHONE_CHECK_NOT_VERIFIED =
  '電話番号認証が完了していません。お届出電話番号から認証先電話番号へお電話いただき、電話が切れたあとで「実行」ボタンを押してください。';

/** What the caller hears before the line is hung up (the webhook's answer). */
export const PHONE_CHECK_SAY = {
  verified: '電話番号認証が完了しました。お電話を切ります。画面が自動的に切り替わります。',
  refused:
    '電話番号認証を受け付けられませんでした。お届出の電話番号から、画面に表示されている認証先電話番号へ、百二十秒以内におかけください。',
} as const;

/** 14時05分30秒 (JST) of an instant. */
function jstTime(ms: number): string {
  const d = new Date(ms + 9 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCHours())}時${p(d.getUTCMinutes())}分${p(d.getUTCSeconds())}秒`;
}

/**
 * 電話番号認証 (guide 000 STEP 1 ⑤): 「お届出電話番号」から、120秒以内に「認証先電話番号」にお電話
 * ください. The portal's script counts down, asks /ib/phone-check/:id/status every 2 seconds and,
 * once the call is verified, submits this screen's own form (「次画面に自動遷移」); 「実行」 submits
 * it by hand (「自動的に画面遷移しない場合は、「実行」ボタンを押してください」), and without script it
 * is the only way on. After 120 seconds the screen says to try again and stops asking.
 */
export function phoneCheckScreen(o: PhoneCheckScreenOptions): Html {
  const seconds = Math.round(PHONE_CHECK_TTL_MS / 1000);
  const registered = formatJapanesePhone(o.registeredPhone);
  const telDigits = normalizeJapanesePhone(o.checkNumber) ?? o.checkNumber.replace(/[^0-9+]/g, '');
  const when = (state: PhoneCheckState, content: HtmlValue, tag: 'p' | 'div' = 'p') =>
    tag === 'p'
      ? html`<p data-when="${state}"${o.state === state ? '' : html` hidden`}>${content}</p>`
      : html`<div data-when="${state}"${o.state === state ? '' : html` hidden`}>${content}</div>`;
  const hidden = Object.entries(o.hidden ?? {}).map(
    ([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`,
  );
  const run = html`<button type="submit" form="phone-check-form" class="btn btn-primary" data-when-not="expired"${
    o.state === 'expired' ? html` hidden` : ''
  }>実行</button>`;
  const body = html`${o.steps ?? ''}
    ${errorSummary(undefined, o.message)}
    <section class="phone-check" data-phone-check data-state="${o.state}"
      data-status-url="/ib/phone-check/${o.checkId}/status" data-seconds-left="${String(o.secondsLeft)}"
      data-form="phone-check-form">
      <p class="lead">「お届出電話番号」から、${seconds}秒以内に「認証先電話番号」にお電話ください。</p>
      <ul class="pc-notes">
        <li>※電話番号認証完了後、自動で電話が切れ、次画面に自動遷移します。</li>
        <li>※電話が切れたあと、自動的に画面遷移しない場合は、「実行」ボタンを押してください。</li>
        <li>※電話番号を非通知に設定している場合は、認証先電話番号の前に「186」を付けておかけください。</li>
      </ul>
      <section class="panel">
        <h2>電話番号認証</h2>
        <table class="info pc-numbers">
          <tr><th scope="row">お届出電話番号</th><td><span class="pc-number" id="registered-phone">${registered}</span></td></tr>
          <tr><th scope="row">認証先電話番号</th><td><a class="pc-number pc-call" id="check-number" href="tel:${telDigits}">${o.checkNumber}</a></td></tr>
        </table>
      </section>
      <div class="pc-status" role="status" aria-live="polite">
        ${when(
          'pending',
          html`<span class="pc-left">残り <strong data-countdown>${String(o.secondsLeft)}</strong> 秒</span>
          <span class="pc-deadline">（受付期限 ${jstTime(o.expiresAt)}）</span><br>${STATUS_TEXT.pending}`,
        )}
        ${when('verified', STATUS_TEXT.verified)}
        ${when('expired', STATUS_TEXT.expired)}
      </div>
      ${postForm(o.action, o.csrf, hidden, { id: 'phone-check-form', className: 'hidden-form' })}
      ${o.retryAction === undefined
        ? ''
        : when(
            'expired',
            postForm(o.retryAction, o.csrf, html`<button type="submit" class="btn btn-primary">もう一度電話番号認証を行う</button>`),
            'div',
          )}
    </section>
    ${o.flowButtons === false ? html`<div class="actions">${run}</div>` : flowButtons({ primary: run })}`;
  return page({
    title: o.title,
    bankName: o.bankName,
    user: { name: o.name, csrf: o.csrf },
    nav: 'services',
    ...(o.screenId === undefined ? {} : { screenId: o.screenId }),
    ...(o.flowButtons === false ? {} : { flowCsrf: o.csrf }),
    body,
  });
}
