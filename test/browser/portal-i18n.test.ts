/**
 * The portal's English switch in Debian's Chromium (SPEC.md, "Parts": Japanese first, English
 * switch): the header's 「English」/「日本語」 link on a page mid-procedure draws the same step in
 * the other language, with the flow's values (kept by the server) and what was typed but not sent
 * yet (carried by the page's script; never a password) still there; the procedure then finishes
 * in whichever language. Screenshots (portal-bop001-en and the steps in English) go to
 * INKAN_SCREENSHOTS_DIR like portal.test.ts.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, RUN_BROWSER_TESTS } from '../support/browser.js';
import { createPortalHarness, YAMADA, type PortalHarness } from '../support/portal-harness.js';

const SCREENS = pathToFileURL(
  `${process.env['INKAN_SCREENSHOTS_DIR'] ?? join(tmpdir(), 'inkan-screens')}/`,
);

let ph: PortalHarness;
let browser: Browser;
let base: string;
let pc: Page;

beforeAll(async () => {
  if (!RUN_BROWSER_TESTS) return;
  ph = await createPortalHarness({ realClock: true });
  base = await ph.listen();
  browser = await launchChromium();
  pc = await (
    await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' })
  ).newPage();
  mkdirSync(SCREENS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ph?.close();
});

/** The page at desktop width, then at phone width. */
async function snap(name: string): Promise<void> {
  await pc.screenshot({ path: new URL(`portal-${name}.png`, SCREENS).pathname, fullPage: true });
  const size = pc.viewportSize();
  await pc.setViewportSize({ width: 390, height: 844 });
  await pc.screenshot({
    path: new URL(`portal-${name}-phone.png`, SCREENS).pathname,
    fullPage: true,
  });
  if (size !== null) await pc.setViewportSize(size);
}

/** Clicks the header's switch and waits for the page in `lang`. */
async function switchTo(lang: 'ja' | 'en'): Promise<void> {
  await pc.getByRole('link', { name: lang === 'en' ? 'English' : '日本語', exact: true }).click();
  await pc.waitForFunction((l) => document.documentElement.lang === l, lang);
}

describe.skipIf(!RUN_BROWSER_TESTS)('the portal’s English switch in Chromium', () => {
  it('BOP001 in English, then a software issuance switched back and forth mid-procedure', async () => {
    await pc.goto(`${base}/ib/login`);
    expect(await pc.getAttribute('html', 'lang')).toBe('ja');
    // Before login too: the switch is in the header of the login page.
    await switchTo('en');
    expect(new URL(pc.url()).pathname).toBe('/ib/login');
    await pc.fill('#f-loginId', YAMADA.loginId);
    await pc.fill('#f-password', YAMADA.password);
    await pc.getByRole('button', { name: 'Log in', exact: true }).click();
    await pc.getByRole('heading', { name: 'Log in (one-time passwords)' }).waitFor();
    await pc.getByRole('button', { name: 'Next' }).click();
    await pc.getByRole('heading', { name: 'One-time password menu' }).waitFor();
    expect(await pc.textContent('.screen-id')).toBe('Screen ID: BOP001');
    expect(await pc.textContent('[data-state]')).toBe('Not registered');
    await snap('bop001-en');

    // BOT010 → the software input, in English.
    await pc.getByRole('button', { name: 'Issue a token' }).click();
    expect(await pc.textContent('.screen-id')).toBe('Screen ID: BOT010');
    await pc.locator('form:has(input[value=software]) button').click();
    await pc.getByRole('heading', { name: 'Issue a token (software token details)' }).waitFor();
    await pc.fill('#f-email', 'taro.phone@example.jp');
    await pc.fill('#f-emailConfirm', 'taro.phone@example.jp');
    await pc.fill('#f-activationPassword', '4321');
    await snap('soft-input-en');

    // 日本語 with the form half filled: the same step, the addresses still typed, no password.
    await switchTo('ja');
    await pc
      .getByRole('heading', { name: 'トークン発行（ソフトウェアトークン発行情報入力）' })
      .waitFor();
    expect(new URL(pc.url()).pathname).toBe('/ib/otp/issue/software');
    expect(await pc.inputValue('#f-email')).toBe('taro.phone@example.jp');
    expect(await pc.inputValue('#f-emailConfirm')).toBe('taro.phone@example.jp');
    expect(await pc.inputValue('#f-activationPassword')).toBe('');
    // Nothing is carried to the next page load.
    expect(await pc.evaluate(() => sessionStorage.length)).toBe(0);
    await pc.fill('#f-activationPassword', '4321');
    await pc.fill('#f-activationPasswordConfirm', '4321');
    await pc.getByRole('button', { name: '次へ' }).click();
    await pc
      .getByRole('heading', { name: 'トークン発行（ソフトウェアトークン発行情報入力内容確認）' })
      .waitFor();

    // English at the confirm step: the flow's values are the server's, kept through the switch.
    await switchTo('en');
    await pc
      .getByRole('heading', { name: 'Issue a token (check software token details)' })
      .waitFor();
    expect(new URL(pc.url()).pathname).toBe('/ib/otp/issue/software/confirm');
    expect(await pc.textContent('main')).toContain('taro.phone@example.jp');
    await snap('soft-confirm-en');
    await pc.fill('#f-confirmPassword', 'kakunin9');
    await pc.getByRole('button', { name: 'Confirm', exact: true }).click();
    expect(await pc.textContent('#f-confirmPassword-err')).toBe(
      'The confirmation password is wrong.',
    );
    await pc.fill('#f-confirmPassword', YAMADA.confirmPassword);
    await pc.getByRole('button', { name: 'Confirm', exact: true }).click();
    await pc.getByRole('heading', { name: 'Issue a token (software token issued)' }).waitFor();
    const userId = String(await pc.textContent('#user-id')).trim();
    expect((await ph.client.getToken(YAMADA.platformRef))?.userId).toBe(userId);
    await snap('soft-done-en');

    // The done step in Japanese: the same result, issued once.
    await switchTo('ja');
    await pc
      .getByRole('heading', { name: 'トークン発行（ソフトウェアトークン発行完了）' })
      .waitFor();
    expect(String(await pc.textContent('#user-id')).trim()).toBe(userId);
  }, 60_000);

  it('振込 switched mid-form keeps the typed payee, the 科目 and the amount', async () => {
    await pc.goto(`${base}/ib/transfer`);
    await pc.getByRole('heading', { name: '振込（振込先・金額の入力）' }).waitFor();
    await pc.fill('#f-payeeBank', 'みずほ銀行');
    await pc.fill('#f-payeeBranch', '東京営業部');
    await pc.check('input[name=payeeType][value=当座]');
    await pc.fill('#f-payeeAccount', '1234567');
    await pc.fill('#f-payeeName', 'スズキ イチロウ');
    await pc.fill('#f-amount', '12000');
    await switchTo('en');
    await pc.getByRole('heading', { name: 'Transfer (payee and amount)' }).waitFor();
    expect(await pc.inputValue('#f-payeeBank')).toBe('みずほ銀行');
    expect(await pc.inputValue('#f-payeeBranch')).toBe('東京営業部');
    expect(await pc.isChecked('input[name=payeeType][value=当座]')).toBe(true);
    expect(await pc.inputValue('#f-payeeName')).toBe('スズキ イチロウ');
    expect(await pc.inputValue('#f-amount')).toBe('12000');
    await snap('transfer-input-en');
    await pc.getByRole('button', { name: 'Next' }).click();
    await pc.getByRole('heading', { name: 'Transfer (check)' }).waitFor();
    const main = String(await pc.textContent('main'));
    expect(main).toContain('Current 1234567');
    expect(main).toContain('¥12,000');
    expect(main).toContain('スズキ イチロウ');
  }, 60_000);
});
