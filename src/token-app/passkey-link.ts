import { isLoginUrl } from '../core/tenant/login-url.js';
import type { Messages } from './i18n.js';
import type { StoredAppToken } from './token-db.js';

/*
 * What the OTP screen needs of 生体認証ログイン without loading its screens (passkeys.ts, and
 * @simplewebauthn/browser with them, load on first use: the first screen stays small).
 */

/**
 * The bank's internet banking the passkey is registered with: its login page's folder (the
 * tenant's loginUrl, e.g. https://ib.example.jp/ib/login → /ib/), else this server's /ib/. The
 * portal and the app must share the RP ID (README, "生体認証ログイン").
 */
export function portalBase(tok: StoredAppToken): string {
  const login = tok.loginUrl !== undefined && isLoginUrl(tok.loginUrl) ? tok.loginUrl : null;
  return login === null ? `${location.origin}/ib/` : new URL('.', login).toString();
}

/** Where the app remembers that this token's phone registered a passkey (never the key: the phone keeps it). */
export function registeredKey(tok: StoredAppToken): string {
  return `inkan.passkey.${tok.id}`;
}

/**
 * 「生体認証でログイン」 beside the OTP once this phone registered a passkey for the token: the
 * bank's login on its biometric tab (guide 000, STEP 5 ④). Null before that.
 */
export function passkeyLoginLink(
  kit: {
    h: (tag: 'a', attrs: Record<string, string>, ...children: string[]) => HTMLElement;
    t: () => Messages;
  },
  tok: StoredAppToken,
): HTMLElement | null {
  const base = localStorage.getItem(registeredKey(tok));
  if (base === null || base !== portalBase(tok)) return null;
  return kit.h(
    'a',
    { class: 'button primary', href: `${base}login?tab=passkey`, 'data-testid': 'pk-login' },
    kit.t().pkLogin,
  );
}
