/**
 * The bank portal in Debian's Chromium, following guide 001 (and 000's STEP 3-5) end to end with
 * the real token app on a phone-sized page: software token issue → app setup → 利用開始 →
 * logout → login with OTP → 利用解除; then 「ワンタイムパスワードでログイン」 from the app, whose
 * first use activates the token; then the hardware screens up to BOK501. Screenshots of every
 * screen at desktop and phone width go to INKAN_SCREENSHOTS_DIR (docs/screens when refreshing).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { generateTotp } from '../../src/core/otp/index.js';
import { createNodeHmac } from '../../src/crypto/node-hmac.js';
import {
  signTelephonyRequest,
  TELEPHONY_WEBHOOK_PATH,
} from '../../src/web/shared/telephony-signature.js';
import { launchChromium, PC, PHONE, RUN_BROWSER_TESTS, setUpTokenApp } from '../support/browser.js';
import { buildPskc } from '../support/pskc-builder.js';
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
const TELEPHONY_TOKEN = 'browser-telephony-token';
const PUBLIC_URL = 'https://ib.inkan-bank.example';
/** A 10-second step keeps the test short: every accepted OTP uses its step up. */
const PERIOD = 10;

let ph: PortalHarness;
let browser: Browser;
let base: string;
let pcContext: BrowserContext;
let phoneContext: BrowserContext;
let pc: Page;
let phone: Page;

beforeAll(async () => {
  if (!RUN_BROWSER_TESTS) return;
  if (!existsSync(new URL('../../dist/token-app/index.html', import.meta.url)))
    throw new Error('build the app first: npm run build');
  const port = await freePort();
  ph = await createPortalHarness({
    realClock: true,
    policy: {
      period: PERIOD,
      loginUrl: `http://127.0.0.1:${port}/ib/login`,
      selfServiceReplace: true,
    },
    portal: {
      telephonyAuthToken: TELEPHONY_TOKEN,
      publicUrl: PUBLIC_URL,
      phoneCheckNumber: '0120-000-111',
    },
  });
  base = await ph.listen(port);
  browser = await launchChromium();
  pcContext = await browser.newContext(PC);
  phoneContext = await browser.newContext(PHONE);
  pc = await pcContext.newPage();
  phone = await phoneContext.newPage();
  mkdirSync(SCREENS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ph?.close();
});

/** The page at desktop width, then at phone width. */
async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: new URL(`portal-${name}.png`, SCREENS).pathname, fullPage: true });
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({
    path: new URL(`portal-${name}-phone.png`, SCREENS).pathname,
    fullPage: true,
  });
  if (size !== null) await page.setViewportSize(size);
}

async function login(loginId: string, password: string): Promise<void> {
  await pc.goto(`${base}/ib/login`);
  await pc.fill('#f-loginId', loginId);
  await pc.fill('#f-password', password);
  await pc.getByRole('button', { name: 'ログイン', exact: true }).click();
  await pc.waitForLoadState('domcontentloaded');
}

/**
 * The OTP on the phone, different from `after` (the step `after` was used in is spent), with at
 * least 3 s of its step left so the server sees the same one.
 */
async function phoneOtp(after?: string): Promise<string> {
  for (;;) {
    const left = PERIOD - Math.floor((Date.now() / 1000) % PERIOD);
    if (left < 3) await phone.waitForTimeout(left * 1000 + 300);
    await phone.waitForTimeout(1100); // the app redraws every second
    const otp = String(await phone.getAttribute('[data-testid=otp]', 'data-otp'));
    if (otp.length === 8 && otp !== after) return otp;
  }
}

async function setUpApp(serviceId: string, userId: string, password: string): Promise<void> {
  await setUpTokenApp(phone, base, { serviceId, userId, password });
}

describe.skipIf(!RUN_BROWSER_TESTS)('the bank portal in Chromium (guide 001)', () => {
  let lastOtp = '';

  it('issues a software token: login → 申請する → BOP001 → BOT010 → 入力 → 確認 → 完了', async () => {
    await pc.goto(`${base}/ib/login`);
    await snap(pc, 'login');
    await pc.fill('#f-loginId', YAMADA.loginId);
    await pc.fill('#f-password', 'wrong-password');
    await pc.getByRole('button', { name: 'ログイン', exact: true }).click();
    await expect
      .poll(() => pc.textContent('.alert-error'))
      .toContain('ログインIDまたはログインパスワードが正しくありません。');
    await snap(pc, 'login-error');

    await login(YAMADA.loginId, YAMADA.password);
    expect(new URL(pc.url()).pathname).toBe('/ib/login/promote');
    await snap(pc, 'promote');
    await pc.getByRole('button', { name: '次へ' }).click();
    expect(new URL(pc.url()).pathname).toBe('/ib/otp');
    expect(await pc.textContent('.screen-id')).toContain('BOP001');
    expect(await pc.textContent('[data-state]')).toBe('未登録');
    await snap(pc, 'bop001');

    await pc.getByRole('button', { name: 'トークン発行' }).click();
    expect(await pc.textContent('.screen-id')).toContain('BOT010');
    await snap(pc, 'bot010');
    await pc.locator('form:has(input[value=software]) button').click();
    await pc
      .getByRole('heading', { name: 'トークン発行（ソフトウェアトークン発行情報入力）' })
      .waitFor();
    await snap(pc, 'soft-input');

    await pc.fill('#f-email', 'taro.yamada@');
    await pc.fill('#f-activationPassword', '12');
    await pc.getByRole('button', { name: '次へ' }).click();
    expect(await pc.textContent('#f-email-err')).toContain('正しい形式');
    expect(await pc.textContent('#f-activationPassword-err')).toContain('半角数字4～8桁');
    await snap(pc, 'soft-input-errors');

    await pc.fill('#f-email', 'taro.phone@example.jp');
    await pc.fill('#f-emailConfirm', 'taro.phone@example.jp');
    await pc.fill('#f-activationPassword', '4321');
    await pc.fill('#f-activationPasswordConfirm', '4321');
    await pc.getByRole('button', { name: '次へ' }).click();
    await pc
      .getByRole('heading', { name: 'トークン発行（ソフトウェアトークン発行情報入力内容確認）' })
      .waitFor();
    expect(await pc.textContent('main')).toContain('taro.phone@example.jp');
    await snap(pc, 'soft-confirm');
    await pc.fill('#f-confirmPassword', YAMADA.confirmPassword);
    await pc.getByRole('button', { name: '確定する' }).click();
    await pc
      .getByRole('heading', { name: 'トークン発行（ソフトウェアトークン発行完了）' })
      .waitFor();
    await snap(pc, 'soft-done');
    const serviceId = String(await pc.textContent('#service-id')).trim();
    const userId = String(await pc.textContent('#user-id')).trim();
    expect(serviceId).toBe(ph.h.serviceId);
    expect(userId).toMatch(/^[0-9]{12}$/);
    expect((await ph.client.getToken(YAMADA.platformRef))?.userId).toBe(userId);

    // The phone: the real token app, set up with the IDs the complete screen showed.
    await setUpApp(serviceId, userId, '4321');
    await pc.goto(`${base}/ib/otp`);
    expect(await pc.textContent('[data-state]')).toBe('トークン発行済（アプリ初期設定済）');
    await snap(pc, 'bop001-issued');
  }, 90_000);

  it('利用開始 with the app’s OTP, then login asks for it, then 利用解除 (BOS001)', async () => {
    await pc.getByRole('button', { name: 'ワンタイムパスワード利用開始' }).click();
    await pc
      .getByRole('heading', { name: 'ワンタイムパスワード利用開始（ソフトウェアトークン確認）' })
      .waitFor();
    await pc.fill('#f-otp', '00000000');
    await pc.getByRole('button', { name: '利用開始する' }).click();
    expect(await pc.textContent('#f-otp-err')).toContain('ワンタイムパスワードが正しくありません');
    await snap(pc, 'activate-soft');
    lastOtp = await phoneOtp();
    await pc.fill('#f-otp', lastOtp);
    await pc.getByRole('button', { name: '利用開始する' }).click();
    await pc
      .getByRole('heading', { name: 'ワンタイムパスワード利用開始（ソフトウェアトークン完了）' })
      .waitFor();
    await snap(pc, 'activate-soft-done');
    expect((await ph.client.getToken(YAMADA.platformRef))?.state).toBe('active');

    await pc.getByRole('button', { name: 'ログアウト' }).click();
    expect(await pc.textContent('.alert-info')).toContain('ログアウトしました');
    await login(YAMADA.loginId, YAMADA.password);
    expect(new URL(pc.url()).pathname).toBe('/ib/login/otp');
    await snap(pc, 'login-otp');
    // The step the activation used is spent: the same OTP is refused as used.
    await pc.fill('#f-otp', lastOtp);
    await pc.getByRole('button', { name: '認証する' }).click();
    expect(await pc.textContent('#f-otp-err')).toMatch(/すでに使用されています|正しくありません/);
    lastOtp = await phoneOtp(lastOtp);
    await pc.fill('#f-otp', lastOtp);
    await pc.getByRole('button', { name: '認証する' }).click();
    expect(new URL(pc.url()).pathname).toBe('/ib/top');
    expect(await pc.textContent('main')).toContain('利用中');
    await snap(pc, 'top');

    // 振込 with the OTP (SPEC.md: once 利用中, transfers need it).
    await pc.locator('nav.global').getByRole('link', { name: '振込', exact: true }).click();
    await pc.fill('#f-payeeBank', 'みずなら銀行');
    await pc.fill('#f-payeeBranch', '本店営業部');
    await pc.fill('#f-payeeAccount', '7654321');
    await pc.fill('#f-payeeName', 'サトウ ハナコ');
    await pc.fill('#f-amount', '12000');
    await pc.getByRole('button', { name: '次へ' }).click();
    await pc.getByRole('heading', { name: '振込（振込内容の確認）' }).waitFor();
    expect(await pc.isVisible('#f-otp')).toBe(true);
    await snap(pc, 'transfer-confirm-otp');
    lastOtp = await phoneOtp(lastOtp);
    await pc.fill('#f-confirmPassword', YAMADA.confirmPassword);
    await pc.fill('#f-otp', lastOtp);
    await pc.getByRole('button', { name: '振込を実行する' }).click();
    await pc.getByRole('heading', { name: '振込（振込受付完了）' }).waitFor();
    const yamada = await ph.bank.customerByLoginId(YAMADA.loginId);
    expect((await ph.bank.transfers(yamada?.id ?? 0))[0]).toMatchObject({
      amount: 12_000,
      fee: 220,
      auth: 'otp',
    });

    await pc.goto(`${base}/ib/otp`);
    expect(await pc.textContent('[data-state]')).toBe('利用中');
    await snap(pc, 'bop001-active');
    await pc.getByRole('button', { name: 'ワンタイムパスワード利用解除' }).click();
    expect(await pc.textContent('.screen-id')).toContain('BOS001');
    await pc.fill('#f-confirmPassword', 'wrongpass1');
    await pc.fill('#f-otp', '12345678');
    await pc.getByRole('button', { name: '解除する' }).click();
    expect(await pc.textContent('#f-confirmPassword-err')).toContain(
      '確認用パスワードが正しくありません',
    );
    await snap(pc, 'bos001');
    lastOtp = await phoneOtp(lastOtp);
    await pc.fill('#f-confirmPassword', YAMADA.confirmPassword);
    await pc.fill('#f-otp', lastOtp);
    await pc.getByRole('button', { name: '解除する' }).click();
    await pc
      .getByRole('heading', { name: 'ワンタイムパスワード利用解除（利用解除完了）' })
      .waitFor();
    expect(await pc.textContent('main')).toContain('200,000円');
    await snap(pc, 'deactivate-done');
    expect(await ph.client.getToken(YAMADA.platformRef)).toBeNull();
  }, 120_000);

  it('「ワンタイムパスワードでログイン」 from the app: the first login after setup is 利用開始', async () => {
    const issued = await ph.client.issueToken(YAMADA.platformRef, {
      type: 'software',
      email: 'taro.phone@example.jp',
      activationPassword: '8642',
    });
    // The app already holds the first (now ended) token; the new one is added beside it.
    await setUpApp(issued.serviceId, issued.userId, '8642');
    await phone.waitForSelector('[data-testid=login-with-otp]');
    await phone.screenshot({
      path: new URL('token-app-login-button.png', SCREENS).pathname,
      fullPage: true,
    });
    lastOtp = await phoneOtp(lastOtp);
    await phone.click('[data-testid=login-with-otp]');
    await phone.waitForURL(/\/ib\/login$/);
    // The OTP came in the fragment, which the page moved into the form and removed.
    expect(new URL(phone.url()).hash).toBe('');
    expect(await phone.isVisible('#app-otp-note')).toBe(true);
    await phone.screenshot({
      path: new URL('portal-login-from-app-phone.png', SCREENS).pathname,
      fullPage: true,
    });
    await phone.fill('#f-loginId', YAMADA.loginId);
    await phone.fill('#f-password', YAMADA.password);
    await phone.getByRole('button', { name: 'ログイン', exact: true }).click();
    await phone.waitForURL(/\/ib\/top$/);
    expect(await phone.textContent('.alert-info')).toContain(
      'ワンタイムパスワードの利用を開始しました',
    );
    expect((await ph.client.getToken(YAMADA.platformRef))?.state).toBe('active');
  }, 90_000);

  it('hardware token: 発行確認 with the 1,100 yen fee → 完了 → BOK501 → BOK502', async () => {
    // The bank's stock: one TOTP key-fob from a vendor's encrypted PSKC file; its OTP is what
    // the fob in the customer's hand shows.
    const psk = new Uint8Array(randomBytes(16));
    const fobSecret = new Uint8Array(randomBytes(20));
    await ph.h.platform.importHardware(
      { actor: 'test', clientIp: null },
      {
        serviceId: ph.h.serviceId,
        xml: buildPskc([{ serial: '101199980021', secret: fobSecret, period: PERIOD }], psk),
        preSharedKey: psk,
        batch: 'fobs.pskc',
      },
    );
    const fobOtp = () => {
      const left = PERIOD - ((Date.now() / 1000) % PERIOD);
      return {
        otp: generateTotp({
          hmac: createNodeHmac(fobSecret, 'SHA1'),
          now: Date.now(),
          period: PERIOD,
          digits: 8,
        }),
        left,
      };
    };
    await pcContext.clearCookies();
    await login(SATO.loginId, SATO.password);
    await pc.goto(`${base}/ib/otp`);
    await pc.getByRole('button', { name: 'トークン発行' }).click();
    await pc.locator('form:has(input[value=hardware]) button').click();
    await pc
      .getByRole('heading', { name: 'トークン発行（ハードウェアトークン発行確認）' })
      .waitFor();
    expect(await pc.textContent('main')).toContain('1,100円');
    await snap(pc, 'hard-confirm');
    await pc.fill('#f-confirmPassword', SATO.confirmPassword);
    await pc.getByRole('button', { name: 'トークンを発行する' }).click();
    await pc
      .getByRole('heading', { name: 'トークン発行（ハードウェアトークン発行完了）' })
      .waitFor();
    await snap(pc, 'hard-done');
    await pc.goto(`${base}/ib/otp`);
    await pc.getByRole('button', { name: 'ワンタイムパスワード利用開始' }).click();
    expect(await pc.textContent('.screen-id')).toContain('BOK501');
    await pc.fill('#f-serial', '12');
    await pc.fill('#f-otp', 'abc');
    await pc.getByRole('button', { name: '利用開始する' }).click();
    expect(await pc.textContent('#f-serial-err')).toContain('半角数字8～12桁');
    expect(await pc.textContent('#f-otp-err')).toContain('半角数字');
    await snap(pc, 'bok501');
    let f = fobOtp();
    if (f.left < 3) {
      await pc.waitForTimeout(f.left * 1000 + 300);
      f = fobOtp();
    }
    await pc.fill('#f-serial', '101199980021');
    await pc.fill('#f-otp', f.otp);
    await pc.getByRole('button', { name: '利用開始する' }).click();
    await pc
      .getByRole('heading', { name: 'ワンタイムパスワード利用開始（ハードウェアトークン完了）' })
      .waitFor();
    expect(await pc.textContent('.screen-id')).toContain('BOK502');
    expect(await pc.textContent('main')).toContain('101199980021');
    await snap(pc, 'bok502');
    expect(await ph.client.getToken(SATO.platformRef)).toMatchObject({
      state: 'active',
      type: 'hardware',
      serial: '101199980021',
    });
  }, 60_000);

  it('機種変更: login password → 電話番号認証 (the call arrives) → new phone set up → its first login ends the old token', async () => {
    // YAMADA's software token is 利用中 (the test above); his phone is lost. (The old phone's
    // app is opened once more only to read an OTP for this login.)
    await phone.goto(`${base}/app/`);
    await phone.waitForSelector('[data-testid=otp]');
    await pcContext.clearCookies();
    await login(YAMADA.loginId, YAMADA.password);
    lastOtp = await phoneOtp(lastOtp);
    await pc.fill('#f-otp', lastOtp);
    await pc.getByRole('button', { name: '認証する' }).click();
    await pc.goto(`${base}/ib/otp`);
    await pc.getByRole('button', { name: '機種変更によるトークン再発行' }).click();
    await pc.getByRole('heading', { name: '機種変更（トークン再発行）' }).waitFor();
    await snap(pc, 'replace-password');
    await pc.fill('#f-password', YAMADA.password);
    await pc.getByRole('button', { name: '電話番号認証を行う' }).click();
    await pc.getByRole('heading', { name: '機種変更（電話番号認証）' }).waitFor();
    await snap(pc, 'replace-phone');
    // The provider reports the call from the registered phone (a signed webhook).
    const params: [string, string][] = [
      ['CallSid', 'CA00000000000000000000000000000042'],
      ['From', '+819012345678'],
      ['To', '+81120000111'],
      ['Timestamp', String(Math.floor(Date.now() / 1000))],
    ];
    const hook = await fetch(`${base}${TELEPHONY_WEBHOOK_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-inkan-signature': signTelephonyRequest(
          TELEPHONY_TOKEN,
          `${PUBLIC_URL}${TELEPHONY_WEBHOOK_PATH}`,
          params,
        ),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(hook.status).toBe(200);
    // The screen moves on by itself to the new phone's issuance.
    await pc.waitForURL(/\/ib\/otp\/issue\/software$/, { timeout: 15_000 });
    await pc.fill('#f-email', 'taro.newphone@example.jp');
    await pc.fill('#f-emailConfirm', 'taro.newphone@example.jp');
    await pc.fill('#f-activationPassword', '1357');
    await pc.fill('#f-activationPasswordConfirm', '1357');
    await pc.getByRole('button', { name: '次へ' }).click();
    await pc.fill('#f-confirmPassword', YAMADA.confirmPassword);
    await pc.getByRole('button', { name: '確定する' }).click();
    await pc
      .getByRole('heading', { name: 'トークン発行（ソフトウェアトークン発行完了）' })
      .waitFor();
    const userId = String(await pc.textContent('#user-id')).trim();
    const during = await ph.client.getToken(YAMADA.platformRef);
    expect(during?.state).toBe('active');
    expect(during?.pending?.userId).toBe(userId);
    await pc.goto(`${base}/ib/otp`);
    await snap(pc, 'bop001-replacing');

    // The new phone: a fresh app (a new browser profile), set up and logged in from the app.
    const newPhone = await (
      await browser.newContext({
        viewport: { width: 390, height: 844 },
        locale: 'ja-JP',
        isMobile: true,
        hasTouch: true,
      })
    ).newPage();
    const oldPhone = phone;
    phone = newPhone;
    await setUpApp(ph.h.serviceId, userId, '1357');
    const newOtp = await phoneOtp();
    await phone.click('[data-testid=login-with-otp]');
    await phone.waitForURL(/\/ib\/login$/);
    await phone.fill('#f-loginId', YAMADA.loginId);
    await phone.fill('#f-password', YAMADA.password);
    await phone.getByRole('button', { name: 'ログイン', exact: true }).click();
    await phone.waitForURL(/\/ib\/top$/);
    expect(await phone.textContent('.alert-info')).toContain(
      'これまでのトークンは利用解除されました',
    );
    const after = await ph.client.getToken(YAMADA.platformRef);
    expect(after).toMatchObject({ state: 'active', userId });
    expect(newOtp).toMatch(/^[0-9]{8}$/);
    // The old phone's OTP no longer logs in.
    phone = oldPhone;
    const stale = await phoneOtp();
    expect((await ph.client.verify(YAMADA.platformRef, stale)).result).not.toBe('ok');
    await expect
      .poll(() => ph.mails.some((m) => m.kind === 'token_replaced' && m.to === YAMADA.email))
      .toBe(true);
  }, 120_000);
});
