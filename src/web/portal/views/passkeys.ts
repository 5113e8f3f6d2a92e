import type { PasskeyInfo } from '../../../client/index.js';
import { html, type Html } from '../../shared/html.js';
import type { Locale } from '../i18n/locale.js';
import { errorSummary, field, notice, postForm, submitButton } from './components.js';
import { screenPage, type ScreenBase } from './layout.js';

/** The login screen's tabs: ID and password, or 生体認証でログイン (guide 000, STEP 5 ④). */
export type LoginTab = 'password' | 'passkey';

/** The assets of the passkey screens: their own style sheet and scripts (CSP: 'self' only). */
function assets(scripts: boolean): Html {
  return html`<link rel="stylesheet" href="/ib/assets/passkeys.css" />${
    scripts
      ? html`<script src="/ib/assets/webauthn.js" defer></script>
            <script src="/ib/assets/passkey-login.js" defer></script>`
      : ''
  }`;
}

/** The two tabs above the login form; links, so they work without scripts too. */
export function loginTabs(locale: Locale, tab: LoginTab): Html {
  const t = locale.t.passkeys;
  const one = (key: LoginTab, href: string, label: string) =>
    html`<a
      role="tab"
      id="tab-${key}"
      href="${href}"
      aria-selected="${String(tab === key)}"
      ${tab === key ? html` aria-current="page" class="tab current"` : html` class="tab"`}
      >${label}</a
    >`;
  return html`${assets(tab === 'passkey')}
    <nav class="login-tabs" role="tablist" aria-label="${t.tabsLabel}">
      ${one('password', '/ib/login', t.tabPassword)}${one('passkey', '/ib/login?tab=passkey', t.tabPasskey)}
    </nav>`;
}

/**
 * 「生体認証でログイン」: one button. The script asks the portal for the platform's options,
 * runs navigator.credentials.get, and posts the answer in this form (with the login's CSRF token);
 * its messages come from data attributes, so they are the page's language.
 */
export function passkeyLoginPanel(o: { locale: Locale; csrf: string }): Html {
  const t = o.locale.t.passkeys;
  return html`<section class="panel" role="tabpanel" aria-labelledby="tab-passkey">
    <h2>${t.section}</h2>
    <p>${t.lead}</p>
    <p class="passkey-msg" id="passkey-msg" role="alert" hidden></p>
    <noscript><p class="passkey-msg">${t.noScript}</p></noscript>
    ${postForm(
      '/ib/login/passkey',
      o.csrf,
      html`<input type="hidden" name="credential" value="" />
        <div class="actions">${submitButton(t.submit)}</div>`,
      { id: 'passkey-login' },
    )}
    <template
      id="passkey-words"
      data-unsupported="${t.unsupported}"
      data-cancelled="${t.cancelled}"
      data-working="${t.working}"
      data-expired="${o.locale.t.login.expired}"
    ></template>
    <p class="hint">${t.setupNote}</p>
  </section>`;
}

/** 生体認証ログインの登録端末: the devices, when each was registered and last used, 解除. */
export function passkeySettingsPage(
  o: ScreenBase & {
    passkeys: readonly PasskeyInfo[];
    otpActive: boolean;
    notice?: string;
    error?: string;
    otpError?: string;
  },
): Html {
  const t = o.locale.t;
  const x = t.passkeys;
  const when = (iso: string | null) => (iso === null ? x.never : t.dateTime(iso));
  return screenPage(
    o,
    'settings',
    x.settingsTitle,
    html`${assets(false)}${notice(o.notice)}${errorSummary(o.otpError === undefined ? undefined : { otp: o.otpError }, o.error)}
      <p class="lead">${x.settingsLead}</p>
      <section class="panel">
        <h2>${x.settingsTitle}</h2>
        ${
          o.passkeys.length === 0
            ? html`<p id="passkeys-none">${x.none}</p>`
            : postForm(
                '/ib/settings/passkeys/remove',
                o.csrf,
                html`<table class="passkeys" id="passkeys">
                    <thead>
                      <tr>
                        <th scope="col">${x.device}</th>
                        <th scope="col">${x.registered}</th>
                        <th scope="col">${x.lastUsed}</th>
                        <th scope="col"><span class="sr-only">${x.remove}</span></th>
                      </tr>
                    </thead>
                    <tbody>
                      ${o.passkeys.map(
                        (p) =>
                          html`<tr data-passkey="${String(p.id)}">
                            <td data-label="${x.device}">${p.deviceName}</td>
                            <td data-label="${x.registered}">${when(p.createdAt)}</td>
                            <td data-label="${x.lastUsed}">${when(p.lastUsedAt)}</td>
                            <td>
                              <button
                                type="submit"
                                class="btn btn-secondary"
                                name="id"
                                value="${String(p.id)}"
                              >
                                ${x.remove}
                              </button>
                            </td>
                          </tr>`,
                      )}
                    </tbody>
                  </table>
                  ${
                    o.otpActive
                      ? field(t, {
                          name: 'otp',
                          label: t.otpInput.label,
                          hint: x.removeOtpLead,
                          inputmode: 'numeric',
                          autocomplete: 'one-time-code',
                          maxlength: 10,
                          size: 'short',
                          ...(o.otpError ? { error: o.otpError } : {}),
                        })
                      : ''
                  }`,
              )
        }
        <p class="hint">${x.setupNote}</p>
      </section>
      <div class="actions-back">
        <a class="btn btn-secondary" href="/ib/settings">${x.toSettings}</a>
      </div>`,
  );
}
