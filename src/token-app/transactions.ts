import {
  appProofMessage,
  encodeTransaction,
  generateOcraAsync,
  offlineTransactionQuestion,
  offlineTransactionSuite,
  onlineTransactionQuestion,
  onlineTransactionSuite,
  type AppProofAction,
  type TransactionDetails,
} from '../core/otp/index.js';
import type { Messages } from './i18n.js';
import type { StoredAppToken } from './token-db.js';

/**
 * 取引認証 in the app (SPEC.md, "Transaction authentication"; issue 7). Online: while the app is
 * open it asks the platform for each token's pending transaction (the token proves itself with an
 * HMAC under its own key over a fresh time: core/otp/app-proof.ts), shows 振込先・金額 in large
 * type with 承認 / 拒否, and answers 承認 with the OCRA response (RFC 6287) over the challenge it
 * recomputes from what it shows, so it never approves anything but the transfer on screen.
 * Offline: the 取引認証コード screen makes an 8-digit code from the payee's account number and
 * the amount the customer keys in.
 */

type Child = Node | string | null | false | undefined;

/** What the app's main module lends this one: its element builder, its screen, its words. */
export interface TransactionUi {
  h<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    attrs?: Record<string, string | boolean>,
    ...children: Child[]
  ): HTMLElementTagNameMap[K];
  show(...content: Child[]): void;
  t(): Messages;
  /** Back to the OTP screen. */
  back(): void;
  /** Sets what a language switch draws again. */
  setRerender(fn: () => void): void;
  tokens(): Promise<StoredAppToken[]>;
}

/** A pending transaction as the platform sends it (GET-free: POST /app/transactions/pending). */
interface PendingTransaction extends TransactionDetails {
  transactionId: string;
  suite: string;
  challenge: string;
  expiresAt: string;
}

const POLL_MS = 3000;

const hmacOf = (tok: StoredAppToken) => async (m: Uint8Array) =>
  new Uint8Array(await crypto.subtle.sign('HMAC', tok.key, m as Uint8Array<ArrayBuffer>));

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

// Request times must increase per token (the platform refuses a time it has seen).
const lastTime = new Map<string, number>();

/** The proof of possession of an app call (serviceId, userId, time, proof); push.ts uses it too. */
export async function proofBody(
  tok: StoredAppToken,
  action: AppProofAction,
  transactionId: string,
): Promise<Record<string, unknown>> {
  const time = Math.max(Date.now(), (lastTime.get(tok.id) ?? 0) + 1);
  lastTime.set(tok.id, time);
  const mac = await hmacOf(tok)(
    appProofMessage({ action, serviceId: tok.serviceId, userId: tok.userId, transactionId, time }),
  );
  return { serviceId: tok.serviceId, userId: tok.userId, time, proof: base64url(mac) };
}

// Tokens the platform no longer knows (利用解除, removed at the bank): not asked again until the
// app is opened anew, so an old token does not knock every few seconds.
const refused = new Set<string>();

async function fetchPending(tok: StoredAppToken): Promise<PendingTransaction[]> {
  if (refused.has(tok.id)) return [];
  const res = await fetch('/api/v1/app/transactions/pending', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(await proofBody(tok, 'pending', '')),
    cache: 'no-store',
  });
  if (res.status === 401) refused.add(tok.id);
  if (!res.ok) return [];
  return ((await res.json()) as { transactions: PendingTransaction[] }).transactions;
}

/** The challenge recomputed from the shown details (core/otp/transaction-challenge.ts). */
async function recomputeChallenge(tx: PendingTransaction): Promise<string | null> {
  try {
    const bytes = encodeTransaction(tx.transactionId, tx);
    const digest = new Uint8Array(
      await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>),
    );
    return onlineTransactionQuestion(digest);
  } catch {
    return null;
  }
}

const yen = (n: number) => `${n.toLocaleString('ja-JP')}円`;

let showing: string | null = null;

/** 取引内容の確認: 振込先・金額 in large type, 承認 / 拒否. */
function approvalScreen(ui: TransactionUi, tok: StoredAppToken, tx: PendingTransaction): void {
  const { h } = ui;
  showing = tx.transactionId;
  ui.setRerender(() => approvalScreen(ui, tok, tx));
  const t = ui.t();
  const status = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'tx-status' });
  const approve = h(
    'button',
    { type: 'button', class: 'primary', 'data-testid': 'tx-approve' },
    t.txApprove,
  );
  const reject = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'tx-reject' },
    t.txReject,
  );
  const back = h(
    'button',
    { type: 'button', class: 'secondary', hidden: true, 'data-testid': 'tx-back' },
    t.txBack,
  );
  back.addEventListener('click', () => {
    showing = null;
    ui.back();
  });
  const finish = (text: string, ok: boolean) => {
    status.textContent = text;
    status.className = ok ? 'ok tx-result' : 'form-error';
    approve.hidden = true;
    reject.hidden = true;
    back.hidden = false;
  };
  const send = async (decision: 'approve' | 'reject') => {
    approve.disabled = true;
    reject.disabled = true;
    status.textContent = t.txSending;
    try {
      let response: string | undefined;
      if (decision === 'approve') {
        // Never sign a challenge that is not the transfer on screen.
        if (
          (await recomputeChallenge(tx)) !== tx.challenge ||
          tx.suite !== onlineTransactionSuite(tok.algorithm)
        ) {
          finish(t.txMismatch, false);
          return;
        }
        response = await generateOcraAsync({
          suite: tx.suite,
          hmac: hmacOf(tok),
          question: tx.challenge,
        });
      }
      const res = await fetch(
        `/api/v1/app/transactions/${encodeURIComponent(tx.transactionId)}/respond`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            ...(await proofBody(tok, decision, tx.transactionId)),
            decision,
            ...(response === undefined ? {} : { response }),
          }),
        },
      );
      const answer = res.ok ? ((await res.json()) as { result: string; state: string }) : null;
      if (answer?.result === 'ok')
        finish(decision === 'approve' ? t.txApproved : t.txRejected, true);
      else if (answer?.state === 'expired') finish(t.txExpired, false);
      else if (answer?.state === 'cancelled') finish(t.txCancelled, false);
      else if (answer?.result === 'locked') finish(t.txLocked, false);
      else if (answer !== null && answer.state !== 'pending') finish(t.txDone, false);
      else {
        status.textContent = t.txFailed;
        approve.disabled = false;
        reject.disabled = false;
      }
    } catch {
      status.textContent = t.errNetwork;
      approve.disabled = false;
      reject.disabled = false;
    }
  };
  approve.addEventListener('click', () => void send('approve'));
  reject.addEventListener('click', () => void send('reject'));
  ui.show(
    h(
      'section',
      { class: 'tx', 'data-testid': 'tx-screen' },
      h('h2', {}, t.txTitle),
      h('p', { class: 'hint' }, t.txLead),
      h('p', { class: 'tx-bank' }, tok.displayName),
      h('h3', {}, t.txPayee),
      h(
        'p',
        { class: 'tx-payee', 'data-testid': 'tx-payee' },
        h('span', {}, `${tx.payeeBank}　${tx.payeeBranch}`),
        h('span', { class: 'tx-account' }, tx.payeeAccount),
        h('span', { class: 'tx-name' }, tx.payeeName),
      ),
      h('h3', {}, t.txAmount),
      h(
        'p',
        { class: 'tx-amount', 'data-testid': 'tx-amount' },
        tx.currency === 'JPY' ? yen(tx.amount) : `${tx.amount} ${tx.currency}`,
      ),
      h('p', { class: 'tx-warn' }, t.txWarn),
      status,
      approve,
      reject,
      back,
    ),
  );
}

/**
 * Asks the platform for pending transactions now and every few seconds while the app is open
 * and visible; the first one found is shown (one at a time).
 */
export function startTransactionPolling(ui: TransactionUi): void {
  let busy = false;
  const poll = async () => {
    if (busy || showing !== null || document.visibilityState !== 'visible') return;
    busy = true;
    try {
      for (const tok of await ui.tokens()) {
        const [tx] = await fetchPending(tok);
        if (tx !== undefined && showing === null) {
          approvalScreen(ui, tok, tx);
          break;
        }
      }
    } catch {
      // Offline: the 取引認証コード screen still works; the next poll tries again.
    } finally {
      busy = false;
    }
  };
  void poll();
  window.setInterval(() => void poll(), POLL_MS);
  document.addEventListener('visibilitychange', () => void poll());
}

/** The 取引認証コード button of the OTP screen. */
export function offlineCodeButton(ui: TransactionUi, tok: StoredAppToken): HTMLElement {
  const b = ui.h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'tx-code-open' },
    ui.t().txCodeButton,
  );
  b.addEventListener('click', () => offlineCodeScreen(ui, tok));
  return b;
}

/** 取引認証コード (offline): account number and amount in, an 8-digit code out. */
function offlineCodeScreen(ui: TransactionUi, tok: StoredAppToken): void {
  const { h } = ui;
  ui.setRerender(() => offlineCodeScreen(ui, tok));
  const t = ui.t();
  const account = h('input', {
    id: 'txAccount',
    inputmode: 'numeric',
    maxlength: '7',
    autocomplete: 'off',
  });
  const amount = h('input', {
    id: 'txAmountIn',
    inputmode: 'numeric',
    maxlength: '12',
    autocomplete: 'off',
  });
  const accountError = h('p', { class: 'field-error', role: 'alert' });
  const amountError = h('p', { class: 'field-error', role: 'alert' });
  const code = h('output', { class: 'otp', 'data-testid': 'tx-code' });
  const result = h(
    'section',
    { class: 'token', hidden: true },
    h('p', { class: 'label' }, t.txCodeResult),
    code,
    h('p', { class: 'hint' }, t.txCodeNote),
  );
  const back = h('button', { type: 'button', class: 'secondary' }, t.txBack);
  back.addEventListener('click', () => ui.back());
  const form = h(
    'form',
    { novalidate: true },
    h('h2', {}, t.txCodeTitle),
    h('p', { class: 'hint' }, t.txCodeLead),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'txAccount' }, t.txCodeAccount),
      account,
      accountError,
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'txAmountIn' }, t.txCodeAmount),
      amount,
      amountError,
    ),
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'tx-code-show' }, t.txCodeShow),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void (async () => {
      // Full-width digits and 1,000円 as people type them.
      const acc = account.value.normalize('NFKC').trim();
      const amt = amount.value.normalize('NFKC').replace(/[,円¥\s]/g, '');
      accountError.textContent = /^[0-9]{7}$/.test(acc) ? '' : t.txCodeAccountError;
      const yenAmount = /^[0-9]{1,12}$/.test(amt) ? Number(amt) : 0;
      amountError.textContent = yenAmount >= 1 ? '' : t.txCodeAmountError;
      if (accountError.textContent !== '' || amountError.textContent !== '') {
        result.hidden = true;
        return;
      }
      const value = await generateOcraAsync({
        suite: offlineTransactionSuite(tok.algorithm),
        hmac: hmacOf(tok),
        question: offlineTransactionQuestion(acc, yenAmount),
        now: Date.now(),
      });
      code.textContent = `${value.slice(0, 4)} ${value.slice(4)}`;
      code.dataset['code'] = value;
      result.hidden = false;
    })();
  });
  ui.show(form, result, back);
}
