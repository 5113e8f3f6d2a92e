import type { BankAccount } from '../../../bank/bank-store.js';
import type { TransactionInfo } from '../../../client/index.js';
import { html, type Html } from '../../shared/html.js';
import type { TransferDraft } from '../flows.js';
import type { Messages } from '../i18n/locale.js';
import {
  errorSummary,
  field,
  flowButtons,
  infoTable,
  postForm,
  stepIndicator,
  type FieldErrors,
} from './components.js';
import { screenPage, type ScreenBase } from './layout.js';

/**
 * 取引認証's screens in the portal (SPEC.md, "Transaction authentication"): the waiting screen
 * (「アプリで取引内容をご確認ください」) that moves on by itself when the app approves, with the
 * offline 取引認証コード as the other way on; and the screens of a cancelled or expired transfer.
 */

/** The payee and amount exactly as the app shows them. */
function transactionRows(t: Messages, tx: TransactionInfo): [string, Html | string][] {
  const x = t.transactionAuth;
  return [
    [
      x.payee,
      html`<span data-testid="tx-payee">${tx.payeeBank} ${tx.payeeBranch}<br>${tx.payeeAccount}<br>${tx.payeeName}</span>`,
    ],
    [x.amount, html`<span class="kv-amount" data-testid="tx-amount">${t.yen(tx.amount)}</span>`],
    [x.expiresAt, t.dateTime(tx.expiresAt)],
  ];
}

/** 振込（取引認証）: waiting for 承認 in the app, or the offline code. */
export function transferApprovalScreen(
  o: ScreenBase & {
    tx: TransactionInfo;
    secondsLeft: number;
    errors?: FieldErrors;
    message?: string;
  },
): Html {
  const t = o.locale.t;
  const x = t.transactionAuth;
  const e = o.errors ?? {};
  return screenPage(
    o,
    'transfer',
    x.title,
    html`<link rel="stylesheet" href="/ib/assets/transfer-approval.css">
    <script src="/ib/assets/transfer-approval.js" defer></script>
    ${stepIndicator(t, x.steps, 2)}
    ${errorSummary(o.errors, o.message)}
    <section class="tx-wait" data-tx-wait data-state="${o.tx.state}" data-status-url="/ib/transfer/approve/status"
      data-seconds-left="${String(o.secondsLeft)}" data-form="tx-approve-form">
      <p class="lead tx-lead">${x.lead}</p>
      <div class="tx-status" role="status" aria-live="polite">
        <p data-when="pending"${o.tx.state === 'pending' ? '' : html` hidden`}><span class="tx-spinner" aria-hidden="true"></span>${x.waiting}</p>
        <p data-when="approved"${o.tx.state === 'approved' ? '' : html` hidden`}>${x.approved}</p>
      </div>
      <ol class="tx-howto">${x.howTo.map((s) => html`<li>${s}</li>`)}</ol>
      <div class="alert alert-warn"><p>${x.warning}</p></div>
      ${infoTable(x.details, transactionRows(t, o.tx))}
    </section>
    ${postForm('/ib/transfer/approve', o.csrf, html``, { id: 'tx-approve-form', className: 'hidden-form' })}
    ${postForm(
      '/ib/transfer/approve',
      o.csrf,
      html`<section class="panel"><h2>${x.offlineSection}</h2>
        <p>${x.offlineLead}</p>
        ${field(t, { name: 'code', required: false, label: x.codeLabel, hint: x.codeHint, error: e['code'], inputmode: 'numeric', maxlength: 8, size: 'short' })}
        <div class="actions"><button type="submit" class="btn btn-primary">${x.run}</button></div>
      </section>`,
    )}
    ${flowButtons(t, { back: false })}`,
    { flow: true },
  );
}

/** The end of a transfer that was not sent: rejected in the app, expired, or failed. */
export function transferStoppedScreen(
  o: ScreenBase & {
    kind: 'rejected' | 'expired' | 'failed' | 'mismatch';
    draft: TransferDraft;
    account: BankAccount | undefined;
    /** A more precise reason than the kind's own words. */
    text?: string;
  },
): Html {
  const t = o.locale.t;
  const x = t.transactionAuth;
  // Expired is its own title; rejected, failed and mismatched transfers were stopped.
  const title = o.kind === 'expired' ? x.expiredTitle : x.rejectedTitle;
  const text =
    o.text ??
    (o.kind === 'rejected'
      ? x.rejected
      : o.kind === 'expired'
        ? x.expired
        : o.kind === 'failed'
          ? x.failed
          : x.mismatch);
  return screenPage(
    o,
    'transfer',
    title,
    html`<div class="alert alert-error" role="alert" data-testid="tx-stopped" data-kind="${o.kind}"><p>${text}</p>
      ${o.kind === 'rejected' ? html`<p>${x.rejectedNote}</p>` : ''}</div>
    ${infoTable(t.transfer.details, [
      [t.transfer.payeeBankRow, o.draft.payeeBank],
      [t.transfer.payeeBranchRow, o.draft.payeeBranch],
      [t.transfer.payeeAccountRow, `${t.accountType(o.draft.payeeType)} ${o.draft.payeeAccount}`],
      [t.transfer.payeeName, o.draft.payeeName],
      [t.transfer.amountRow, t.yen(o.draft.amount)],
    ])}
    <div class="actions"><a class="btn btn-secondary" href="/ib/top">${t.common.toTop}</a><a class="btn btn-primary" href="/ib/transfer">${x.again}</a></div>`,
  );
}

/** The waiting screen's style (served as its own file: the portal's CSP allows 'self' only). */
export const TRANSFER_APPROVAL_CSS = `
.tx-wait .tx-lead { font-size:1.15rem; font-weight:700; }
.tx-status { background:#fff; border:1px solid var(--line); border-left:5px solid var(--navy); border-radius:6px; padding:12px 16px; margin:12px 0; }
.tx-status p { margin:0; display:flex; align-items:center; gap:10px; }
.tx-wait[data-state=approved] .tx-status { border-left-color:var(--ok); background:#e3f4ea; color:#14532d; font-weight:700; }
.tx-spinner { width:16px; height:16px; border:3px solid #c8d3e6; border-top-color:var(--navy); border-radius:50%; animation:tx-spin 1s linear infinite; flex:none; }
@keyframes tx-spin { to { transform:rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .tx-spinner { animation:none; } }
.tx-howto { margin:8px 0 12px 1.2em; padding:0; }
.tx-howto li { margin:4px 0; }
.tx-wait .kv-amount { font-size:1.4rem; font-weight:700; }
`;

/**
 * The waiting screen's script: asks /ib/transfer/approve/status every 2 s and, when the app has
 * approved or rejected (or the time is over), submits the screen's own form; the server decides.
 */
export const TRANSFER_APPROVAL_JS = `(function () {
  'use strict';
  var w = document.querySelector('[data-tx-wait]');
  if (!w) return;
  var form = document.getElementById(w.getAttribute('data-form') || '');
  var submit = function () { if (form) { if (form.requestSubmit) form.requestSubmit(); else form.submit(); } };
  // Approved before the screen was drawn: on at once.
  if (w.getAttribute('data-state') !== 'pending') { submit(); return; }
  var url = w.getAttribute('data-status-url') || '';
  var end = Date.now() + Number(w.getAttribute('data-seconds-left') || '0') * 1000;
  var over = false;
  var show = function (state) {
    w.setAttribute('data-state', state);
    w.querySelectorAll('[data-when]').forEach(function (e) { e.hidden = e.getAttribute('data-when') !== state; });
  };
  var next = function () { setTimeout(poll, 2000); };
  var poll = function () {
    if (over) return;
    fetch(url, { headers: { accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) {
        if (r.redirected) { over = true; location.href = r.url; return null; }
        return r.ok ? r.json() : undefined;
      })
      .then(function (j) {
        if (over) return;
        if (j && j.state && j.state !== 'pending') {
          over = true;
          if (j.state === 'approved') show('approved');
          submit();
        } else if (Date.now() > end + 5000) {
          over = true;
          submit();
        } else next();
      }, next);
  };
  setTimeout(poll, 2000);
})();
`;
