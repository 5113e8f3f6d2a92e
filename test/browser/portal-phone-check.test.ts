/**
 * 電話番号認証 in Debian's Chromium (guide 000 STEP 1 ⑤): the screen counts the 120 seconds down
 * and, once the dev telephony simulator's call reaches the webhook (signed, over HTTP), moves on by
 * itself (「次画面に自動遷移」) with no click; past its time it says to try again and stops asking;
 * without JavaScript 「実行」 does the same. The screen is the preview route
 * (/ib/phone-check/preview) until the issuance flow shows it. Screenshots (portal-phone-check,
 * at desktop and phone width, and the simulator) go to INKAN_SCREENSHOTS_DIR.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devTelephonyPlugin } from '../../src/web/dev/index.js';
import { TELEPHONY_WEBHOOK_PATH } from '../../src/web/shared/telephony-signature.js';
import { launchChromium, RUN_BROWSER_TESTS } from '../support/browser.js';
import {
  createPortalHarness,
  freePort,
  YAMADA,
  type PortalHarness,
} from '../support/portal-harness.js';

const SCREENS = pathToFileURL(
  `${process.env['INKAN_SCREENSHOTS_DIR'] ?? join(tmpdir(), 'inkan-screens')}/`,
);
const TOKEN = 'browser-test-telephony-token';

let ph: PortalHarness;
let browser: Browser;
let base: string;
let pcContext: BrowserContext;
let pc: Page;

beforeAll(async () => {
  if (!RUN_BROWSER_TESTS) return;
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  ph = await createPortalHarness({
    realClock: true,
    portal: { telephonyAuthToken: TOKEN, publicUrl, phoneCheckPreview: true },
  });
  // What buildApp registers when no provider is configured, on the same secret and clock.
  await ph.app.register(
    devTelephonyPlugin({
      authToken: TOKEN,
      webhookUrl: `${publicUrl}${TELEPHONY_WEBHOOK_PATH}`,
      calledNumber: '0120-000-111',
      clock: ph.h.clock,
    }),
  );
  base = await ph.listen(port);
  browser = await launchChromium();
  pcContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
  pc = await pcContext.newPage();
  mkdirSync(SCREENS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ph?.close();
});

async function login(page: Page): Promise<void> {
  await page.goto(`${base}/ib/login`);
  await page.fill('#f-loginId', YAMADA.loginId);
  await page.fill('#f-password', YAMADA.password);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await page.waitForLoadState('domcontentloaded');
}

/** Opens the preview's start page and starts a トークン発行 check; its ID. */
async function startCheck(page: Page): Promise<string> {
  await page.goto(`${base}/ib/phone-check/preview`);
  await page.getByRole('button', { name: 'トークン発行として開始' }).click();
  await page.getByRole('heading', { name: 'トークン発行（電話番号認証）' }).waitFor();
  const m = /\/ib\/phone-check\/preview\/([A-Za-z0-9_-]{22})$/.exec(page.url());
  if (m?.[1] === undefined) throw new Error(`not on the screen: ${page.url()}`);
  return m[1];
}

describe.skipIf(!RUN_BROWSER_TESTS)('電話番号認証 in Chromium', () => {
  it('counts down, and moves on by itself once the simulator’s call is verified', async () => {
    await login(pc);
    const id = await startCheck(pc);
    expect(await pc.textContent('#registered-phone')).toBe('090-1234-5678');
    expect(await pc.getAttribute('#check-number', 'href')).toBe('tel:0120000111');
    expect(await pc.isVisible('button:has-text("実行")')).toBe(true);
    const polls: string[] = [];
    pc.on('request', (r) => {
      if (r.url().endsWith(`/ib/phone-check/${id}/status`)) polls.push(r.url());
    });
    // The count goes down while the page asks the server every 2 s.
    await expect
      .poll(async () => Number(await pc.textContent('[data-countdown]')), { timeout: 5_000 })
      .toBeLessThan(119);
    await expect.poll(() => polls.length, { timeout: 7_000 }).toBeGreaterThanOrEqual(2);
    await pc.screenshot({
      path: new URL('portal-phone-check.png', SCREENS).pathname,
      fullPage: true,
    });
    await pc.setViewportSize({ width: 390, height: 844 });
    await pc.screenshot({
      path: new URL('portal-phone-check-phone.png', SCREENS).pathname,
      fullPage: true,
    });
    await pc.setViewportSize({ width: 1280, height: 900 });

    // The simulator, in another tab: the customer's phone calls the 認証先電話番号.
    const sim = await pcContext.newPage();
    await sim.goto(`${base}/dev/telephony`);
    expect(await sim.inputValue('#from')).toBe('');
    expect(await sim.inputValue('#to')).toBe('0120-000-111');
    await sim.fill('#from', '090-1234-5678');
    await sim.screenshot({ path: new URL('dev-telephony.png', SCREENS).pathname, fullPage: true });
    await sim.getByRole('button', { name: '発信する' }).click();
    await sim.waitForSelector('#call-result');
    expect((await sim.textContent('#call-status'))?.trim()).toBe('200');
    expect(await sim.textContent('#call-answer')).toContain(
      '<Say language="ja-JP">電話番号認証が完了しました。',
    );
    expect(await sim.textContent('#call-answer')).toContain('<Hangup/>');
    await sim.close();

    // No click: the page saw the verified state and submitted its own form.
    await pc.waitForSelector('#phone-check-done', { timeout: 8_000 });
    expect(new URL(pc.url()).pathname).toBe(`/ib/phone-check/preview/${id}`);
    expect(await pc.textContent('#phone-check-done')).toContain('電話番号認証が完了しました。');
    expect((await ph.bank.phoneCheck(id))?.status).toBe('verified');
  }, 60_000);

  it('past its time the screen says to try again, hides 「実行」 and stops asking', async () => {
    // A check with 3 seconds left, written straight to the bank's store (the real clock cannot be
    // moved on by 120 seconds).
    const customer = await ph.bank.customerByLoginId(YAMADA.loginId);
    const id = 'shortLivedCheck0000001';
    const now = Date.now();
    await ph.bank.createPhoneCheck({
      id,
      customerId: customer?.id ?? 0,
      purpose: 'issue',
      called: '0120000111',
      createdAt: now - 117_000,
      expiresAt: now + 3_000,
    });
    const polls: number[] = [];
    pc.on('request', (r) => {
      if (r.url().endsWith(`/ib/phone-check/${id}/status`)) polls.push(Date.now());
    });
    await pc.goto(`${base}/ib/phone-check/preview/${id}`);
    await pc.waitForSelector('[data-phone-check][data-state=expired]', { timeout: 10_000 });
    expect(await pc.isVisible('[data-when=expired] >> nth=0')).toBe(true);
    expect(await pc.textContent('.pc-status')).toContain('もう一度電話番号認証を行ってください');
    expect(await pc.isVisible('button:has-text("実行")')).toBe(false);
    expect(await pc.isVisible('button:has-text("もう一度電話番号認証を行う")')).toBe(true);
    const asked = polls.length;
    await pc.waitForTimeout(4_500);
    expect(polls.length).toBe(asked);
    // 「もう一度」 starts a new check with the full 120 seconds.
    await pc.getByRole('button', { name: 'もう一度電話番号認証を行う' }).click();
    await pc.getByRole('heading', { name: 'トークン発行（電話番号認証）' }).waitFor();
    expect(Number(await pc.textContent('[data-countdown]'))).toBeGreaterThan(115);
  }, 40_000);

  it('without JavaScript, 「実行」 after the call moves on', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false, locale: 'ja-JP' });
    try {
      const page = await ctx.newPage();
      await login(page);
      const id = await startCheck(page);
      await page.getByRole('button', { name: '実行' }).click();
      expect(await page.textContent('.alert-error')).toContain('電話番号認証が完了していません');
      const sim = await ctx.newPage();
      await sim.goto(`${base}/dev/telephony`);
      await sim.fill('#from', '+81 90 1234 5678');
      await sim.getByRole('button', { name: '発信する' }).click();
      expect((await sim.textContent('#call-status'))?.trim()).toBe('200');
      await page.getByRole('button', { name: '実行' }).click();
      await page.waitForSelector('#phone-check-done');
      expect((await ph.bank.phoneCheck(id))?.status).toBe('verified');
    } finally {
      await ctx.close();
    }
  }, 40_000);
});
