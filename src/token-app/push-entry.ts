import type { TransactionUi } from './transactions.js';
import type { StoredAppToken } from './token-db.js';

/**
 * 取引認証の通知 (issue 7 item 3), the part on the first screen: a control that appears only when
 * the platform has push configured (GET /api/v1/app/push/key gives a key) and the browser can
 * take push (service worker, PushManager, Notification). Permission is asked only when the
 * customer taps it; the work itself loads then (push.ts), so the first screen stays small.
 * Without push the app still finds transactions by asking while open.
 */
export function pushControl(ui: TransactionUi, tok: StoredAppToken): HTMLElement {
  const box = ui.h('div', { class: 'push', 'data-testid': 'push-box', hidden: true });
  if (!('serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window)) {
    return box;
  }
  void (async () => {
    try {
      const res = await fetch('/api/v1/app/push/key', { cache: 'no-store' });
      const key = res.ok ? ((await res.json()) as { publicKey: string | null }).publicKey : null;
      if (key === null) return;
      const { renderPushControl } = await import('./push.js');
      renderPushControl(ui, tok, key, box);
    } catch {
      // Offline: no control; the app asks for transactions while open.
    }
  })();
  return box;
}
