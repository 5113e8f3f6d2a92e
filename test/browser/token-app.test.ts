/**
 * The token app in Debian's Chromium against a running platform: set up a token from IDs the API
 * issued, read the OTP off the screen and have the server accept it; reload and offline reload
 * keep working; the stored key cannot be exported; a wrong activation password shows the
 * attempts left; two banks' tokens both work.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { launchChromium, RUN_BROWSER_TESTS } from '../support/browser.js';
import { createHarness, type Harness } from '../support/harness.js';

// Screenshots go to INKAN_SCREENSHOTS_DIR (docs/screens when refreshing the documentation),
// else to a temporary folder, so a test run changes no tracked file.
const SCREENS = pathToFileURL(
  `${process.env['INKAN_SCREENSHOTS_DIR'] ?? join(tmpdir(), 'inkan-screens')}/`,
);
let h: Harness;
let browser: Browser;
let base: string;
let server: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  if (!RUN_BROWSER_TESTS) return;
  if (!existsSync(new URL('../../dist/token-app/index.html', import.meta.url)))
    throw new Error('build the app first: npm run build');
  h = await createHarness({ realClock: true });
  server = await buildApp({
    platform: h.platform,
    logger: false,
    rateLimits: { otpPerCustomer: 1000, provisionPerAddress: 1000, provisionPerToken: 1000 },
  });
  await server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
  mkdirSync(SCREENS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await h?.close();
});

async function issue(ref: string, activationPassword: string, apiKey?: string): Promise<string> {
  const r = await h.call(
    'POST',
    `/api/v1/customers/${ref}/tokens`,
    { type: 'software', email: 'taro@example.jp', activationPassword },
    apiKey,
  );
  expect(r.status).toBe(201);
  return String(r.json['userId']);
}

async function fillSetup(
  page: Page,
  serviceId: string,
  userId: string,
  password: string,
): Promise<void> {
  await page.fill('#serviceId', serviceId);
  await page.fill('#userId', userId);
  await page.fill('#activationPassword', password);
  await page.check('#agree');
  await page.click('button[type=submit]');
}

/** The OTP shown now, waiting until at least 5 s are left in its step so the server sees the same one. */
async function readOtp(page: Page): Promise<string> {
  const left = 60 - Math.floor((Date.now() / 1000) % 60);
  if (left < 6) await page.waitForTimeout(left * 1000 + 500);
  await page.waitForFunction(
    () => document.querySelector('[data-testid=otp]')?.getAttribute('data-otp')?.length === 8,
  );
  await page.waitForTimeout(1100); // the screen refreshes every second
  return String(await page.getAttribute('[data-testid=otp]', 'data-otp'));
}

describe.skipIf(!RUN_BROWSER_TESTS)('the token app in Chromium', () => {
  let context: BrowserContext;
  let page: Page;

  it('validates every field in Japanese before sending anything', async () => {
    context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      locale: 'ja-JP',
    });
    page = await context.newPage();
    await page.goto(`${base}/app/`);
    await page.getByRole('heading', { name: '初期設定' }).waitFor();
    await page.screenshot({
      path: new URL('token-app-setup.png', SCREENS).pathname,
      fullPage: true,
    });
    await page.fill('#serviceId', '1234');
    await page.click('button[type=submit]');
    expect(await page.textContent('#serviceId-error')).toBe(
      'サービスIDは8桁の半角数字で入力してください。',
    );
    expect(await page.textContent('#userId-error')).toBe('ユーザIDを入力してください。');
    expect(await page.textContent('#activationPassword-error')).toBe(
      '利用開始パスワードを入力してください。',
    );
    expect(await page.textContent('#agree-error')).toBe(
      '「上記の内容に同意する。」にチェックしてください。',
    );
    await page.screenshot({
      path: new URL('token-app-setup-errors.png', SCREENS).pathname,
      fullPage: true,
    });
  });

  it('shows the attempts left after a wrong activation password', async () => {
    const userId = await issue('c-browser', '2580');
    await fillSetup(page, h.serviceId, userId, '1111');
    await page.waitForSelector('#form-error:not(:empty)');
    expect(await page.textContent('#form-error')).toContain('あと4回');
    // Full-width digits typed on a phone are read as digits.
    await fillSetup(page, '１０１１２２３５', userId, '２５８０');
    await page.getByRole('heading', { name: '初期設定完了' }).waitFor();
    await page.screenshot({
      path: new URL('token-app-done.png', SCREENS).pathname,
      fullPage: true,
    });
    await page.getByRole('button', { name: '次へ' }).click();
    await page.fill('#extraName', 'アオ・ゾーラ用');
    await page.screenshot({
      path: new URL('token-app-name.png', SCREENS).pathname,
      fullPage: true,
    });
    await page.getByRole('button', { name: '登録' }).click();
    await page.waitForSelector('[data-testid=otp]');
    expect(await page.textContent('[data-testid=token-name]')).toBe('あおぞら銀行 アオ・ゾーラ用');
  });

  it('shows an OTP the server accepts (利用開始), and the next one logs in', async () => {
    const otp = await readOtp(page);
    await page.screenshot({ path: new URL('token-app-otp.png', SCREENS).pathname, fullPage: true });
    const act = await h.call('POST', '/api/v1/customers/c-browser/token/activate', { otp });
    expect(act.json).toMatchObject({ result: 'ok', state: 'active' });
    expect(await page.textContent('[data-testid=serial]')).toMatch(/^[0-9]{10}$/);
  });

  it('keeps a key that cannot be exported', async () => {
    const refused = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('inkan-token-app');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const tokens = await new Promise<{ key: CryptoKey }[]>((resolve) => {
        const r = db.transaction('tokens').objectStore('tokens').getAll();
        r.onsuccess = () => resolve(r.result as { key: CryptoKey }[]);
      });
      const key = tokens[0]?.key;
      if (key === undefined) return 'no key';
      try {
        await crypto.subtle.exportKey('raw', key);
        return 'exported';
      } catch (e) {
        return `refused: ${key.extractable} ${(e as Error).name}`;
      }
    });
    expect(refused).toBe('refused: false InvalidAccessError');
  });

  it('works after a reload, and offline', async () => {
    await page.reload();
    await page.waitForSelector('[data-testid=otp]');
    expect(await page.textContent('[data-testid=token-name]')).toBe('あおぞら銀行 アオ・ゾーラ用');
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector('[data-testid=otp]');
    const offlineOtp = await readOtp(page);
    await context.setOffline(false);
    const v = await h.call('POST', '/api/v1/customers/c-browser/verify', { otp: offlineOtp });
    expect(['ok', 'replayed']).toContain(v.json['result']); // replayed when still in the activation's step
  });

  it('holds tokens of two banks; the English switch works', async () => {
    const other = await h.platform.createTenant(
      { actor: 'test', clientIp: null },
      { serviceId: '20000001', name: 'みらい銀行' },
    );
    const userId = await issue('c-two', '4321', other.apiKey);
    await page.getByRole('button', { name: 'トークン追加' }).click();
    await page.click('[data-testid=lang]');
    await page.getByRole('heading', { name: 'Set up' }).waitFor();
    await fillSetup(page, '20000001', userId, '4321');
    await page.getByRole('heading', { name: 'Set up complete' }).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Register' }).click();
    const otp = await readOtp(page);
    expect(await page.textContent('[data-testid=token-name]')).toBe('みらい銀行');
    const act = await h.call(
      'POST',
      '/api/v1/customers/c-two/token/activate',
      { otp },
      other.apiKey,
    );
    expect(act.json['result']).toBe('ok');
  });

  it('switches between the tokens held, and remembers the choice over a reload', async () => {
    const chips = page.locator('nav.picker button');
    expect(await chips.allTextContents()).toEqual(['あおぞら銀行 アオ・ゾーラ用', 'みらい銀行']);
    await chips.first().click();
    expect(await page.textContent('[data-testid=token-name]')).toBe('あおぞら銀行 アオ・ゾーラ用');
    await page.reload();
    await page.waitForSelector('[data-testid=otp]');
    expect(await page.textContent('[data-testid=token-name]')).toBe('あおぞら銀行 アオ・ゾーラ用');
  });

  it('removes a token only after warning that the bank’s 利用解除 comes first', async () => {
    await page.click('[data-testid=lang]'); // back to Japanese
    await page.getByRole('button', { name: 'みらい銀行' }).click();
    await page.screenshot({
      path: new URL('token-app-two-tokens.png', SCREENS).pathname,
      fullPage: true,
    });
    await page.getByRole('button', { name: '削除', exact: true }).click();
    const dialog = page.getByRole('alertdialog');
    expect(await dialog.textContent()).toContain('ワンタイムパスワード利用解除');
    await page.getByRole('button', { name: 'キャンセル' }).click();
    expect(await page.locator('nav.picker button').count()).toBe(2);
    await page.getByRole('button', { name: '削除', exact: true }).click();
    await page.getByRole('button', { name: '削除する' }).click();
    await page.waitForFunction(() => document.querySelector('nav.picker') === null);
    expect(await page.textContent('[data-testid=token-name]')).toBe('あおぞら銀行 アオ・ゾーラ用');
    await context.close();
  });

  it('warns when the phone’s clock is off by more than 15 seconds, and says how to fix it', async () => {
    const skewed = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'ja-JP',
    });
    const p = await skewed.newPage();
    await p.clock.setFixedTime(Date.now() + 60_000);
    await p.goto(`${base}/app/`);
    const warning = p.getByTestId('clock-warning');
    await warning.waitFor();
    expect(await warning.textContent()).toMatch(/時刻が(59|60|61)秒ずれています.*日本時間に合わせ/);
    await p.screenshot({
      path: new URL('token-app-clock-warning.png', SCREENS).pathname,
      fullPage: true,
    });
    await skewed.close();
    const right = await browser.newContext();
    const q = await right.newPage();
    await q.goto(`${base}/app/`);
    await q.getByRole('heading', { name: '初期設定' }).waitFor();
    await q.waitForTimeout(500);
    expect(await q.getByTestId('clock-warning').count()).toBe(0);
    await right.close();
  });
});
