/**
 * A hardware token end to end in Debian's Chromium, across the bank portal and the console
 * (guide 001, issue 5): the customer asks for a ハードウェアトークン in the portal (fee 1,100 yen,
 * 確認用パスワード); an 管理者 sees the request on 発送, assigns the serial from stock and ships
 * it; the customer activates it in the portal with the serial on its back and its OTP (BOK502).
 * A fob from stock that was not shipped to this customer is refused. The fob's OTP comes from an
 * independent generator over the secret the vendor's PSKC file was built from.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessStaffConsole } from '../../src/client/index.js';
import { generateTotp } from '../../src/core/otp/index.js';
import { createKeyring } from '../../src/crypto/keyring.js';
import { createNodeHmac } from '../../src/crypto/node-hmac.js';
import { adminPlugin } from '../../src/web/admin/index.js';
import { authenticatorOf, STAFF_PASSWORD } from '../support/admin-harness.js';
import { launchChromium, RUN_BROWSER_TESTS } from '../support/browser.js';
import { createPortalHarness, SATO, type PortalHarness } from '../support/portal-harness.js';
import { buildPskc } from '../support/pskc-builder.js';

const PERIOD = 30;
let ph: PortalHarness;
let browser: Browser;
let base: string;
const fobSecret = new Uint8Array(randomBytes(20));
const otherSecret = new Uint8Array(randomBytes(20));

beforeAll(async () => {
  if (!RUN_BROWSER_TESTS) return;
  ph = await createPortalHarness({ realClock: true });
  // The console joins the same server, as main.ts composes them.
  await ph.app.register(
    adminPlugin({
      console: createInProcessStaffConsole(ph.h.platform),
      sessions: ph.h.store.staffSessions(),
      keyring: createKeyring([{ version: 1, key: randomBytes(32) }]),
      clock: ph.h.clock,
      limits: {
        loginPerAddress: 1000,
        loginPerLoginId: 1000,
        totpPerStaff: 1000,
        resyncPerStaff: 1000,
      },
    }),
  );
  base = await ph.listen();
  const psk = new Uint8Array(randomBytes(16));
  await ph.h.platform.importHardware(
    { actor: 'test', clientIp: null },
    {
      serviceId: ph.h.serviceId,
      xml: buildPskc(
        [
          { serial: '90000000001', secret: fobSecret, period: PERIOD },
          { serial: '90000000002', secret: otherSecret, period: PERIOD },
        ],
        psk,
      ),
      preSharedKey: psk,
      batch: 'vendor.pskc',
    },
  );
  await ph.h.platform.staff.create(
    { actor: 'cli', clientIp: null },
    {
      serviceId: ph.h.serviceId,
      loginId: 'kato.admin',
      name: '加藤 一郎',
      role: 'admin',
      password: STAFF_PASSWORD,
    },
  );
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ph?.close();
});

/** An OTP of the fob with at least 3 s of its step left. */
async function fobOtp(page: Page, secret: Uint8Array): Promise<string> {
  const left = PERIOD - ((Date.now() / 1000) % PERIOD);
  if (left < 3) await page.waitForTimeout(left * 1000 + 300);
  return generateTotp({
    hmac: createNodeHmac(secret, 'SHA1'),
    now: Date.now(),
    period: PERIOD,
    digits: 8,
  });
}

describe.skipIf(!RUN_BROWSER_TESTS)(
  'hardware token: portal request → console shipping → portal activation',
  () => {
    it('the customer activates exactly the fob the 管理者 shipped', async () => {
      // The customer asks in the portal.
      const customer = await (
        await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' })
      ).newPage();
      await customer.goto(`${base}/ib/login`);
      await customer.fill('#f-loginId', SATO.loginId);
      await customer.fill('#f-password', SATO.password);
      await customer.getByRole('button', { name: 'ログイン', exact: true }).click();
      await customer.waitForLoadState('domcontentloaded');
      await customer.goto(`${base}/ib/otp`);
      await customer.getByRole('button', { name: 'トークン発行' }).click();
      await customer.locator('form:has(input[value=hardware]) button').click();
      await customer.fill('#f-confirmPassword', SATO.confirmPassword);
      await customer.getByRole('button', { name: 'トークンを発行する' }).click();
      await customer
        .getByRole('heading', { name: 'トークン発行（ハードウェアトークン発行完了）' })
        .waitFor();

      // The 管理者 logs in (authenticator app from the QR code) and ships it.
      const staff = await (
        await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' })
      ).newPage();
      await staff.goto(`${base}/admin/login`);
      await staff.fill('#f-loginId', 'kato.admin');
      await staff.fill('#f-password', STAFF_PASSWORD);
      await staff.getByRole('button', { name: 'ログイン' }).click();
      const app = authenticatorOf(
        String(await staff.locator('img[data-otpauth]').getAttribute('data-otpauth')),
      );
      await staff.fill('#f-code', app.code(Date.now()));
      await staff.getByRole('button', { name: '登録する' }).click();
      await staff.getByRole('heading', { name: 'ダッシュボード' }).waitFor();
      expect(await staff.textContent('#dash-shipments')).toBe('1');
      await staff.click('#dash-shipments');
      const row = staff.locator(`tr[data-customer="${SATO.platformRef}"]`);
      expect(await row.textContent()).toContain('1,100円');
      await row.locator('input[name="serial"]').fill('90000000001');
      await row.getByRole('button', { name: '割り当てて発送' }).click();
      expect(await staff.textContent('.alert-ok')).toContain('90000000001');

      // The customer: a fob from stock that was not shipped to them is refused; theirs works.
      await customer.goto(`${base}/ib/otp`);
      await customer.getByRole('button', { name: 'ワンタイムパスワード利用開始' }).click();
      await customer.fill('#f-serial', '90000000002');
      await customer.fill('#f-otp', await fobOtp(customer, otherSecret));
      await customer.getByRole('button', { name: '利用開始する' }).click();
      await customer.locator('.alert-error, .error').first().waitFor();
      expect(await ph.client.getToken(SATO.platformRef)).toMatchObject({ state: 'issued' });
      await customer.fill('#f-serial', '90000000001');
      await customer.fill('#f-otp', await fobOtp(customer, fobSecret));
      await customer.getByRole('button', { name: '利用開始する' }).click();
      await customer
        .getByRole('heading', { name: 'ワンタイムパスワード利用開始（ハードウェアトークン完了）' })
        .waitFor();
      expect(await customer.textContent('main')).toContain('90000000001');
      expect(await ph.client.getToken(SATO.platformRef)).toMatchObject({
        state: 'active',
        type: 'hardware',
        serial: '90000000001',
      });

      // The console shows it 利用中 by its serial.
      await staff.goto(`${base}/admin/hardware?serial=90000000001`);
      expect(await staff.getAttribute('#hw-item [data-stage]', 'data-stage')).toBe('active');
      expect(await staff.textContent('#hw-item')).toContain(SATO.platformRef);
    }, 90_000);
  },
);
