import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

/** Debian's Chromium (apt-get install -y chromium); never a downloaded browser. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * CI sets INKAN_TEST_REQUIRE_BROWSER=1 (and installs Chromium): there a missing browser fails.
 * On a machine without Chromium the browser suites are skipped.
 */
export const BROWSER_AVAILABLE = existsSync(CHROMIUM);
export const RUN_BROWSER_TESTS =
  BROWSER_AVAILABLE || process.env['INKAN_TEST_REQUIRE_BROWSER'] === '1';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A desktop browser in Japanese, as the bank's customers and staff use the portal and console. */
export const PC: BrowserContextOptions = {
  viewport: { width: 1280, height: 900 },
  locale: 'ja-JP',
};

/** A phone (the token app, the portal on a phone): 390 × 844 CSS pixels, touch, Japanese. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  locale: 'ja-JP',
  isMobile: true,
  hasTouch: true,
};

/**
 * The token app's 初期設定 on `page`, as the customer does it: サービスID, ユーザID and 利用開始パスワード,
 * 「上記の内容に同意する」, 初期設定完了 → 次へ, the display name → 登録; returns on the OTP screen.
 * An app that already holds a token is given one more with トークン追加.
 */
export async function setUpTokenApp(
  page: Page,
  base: string,
  ids: { serviceId: string; userId: string; password: string },
): Promise<void> {
  await page.goto(`${base}/app/`);
  await page.waitForSelector('#serviceId, [data-testid=otp]');
  if (await page.isVisible('[data-testid=otp]')) {
    await page.getByRole('button', { name: 'トークン追加' }).click();
  }
  await page.fill('#serviceId', ids.serviceId);
  await page.fill('#userId', ids.userId);
  await page.fill('#activationPassword', ids.password);
  await page.check('#agree');
  await page.click('button[type=submit]');
  await page.getByRole('heading', { name: '初期設定完了' }).waitFor();
  await page.getByRole('button', { name: '次へ' }).click();
  await page.getByRole('button', { name: '登録' }).click();
  await page.waitForSelector('[data-testid=otp]');
}
