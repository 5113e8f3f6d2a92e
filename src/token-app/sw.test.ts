/**
 * The service worker's 取引認証の通知 handlers (public/sw.js), run in a Node vm with a stand-in
 * ServiceWorkerGlobalScope: `push` shows 「取引内容の確認」 with the words the app left in the
 * cache; `notificationclick` closes the notification and focuses the open app, or opens it.
 * (Chromium shows the notification in test/browser/push.test.ts; no protocol command clicks one.)
 */
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { MESSAGES } from './i18n.js';

const SOURCE = readFileSync(new URL('./public/sw.js', import.meta.url), 'utf8');
const SCOPE = 'https://otp.aozora.example.jp/app/';

type Listener = (e: unknown) => void;

function load(o: { cached?: unknown; windows?: { url: string }[] }) {
  const listeners = new Map<string, Listener>();
  const shown: { title: string; options: Record<string, unknown> }[] = [];
  const calls: string[] = [];
  const windows = (o.windows ?? []).map((w) => ({
    ...w,
    focus: async () => {
      calls.push(`focus ${w.url}`);
      return w;
    },
  }));
  const self = {
    addEventListener: (type: string, fn: Listener) => listeners.set(type, fn),
    registration: {
      scope: SCOPE,
      showNotification: async (title: string, options: Record<string, unknown>) => {
        shown.push({ title, options });
      },
    },
    clients: {
      matchAll: async (q: unknown) => {
        calls.push(`matchAll ${JSON.stringify(q)}`);
        return windows;
      },
      openWindow: async (url: string) => {
        calls.push(`open ${url}`);
        return null;
      },
    },
  };
  const caches = {
    open: async (name: string) => ({
      match: async (url: string) =>
        name === 'inkan-push-text' && url === 'push-text.json' && o.cached !== undefined
          ? new Response(JSON.stringify(o.cached))
          : undefined,
    }),
  };
  runInNewContext(SOURCE, { self, caches, fetch, URL, Response, console });
  const dispatch = async (type: string, extra: Record<string, unknown> = {}) => {
    const pending: Promise<unknown>[] = [];
    listeners.get(type)!({ ...extra, waitUntil: (p: Promise<unknown>) => pending.push(p) });
    await Promise.all(pending);
  };
  return { dispatch, shown, calls };
}

describe('sw.js: push', () => {
  it('shows 取引内容の確認 with the words the app left, tagged so two pushes make one notice', async () => {
    const ja = MESSAGES.ja;
    const sw = load({ cached: { title: ja.pushTitle, body: ja.pushBody } });
    await sw.dispatch('push', { data: { json: () => ({ type: 'transaction' }) } });
    expect(sw.shown).toEqual([
      {
        title: '取引内容の確認',
        options: expect.objectContaining({
          body: 'インターネットバンキングで受け付けた振込があります。アプリで内容をご確認ください。',
          tag: 'inkan-transaction',
          data: { url: SCOPE },
        }) as unknown,
      },
    ]);
  });

  it('still shows a notification before the app left its words', async () => {
    const sw = load({});
    await sw.dispatch('push', {});
    expect(sw.shown).toHaveLength(1);
    expect(sw.shown[0]!.options['tag']).toBe('inkan-transaction');
  });
});

describe('sw.js: notificationclick', () => {
  it('closes the notification and focuses the open app', async () => {
    const sw = load({
      windows: [{ url: 'https://otp.aozora.example.jp/other/' }, { url: `${SCOPE}#x` }],
    });
    let closed = false;
    await sw.dispatch('notificationclick', { notification: { close: () => (closed = true) } });
    expect(closed).toBe(true);
    expect(sw.calls).toEqual([
      'matchAll {"type":"window","includeUncontrolled":true}',
      `focus ${SCOPE}#x`,
    ]);
  });

  it('opens the app when it is not open', async () => {
    const sw = load({ windows: [{ url: 'https://otp.aozora.example.jp/ib/' }] });
    await sw.dispatch('notificationclick', { notification: { close: () => {} } });
    expect(sw.calls.at(-1)).toBe(`open ${SCOPE}`);
  });
});
