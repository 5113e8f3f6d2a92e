import { html, type Html, type HtmlValue } from '../../shared/html.js';
import { formatJapanesePhone, normalizeJapanesePhone } from '../../shared/phone-number.js';
import type { Locale } from '../i18n/locale.js';
import { PHONE_CHECK_TTL_MS, type PhoneCheckState } from '../phone-check.js';
import { errorSummary, flowButtons, postForm } from './components.js';
import { page } from './layout.js';

/** What the 電話番号認証 screen is drawn from. */
export interface PhoneCheckScreenOptions {
  readonly locale: Locale;
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

/**
 * 電話番号認証 (guide 000 STEP 1 ⑤): 「お届出電話番号」から、120秒以内に「認証先電話番号」にお電話
 * ください. The portal's script counts down, asks /ib/phone-check/:id/status every 2 seconds and,
 * once the call is verified, submits this screen's own form (「次画面に自動遷移」); 「実行」 submits
 * it by hand (「自動的に画面遷移しない場合は、「実行」ボタンを押してください」), and without script it
 * is the only way on. After 120 seconds the screen says to try again and stops asking.
 */
export function phoneCheckScreen(o: PhoneCheckScreenOptions): Html {
  const t = o.locale.t;
  const p = t.phoneCheck;
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
  }>${p.run}</button>`;
  const body = html`${o.steps ?? ''}
    ${errorSummary(undefined, o.message)}
    <section class="phone-check" data-phone-check data-state="${o.state}"
      data-status-url="/ib/phone-check/${o.checkId}/status" data-seconds-left="${String(o.secondsLeft)}"
      data-form="phone-check-form">
      <p class="lead">${p.lead(seconds)}</p>
      <ul class="pc-notes">
        ${p.notes.map((n) => html`<li>${n}</li>`)}
      </ul>
      <section class="panel">
        <h2>${p.section}</h2>
        <table class="info pc-numbers">
          <tr><th scope="row">${p.registered}</th><td><span class="pc-number" id="registered-phone">${registered}</span></td></tr>
          <tr><th scope="row">${p.number}</th><td><a class="pc-number pc-call" id="check-number" href="tel:${telDigits}">${o.checkNumber}</a></td></tr>
        </table>
      </section>
      <div class="pc-status" role="status" aria-live="polite">
        ${when(
          'pending',
          html`<span class="pc-left">${p.left(html`<strong data-countdown>${String(o.secondsLeft)}</strong>`)}</span>
          <span class="pc-deadline">${p.deadline(t.time(o.expiresAt))}</span><br>${p.status.pending}`,
        )}
        ${when('verified', p.status.verified)}
        ${when('expired', p.status.expired)}
      </div>
      ${postForm(o.action, o.csrf, hidden, { id: 'phone-check-form', className: 'hidden-form' })}
      ${
        o.retryAction === undefined
          ? ''
          : when(
              'expired',
              postForm(
                o.retryAction,
                o.csrf,
                html`<button type="submit" class="btn btn-primary">${p.retry}</button>`,
              ),
              'div',
            )
      }
    </section>
    ${o.flowButtons === false ? html`<div class="actions">${run}</div>` : flowButtons(t, { primary: run })}`;
  return page({
    locale: o.locale,
    title: o.title,
    bankName: o.bankName,
    user: { name: o.name, csrf: o.csrf },
    nav: 'services',
    ...(o.screenId === undefined ? {} : { screenId: o.screenId }),
    ...(o.flowButtons === false ? {} : { flowCsrf: o.csrf }),
    body,
  });
}
