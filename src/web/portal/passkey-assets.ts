import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * @simplewebauthn/browser's own browser bundle (a global `SimpleWebAuthnBrowser`), served from
 * the installed package as it is: the portal's pages load scripts from their own origin only (CSP).
 */
export function readWebAuthnBrowserBundle(): string {
  const entry = createRequire(import.meta.url).resolve('@simplewebauthn/browser');
  // entry: …/@simplewebauthn/browser/script/index.js → …/dist/bundle/index.umd.min.js
  return readFileSync(join(dirname(entry), '..', 'dist', 'bundle', 'index.umd.min.js'), 'utf8');
}

/**
 * The 「生体認証でログイン」 tab's script: options from the portal (the login's CSRF token in the
 * body), navigator.credentials.get through SimpleWebAuthn (user verification required), then the
 * answer posted in the tab's form. The words come from the page (data attributes), so they are
 * in the page's language; nothing here is shown as it is.
 */
export const PASSKEY_LOGIN_JS = `(function () {
  'use strict';
  var form = document.getElementById('passkey-login');
  var words = document.getElementById('passkey-words');
  var msg = document.getElementById('passkey-msg');
  if (!form || !words || !msg) return;
  var button = form.querySelector('button[type=submit]');
  var say = function (key) { msg.textContent = words.getAttribute('data-' + key) || ''; msg.hidden = false; };
  var W = window.SimpleWebAuthnBrowser;
  if (!W || !W.browserSupportsWebAuthn()) { say('unsupported'); if (button) button.disabled = true; return; }
  form.addEventListener('submit', function (ev) {
    if (form.elements.namedItem('credential').value !== '') return;
    ev.preventDefault();
    if (button) button.disabled = true;
    say('working');
    fetch('/ib/login/passkey/options', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ _csrf: form.elements.namedItem('_csrf').value })
    }).then(function (res) {
      if (!res.ok) throw new Error('expired');
      return res.json();
    }).then(function (body) {
      return W.startAuthentication({ optionsJSON: body.options });
    }).then(function (credential) {
      form.elements.namedItem('credential').value = JSON.stringify(credential);
      form.submit();
    }).catch(function (e) {
      say(e && e.message === 'expired' ? 'expired' : 'cancelled');
      if (button) button.disabled = false;
    });
  });
})();
`;

/** The tabs and the devices table (beside the portal's own style sheet). */
export const PASSKEY_CSS = `.login-tabs { display:flex; gap:0; margin:0 0 -1px; }
.login-tabs .tab { flex:1; text-align:center; padding:12px 8px; border:1px solid var(--line); border-bottom:none;
  background:#e9edf2; color:var(--navy); text-decoration:none; font-weight:600; border-radius:6px 6px 0 0; }
.login-tabs .tab.current { background:#fff; color:var(--ink); box-shadow: inset 0 3px 0 var(--accent); }
.login-tabs + .panel { border-top-left-radius:0; border-top-right-radius:0; }
.login-box .panel > p { margin:12px 16px; line-height:1.7; }
.passkey-msg { color:var(--err); font-weight:600; }
.passkey-msg[hidden] { display:none; }
table.passkeys { width:100%; border-collapse:collapse; }
table.passkeys th, table.passkeys td { padding:10px 12px; border-bottom:1px solid var(--line); text-align:left; }
.sr-only { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); }
#passkey-login { padding: 0 16px 4px; }
@media (max-width: 600px) {
  .login-tabs .tab { font-size:0.95rem; padding:12px 4px; }
  table.passkeys thead { display:none; }
  table.passkeys tr { display:block; padding:8px 0; border-bottom:1px solid var(--line); }
  table.passkeys td { display:block; border:none; padding:4px 16px; }
  table.passkeys td[data-label]::before { content: attr(data-label); display:inline-block; min-width:7.5em; color:var(--muted); font-size:0.9em; }
  table.passkeys td:last-child { padding-top:8px; }
}
`;
