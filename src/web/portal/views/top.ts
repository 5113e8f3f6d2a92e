import type { BankAccount, BankTransfer } from '../../../bank/bank-store.js';
import { html, type Html } from '../../shared/html.js';
import { jstDateTime, notice, yen } from './components.js';
import { page } from './layout.js';
import type { ScreenBase } from './otp.js';

/** トップページ: the accounts, the day's limit, and the OTP status. */
export function topPage(
  o: ScreenBase & {
    accounts: readonly BankAccount[];
    transfers: readonly BankTransfer[];
    dailyLimit: number;
    otpLabel: string;
    otpActive: boolean;
    lastLogin?: string;
    notice?: string;
  },
): Html {
  return page({
    title: 'トップページ',
    bankName: o.bankName,
    user: { name: o.name, csrf: o.csrf, ...(o.lastLogin ? { lastLogin: o.lastLogin } : {}) },
    nav: 'home',
    body: html`${notice(o.notice)}
    ${o.otpActive
      ? ''
      : html`<div class="alert alert-warn"><p>ワンタイムパスワードをご利用いただくと、不正送金の防止を強化できます。
        <a href="/ib/otp">ワンタイムパスワード申請はこちら</a></p></div>`}
    <section class="panel"><h2>口座情報</h2>
      <table class="list">
        <thead><tr><th>支店</th><th>科目</th><th>口座番号</th><th class="num">残高</th></tr></thead>
        <tbody>${o.accounts.map(
          (a) => html`<tr><td>${a.branch_name}（${a.branch_code}）</td><td>${a.account_type}</td><td>${a.account_number}</td><td class="num">${yen(Number(a.balance))}</td></tr>`,
        )}</tbody>
      </table>
    </section>
    <div class="menu">
      <a class="btn btn-primary" href="/ib/transfer">振込</a>
      <a class="btn btn-secondary" href="/ib/otp">ワンタイムパスワード</a>
      <a class="btn btn-secondary" href="/ib/settings">登録情報の変更</a>
    </div>
    <section class="panel"><h2>最近のお振込</h2>
      ${o.transfers.length === 0
        ? html`<p>お振込みの履歴はありません。</p>`
        : html`<table class="list">
        <thead><tr><th>受付日時</th><th>振込先</th><th>受取人名</th><th class="num">金額</th></tr></thead>
        <tbody>${o.transfers.map(
          (t) => html`<tr><td>${jstDateTime(new Date(Number(t.created_at)).toISOString())}</td><td>${t.payee_bank} ${t.payee_branch} ${t.payee_account_type} ${t.payee_account}</td><td>${t.payee_name}</td><td class="num">${yen(Number(t.amount))}</td></tr>`,
        )}</tbody></table>`}
    </section>
    <section class="panel"><h2>ご利用状況</h2>
      <table class="info">
        <tr><th scope="row">ワンタイムパスワード</th><td>${o.otpLabel}　<a href="/ib/otp">申込・変更</a></td></tr>
        <tr><th scope="row">振込限度額（1日あたり）</th><td>${yen(o.dailyLimit)}</td></tr>
      </table>
    </section>`,
  });
}

/** A page for what went wrong outside a form (expired session, out-of-order step, not found). */
export function messagePage(o: {
  bankName: string;
  title: string;
  message: string;
  link: { href: string; label: string };
}): Html {
  return page({
    title: o.title,
    bankName: o.bankName,
    body: html`<div class="login-box">
      <div class="alert alert-error" role="alert"><p>${o.message}</p></div>
      <div class="actions"><a class="btn btn-primary" href="${o.link.href}">${o.link.label}</a></div>
    </div>`,
  });
}

/**
 * A procedure whose result is not saved yet (a double click's second answer arrives first): say
 * so and offer to look again. The session is left alone, so the first request can save.
 */
export function pendingPage(o: ScreenBase & { title: string; refreshUrl: string }): Html {
  return page({
    title: `${o.title}（処理中）`,
    bankName: o.bankName,
    user: { name: o.name, csrf: o.csrf },
    body: html`<div class="alert alert-info" role="status"><p>ただいまお手続きを処理しています。同じお手続きを重ねて行わず、しばらくしてから「画面を更新する」ボタンを押して下さい。</p></div>
    <div class="actions"><a class="btn btn-primary" href="${o.refreshUrl}">画面を更新する</a></div>`,
  });
}
