/**
 * More of the portal in Debian's Chromium: the lockout after wrong OTPs, staff unlocking it
 * through the platform API (until the admin console exists), and the login that works again;
 * a transfer confirmed with the メール通知パスワード read from the customer's mail (guide 004);
 * the settings screens. Screenshots at desktop and phone width like portal.test.ts.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, RUN_BROWSER_TESTS } from '../support/browser.js';
import { issueAndProvision, type ProvisionedToken } from '../support/harness.js';
import {
  createPortalHarness,
  SATO,
  YAMADA,
  type PortalHarness,
} from '../support/portal-harness.js';

const SCREENS = pathToFileURL(
  `${process.env['INKAN_SCREENSHOTS_DIR'] ?? join(tmpdir(), 'inkan-screens')}/`,
);
const PERIOD = 10;

let ph: PortalHarness;
let browser: Browser;
let base: string;
let pc: Page;

beforeAll(async () => {
  if (!RUN_BROWSER_TESTS) return;
  ph = await createPortalHarness({ realClock: true, policy: { period: PERIOD } });
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

async function login(who: { loginId: string; password: string }): Promise<void> {
  await pc.goto(`${base}/ib/login`);
  await pc.fill('#f-loginId', who.loginId);
  await pc.fill('#f-password', who.password);
  await pc.getByRole('button', { name: 'ログイン', exact: true }).click();
  await pc.waitForLoadState('domcontentloaded');
}

/** A wrong OTP of the right form. */
function wrong(t: ProvisionedToken): string {
  const otp = t.otp();
  return otp.slice(0, -1) + String((Number(otp.slice(-1)) + 1) % 10);
}

describe.skipIf(!RUN_BROWSER_TESTS)('the portal in Chromium: lockout, mail code, settings', () => {
  it('locks after five wrong OTPs at login; staff unlock; the customer logs in again', async () => {
    const t = await issueAndProvision(ph.h, YAMADA.platformRef);
    const act = await ph.client.activateToken(YAMADA.platformRef, { otp: t.otp() });
    expect(act.result).toBe('ok');
    await login(YAMADA);
    expect(new URL(pc.url()).pathname).toBe('/ib/login/otp');
    for (let i = 0; i < 4; i++) {
      await pc.fill('#f-otp', wrong(t));
      await pc.getByRole('button', { name: '認証する' }).click();
      expect(await pc.textContent('#f-otp-err')).toContain(
        'ワンタイムパスワードが正しくありません',
      );
    }
    await pc.fill('#f-otp', wrong(t));
    await pc.getByRole('button', { name: '認証する' }).click();
    await pc.getByRole('heading', { name: 'ワンタイムパスワード認証の停止' }).waitFor();
    expect(await pc.textContent('main')).toContain('0120-000-000');
    await snap('locked');
    // The customer was told by mail.
    await expect
      .poll(() => ph.mails.some((m) => m.kind === 'token_locked' && m.to === YAMADA.email))
      .toBe(true);
    // Even the right password now stops at the locked page.
    await login(YAMADA);
    await pc.getByRole('heading', { name: 'ワンタイムパスワード認証の停止' }).waitFor();

    // 当行にて停止状態の解除: staff unlock through the platform API.
    const unlocked = await ph.h.call(
      'POST',
      `/api/v1/customers/${YAMADA.platformRef}/token/unlock`,
      {
        reason: '本人確認済み（電話）',
      },
    );
    expect(unlocked.status).toBe(200);
    await login(YAMADA);
    expect(new URL(pc.url()).pathname).toBe('/ib/login/otp');
    // A fresh step: the activation used the first one.
    await pc.waitForTimeout((PERIOD - ((Date.now() / 1000) % PERIOD) + 0.3) * 1000);
    await pc.fill('#f-otp', t.otp());
    await pc.getByRole('button', { name: '認証する' }).click();
    expect(new URL(pc.url()).pathname).toBe('/ib/top');
  }, 60_000);

  it('a transfer confirmed with the メール通知パスワード from the customer’s mail', async () => {
    await pc.context().clearCookies();
    await login(SATO);
    // No OTP yet: the login offers the 利用申請 (guide 002); 申請しない leads to the top page.
    expect(new URL(pc.url()).pathname).toBe('/ib/login/promote');
    await pc.check('input[value=skip]');
    await pc.getByRole('button', { name: '次へ' }).click();
    await pc.locator('nav.global').getByRole('link', { name: '振込', exact: true }).click();
    await pc.getByRole('heading', { name: '振込（振込先・金額の入力）' }).waitFor();
    await snap('transfer-input');
    await pc.fill('#f-payeeBank', 'みずなら銀行');
    await pc.fill('#f-payeeBranch', '本店営業部');
    await pc.fill('#f-payeeAccount', '7654321');
    await pc.fill('#f-payeeName', 'ヤマダ タロウ');
    await pc.fill('#f-amount', '300000');
    await pc.getByRole('button', { name: '次へ' }).click();
    // Without OTP the day's limit is 200,000 yen.
    expect(await pc.textContent('#f-amount-err')).toContain('本日の振込可能額');
    await pc.fill('#f-amount', '45000');
    await pc.getByRole('button', { name: '次へ' }).click();
    await pc.getByRole('heading', { name: '振込（振込内容の確認）' }).waitFor();
    expect(await pc.textContent('main')).toContain('45,330円');
    await snap('transfer-confirm');
    const mail = [...ph.mails].reverse().find((m) => m.kind === 'mail_otp' && m.to === SATO.email);
    const code = /([0-9]{6})/.exec(mail?.text ?? '')?.[1] ?? '';
    expect(code).toMatch(/^[0-9]{6}$/);
    // The mail names the same 送信日時 the screen shows.
    const shownAt = String(await pc.textContent('[data-testid=mail-otp-sent-at]'));
    expect(mail?.text).toContain(shownAt.slice(0, shownAt.indexOf('日') + 1));
    await pc.fill('#f-confirmPassword', SATO.confirmPassword);
    await pc.fill('#f-mailOtp', code);
    await pc.getByRole('button', { name: '振込を実行する' }).click();
    await pc.getByRole('heading', { name: '振込（振込受付完了）' }).waitFor();
    expect(await pc.textContent('[data-testid=receipt]')).toMatch(/^T[0-9]{8}$/);
    await snap('transfer-done');
    const sato = await ph.bank.customerByLoginId(SATO.loginId);
    const [sent] = await ph.bank.transfers(sato?.id ?? 0);
    expect(sent).toMatchObject({
      amount: 45_000,
      fee: 330,
      auth: 'mail_otp',
      payee_name: 'ヤマダ タロウ',
    });
  }, 60_000);

  it('shows the settings screens', async () => {
    await pc.goto(`${base}/ib/settings`);
    await pc.getByRole('heading', { name: '登録情報の変更' }).waitFor();
    await snap('settings');
    await pc.getByRole('button', { name: '振込限度額変更' }).click();
    await pc.fill('#f-value', '100000');
    await pc.getByRole('button', { name: '次へ' }).click();
    await pc.getByRole('heading', { name: '振込限度額変更（確認）' }).waitFor();
    await snap('settings-limit-confirm');
  }, 60_000);
});
