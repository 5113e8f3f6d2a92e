/**
 * The admin console in Debian's Chromium, as a help-desk オペレーター uses it: first login with
 * the password, the authenticator app set up from the QR code (the code computed from the
 * otpauth URI by an independent TOTP library, as a phone would), 顧客検索 of a customer whose
 * token is locked by wrong OTPs, トークン詳細, 閉塞解除 with a reason — and the customer's next
 * OTP verifies. Screenshots (desktop and phone width) go to INKAN_SCREENSHOTS_DIR.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timeStep } from '../../src/core/otp/index.js';
import { launchChromium, RUN_BROWSER_TESTS } from '../support/browser.js';
import { issueAndProvision, type ProvisionedToken } from '../support/harness.js';
import {
  authenticatorOf,
  createAdminHarness,
  STAFF_PASSWORD,
  type AdminHarness,
} from '../support/admin-harness.js';
import { wrongOtp } from '../support/portal-browser.js';

const SCREENS = pathToFileURL(
  `${process.env['INKAN_SCREENSHOTS_DIR'] ?? join(tmpdir(), 'inkan-screens')}/`,
);
/** A 10-second step keeps the wait for the customer's next OTP short. */
const PERIOD = 10;
const REF = 'cust-7001';

let ah: AdminHarness;
let browser: Browser;
let pc: Page;
let base: string;
let token: ProvisionedToken;
let activatedStep = 0;

beforeAll(async () => {
  if (!RUN_BROWSER_TESTS) return;
  ah = await createAdminHarness({ realClock: true, policy: { period: PERIOD } });
  base = await ah.listen();
  // A customer with an active token, locked by five wrong OTPs (閉塞) through the platform API.
  token = await issueAndProvision(ah.h, REF);
  const act = await ah.h.call('POST', `/api/v1/customers/${REF}/token/activate`, {
    otp: token.otp(),
  });
  expect(act.json['state']).toBe('active');
  activatedStep = timeStep({ now: Date.now(), period: PERIOD });
  for (let i = 0; i < 5; i++)
    await ah.h.call('POST', `/api/v1/customers/${REF}/verify`, { otp: wrongOtp(token) });
  expect((await ah.h.call('GET', `/api/v1/customers/${REF}/token`)).json['locked']).toBe(true);
  await ah.createStaff('yamada.op', 'operator');
  browser = await launchChromium();
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'ja-JP',
  });
  pc = await context.newPage();
  mkdirSync(SCREENS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ah?.close();
});

/** The page at desktop width, then at phone width. */
async function snap(name: string): Promise<void> {
  await pc.screenshot({ path: new URL(`${name}.png`, SCREENS).pathname, fullPage: true });
  const size = pc.viewportSize();
  await pc.setViewportSize({ width: 390, height: 844 });
  await pc.screenshot({ path: new URL(`${name}-phone.png`, SCREENS).pathname, fullPage: true });
  if (size !== null) await pc.setViewportSize(size);
}

describe.skipIf(!RUN_BROWSER_TESTS)('the admin console in Chromium', () => {
  it('staff login with the authenticator app → 顧客検索 → トークン詳細 → 閉塞解除 → the customer’s next OTP verifies', async () => {
    await pc.goto(`${base}/admin`);
    await pc.getByRole('heading', { name: '行員ログイン' }).waitFor();
    await snap('admin-login');
    await pc.fill('#f-loginId', 'yamada.op');
    await pc.fill('#f-password', 'not-the-password');
    await pc.getByRole('button', { name: 'ログイン' }).click();
    await expect
      .poll(() => pc.textContent('.alert-error'))
      .toContain('ログインIDまたはパスワードが正しくありません。');
    await pc.fill('#f-password', STAFF_PASSWORD);
    await pc.getByRole('button', { name: 'ログイン' }).click();

    // 認証アプリの登録: the QR code is drawn (an image the CSP lets through), the key beside it.
    await pc.getByRole('heading', { name: '認証アプリの登録' }).waitFor();
    const qr = pc.locator('img[data-otpauth]');
    expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(
      true,
    );
    await snap('admin-enrol');
    const app = authenticatorOf(String(await qr.getAttribute('data-otpauth')));
    expect((await pc.textContent('#totp-secret'))?.replace(/\s/g, '')).toBe(app.totp.secret.base32);
    await pc.fill('#f-code', app.code(Date.now()));
    await pc.getByRole('button', { name: '登録する' }).click();
    // The dashboard is the landing page; one token locked shows there.
    await pc.getByRole('heading', { name: 'ダッシュボード' }).waitFor();
    expect(await pc.textContent('.alert-ok')).toContain('認証アプリを登録しました。');
    expect(await pc.textContent('[data-role]')).toBe('オペレーター');
    expect(await pc.textContent('#dash-locked')).toBe('1');
    expect(await pc.textContent('#dash-lockouts')).toBe('1');
    await pc.getByRole('navigation').getByRole('link', { name: '顧客検索' }).click();
    await pc.getByRole('heading', { name: '顧客検索' }).waitFor();

    // 顧客検索 by the customer's ユーザID → トークン詳細.
    await pc.fill('#f-q', token.userId);
    await pc.getByRole('button', { name: '検索' }).click();
    await pc.locator(`#hits a[href="/admin/customers/${REF}"]`).click();
    await pc.getByRole('heading', { name: 'トークン詳細' }).waitFor();
    expect(await pc.getAttribute('#lock-state', 'data-locked')).toBe('yes');
    expect(await pc.textContent('#history')).toContain('閉塞');
    expect(await pc.locator('#lift-link').count()).toBe(0); // 管理者 only
    await snap('admin-customer');

    // 閉塞解除 with a reason.
    await pc.click('#unlock-link');
    await pc.getByRole('heading', { name: '閉塞解除' }).waitFor();
    await pc.getByRole('button', { name: '閉塞解除する' }).click();
    expect(await pc.textContent('#f-reason-err')).toContain('1～200文字');
    await pc.fill('#f-reason', 'お客さまから電話で依頼（本人確認済）');
    await snap('admin-unlock');
    await pc.getByRole('button', { name: '閉塞解除する' }).click();
    await pc.getByRole('heading', { name: 'トークン詳細' }).waitFor();
    expect(await pc.textContent('.alert-ok')).toContain('閉塞を解除しました。');
    expect(await pc.getAttribute('#lock-state', 'data-locked')).toBe('no');
    expect(await pc.textContent('#history')).toContain('お客さまから電話で依頼（本人確認済）');
    await snap('admin-customer-unlocked');

    // The customer's next OTP verifies (a step after the one activation used up).
    while (timeStep({ now: Date.now(), period: PERIOD }) <= activatedStep)
      await pc.waitForTimeout(500);
    const v = await ah.h.call('POST', `/api/v1/customers/${REF}/verify`, { otp: token.otp() });
    expect(v.json['result']).toBe('ok');

    // English, then logout.
    await pc.getByRole('link', { name: 'English' }).click();
    await pc.getByRole('heading', { name: 'Token detail' }).waitFor();
    await pc.getByRole('button', { name: 'Log out' }).click();
    await pc.getByRole('heading', { name: 'Staff login' }).waitFor();
    expect(await pc.textContent('.alert-info')).toContain('You have logged out.');
  }, 90_000);
});
