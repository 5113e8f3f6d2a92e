/**
 * 電話番号認証 in Debian's Chromium (guide 000 STEP 1 ⑤): the screen counts the 120 seconds down
 * and, once the dev telephony simulator's call reaches the webhook (signed, over HTTP), moves on by
 * itself (「次画面に自動遷移」) with no click to トークン発行's done screen; past its time it says to
 * try again and stops asking; without JavaScript 「実行」 does the same. Every check is the one
 * トークン発行 starts (tenant policy `issuePhoneCheck`): the customer walks from login through
 * the issuance screens to /ib/otp/issue/phone. Screenshots (portal-phone-check, at desktop and
 * phone width, and the simulator) go to INKAN_SCREENSHOTS_DIR.
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
import type { Who } from '../support/portal-browser.js';
import {
  createPortalHarness,
  freePort,
  SATO,
  YAMADA,
  type PortalHarness,
} from '../support/portal-harness.js';

const SCREENS = pathToFileURL(
  `${process.env['INKAN_SCREENSHOTS_DIR'] ?? join(tmpdir(), 'inkan-screens')}/`,
);
const TOKEN = 'browser-test-telephony-token';
const POLICY = { issuePhoneCheck: true };

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
    policy: POLICY,
    portal: { telephonyAuthToken: TOKEN, publicUrl },
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

/** How many tokens the platform issued to a customer (its audit log's token.issued). */
async function issuances(h: PortalHarness, who: Who): Promise<number> {
  const events = await h.h.store.listAudit({
    serviceId: h.h.serviceId,
    customerRef: who.platformRef,
    limit: 1000,
  });
  return events.filter((e) => e.action === 'token.issued').length;
}

/** The check the screen polls: its `data-status-url="/ib/phone-check/<id>/status"`. */
async function checkIdOf(page: Page): Promise<string> {
  const url = (await page.getAttribute('[data-phone-check]', 'data-status-url')) ?? '';
  const m = /^\/ib\/phone-check\/([A-Za-z0-9_-]{22})\/status$/.exec(url);
  if (m?.[1] === undefined) throw new Error(`not on the screen: ${page.url()} (${url})`);
  return m[1];
}

/**
 * Walks `who` from login through トークン発行 (BOP001 → BOT010 → ソフトウェアトークン入力 → 確認 →
 * 「電話番号認証を行う」) to the 電話番号認証 screen at /ib/otp/issue/phone; the check's ID.
 */
async function toPhoneStep(page: Page, who: Who, at = base): Promise<string> {
  await page.goto(`${at}/ib/login`);
  await page.fill('#f-loginId', who.loginId);
  await page.fill('#f-password', who.password);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await page.waitForLoadState('domcontentloaded');
  await page.goto(`${at}/ib/otp`);
  await page.getByRole('button', { name: 'トークン発行' }).click();
  await page.locator('form:has(input[value=software]) button').click();
  await page
    .getByRole('heading', { name: 'トークン発行（ソフトウェアトークン発行情報入力）' })
    .waitFor();
  const email = `${who.loginId}.phone@example.jp`;
  await page.fill('#f-email', email);
  await page.fill('#f-emailConfirm', email);
  await page.fill('#f-activationPassword', '4321');
  await page.fill('#f-activationPasswordConfirm', '4321');
  await page.getByRole('button', { name: '次へ' }).click();
  await page
    .getByRole('heading', { name: 'トークン発行（ソフトウェアトークン発行情報入力内容確認）' })
    .waitFor();
  await page.fill('#f-confirmPassword', who.confirmPassword);
  await page.getByRole('button', { name: '電話番号認証を行う' }).click();
  await page.getByRole('heading', { name: 'トークン発行（電話番号認証）' }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/ib/otp/issue/phone');
  return checkIdOf(page);
}

describe.skipIf(!RUN_BROWSER_TESTS)('電話番号認証 in Chromium', () => {
  it('counts down, and moves on by itself once the simulator’s call is verified', async () => {
    const id = await toPhoneStep(pc, YAMADA);
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
    expect(await ph.client.getToken(YAMADA.platformRef)).toBeNull();

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

    // No click: the page saw the verified state and submitted its own form; the token is issued.
    await pc
      .getByRole('heading', { name: 'トークン発行（ソフトウェアトークン発行完了）' })
      .waitFor({ timeout: 8_000 });
    expect(new URL(pc.url()).pathname).toBe('/ib/otp/issue/software/done');
    const userId = String(await pc.textContent('#user-id')).trim();
    expect(userId).toBe((await ph.client.getToken(YAMADA.platformRef))?.userId);
    expect((await ph.bank.phoneCheck(id))?.status).toBe('verified');
    expect(await issuances(ph, YAMADA)).toBe(1);
  }, 60_000);

  it('past its time the screen says to try again, hides 「実行」 and stops asking', async () => {
    // A portal of its own on a test clock (the real one cannot be moved on by 120 seconds), and a
    // browser context of its own (cookies do not tell ports apart).
    const late = await createPortalHarness({ policy: POLICY });
    const ctx = await browser.newContext({ locale: 'ja-JP' });
    try {
      const at = await late.listen();
      const page = await ctx.newPage();
      const id = await toPhoneStep(page, YAMADA, at);
      const polls: number[] = [];
      page.on('request', (r) => {
        if (r.url().endsWith(`/ib/phone-check/${id}/status`)) polls.push(Date.now());
      });
      late.h.clock.advance(117_000);
      await expect.poll(() => polls.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
      late.h.clock.advance(3_000);
      await page.waitForSelector('[data-phone-check][data-state=expired]', { timeout: 10_000 });
      expect(await page.isVisible('[data-when=expired] >> nth=0')).toBe(true);
      expect(await page.textContent('.pc-status')).toContain(
        'もう一度電話番号認証を行ってください',
      );
      expect(await page.isVisible('button:has-text("実行")')).toBe(false);
      expect(await page.isVisible('button:has-text("もう一度電話番号認証を行う")')).toBe(true);
      const asked = polls.length;
      await page.waitForTimeout(4_500);
      expect(polls.length).toBe(asked);
      expect(await late.client.getToken(YAMADA.platformRef)).toBeNull();
      // 「もう一度」 starts a new check with the full 120 seconds.
      await page.getByRole('button', { name: 'もう一度電話番号認証を行う' }).click();
      await page.getByRole('heading', { name: 'トークン発行（電話番号認証）' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/ib/otp/issue/phone');
      expect(await checkIdOf(page)).not.toBe(id);
      expect(Number(await page.textContent('[data-countdown]'))).toBeGreaterThan(115);
    } finally {
      await ctx.close();
      await late.close();
    }
  }, 40_000);

  it('without JavaScript, 「実行」 after the call moves on', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false, locale: 'ja-JP' });
    try {
      const page = await ctx.newPage();
      const id = await toPhoneStep(page, SATO);
      await page.getByRole('button', { name: '実行' }).click();
      expect(await page.textContent('.alert-error')).toContain('電話番号認証が完了していません');
      expect(await ph.client.getToken(SATO.platformRef)).toBeNull();
      const sim = await ctx.newPage();
      await sim.goto(`${base}/dev/telephony`);
      await sim.fill('#from', '+81 80 9876 5432');
      await sim.getByRole('button', { name: '発信する' }).click();
      expect((await sim.textContent('#call-status'))?.trim()).toBe('200');
      await page.getByRole('button', { name: '実行' }).click();
      await page
        .getByRole('heading', { name: 'トークン発行（ソフトウェアトークン発行完了）' })
        .waitFor();
      expect(new URL(page.url()).pathname).toBe('/ib/otp/issue/software/done');
      expect((await ph.bank.phoneCheck(id))?.status).toBe('verified');
      expect(await issuances(ph, SATO)).toBe(1);
    } finally {
      await ctx.close();
    }
  }, 40_000);
});
