// The token app works offline: OTPs need no network. The service worker keeps the app shell
// (the built files listed in the precache manifest) and serves it from the cache first; API
// calls always go to the network.
const CACHE = 'inkan-app-v1';
// The notification's words, put there by the app in the customer's language (push.ts).
const PUSH_TEXT = 'inkan-push-text';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const res = await fetch('precache.json', { cache: 'no-store' });
      const files = await res.json();
      const cache = await caches.open(CACHE);
      await cache.addAll(['./', ...files]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys())
        if (key !== CACHE && key !== PUSH_TEXT) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.pathname.startsWith('/api/')) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const hit = await cache.match(event.request, { ignoreSearch: true });
      if (hit) return hit;
      try {
        return await fetch(event.request);
      } catch {
        return (await cache.match('./')) ?? Response.error();
      }
    })(),
  );
});

// 取引認証の通知 (issue 7 item 3): the push carries only {"type":"transaction"}; the notification
// says a transfer waits, and the app, once open, fetches it over the authenticated pull path.
self.addEventListener('push', (event) => {
  event.waitUntil(
    (async () => {
      let text = null;
      try {
        const hit = await (await caches.open(PUSH_TEXT)).match('push-text.json');
        if (hit) text = await hit.json();
      } catch {
        text = null;
      }
      // Words only from the app's catalogue (i18n.ts); before the app stored them, the app's name.
      const title = text && typeof text.title === 'string' ? text.title : 'Inkan';
      await self.registration.showNotification(title, {
        body: text && typeof text.body === 'string' ? text.body : '',
        tag: 'inkan-transaction',
        icon: 'icon-192.png',
        data: { url: self.registration.scope },
      });
    })(),
  );
});

// A tap on the notification: the open app comes to the front (it asks for the transaction when
// it becomes visible), or the app opens.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(
    (async () => {
      const scope = self.registration.scope;
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      for (const w of windows) {
        if (w.url.startsWith(scope) && 'focus' in w) return w.focus();
      }
      return self.clients.openWindow(scope);
    })(),
  );
});
