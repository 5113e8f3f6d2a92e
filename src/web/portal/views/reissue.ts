import type { TokenInfo } from '../../../client/index.js';
import { HARDWARE_REISSUE_DAYS, mayReissueHardware } from '../../../core/index.js';
import { html, type Html } from '../../shared/html.js';
import type { Messages } from '../i18n/locale.js';
import {
  errorSummary,
  field,
  flowButtons,
  infoTable,
  paragraphs,
  postForm,
  stepIndicator,
  submitButton,
  type FieldErrors,
} from './components.js';
import { screenPage, type ScreenBase } from './layout.js';

/** The active hardware token of a customer (the one a re-issue replaces), else null. */
export function activeHardware(t: TokenInfo | null): TokenInfo | null {
  return t !== null && t.state === 'active' && t.type === 'hardware' ? t : null;
}

/** The new hardware token waiting beside the active one (a re-issue), else null. */
export function pendingHardware(t: TokenInfo | null): TokenInfo | null {
  const p = activeHardware(t)?.pending;
  return p !== undefined && p.type === 'hardware' && !p.expired ? p : null;
}

/** When re-issue opens: 90 days before 有効期限 (SPEC.md "Hardware token"), as ISO; else null. */
export function reissueOpensAt(t: TokenInfo): string | null {
  const until = t.validUntil === null ? NaN : Date.parse(t.validUntil);
  return Number.isFinite(until)
    ? new Date(until - HARDWARE_REISSUE_DAYS * 86_400_000).toISOString()
    : null;
}

/** Whether the customer may apply now: the fob is active, unlocked, nothing waits, 90 days reached. */
export function mayApplyReissue(t: TokenInfo | null, now: number): boolean {
  const hw = activeHardware(t);
  if (hw === null || hw.locked || hw.pending !== undefined || hw.validUntil === null) return false;
  return mayReissueHardware(Date.parse(hw.validUntil), now);
}

/** 有効期限 as the guide prints it: the date and time, （日本時間）. */
function jst(t: Messages, iso: string | null): string {
  return iso === null ? '' : `${t.dateTime(iso)}${t.reissue.jst}`;
}

/**
 * The part of BOP001 for a customer whose hardware token is 利用中 (the 有効期限 itself is in
 * BOP001's トークン情報, （日本時間）): from 90 days before it the notice 「ハードウェアトークンの
 * 有効期限が近づいています」 with the re-issue button, before that from when it opens; after a
 * re-issue the active fob and the new one side by side (発送待ち / 発送済), in place of BOP001's
 * own table. Nothing for anyone else.
 */
export function reissuePanel(o: {
  t: Messages;
  csrf: string;
  token: TokenInfo | null;
  now: number;
}): {
  info?: Html;
  notice?: Html;
} {
  const { t, csrf } = o;
  const r = t.reissue;
  const hw = activeHardware(o.token);
  if (hw === null) return {};
  const next = pendingHardware(o.token);
  if (next !== null) {
    const shipped = next.serial !== null;
    return {
      info: html`${infoTable(r.currentToken, [
        [t.common.tokenType, t.otp.types.hardware],
        [t.common.serial, hw.serial ?? ''],
        [r.validUntil, html`<span data-valid-until>${jst(t, hw.validUntil)}</span>`],
      ])}
      ${infoTable(r.newToken, [
        [t.common.tokenType, t.otp.types.hardware],
        [
          r.shipState,
          html`<span class="state state-issued" data-ship="${shipped ? 'shipped' : 'waiting'}">${shipped ? r.shipped : r.waiting}</span>`,
        ],
        ...(shipped ? [[t.common.serial, next.serial ?? ''] as [string, string]] : []),
        [r.activateBy, jst(t, next.expiresAt)],
      ])}`,
      notice: html`<div class="alert alert-info"><p>${shipped ? r.shippedNote : r.waitingNote}</p></div>`,
    };
  }
  if (hw.locked) return {};
  if (!mayApplyReissue(o.token, o.now)) {
    const opens = reissueOpensAt(hw);
    return opens === null
      ? {}
      : {
          notice: html`<p class="hint pad" id="reissue-opens">${r.opensFrom(t.dateTime(opens))}</p>`,
        };
  }
  return {
    notice: html`<div class="alert alert-warn" id="reissue-notice"><p><strong>${r.nearTitle}</strong></p>
      ${paragraphs(r.nearBody)}
      ${postForm('/ib/otp/reissue/start', csrf, submitButton(r.button))}
    </div>`,
  };
}

/** The steps of a re-issue. */
function steps(t: Messages, current: number): Html {
  return stepIndicator(t, t.reissue.steps, current);
}

/**
 * ハードウェアトークン再発行（再発行内容確認）: the token it replaces, the fee and the registered
 * address (guide 001 手順4), 確認用パスワード and the current fob's OTP (guide 001: 「トークンを再発行
 * する際はワンタイムパスワードの入力が求められます」).
 */
export function reissueConfirm(
  o: ScreenBase & {
    token: TokenInfo;
    address: string;
    fee: number;
    errors?: FieldErrors;
    message?: string;
  },
): Html {
  const t = o.locale.t;
  const r = t.reissue;
  const h = t.otp.hardConfirm;
  return screenPage(
    o,
    'services',
    r.title,
    html`${steps(t, 0)}
    ${errorSummary(o.errors, o.message)}
    <p class="lead">${r.lead}</p>
    ${infoTable(r.currentToken, [
      [t.common.serial, o.token.serial ?? ''],
      [r.validUntil, jst(t, o.token.validUntil)],
    ])}
    ${infoTable(r.details, [
      [t.common.tokenType, h.kind],
      [h.fee, html`<span class="kv-amount">${t.yen(o.fee)}</span>${h.feeNote}`],
      [
        h.sendTo,
        html`<span id="send-to">${o.address}</span><br><span class="hint">${h.byPost}</span>`,
      ],
    ])}
    <section class="panel notes"><h2>${t.common.notes}</h2><div class="body">
      ${paragraphs(r.notes(t.yen(o.fee)))}
    </div></section>
    ${postForm(
      '/ib/otp/reissue',
      o.csrf,
      html`<section class="panel"><h2>${t.confirmPassword.section}</h2>
        ${field(t, { name: 'confirmPassword', label: t.confirmPassword.label, hint: t.confirmPassword.hint, type: 'password', error: o.errors?.['confirmPassword'], maxlength: 12, autocomplete: 'off' })}
      </section>
      <section class="panel"><h2>${t.otpInput.section}</h2>
        ${field(t, { name: 'otp', label: t.otpInput.label, hint: r.otpHint, error: o.errors?.['otp'], inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 10, size: 'short' })}
      </section>
      ${flowButtons(t, { primary: submitButton(r.submit) })}`,
    )}`,
    { flow: true },
  );
}

/** ハードウェアトークン再発行（再発行受付完了）. */
export function reissueDone(o: ScreenBase & { fee: number }): Html {
  const t = o.locale.t;
  const r = t.reissue;
  return screenPage(
    o,
    'services',
    r.titleDone,
    html`${steps(t, 1)}
    <div class="alert alert-info"><p id="reissue-accepted">${r.accepted}</p></div>
    <section class="panel"><h2>${r.nextTitle}</h2><div class="body">
      ${paragraphs(r.next(t.yen(o.fee)))}
    </div></section>
    <div class="actions"><a class="btn btn-primary" href="/ib/otp">${t.common.toOtpMenu}</a></div>`,
  );
}
