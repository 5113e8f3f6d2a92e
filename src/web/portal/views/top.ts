import type { BankAccount, BankTransfer } from '../../../bank/bank-store.js';
import { html, type Html } from '../../shared/html.js';
import type { Locale } from '../i18n/locale.js';
import { notice } from './components.js';
import { page } from './layout.js';
import type { RegistrationKey, ScreenBase } from './otp.js';

/** トップページ: the accounts, the day's limit, and the OTP status. */
export function topPage(
  o: ScreenBase & {
    accounts: readonly BankAccount[];
    transfers: readonly BankTransfer[];
    dailyLimit: number;
    otpState: RegistrationKey;
    otpActive: boolean;
    lastLogin?: string;
    notice?: string;
  },
): Html {
  const t = o.locale.t;
  return page({
    locale: o.locale,
    title: t.top.title,
    bankName: o.bankName,
    user: { name: o.name, csrf: o.csrf, ...(o.lastLogin ? { lastLogin: o.lastLogin } : {}) },
    nav: 'home',
    body: html`${notice(o.notice)}
    ${
      o.otpActive
        ? ''
        : html`<div class="alert alert-warn"><p>${t.top.promote}
        <a href="/ib/otp">${t.top.promoteLink}</a></p></div>`
    }
    <section class="panel"><h2>${t.top.accounts}</h2>
      <table class="list">
        <thead><tr><th>${t.top.branch}</th><th>${t.top.type}</th><th>${t.top.number}</th><th class="num">${t.top.balance}</th></tr></thead>
        <tbody>${o.accounts.map(
          (a) =>
            html`<tr><td>${t.top.branchCell(a.branch_name, a.branch_code)}</td><td>${t.accountType(a.account_type)}</td><td>${a.account_number}</td><td class="num">${t.yen(Number(a.balance))}</td></tr>`,
        )}</tbody>
      </table>
    </section>
    <div class="menu">
      <a class="btn btn-primary" href="/ib/transfer">${t.top.transfer}</a>
      <a class="btn btn-secondary" href="/ib/otp">${t.top.otp}</a>
      <a class="btn btn-secondary" href="/ib/settings">${t.top.settings}</a>
    </div>
    <section class="panel"><h2>${t.top.recent}</h2>
      ${
        o.transfers.length === 0
          ? html`<p>${t.top.noTransfers}</p>`
          : html`<table class="list">
        <thead><tr><th>${t.top.at}</th><th>${t.top.payee}</th><th>${t.top.payeeName}</th><th class="num">${t.top.amount}</th></tr></thead>
        <tbody>${o.transfers.map(
          (x) =>
            html`<tr><td>${t.dateTime(new Date(Number(x.created_at)).toISOString())}</td><td>${x.payee_bank} ${x.payee_branch} ${t.accountType(x.payee_account_type)} ${x.payee_account}</td><td>${x.payee_name}</td><td class="num">${t.yen(Number(x.amount))}</td></tr>`,
        )}</tbody></table>`
      }
    </section>
    <section class="panel"><h2>${t.top.usage}</h2>
      <table class="info">
        <tr><th scope="row">${t.top.otp}</th><td>${t.otp.states[o.otpState]} <a class="aside" href="/ib/otp">${t.top.change}</a></td></tr>
        <tr><th scope="row">${t.common.dailyLimit}</th><td>${t.yen(o.dailyLimit)}</td></tr>
      </table>
    </section>`,
  });
}

/** A page for what went wrong outside a form (expired session, out-of-order step, not found). */
export function messagePage(o: {
  locale: Locale;
  bankName: string;
  title: string;
  message: string;
  link: { href: string; label: string };
}): Html {
  return page({
    locale: o.locale,
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
  const t = o.locale.t;
  return page({
    locale: o.locale,
    title: t.pending.title(o.title),
    bankName: o.bankName,
    user: { name: o.name, csrf: o.csrf },
    body: html`<div class="alert alert-info" role="status"><p>${t.pending.message}</p></div>
    <div class="actions"><a class="btn btn-primary" href="${o.refreshUrl}">${t.pending.refresh}</a></div>`,
  });
}
