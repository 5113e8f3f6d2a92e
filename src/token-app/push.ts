import { proofBody, type TransactionUi } from './transactions.js';
import type { StoredAppToken } from './token-db.js';

/**
 * 取引認証の通知 (issue 7 item 3): subscribes this browser to Web Push with the platform's VAPID
 * key (W3C Push API, applicationServerKey) and registers the subscription for the token with the
 * token's proof of possession; or removes it. The notification's words are left in the cache for
 * the service worker (sw.js), in the language the customer reads.
 */

/** Where sw.js finds the notification's title and body (the i18n catalogue's words). */
export const PUSH_TEXT_CACHE = 'inkan-push-text';
const PUSH_TEXT_URL = 'push-text.json';

const stateKey = (tok: StoredAppToken) => `inkan.push.${tok.id}`;

function keyBytes(b64url: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64url.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

async function saveText(ui: TransactionUi): Promise<void> {
  const t = ui.t();
  const cache = await caches.open(PUSH_TEXT_CACHE);
  await cache.put(
    PUSH_TEXT_URL,
    new Response(JSON.stringify({ title: t.pushTitle, body: t.pushBody }), {
      headers: { 'content-type': 'application/json' },
    }),
  );
}

async function register(tok: StoredAppToken, sub: PushSubscription): Promise<boolean> {
  const json = sub.toJSON();
  const endpoint = json.endpoint ?? '';
  const res = await fetch('/api/v1/app/push/subscription', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      ...(await proofBody(tok, 'push-subscribe', endpoint)),
      subscription: { endpoint, keys: json.keys },
    }),
  });
  return res.status === 201;
}

async function unregister(tok: StoredAppToken, endpoint: string): Promise<void> {
  await fetch('/api/v1/app/push/subscription', {
    method: 'DELETE',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...(await proofBody(tok, 'push-unsubscribe', endpoint)), endpoint }),
  });
}

/** Draws the opt-in (or its off switch) into `box`. */
export function renderPushControl(
  ui: TransactionUi,
  tok: StoredAppToken,
  vapidKey: string,
  box: HTMLElement,
): void {
  const t = ui.t();
  const { h } = ui;
  const status = h('p', { class: 'hint', role: 'status', 'data-testid': 'push-status' });
  const on = localStorage.getItem(stateKey(tok)) !== null && Notification.permission === 'granted';
  if (on) {
    // Keep the notification's words in the language now shown.
    void saveText(ui).catch(() => {});
    const off = h(
      'button',
      { type: 'button', class: 'link', 'data-testid': 'push-off' },
      t.pushOff,
    );
    off.addEventListener('click', () => {
      void (async () => {
        const endpoint = localStorage.getItem(stateKey(tok)) ?? '';
        localStorage.removeItem(stateKey(tok));
        try {
          await unregister(tok, endpoint);
        } catch {
          // Offline: the platform forgets it when the push service says it is gone.
        }
        renderPushControl(ui, tok, vapidKey, box);
      })();
    });
    box.replaceChildren(h('p', { class: 'hint', 'data-testid': 'push-on' }, t.pushOn), off);
    box.hidden = false;
    return;
  }
  const button = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'push-enable' },
    t.pushEnable,
  );
  button.addEventListener('click', () => {
    void (async () => {
      button.disabled = true;
      status.textContent = '';
      try {
        // Asked only now, on the customer's tap (never on load).
        const permission = await Notification.requestPermission();
        if (permission !== 'granted') {
          status.textContent = t.pushDenied;
          return;
        }
        // The words first: a push may arrive as soon as the platform knows the subscription.
        await saveText(ui);
        const reg = await navigator.serviceWorker.ready;
        const sub =
          (await reg.pushManager.getSubscription()) ??
          (await reg.pushManager.subscribe({
            userVisibleOnly: true,
            applicationServerKey: keyBytes(vapidKey),
          }));
        if (!(await register(tok, sub))) throw new Error('not registered');
        localStorage.setItem(stateKey(tok), sub.endpoint);
        renderPushControl(ui, tok, vapidKey, box);
      } catch {
        status.textContent = t.pushFailed;
      } finally {
        button.disabled = false;
      }
    })();
  });
  box.replaceChildren(h('p', { class: 'hint' }, t.pushLead), button, status);
  box.hidden = false;
}
