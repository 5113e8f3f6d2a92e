/**
 * 生体認証ログイン (issue 6; guide 000, STEP 5) in Debian's Chromium with a CDP virtual
 * authenticator (ctap2, internal transport, resident keys, user verification): the token app's
 * 生体認証ログイン利用設定 (biometric check → login ID and password → 登録), then the portal's
 * 「生体認証でログイン」 tab straight to the top page; and clean failures (a Japanese message,
 * nobody logged in, nothing changed) when user verification is false, when the credential was
 * removed in settings, and when a captured assertion is posted again. RP ID localhost, so the
 * browser goes to http://localhost (a secure context), not 127.0.0.1.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, PHONE, RUN_BROWSER_TESTS, setUpTokenApp } from '../support/browser.js';
import {
  createPortalHarness,
  freePort,
  YAMADA,
  type PortalHarness,
} from '../support/portal-harness.js';

const SCREENS = pathToFileURL(
  `${process.env['INKAN_SCREENSHOTS_DIR'] ?? join(tmpdir(), 'inkan-screens')}/`,
);

let ph: PortalHarness;
let browser: Browser;
let base: string;
let context: BrowserContext;
let page: Page;
let cdp: CDPSession;
let authenticatorId: string;

beforeAll(async () => {
  if (!RUN_BROWSER_TESTS) return;
  if (!existsSync(new URL('../../dist/token-app/index.html', import.meta.url)))
    throw new Error('build the app first: npm run build');
  const port = await freePort();
  base = `http://localhost:${port}`;
  ph = await createPortalHarness({
    realClock: true,
    webauthn: { rpId: 'localhost', rpName: 'インカン銀行', origins: [base] },
  });
  await ph.listen(port);
  browser = await launchChromium();
  context = await browser.newContext(PHONE);
  page = await context.newPage();
  // The phone's platform authenticator: fingerprint or face, passkeys kept on the device.
  cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  }));
  mkdirSync(SCREENS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ph?.close();
});

const shot = (p: Page, name: string) =>
  p.screenshot({ path: new URL(`${name}.png`, SCREENS).pathname, fullPage: true });

async function logout(p: Page): Promise<void> {
  await p.getByRole('button', { name: 'ログアウト' }).click();
  await p.waitForURL(/\/ib\/login\?bye=1/);
}

/** The 生体認証でログイン tab's button; resolves once the browser has left or shown a message. */
async function passkeyLogin(p: Page): Promise<void> {
  await p.goto(`${base}/ib/login?tab=passkey`);
  await p.getByRole('heading', { name: '生体認証でログイン' }).waitFor();
  await p.locator('#passkey-login button[type=submit]').click();
}

describe.skipIf(!RUN_BROWSER_TESTS)('生体認証ログイン in Chromium', () => {
  it('sets up the token app, then 生体認証ログイン利用設定: biometric check → ID and password → 登録', async () => {
    const issued = await ph.client.issueToken(YAMADA.platformRef, {
      type: 'software',
      email: 'taro@example.jp',
      activationPassword: '2580',
    });
    await setUpTokenApp(page, base, {
      serviceId: ph.h.serviceId,
      userId: issued.userId,
      password: '2580',
    });
    await page.getByTestId('pk-entry').click();
    await page.getByRole('heading', { name: '生体認証ログイン利用設定' }).waitFor();
    await shot(page, 'token-app-passkey-start');
    await page.getByTestId('pk-start').click();
    await page.getByRole('heading', { name: 'ログインID・ログインパスワードの入力' }).waitFor();
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]?.isResidentCredential).toBe(true);
    expect(credentials[0]?.rpId).toBe('localhost');
    // A wrong password first: a Japanese message, nothing registered.
    await page.fill('#pk-login-id', YAMADA.loginId);
    await page.fill('#pk-password', 'Wrong2026');
    await page.getByRole('button', { name: '登録' }).click();
    await page.waitForSelector('#pk-error:not(:empty)');
    expect(await page.textContent('#pk-error')).toBe(
      'ログインIDまたはログインパスワードが正しくありません。',
    );
    expect(await ph.client.listPasskeys(YAMADA.platformRef)).toEqual([]);
    await page.fill('#pk-password', YAMADA.password);
    await shot(page, 'token-app-passkey-credentials');
    await page.getByRole('button', { name: '登録' }).click();
    await page.getByTestId('pk-done').waitFor();
    await shot(page, 'token-app-passkey-done');
    const list = await ph.client.listPasskeys(YAMADA.platformRef);
    // Headless Chromium on Linux names no phone model: the app's default name.
    expect(list).toMatchObject([{ deviceName: 'スマートフォン', lastUsedAt: null }]);
    // Back on the OTP, the app now offers 「生体認証でログイン」 beside it.
    await page.getByRole('button', { name: '戻る' }).click();
    await page.waitForSelector('[data-testid=otp]');
    expect(await page.getByTestId('pk-login').textContent()).toBe('生体認証でログイン');
    await shot(page, 'token-app-passkey-otp');
  });

  it('「生体認証でログイン」 lands on the top page without the ID, password or OTP screens', async () => {
    await page.getByTestId('pk-login').click();
    await page.waitForURL(/\/ib\/login\?tab=passkey/);
    await page.getByRole('heading', { name: '生体認証でログイン' }).waitFor();
    await shot(page, 'portal-passkey-login-phone');
    await page.locator('#passkey-login button[type=submit]').click();
    await page.waitForURL(`${base}/ib/top`);
    expect(await page.textContent('body')).toContain('山田');
    const [p] = await ph.client.listPasskeys(YAMADA.platformRef);
    expect(p?.lastUsedAt).not.toBeNull();
    await logout(page);
  });

  it('user verification false: a Japanese message, nobody logged in', async () => {
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
    try {
      await passkeyLogin(page);
      // The message first says to follow the device's prompt; wait for the answer after it.
      await page.waitForFunction(() => {
        const el =
          document.querySelector('#passkey-msg:not([hidden])') ??
          document.querySelector('.alert-error');
        return el !== null && !(el.textContent ?? '').includes('端末の案内に従って');
      });
      const said = await page
        .locator('#passkey-msg:not([hidden]), .alert-error')
        .first()
        .textContent();
      expect(said).toMatch(
        /生体認証(が完了しませんでした|（指紋認証・顔認証）を確認できませんでした)/,
      );
      expect(page.url()).toContain('/ib/login');
      expect((await context.cookies()).some((c) => c.name === 'ib_sid')).toBe(false);
      await shot(page, 'portal-passkey-login-failed-phone');
    } finally {
      await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: true });
    }
    const [p] = await ph.client.listPasskeys(YAMADA.platformRef);
    const before = p?.lastUsedAt;
    expect(before).not.toBeNull();
  });

  it('a captured assertion posted again is refused in Japanese (the challenge is used once)', async () => {
    const captured = new Promise<string>((resolve) => {
      page.on('request', (r) => {
        if (r.method() === 'POST' && r.url().endsWith('/ib/login/passkey'))
          resolve(r.postData() ?? '');
      });
    });
    await passkeyLogin(page);
    await page.waitForURL(`${base}/ib/top`);
    const credential = new URLSearchParams(await captured).get('credential') ?? '';
    expect(credential).toContain('authenticatorData');
    await logout(page);
    // Another browser (an attacker who captured the post) sends it with its own fresh form.
    const other = await browser.newContext({ locale: 'ja-JP' });
    try {
      const p2 = await other.newPage();
      await p2.goto(`${base}/ib/login?tab=passkey`);
      await p2.evaluate((c) => {
        const form = document.getElementById('passkey-login') as HTMLFormElement;
        (form.elements.namedItem('credential') as HTMLInputElement).value = c;
        form.submit();
      }, credential);
      await p2.waitForURL(`${base}/ib/login/passkey`);
      expect(await p2.locator('.alert-error').textContent()).toContain('すでに使用された認証です');
      expect((await other.cookies()).some((c) => c.name === 'ib_sid')).toBe(false);
    } finally {
      await other.close();
    }
  });

  it('removed in settings: the phone still offers it, the bank refuses it in Japanese', async () => {
    await passkeyLogin(page);
    await page.waitForURL(`${base}/ib/top`);
    await page.goto(`${base}/ib/settings`);
    await page.getByRole('link', { name: '生体認証ログインの登録端末' }).click();
    await page.locator('#passkeys').waitFor();
    await shot(page, 'portal-passkey-settings-phone');
    await page.getByRole('button', { name: '解除' }).click();
    await page.waitForURL(/removed=1/);
    expect(await page.textContent('body')).toContain('生体認証ログインの登録を解除しました。');
    expect(await ph.client.listPasskeys(YAMADA.platformRef)).toEqual([]);
    await logout(page);
    await passkeyLogin(page);
    await page.waitForURL(`${base}/ib/login/passkey`);
    expect(await page.locator('.alert-error').textContent()).toContain(
      'この端末の生体認証ログインは登録されていないか、解除されています。',
    );
    expect((await context.cookies()).some((c) => c.name === 'ib_sid')).toBe(false);
  });

  it('the login tab at desktop width', async () => {
    const pc = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'ja-JP',
    });
    try {
      const p = await pc.newPage();
      await p.goto(`${base}/ib/login?tab=passkey`);
      await p.getByRole('heading', { name: '生体認証でログイン' }).waitFor();
      await shot(p, 'portal-passkey-login');
    } finally {
      await pc.close();
    }
  });
});
