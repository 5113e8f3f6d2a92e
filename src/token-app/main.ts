import { isLoginUrl } from '../core/tenant/login-url.js';
import { MESSAGES, type Lang, type Messages } from './i18n.js';
import { appOtp, provisionInBrowser, type AppToken } from './provision-in-browser.js';
import { passkeyLoginLink } from './passkey-link.js';
import { tokenDb, type StoredAppToken } from './token-db.js';
import { offlineCodeButton, startTransactionPolling, type TransactionUi } from './transactions.js';
import { pushControl } from './push-entry.js';
import './style.css';

/**
 * The token app (ワンタイムパスワードアプリ): 初期設定 → 初期設定完了 → トークン表示名 → the OTP,
 * as guides 000 and 001 show them. Plain DOM, no framework: the first screen stays small.
 */

const MAX_TOKENS = 10;
let lang: Lang = (localStorage.getItem('inkan.lang') as Lang | null) ?? 'ja';
let t: Messages = MESSAGES[lang];
let timer: number | undefined;
/** Phone clock minus server clock (ms), measured at start when online (SPEC: 「日時を正しく設定」). */
let clockSkewMs = 0;
const CLOCK_TOLERANCE_MS = 15_000;
/** Draws the present screen again (after the language switch). */
let rerender: () => void = () => void start().then(checkClock);
const root = document.getElementById('app') as HTMLElement;

type Child = Node | string | null | false | undefined;
function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false) continue;
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== false && c !== undefined) el.append(c);
  return el;
}

function show(...content: Child[]): void {
  if (timer !== undefined) window.clearInterval(timer);
  timer = undefined;
  const switcher = h(
    'button',
    { type: 'button', class: 'lang', 'data-testid': 'lang' },
    t.language,
  );
  switcher.addEventListener('click', () => {
    lang = lang === 'ja' ? 'en' : 'ja';
    localStorage.setItem('inkan.lang', lang);
    document.documentElement.lang = lang;
    t = MESSAGES[lang];
    rerender();
  });
  const nodes = content.filter(
    (c): c is Node | string => c !== null && c !== false && c !== undefined,
  );
  root.replaceChildren(h('header', {}, h('h1', {}, t.appTitle), switcher), ...nodes);
  showClockWarning();
}

const formatDate = (iso: string, withTime: boolean) => {
  const d = new Date(new Date(iso).getTime() + 9 * 3600_000); // shown in JST
  const p = (n: number) => String(n).padStart(2, '0');
  const date = `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}`;
  return withTime ? `${date} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} ${t.jst}` : date;
};

const displayName = (tok: StoredAppToken) =>
  tok.extraName === '' ? tok.displayName : `${tok.displayName} ${tok.extraName}`;

function refusal(code: string, attemptsLeft?: number): string {
  switch (code) {
    case 'ACTIVATION_PASSWORD_WRONG':
      return t.errWrongPassword(attemptsLeft ?? 0);
    case 'ISSUANCE_VOID':
      return t.errVoid;
    case 'ISSUANCE_EXPIRED':
      return t.errExpired;
    case 'ALREADY_PROVISIONED':
      return t.errAlready;
    case 'NOT_FOUND':
      return t.errNotFound;
    case 'RATE_LIMITED':
    case 'SERVICE_BUSY':
      return t.errRateLimited;
    case 'NETWORK':
      return t.errNetwork;
    default:
      return t.errOther;
  }
}

/** 初期設定: サービスID, ユーザID, 利用開始パスワード, the copy-protection notice, 同意, 送信. */
function setupScreen(): void {
  rerender = () => setupScreen();
  const field = (id: string, label: string, length: string, type = 'text') => {
    const input = h('input', {
      id,
      name: id,
      inputmode: 'numeric',
      autocomplete: 'off',
      type,
      maxlength: length.split('-').pop() ?? '12',
    });
    const error = h('p', { class: 'field-error', id: `${id}-error`, role: 'alert' });
    return {
      input,
      error,
      row: h('div', { class: 'field' }, h('label', { for: id }, label), input, error),
    };
  };
  const serviceId = field('serviceId', t.serviceId, '8');
  const userId = field('userId', t.userId, '12');
  const password = field('activationPassword', t.activationPassword, '4-8', 'password');
  const agree = h('input', { type: 'checkbox', id: 'agree' });
  const agreeError = h('p', { class: 'field-error', id: 'agree-error', role: 'alert' });
  const formError = h('p', { class: 'form-error', id: 'form-error', role: 'alert' });
  const send = h('button', { type: 'submit', class: 'primary' }, t.send);
  const form = h(
    'form',
    { novalidate: true },
    h('h2', {}, t.setupTitle),
    h('p', {}, t.setupLead),
    serviceId.row,
    userId.row,
    password.row,
    h('section', { class: 'notice' }, h('h3', {}, t.noticeTitle), h('p', {}, t.notice)),
    h('div', { class: 'agree' }, agree, h('label', { for: 'agree' }, t.agree)),
    agreeError,
    formError,
    send,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void (async () => {
      // Phones type full-width digits too: ０１２ is 012.
      const norm = (s: string) => s.normalize('NFKC').trim();
      const checks: [typeof serviceId, RegExp, string][] = [
        [serviceId, /^[0-9]{8}$/, '8'],
        [userId, /^[0-9]{12}$/, '12'],
        [password, /^[0-9]{4,8}$/, '4～8'],
      ];
      let ok = true;
      for (const [f, re, n] of checks) {
        const v = norm(f.input.value);
        const label = f.row.querySelector('label')?.textContent ?? '';
        f.error.textContent =
          v === '' ? t.required(label) : re.test(v) ? '' : t.digitsOnly(label, n);
        f.input.setAttribute('aria-invalid', String(f.error.textContent !== ''));
        ok &&= f.error.textContent === '';
      }
      agreeError.textContent = agree.checked ? '' : t.mustAgree;
      formError.textContent = '';
      if (!ok || !agree.checked) return;
      if ((await tokenDb.list()).length >= MAX_TOKENS) {
        formError.textContent = t.errFull;
        return;
      }
      send.disabled = true;
      send.textContent = t.sending;
      const out = await provisionInBrowser({
        baseUrl: location.origin,
        serviceId: norm(serviceId.input.value),
        userId: norm(userId.input.value),
        activationPassword: norm(password.input.value),
      });
      send.disabled = false;
      send.textContent = t.send;
      if (!out.ok) {
        formError.textContent = refusal(out.code, out.attemptsLeft);
        password.input.value = '';
        return;
      }
      const stored: StoredAppToken = {
        ...out.token,
        id: `${out.token.serviceId}:${out.token.userId}`,
        extraName: '',
        addedAt: new Date().toISOString(),
      };
      await tokenDb.put(stored);
      doneScreen(stored);
    })();
  });
  show(form);
}

/** 初期設定完了: set the clock right; the OTP changes every 60 seconds. */
function doneScreen(tok: StoredAppToken): void {
  rerender = () => doneScreen(tok);
  const next = h('button', { type: 'button', class: 'primary' }, t.next);
  next.addEventListener('click', () => nameScreen(tok));
  show(
    h(
      'section',
      {},
      h('h2', {}, t.doneTitle),
      h('p', { class: 'ok' }, t.doneLead),
      h('p', {}, t.setClock),
      h('p', {}, t.changesEvery(tok.period)),
      next,
    ),
  );
}

/** トークン表示名: the bank's name plus up to 8 full-width characters. */
function nameScreen(tok: StoredAppToken): void {
  rerender = () => nameScreen(tok);
  const input = h('input', { id: 'extraName', maxlength: '8' });
  const error = h('p', { class: 'field-error', role: 'alert' });
  const register = h('button', { type: 'submit', class: 'primary' }, t.register);
  const form = h(
    'form',
    {},
    h('h2', {}, t.nameTitle),
    h('p', {}, t.nameLead(tok.displayName)),
    h('p', { class: 'hint' }, t.nameExample(tok.displayName)),
    h('div', { class: 'field' }, h('label', { for: 'extraName' }, t.nameExtra), input, error),
    register,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const extra = input.value.trim();
    if ([...extra].length > 8) {
      error.textContent = t.nameTooLong;
      return;
    }
    const renamed = { ...tok, extraName: extra };
    localStorage.setItem('inkan.current', renamed.id); // the token just set up or renamed is shown
    void tokenDb.put(renamed).then(start);
  });
  show(form);
}

/** The OTP: 8 digits, large and grouped, a countdown, the name, SerialNo, 利用開始日, 有効期限. */
function otpScreen(tok: StoredAppToken, all: readonly StoredAppToken[] = [tok]): void {
  rerender = () => otpScreen(tok, all);
  localStorage.setItem('inkan.current', tok.id);
  const digits = h('output', { class: 'otp', 'data-testid': 'otp', 'aria-label': t.otpLabel });
  const left = h('p', { class: 'countdown', 'data-testid': 'seconds-left' });
  const bar = h('div', { class: 'bar' });
  const add = h('button', { type: 'button', class: 'secondary' }, t.addToken);
  add.addEventListener('click', () => setupScreen());
  // Several banks, or several contracts at one bank: one chip each.
  const picker =
    all.length > 1
      ? h(
          'nav',
          { class: 'picker', 'aria-label': t.tokens },
          ...all.map((other) => {
            const chip = h(
              'button',
              {
                type: 'button',
                class: other.id === tok.id ? 'chip current' : 'chip',
                'aria-pressed': String(other.id === tok.id),
              },
              displayName(other),
            );
            chip.addEventListener('click', () => otpScreen(other, all));
            return chip;
          }),
        )
      : null;
  // 「ワンタイムパスワードでログイン」 (guide 000 STEP 3-5): the bank's login page with the current
  // OTP in the fragment, which never reaches a server log; the first such login is 利用開始.
  const loginUrl = tok.loginUrl !== undefined && isLoginUrl(tok.loginUrl) ? tok.loginUrl : null;
  const login =
    loginUrl === null
      ? null
      : h(
          'a',
          { class: 'button primary', href: loginUrl, 'data-testid': 'login-with-otp' },
          t.loginWithOtp,
        );
  // 生体認証ログイン利用設定 (guide 000, STEP 5): its screens load on first use (passkeys.ts).
  const passkey = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'pk-entry' },
    t.pkEntry,
  );
  passkey.addEventListener('click', () => void openPasskeySetup(tok));
  const rename = h('button', { type: 'button', class: 'link' }, t.rename);
  rename.addEventListener('click', () => nameScreen(tok));
  const remove = h('button', { type: 'button', class: 'link danger' }, t.remove);
  const confirmBox = h('div', { class: 'confirm', hidden: true, role: 'alertdialog' });
  remove.addEventListener('click', () => {
    const yes = h('button', { type: 'button', class: 'primary' }, t.removeConfirm);
    const no = h('button', { type: 'button', class: 'secondary' }, t.cancel);
    yes.addEventListener('click', () => void tokenDb.remove(tok.id).then(start));
    no.addEventListener('click', () => {
      confirmBox.hidden = true;
    });
    confirmBox.replaceChildren(h('p', {}, t.removeWarn), yes, no);
    confirmBox.hidden = false;
  });
  show(
    picker,
    h(
      'section',
      { class: 'token' },
      h('h2', { 'data-testid': 'token-name' }, displayName(tok)),
      h('p', { class: 'label' }, t.otpLabel),
      digits,
      h('div', { class: 'track' }, bar),
      left,
      h(
        'dl',
        {},
        h('dt', {}, t.serial),
        h('dd', { 'data-testid': 'serial' }, tok.serial),
        h('dt', {}, t.validFrom),
        h('dd', {}, formatDate(tok.validFrom, false)),
        h('dt', {}, t.validUntil),
        h('dd', {}, formatDate(tok.validUntil, true)),
      ),
    ),
    login,
    passkeyLoginLink({ h, t: () => t }, tok),
    passkey,
    h('div', { class: 'actions' }, rename, remove),
    confirmBox,
    offlineCodeButton(txUi, tok),
    pushControl(txUi, tok),
    add,
  );
  const tick = async () => {
    const now = Date.now();
    const { otp, secondsLeft } = await appOtp(tok as AppToken, now);
    digits.textContent = otp.length === 8 ? `${otp.slice(0, 4)} ${otp.slice(4)}` : otp;
    digits.dataset['otp'] = otp;
    if (login !== null && loginUrl !== null) login.setAttribute('href', `${loginUrl}#otp=${otp}`);
    left.textContent = t.secondsLeft(secondsLeft);
    bar.style.width = `${(secondsLeft / tok.period) * 100}%`;
  };
  void tick();
  timer = window.setInterval(() => void tick(), 1000);
}

/** Opens 生体認証ログイン利用設定 for a token, lending it the app's frame. */
async function openPasskeySetup(tok: StoredAppToken): Promise<void> {
  const { passkeySetupScreen } = await import('./passkeys.js');
  passkeySetupScreen(
    {
      h,
      show,
      t: () => t,
      setRerender: (fn) => {
        rerender = fn;
      },
      back: () => void start(),
      otp: async () => (await appOtp(tok as AppToken, Date.now())).otp,
    },
    tok,
  );
}

async function start(): Promise<void> {
  document.documentElement.lang = lang;
  const tokens = await tokenDb.list();
  const current = tokens.find((x) => x.id === localStorage.getItem('inkan.current')) ?? tokens[0];
  if (current === undefined) setupScreen();
  else otpScreen(current, tokens);
}

/** The clock warning under the header, when the phone is off by more than the tolerance; typed input stays. */
function showClockWarning(): void {
  root.querySelector('.clock-warning')?.remove();
  if (Math.abs(clockSkewMs) <= CLOCK_TOLERANCE_MS) return;
  const seconds = Math.round(Math.abs(clockSkewMs) / 1000);
  root
    .querySelector('header')
    ?.after(
      h(
        'p',
        { class: 'clock-warning', role: 'alert', 'data-testid': 'clock-warning' },
        t.clockWarning(seconds),
      ),
    );
}

/** Compares the phone's clock with the server's (half the round trip allowed for). */
async function checkClock(): Promise<void> {
  try {
    const sent = Date.now();
    const res = await fetch('/api/v1/time', { cache: 'no-store' });
    const { epochMs } = (await res.json()) as { epochMs: number };
    const received = Date.now();
    const skew = (sent + received) / 2 - epochMs;
    clockSkewMs = skew;
    showClockWarning();
  } catch {
    // Offline: OTPs still work; the check runs again next time.
  }
}

// 取引認証 (transactions.ts): the pending transfers to approve, and the offline code.
const txUi: TransactionUi = {
  h,
  show,
  t: () => t,
  back: () => void start(),
  setRerender: (fn) => {
    rerender = fn;
  },
  tokens: () => tokenDb.list(),
};

if ('serviceWorker' in navigator) void navigator.serviceWorker.register('sw.js').catch(() => {});
void start()
  .then(checkClock)
  .then(() => startTransactionPolling(txUi));
