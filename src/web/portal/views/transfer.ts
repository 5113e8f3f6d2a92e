import type { BankAccount } from '../../../bank/bank-store.js';
import { html, type Html } from '../../shared/html.js';
import type { TransferDraft } from '../flows.js';
import {
  errorSummary,
  field,
  flowButtons,
  infoTable,
  jstDateTime,
  postForm,
  stepIndicator,
  yen,
  type FieldErrors,
} from './components.js';
import { checkSections, mailOtpResendForm } from './checks.js';
import { page } from './layout.js';
import type { ScreenBase } from './otp.js';

const STEPS = ['振込先・金額の入力', '振込内容の確認', '振込受付完了'];

function shell(o: ScreenBase, title: string, body: Html, flow = true): Html {
  return page({
    title,
    bankName: o.bankName,
    user: { name: o.name, csrf: o.csrf },
    nav: 'transfer',
    ...(flow ? { flowCsrf: o.csrf } : {}),
    body,
  });
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

function accountLabel(a: BankAccount): string {
  return `${a.branch_name} ${a.account_type} ${a.account_number}（残高 ${yen(Number(a.balance))}）`;
}

/** 振込（入力）. */
export function transferInput(
  o: ScreenBase & { accounts: readonly BankAccount[]; input: TransferInput; limits: LimitInfo; errors?: FieldErrors; message?: string },
): Html {
  const e = o.errors ?? {};
  const v = o.input;
  const left = Math.max(0, o.limits.limit - o.limits.sentToday);
  return shell(
    o,
    '振込（振込先・金額の入力）',
    html`${stepIndicator(STEPS, 0)}
    ${errorSummary(o.errors, o.message)}
    <p class="lead">振込先と金額を入力し、「次へ」ボタンを押して下さい。</p>
    ${infoTable('本日の振込可能額', [
      ['振込限度額（1日あたり）', yen(o.limits.limit)],
      ['本日の振込済額', yen(o.limits.sentToday)],
      ['本日の振込可能額', html`<strong data-testid="limit-left">${yen(left)}</strong>`],
    ])}
    ${o.limits.otpActive ? '' : html`<div class="alert alert-warn"><p>ワンタイムパスワードをご利用でないお客さまの振込限度額は1日あたり20万円です。ワンタイムパスワードの利用開始後、限度額を変更できます。</p></div>`}
    ${postForm(
      '/ib/transfer',
      o.csrf,
      html`<section class="panel"><h2>支払口座</h2>
        <div class="field${e['accountId'] ? ' has-error' : ''}"><label for="f-accountId"><span class="req">必須</span>支払口座</label>
          <div class="control"><select id="f-accountId" name="accountId">${o.accounts.map(
            (a) => html`<option value="${String(a.id)}"${String(a.id) === v.accountId ? html` selected` : ''}>${accountLabel(a)}</option>`,
          )}</select>${e['accountId'] ? html`<p class="error" id="f-accountId-err" role="alert">${e['accountId']}</p>` : ''}</div></div>
      </section>
      <section class="panel"><h2>振込先</h2>
        ${field({ name: 'payeeBank', label: '金融機関名', hint: '例：インカン銀行', value: v.payeeBank, error: e['payeeBank'], maxlength: 30 })}
        ${field({ name: 'payeeBranch', label: '支店名', hint: '例：本店営業部', value: v.payeeBranch, error: e['payeeBranch'], maxlength: 30 })}
        <div class="field${e['payeeType'] ? ' has-error' : ''}"><label><span class="req">必須</span>科目</label>
          <div class="control"><div class="radio-row" role="radiogroup">
            <label><input type="radio" name="payeeType" value="普通"${v.payeeType !== '当座' ? html` checked` : ''}> 普通</label>
            <label><input type="radio" name="payeeType" value="当座"${v.payeeType === '当座' ? html` checked` : ''}> 当座</label>
          </div>${e['payeeType'] ? html`<p class="error" id="f-payeeType-err" role="alert">${e['payeeType']}</p>` : ''}</div></div>
        ${field({ name: 'payeeAccount', label: '口座番号', hint: '半角数字7桁', value: v.payeeAccount, error: e['payeeAccount'], inputmode: 'numeric', maxlength: 7, size: 'short' })}
        ${field({ name: 'payeeName', label: '受取人名', hint: '全角カタカナ（例：ヤマダ タロウ）', value: v.payeeName, error: e['payeeName'], maxlength: 30 })}
      </section>
      <section class="panel"><h2>振込金額</h2>
        ${field({ name: 'amount', label: '振込金額（円）', hint: '半角数字', value: v.amount, error: e['amount'], inputmode: 'numeric', maxlength: 9, size: 'short' })}
      </section>
      ${flowButtons({ primary: html`<button type="submit" class="btn btn-primary">次へ</button>`, back: false })}`,
    )}`,
  );
}

/** How the confirm screen asks for the second factor. */
export type TransferAuth =
  | { readonly kind: 'otp' }
  | { readonly kind: 'mail'; readonly sent: { readonly sentAt: number; readonly to: string } | null }
  | { readonly kind: 'none' };

function draftRows(d: TransferDraft, account: BankAccount | undefined): [string, Html | string][] {
  return [
    ['支払口座', account === undefined ? '' : `${account.branch_name} ${account.account_type} ${account.account_number}`],
    ['振込先金融機関', d.payeeBank],
    ['振込先支店', d.payeeBranch],
    ['科目・口座番号', `${d.payeeType} ${d.payeeAccount}`],
    ['受取人名', d.payeeName],
    ['振込金額', html`<span class="kv-amount">${yen(d.amount)}</span>`],
    ['振込手数料', yen(d.fee)],
    ['お引出し金額合計', html`<strong>${yen(d.amount + d.fee)}</strong>`],
  ];
}

/** 振込（確認）: the transfer, 確認用パスワード and the OTP (or the メール通知パスワード). */
export function transferConfirm(
  o: ScreenBase & { draft: TransferDraft; account: BankAccount | undefined; auth: TransferAuth; errors?: FieldErrors; message?: string },
): Html {
  const e = o.errors ?? {};
  const asks = ['確認用パスワード', ...(o.auth.kind === 'otp' ? ['ワンタイムパスワード'] : o.auth.kind === 'mail' ? ['メール通知パスワード'] : [])];
  return shell(
    o,
    '振込（振込内容の確認）',
    html`${stepIndicator(STEPS, 1)}
    ${errorSummary(o.errors, o.message)}
    <p class="lead">振込内容をご確認のうえ、${asks.join('・')}を入力し、「振込を実行する」ボタンを押して下さい。</p>
    ${infoTable('振込内容', draftRows(o.draft, o.account))}
    ${postForm(
      '/ib/transfer/confirm',
      o.csrf,
      html`<section class="panel"><h2>確認用パスワードの入力</h2>
        ${field({ name: 'confirmPassword', label: '確認用パスワード', hint: '半角英数字6～12桁', type: 'password', error: e['confirmPassword'], maxlength: 12 })}
      </section>
      ${o.auth.kind === 'otp'
        ? html`<section class="panel"><h2>ワンタイムパスワードの入力</h2>
          ${field({ name: 'otp', label: 'ワンタイムパスワード', hint: '半角数字（アプリまたはトークンに表示されている数字）', error: e['otp'], inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 10, size: 'short' })}</section>`
        : o.auth.kind === 'mail'
          ? checkSections({ mailOtp: o.auth.sent }, e)
          : ''}
      ${flowButtons({ primary: html`<button type="submit" class="btn btn-primary">振込を実行する</button>` })}`,
    )}
    ${o.auth.kind === 'mail' ? mailOtpResendForm(o.csrf) : ''}`,
  );
}

/** 振込（受付完了）. */
export function transferDone(
  o: ScreenBase & { draft: TransferDraft; account: BankAccount | undefined; receiptNo: string; at: number; balance: number },
): Html {
  return shell(
    o,
    '振込（振込受付完了）',
    html`${stepIndicator(STEPS, 2)}
    <div class="alert alert-info"><p>以下の内容で振込を受け付けました。</p></div>
    ${infoTable('受付内容', [
      ['受付番号', html`<strong data-testid="receipt">${o.receiptNo}</strong>`],
      ['受付日時', jstDateTime(new Date(o.at).toISOString())],
      ...draftRows(o.draft, o.account),
      ['お支払後残高', yen(o.balance)],
    ])}
    <div class="actions"><a class="btn btn-secondary" href="/ib/transfer">続けて振込をする</a><a class="btn btn-primary" href="/ib/top">トップページへ</a></div>`,
    false,
  );
}

