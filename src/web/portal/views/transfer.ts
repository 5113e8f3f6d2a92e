import type { BankAccount } from '../../../bank/bank-store.js';
import { html, type Html } from '../../shared/html.js';
import type { TransferDraft } from '../flows.js';
import type { Messages } from '../i18n/locale.js';
import {
  errorSummary,
  field,
  flowButtons,
  infoTable,
  postForm,
  requiredMark,
  stepIndicator,
  submitButton,
  type FieldErrors,
} from './components.js';
import { checkSections, mailOtpResendForm, type SecondFactor } from './checks.js';
import { screenPage } from './layout.js';
import { otpSection, type ScreenBase } from './otp.js';

function shell(o: ScreenBase, title: string, body: Html, flow = true): Html {
  return screenPage(o, 'transfer', title, body, { flow });
}

/** The form's values as typed (strings), for drawing it again. */
export interface TransferInput {
  readonly accountId?: string;
  readonly payeeBank?: string;
  readonly payeeBranch?: string;
  readonly payeeType?: string;
  readonly payeeAccount?: string;
  readonly payeeName?: string;
  readonly amount?: string;
}

/** The day's limit as the customer sees it. */
export interface LimitInfo {
  readonly limit: number;
  readonly sentToday: number;
  readonly otpActive: boolean;
}

/** An account as the customer knows it: branch, 科目, number (the bank's data as it is). */
function accountName(t: Messages, a: BankAccount): string {
  return t.transfer.account(a.branch_name, t.accountType(a.account_type), a.account_number);
}

/** 振込（入力）. */
export function transferInput(
  o: ScreenBase & {
    accounts: readonly BankAccount[];
    input: TransferInput;
    limits: LimitInfo;
    errors?: FieldErrors;
    message?: string;
  },
): Html {
  const t = o.locale.t;
  const x = t.transfer;
  const e = o.errors ?? {};
  const v = o.input;
  const left = Math.max(0, o.limits.limit - o.limits.sentToday);
  return shell(
    o,
    x.inputTitle,
    html`${stepIndicator(t, x.steps, 0)}
    ${errorSummary(o.errors, o.message)}
    <p class="lead">${x.inputLead}</p>
    ${infoTable(x.today, [
      [t.common.dailyLimit, t.yen(o.limits.limit)],
      [x.sentToday, t.yen(o.limits.sentToday)],
      [x.today, html`<strong data-testid="limit-left">${t.yen(left)}</strong>`],
    ])}
    ${o.limits.otpActive ? '' : html`<div class="alert alert-warn"><p>${x.withoutOtp}</p></div>`}
    ${postForm(
      '/ib/transfer',
      o.csrf,
      html`<section class="panel"><h2>${x.from}</h2>
        <div class="field${e['accountId'] ? ' has-error' : ''}"><label for="f-accountId">${requiredMark(t)}${x.from}</label>
          <div class="control"><select id="f-accountId" name="accountId">${o.accounts.map(
            (a) =>
              html`<option value="${String(a.id)}"${String(a.id) === v.accountId ? html` selected` : ''}>${x.accountWithBalance(accountName(t, a), t.yen(Number(a.balance)))}</option>`,
          )}</select>${e['accountId'] ? html`<p class="error" id="f-accountId-err" role="alert">${e['accountId']}</p>` : ''}</div></div>
      </section>
      <section class="panel"><h2>${x.payee}</h2>
        ${field(t, { name: 'payeeBank', label: x.payeeBank, hint: x.payeeBankHint, value: v.payeeBank, error: e['payeeBank'], maxlength: 30 })}
        ${field(t, { name: 'payeeBranch', label: x.payeeBranch, hint: x.payeeBranchHint, value: v.payeeBranch, error: e['payeeBranch'], maxlength: 30 })}
        <div class="field${e['payeeType'] ? ' has-error' : ''}"><label>${requiredMark(t)}${x.payeeType}</label>
          <div class="control"><div class="radio-row" role="radiogroup">
            <label><input type="radio" name="payeeType" value="普通"${v.payeeType !== '当座' ? html` checked` : ''}> ${t.accountType('普通')}</label>
            <label><input type="radio" name="payeeType" value="当座"${v.payeeType === '当座' ? html` checked` : ''}> ${t.accountType('当座')}</label>
          </div>${e['payeeType'] ? html`<p class="error" id="f-payeeType-err" role="alert">${e['payeeType']}</p>` : ''}</div></div>
        ${field(t, { name: 'payeeAccount', label: x.payeeAccount, hint: x.payeeAccountHint, value: v.payeeAccount, error: e['payeeAccount'], inputmode: 'numeric', maxlength: 7, size: 'short' })}
        ${field(t, { name: 'payeeName', label: x.payeeName, hint: x.payeeNameHint, value: v.payeeName, error: e['payeeName'], maxlength: 30 })}
      </section>
      <section class="panel"><h2>${x.amountSection}</h2>
        ${field(t, { name: 'amount', label: x.amount, hint: t.common.halfDigits, value: v.amount, error: e['amount'], inputmode: 'numeric', maxlength: 9, size: 'short' })}
      </section>
      ${flowButtons(t, { primary: submitButton(t.common.next), back: false })}`,
    )}`,
  );
}

/** How the confirm screen asks for the second factor. */
export type TransferAuth = SecondFactor;

function draftRows(
  t: Messages,
  d: TransferDraft,
  account: BankAccount | undefined,
): [string, Html | string][] {
  const x = t.transfer;
  return [
    [x.from, account === undefined ? '' : accountName(t, account)],
    [x.payeeBankRow, d.payeeBank],
    [x.payeeBranchRow, d.payeeBranch],
    [x.payeeAccountRow, `${t.accountType(d.payeeType)} ${d.payeeAccount}`],
    [x.payeeName, d.payeeName],
    [x.amountRow, html`<span class="kv-amount">${t.yen(d.amount)}</span>`],
    [x.fee, t.yen(d.fee)],
    [x.total, html`<strong>${t.yen(d.amount + d.fee)}</strong>`],
  ];
}

/** 振込（確認）: the transfer, 確認用パスワード and the OTP (or the メール通知パスワード). */
export function transferConfirm(
  o: ScreenBase & {
    draft: TransferDraft;
    account: BankAccount | undefined;
    auth: TransferAuth;
    errors?: FieldErrors;
    message?: string;
  },
): Html {
  const t = o.locale.t;
  const x = t.transfer;
  const e = o.errors ?? {};
  const asks = [
    t.confirmPassword.name,
    ...(o.auth.kind === 'otp' ? [t.otpInput.name] : o.auth.kind === 'mail' ? [t.mailOtp.name] : []),
  ];
  return shell(
    o,
    x.confirmTitle,
    html`${stepIndicator(t, x.steps, 1)}
    ${errorSummary(o.errors, o.message)}
    <p class="lead">${x.confirmLead(t.list(asks))}</p>
    ${infoTable(x.details, draftRows(t, o.draft, o.account))}
    ${postForm(
      '/ib/transfer/confirm',
      o.csrf,
      html`<section class="panel"><h2>${t.confirmPassword.section}</h2>
        ${field(t, { name: 'confirmPassword', label: t.confirmPassword.label, hint: t.confirmPassword.hint, type: 'password', error: e['confirmPassword'], maxlength: 12 })}
      </section>
      ${
        o.auth.kind === 'otp'
          ? otpSection(t, e, t.otpInput.transferHint)
          : o.auth.kind === 'mail'
            ? checkSections(t, { mailOtp: o.auth.sent }, e)
            : ''
      }
      ${flowButtons(t, { primary: submitButton(x.submit) })}`,
    )}
    ${o.auth.kind === 'mail' ? mailOtpResendForm(o.csrf) : ''}`,
  );
}

/** 振込（受付完了）. */
export function transferDone(
  o: ScreenBase & {
    draft: TransferDraft;
    account: BankAccount | undefined;
    receiptNo: string;
    at: number;
    balance: number;
  },
): Html {
  const t = o.locale.t;
  const x = t.transfer;
  return shell(
    o,
    x.doneTitle,
    html`${stepIndicator(t, x.steps, 2)}
    <div class="alert alert-info"><p>${x.accepted}</p></div>
    ${infoTable(x.receipt, [
      [x.receiptNo, html`<strong data-testid="receipt">${o.receiptNo}</strong>`],
      [x.at, t.dateTime(new Date(o.at).toISOString())],
      ...draftRows(t, o.draft, o.account),
      [x.balanceAfter, t.yen(o.balance)],
    ])}
    <div class="actions"><a class="btn btn-secondary" href="/ib/transfer">${x.again}</a><a class="btn btn-primary" href="/ib/top">${t.common.toTop}</a></div>`,
    false,
  );
}
