/**
 * ハードウェアトークン再発行 in Debian's Chromium (SPEC.md "Hardware token"; guide 001 手順4's
 * note): a customer whose fob expires in 60 days logs in with it, sees the 有効期限 and the notice
 * on ワンタイムパスワード, applies (fee, address, 確認用パスワード + the fob's OTP), sees the new fob
 * 発送待ち and then 発送済 beside the active one, and activates it with its serial + OTP, which
 * ends the old one. The test clock is moved, not waited for; the fobs' OTPs come from an
 * independent generator over the vendor file's secrets. Screenshots (desktop and phone width) go
 * to INKAN_SCREENSHOTS_DIR as portal-hardware-reissue-*.png.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTotp } from '../../src/core/otp/index.js';
import { createNodeHmac } from '../../src/crypto/node-hmac.js';
import { launchChromium, RUN_BROWSER_TESTS } from '../support/browser.js';
import { createPortalHarness, YAMADA, type PortalHarness } from '../support/portal-harness.js';
import { buildPskc } from '../support/pskc-builder.js';

const SCREENS = pathToFileURL(
  `${process.env['INKAN_SCREENSHOTS_DIR'] ?? join(tmpdir(), 'inkan-screens')}/`,
);
const DAY = 86_400_000;
const PERIOD = 60;
let ph: PortalHarness;
let browser: Browser;
let base: string;
const oldSecret = new Uint8Array(randomBytes(20));
const newSecret = new Uint8Array(randomBytes(20));
const otp = (secret: Uint8Array) =>
  generateTotp({
    hmac: createNodeHmac(secret, 'SHA1'),
    now: ph.h.clock.now(),
    period: PERIOD,
    digits: 8,
  });
/** The next OTP step: each step is single use. */
const tick = () => ph.h.clock.advance(PERIOD * 1000);

beforeAll(async () => {
  if (!RUN_BROWSER_TESTS) return;
  ph = await createPortalHarness();
  base = await ph.listen();
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const psk = new Uint8Array(randomBytes(16));
  await ph.h.platform.importHardware(
    { actor: 'test', clientIp: null },
    {
      serviceId: ph.h.serviceId,
      xml: buildPskc(
        [
          {
            serial: '80000000001',
            secret: oldSecret,
            period: PERIOD,
            validUntil: iso(ph.h.clock.now() + 60 * DAY),
          },
          {
            serial: '80000000002',
            secret: newSecret,
            period: PERIOD,
            validUntil: iso(ph.h.clock.now() + 5 * 365 * DAY),
          },
        ],
        psk,
      ),
      preSharedKey: psk,
      batch: 'vendor.pskc',
    },
  );
  await ph.client.issueToken(YAMADA.platformRef, { type: 'hardware' });
  await ship('80000000001');
  await ph.client.activateToken(YAMADA.platformRef, { serial: '80000000001', otp: otp(oldSecret) });
  tick();
  browser = await launchChromium();
  mkdirSync(SCREENS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ph?.close();
});

/** 発送 as staff do it in the console. */
async function ship(serial: string): Promise<void> {
  const now = ph.h.clock.now();
  const [waiting] = await ph.h.store.listHardwareWaiting(ph.h.serviceId, now, 10);
  if (waiting === undefined) throw new Error('nothing waits for shipping');
  await ph.h.store.transaction((tx) =>
    tx.shipHardware({ serviceId: ph.h.serviceId, tokenId: waiting.tokenId, serial, now }),
  );
}

/** The page at desktop width, then at phone width. */
async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({
    path: new URL(`portal-hardware-reissue-${name}.png`, SCREENS).pathname,
    fullPage: true,
  });
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({
    path: new URL(`portal-hardware-reissue-${name}-phone.png`, SCREENS).pathname,
    fullPage: true,
  });
  if (size !== null) await page.setViewportSize(size);
}

describe.skipIf(!RUN_BROWSER_TESTS)('ハードウェアトークン再発行 in Chromium', () => {
  it('notice → confirm → 完了 → 発送待ち → 発送済 → 利用開始 of the new fob ends the old one', async () => {
    const page = await (
      await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' })
    ).newPage();
    await page.goto(`${base}/ib/login`);
    await page.fill('#f-loginId', YAMADA.loginId);
    await page.fill('#f-password', YAMADA.password);
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await page.fill('#f-otp', otp(oldSecret));
    await page.locator('form button[type=submit].btn-primary').first().click();
    await page.waitForURL(`${base}/ib/top`);
    tick();

    await page.goto(`${base}/ib/otp`);
    expect(await page.textContent('#reissue-notice')).toContain(
      'ハードウェアトークンの有効期限が近づいています',
    );
    expect(await page.textContent('[data-valid-until]')).toMatch(
      /^\d{4}年\d{2}月\d{2}日 \d{2}時\d{2}分（日本時間）$/,
    );
    await snap(page, 'bop001');

    await page.getByRole('button', { name: 'ハードウェアトークン再発行' }).click();
    await page
      .getByRole('heading', { name: 'ハードウェアトークン再発行（再発行内容確認）' })
      .waitFor();
    expect(await page.textContent('main')).toContain('1,100円');
    expect(await page.textContent('#send-to')).toBe(
      '〒100-0005 東京都千代田区丸の内1-1-1 インカンハイツ101',
    );
    await snap(page, 'confirm');

    // A wrong OTP first: said on the screen, nothing issued.
    await page.fill('#f-confirmPassword', YAMADA.confirmPassword);
    await page.fill('#f-otp', otp(oldSecret) === '00000000' ? '11111111' : '00000000');
    await page.getByRole('button', { name: '再発行を申し込む' }).click();
    await page.locator('#f-otp[aria-invalid="true"], .field-error, .alert-error').first().waitFor();
    await snap(page, 'wrong-otp');
    expect((await ph.client.getToken(YAMADA.platformRef))?.pending).toBeUndefined();

    await page.fill('#f-confirmPassword', YAMADA.confirmPassword);
    await page.fill('#f-otp', otp(oldSecret));
    await page.getByRole('button', { name: '再発行を申し込む' }).click();
    await page
      .getByRole('heading', { name: 'ハードウェアトークン再発行（再発行受付完了）' })
      .waitFor();
    expect(await page.textContent('#reissue-accepted')).toBe(
      '再発行を受け付けました。お届けまで1週間程度かかります。届いたトークンで利用開始登録を行ってください。現在のトークンは新しいトークンの利用開始まで引き続きご利用いただけます。',
    );
    await snap(page, 'done');
    tick();

    await page.goto(`${base}/ib/otp`);
    expect(await page.textContent('[data-ship]')).toBe('発送待ち');
    await snap(page, 'waiting');

    await ship('80000000002');
    await page.goto(`${base}/ib/otp`);
    expect(await page.textContent('[data-ship]')).toBe('発送済');
    await snap(page, 'shipped');

    await page.getByRole('button', { name: 'ワンタイムパスワード利用開始' }).click();
    await page.fill('#f-serial', '80000000002');
    await page.fill('#f-otp', otp(newSecret));
    await page.getByRole('button', { name: '利用開始する' }).click();
    await page
      .getByRole('heading', { name: 'ワンタイムパスワード利用開始（ハードウェアトークン完了）' })
      .waitFor();
    expect(await ph.client.getToken(YAMADA.platformRef)).toMatchObject({
      state: 'active',
      serial: '80000000002',
    });
    tick();
    expect(await ph.client.verify(YAMADA.platformRef, otp(oldSecret))).toMatchObject({
      result: 'invalid',
    });
    await page.goto(`${base}/ib/otp`);
    expect(await page.locator('[data-ship]').count()).toBe(0);
    await snap(page, 'activated');
  }, 90_000);
});
