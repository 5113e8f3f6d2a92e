import {
  browserSupportsWebAuthn,
  startRegistration,
  type RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import type { Messages } from './i18n.js';
import { portalBase, registeredKey } from './passkey-link.js';
import type { StoredAppToken } from './token-db.js';

/** What the app's frame lends these screens (main.ts keeps its DOM helpers). */
export interface PasskeyScreenKit {
  h<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    attrs?: Record<string, string | boolean>,
    ...children: (Node | string | null | false | undefined)[]
  ): HTMLElementTagNameMap[K];
  show(...content: (Node | string | null | false | undefined)[]): void;
  /** The words of the language now chosen. */
  t(): Messages;
  /** What the language switch draws again. */
  setRerender(fn: () => void): void;
  /** Back to the OTP screen. */
  back(): void;
  /** The token's OTP now (the app computes it itself; sent when the token is 利用中). */
  otp(): Promise<string>;
}

/** A name for this phone in the bank's list of devices (the platform's, from its user agent). */
function deviceName(t: Messages): string {
  const ua = navigator.userAgent;
  for (const [re, name] of [
    [/iPhone/, 'iPhone'],
    [/iPad/, 'iPad'],
    [/Android/, 'Android'],
    [/Macintosh/, 'Mac'],
    [/Windows/, 'Windows'],
  ] as const) {
    if (re.test(ua)) return name;
  }
  return t.pkDefaultDevice;
}

async function postJson(
  url: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    credentials: 'omit',
    body: JSON.stringify(body),
  });
  let json: Record<string, unknown> = {};
  try {
    json = (await res.json()) as Record<string, unknown>;
  } catch {
    json = {};
  }
  return { status: res.status, json };
}

function errorText(t: Messages, code: string): string {
  return Object.hasOwn(t.pkErr, code) ? t.pkErr[code as keyof Messages['pkErr']] : t.pkErr.other;
}

/**
 * 生体認証ログイン利用設定 (guide 000, STEP 5): ① the entry, ② the device's biometric check
 * (navigator.credentials.create: platform authenticator, user verification and a resident key
 * required), ③ ログインID and ログインパスワード → 登録 (with the app's own OTP when 利用中),
 * then the done screen with the way to 「生体認証でログイン」.
 */
export function passkeySetupScreen(kit: PasskeyScreenKit, tok: StoredAppToken): void {
  const { h } = kit;
  const base = portalBase(tok);
  kit.setRerender(() => passkeySetupScreen(kit, tok));
  const t = kit.t();
  const error = h('p', { class: 'form-error', id: 'pk-error', role: 'alert' });
  const start = h(
    'button',
    { type: 'button', class: 'primary', 'data-testid': 'pk-start' },
    t.pkStart,
  );
  const back = h('button', { type: 'button', class: 'secondary' }, t.back);
  back.addEventListener('click', () => kit.back());
  if (!browserSupportsWebAuthn()) {
    error.textContent = t.pkErr.unsupported;
    start.disabled = true;
  }
  start.addEventListener('click', () => {
    void (async () => {
      start.disabled = true;
      error.textContent = '';
      start.textContent = t.pkWorking;
      let credential: RegistrationResponseJSON;
      try {
        const opts = await postJson(`${base}passkeys/app/options`, {});
        if (opts.status !== 200) {
          error.textContent = errorText(t, String(opts.json['code'] ?? 'other'));
          return;
        }
        credential = await startRegistration({
          optionsJSON: opts.json['options'] as Parameters<
            typeof startRegistration
          >[0]['optionsJSON'],
        });
      } catch (e) {
        error.textContent = e instanceof TypeError ? t.pkErr.network : t.pkErr.cancelled;
        return;
      } finally {
        start.disabled = false;
        start.textContent = t.pkStart;
      }
      credentialsScreen(kit, tok, base, credential);
    })();
  });
  kit.show(
    h(
      'section',
      { class: 'passkey' },
      h('h2', {}, t.pkTitle),
      h('p', {}, t.pkLead),
      h('ol', { class: 'steps' }, ...t.pkSteps.map((s) => h('li', {}, s))),
      h('p', { class: 'hint' }, t.pkNotSupported),
      error,
      start,
      back,
    ),
  );
}

/** ③ ログインID・ログインパスワード → 登録. */
function credentialsScreen(
  kit: PasskeyScreenKit,
  tok: StoredAppToken,
  base: string,
  credential: RegistrationResponseJSON,
): void {
  const { h } = kit;
  kit.setRerender(() => credentialsScreen(kit, tok, base, credential));
  const t = kit.t();
  const loginId = h('input', {
    id: 'pk-login-id',
    name: 'loginId',
    autocomplete: 'username',
    maxlength: '32',
  });
  const password = h('input', {
    id: 'pk-password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    maxlength: '64',
  });
  const error = h('p', { class: 'form-error', id: 'pk-error', role: 'alert' });
  const register = h('button', { type: 'submit', class: 'primary' }, t.pkRegister);
  const form = h(
    'form',
    { novalidate: true },
    h('h2', {}, t.pkCredTitle),
    h('p', { class: 'ok' }, t.pkBiometricDone),
    h('p', {}, t.pkCredLead(tok.displayName)),
    h('div', { class: 'field' }, h('label', { for: 'pk-login-id' }, t.loginId), loginId),
    h('div', { class: 'field' }, h('label', { for: 'pk-password' }, t.loginPassword), password),
    h('p', { class: 'hint' }, t.pkOtpNote),
    error,
    register,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void (async () => {
      error.textContent = '';
      if (loginId.value.trim() === '' || password.value === '') {
        error.textContent = t.pkErr.input;
        return;
      }
      register.disabled = true;
      let r: { status: number; json: Record<string, unknown> };
      try {
        r = await postJson(`${base}passkeys/app/register`, {
          loginId: loginId.value.trim(),
          password: password.value,
          otp: await kit.otp(),
          deviceName: deviceName(t),
          credential,
        });
      } catch {
        error.textContent = t.pkErr.network;
        register.disabled = false;
        return;
      }
      register.disabled = false;
      if (r.json['ok'] === true) {
        localStorage.setItem(registeredKey(tok), base);
        doneScreen(kit, tok, base);
        return;
      }
      const code = String(r.json['code'] ?? 'other');
      error.textContent = errorText(t, code);
      password.value = '';
      // The credential's challenge is used up by a refusal of the platform: start again.
      if (
        ['challenge_invalid', 'user_not_verified', 'invalid', 'already_registered'].includes(code)
      ) {
        register.disabled = true;
        const again = h('button', { type: 'button', class: 'secondary' }, t.pkStart);
        again.addEventListener('click', () => passkeySetupScreen(kit, tok));
        form.append(again);
      }
    })();
  });
  kit.show(form);
}

/** 生体認証ログイン利用設定完了, and the way to 「生体認証でログイン」. */
function doneScreen(kit: PasskeyScreenKit, tok: StoredAppToken, base: string): void {
  const { h } = kit;
  kit.setRerender(() => doneScreen(kit, tok, base));
  const t = kit.t();
  const back = h('button', { type: 'button', class: 'secondary' }, t.back);
  back.addEventListener('click', () => kit.back());
  kit.show(
    h(
      'section',
      {},
      h('h2', {}, t.pkDoneTitle),
      h('p', { class: 'ok', 'data-testid': 'pk-done' }, t.pkDoneLead),
      h(
        'a',
        { class: 'button primary', href: `${base}login?tab=passkey`, 'data-testid': 'pk-login' },
        t.pkLogin,
      ),
      back,
    ),
  );
}
