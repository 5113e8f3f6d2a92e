/**
 * The 管理者's daily work in Debian's Chromium (issue 5): staff login with the authenticator
 * app's code (after enrolment), the four-eyes forced 利用解除 (one 管理者 asks, a second approves,
 * the first cannot approve their own, not even by a direct POST), a PSKC file imported from the
 * browser and a fob shipped that the customer then activates with serial + OTP (through the
 * API), the tenant policy and the audit trail; and an オペレーター who reaches none of the
 * 管理者 actions, by the menu, a direct URL or a direct POST. Codes come from the otpauth URI
 * by an independent TOTP library. Screenshots (desktop) go to INKAN_SCREENSHOTS_DIR.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTotp } from '../../src/core/otp/index.js';
import { createNodeHmac } from '../../src/crypto/node-hmac.js';
import { launchChromium, RUN_BROWSER_TESTS } from '../support/browser.js';
import { issueAndProvision, type ProvisionedToken } from '../support/harness.js';
import {
  authenticatorOf,
  createAdminHarness,
  STAFF_PASSWORD,
  type AdminHarness,
  type Authenticator,
} from '../support/admin-harness.js';
import { buildPskc } from '../support/pskc-builder.js';

const SCREENS = pathToFileURL(
  `${process.env['INKAN_SCREENSHOTS_DIR'] ?? join(tmpdir(), 'inkan-screens')}/`,
);
const PSK_HEX = '00112233445566778899aabbccddeeff';

let ah: AdminHarness;
let browser: Browser;
let base: string;
const apps = new Map<string, Authenticator>();
/** kato.admin's browser, logged in once with the app's code and kept (each code is single use). */
let kato: Page;

/** A customer whose token is active (issued, set up in the app, first OTP given). */
async function activeNow(ref: string): Promise<ProvisionedToken> {
  const t = await issueAndProvision(ah.h, ref);
  const r = await ah.h.call('POST', `/api/v1/customers/${ref}/token/activate`, { otp: t.otp() });
  expect(r.json['state']).toBe('active');
  return t;
}

beforeAll(async () => {
  if (!RUN_BROWSER_TESTS) return;
  ah = await createAdminHarness({ realClock: true });
  base = await ah.listen();
  await ah.createStaff('kato.admin', 'admin');
  await ah.createStaff('suzuki.admin', 'admin');
  await ah.createStaff('tanaka.op', 'operator');
  browser = await launchChromium();
  mkdirSync(SCREENS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ah?.close();
});

async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: new URL(`${name}.png`, SCREENS).pathname, fullPage: true });
}

/** A staff member's own browser, logged in: enrolment the first time, the app's code after. */
async function login(loginId: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'ja-JP',
  });
  const page = await context.newPage();
  await page.goto(`${base}/admin/login`);
  await page.fill('#f-loginId', loginId);
  await page.fill('#f-password', STAFF_PASSWORD);
  await page.getByRole('button', { name: 'ログイン' }).click();
  let app = apps.get(loginId);
  if (app === undefined) {
    await page.getByRole('heading', { name: '認証アプリの登録' }).waitFor();
    app = authenticatorOf(
      String(await page.locator('img[data-otpauth]').getAttribute('data-otpauth')),
    );
    apps.set(loginId, app);
    await page.fill('#f-code', app.code(Date.now()));
    await page.getByRole('button', { name: '登録する' }).click();
  } else {
    await page.getByRole('heading', { name: '確認コードの入力' }).waitFor();
    // The enrolment used the current step: the next one (inside the ±1 window) is unused.
    await page.fill('#f-code', app.code(Date.now(), 1));
    await page.getByRole('button', { name: '認証する' }).click();
  }
  await page.getByRole('heading', { name: 'ダッシュボード' }).waitFor();
  return page;
}

/** A POST straight to the server with the page's own cookies and CSRF token (no form drawn). */
async function directPost(page: Page, path: string, form: Record<string, string>) {
  const csrf = await page.locator('input[name="_csrf"]').first().getAttribute('value');
  return page.request.post(`${base}${path}`, {
    form: { _csrf: String(csrf), ...form },
    maxRedirects: 0,
  });
}

describe.skipIf(!RUN_BROWSER_TESTS)('the 管理者 console in Chromium', () => {
  it('staff login with the code from the app (after enrolment) lands on the dashboard', async () => {
    const first = await login('kato.admin');
    await first.getByRole('button', { name: 'ログアウト' }).click();
    await first.getByRole('heading', { name: '行員ログイン' }).waitFor();
    kato = await login('kato.admin');
    expect(await kato.textContent('[data-role]')).toBe('管理者');
    expect(await kato.locator('#dash-approvals').count()).toBe(1);
    await first.context().close();
  }, 60_000);

  it('four eyes: one 管理者 asks, the same cannot approve (not even by POST), a second approves', async () => {
    const t = await activeNow('C5001');
    await kato.goto(`${base}/admin/customers/C5001`);
    await kato.click('#paper-deactivate-link');
    await kato.getByRole('heading', { name: '書面による利用解除の申請' }).waitFor();
    await kato.getByRole('button', { name: '承認を依頼する' }).click();
    expect(await kato.textContent('#f-paperRef-err')).toContain('受付番号');
    await kato.fill('#f-paperRef', '2026-1203-015');
    await kato.fill('#f-reason', '携帯電話紛失のため、書面にて利用解除の依頼（本人確認済）');
    await snap(kato, 'admin-paper-request');
    await kato.getByRole('button', { name: '承認を依頼する' }).click();
    await kato.getByRole('heading', { name: '承認待ち（書面による利用解除）' }).waitFor();
    expect(await kato.textContent('.alert-ok')).toContain('承認を依頼しました。');
    expect(await kato.locator('[data-approve]').count()).toBe(0);
    const id = String(
      await kato.locator('[data-request-id]').first().getAttribute('data-request-id'),
    );
    const own = await directPost(kato, `/admin/approvals/${id}/approve`, { checked: 'on' });
    expect(own.status()).toBe(403);
    expect(await own.text()).toContain('ご自身の申請は承認できません');
    expect((await ah.h.call('GET', '/api/v1/customers/C5001/token')).json['state']).toBe('active');

    const suzuki = await login('suzuki.admin');
    expect(await suzuki.textContent('#dash-approvals')).toBe('1');
    await suzuki.click('#dash-approvals');
    await suzuki.locator(`#request-${id} [data-approve]`).waitFor();
    await suzuki.locator(`#request-${id} [data-approve]`).click();
    expect(await suzuki.textContent(`#request-${id} .error`)).toContain('書面の原本と照合したこと');
    expect((await ah.h.call('GET', '/api/v1/customers/C5001/token')).json['state']).toBe('active');
    await suzuki.check(`#checked-${id}`);
    await snap(suzuki, 'admin-approvals');
    await suzuki.locator(`#request-${id} [data-approve]`).click();
    expect(await suzuki.textContent('.alert-ok')).toContain('トークンを利用解除しました。');
    expect((await ah.h.call('GET', '/api/v1/customers/C5001/token')).status).toBe(404);
    const v = await ah.h.call('POST', '/api/v1/customers/C5001/verify', { otp: t.otp() });
    expect(v.json['result']).toBe('no_token');
    await suzuki.context().close();
  }, 90_000);

  it('a PSKC file imported in the browser; a fob shipped, listed, and activated by the customer', async () => {
    const secret = new Uint8Array(randomBytes(20));
    const fobs = [
      { serial: '80100000001', secret, period: 30 },
      { serial: '80100000002', secret: new Uint8Array(randomBytes(20)), period: 30 },
    ];
    const dir = mkdtempSync(join(tmpdir(), 'inkan-pskc-'));
    const file = join(dir, 'vendor-2026-12.pskc');
    writeFileSync(file, buildPskc(fobs, new Uint8Array(Buffer.from(PSK_HEX, 'hex'))));

    await kato.getByRole('navigation').getByRole('link', { name: 'ハードウェアトークン' }).click();
    await kato.getByRole('heading', { name: 'ハードウェアトークン在庫' }).waitFor();
    await kato.setInputFiles('#f-file', file);
    await expect.poll(() => kato.inputValue('#f-xml')).toContain('<KeyContainer');
    await kato.fill('#f-key', PSK_HEX);
    await kato.fill('#f-batch', '2026年12月入荷分');
    await kato.getByRole('button', { name: '取り込む' }).click();
    expect(await kato.textContent('.alert-ok')).toContain(
      '2件を取り込みました（TOTP 2件、HOTP 0件）。',
    );
    expect(await kato.textContent('#hw-counts [data-stage="stock"] .n')).toBe('2');

    // The customer asks for a hardware token through the bank's system.
    expect(
      (await ah.h.call('POST', '/api/v1/customers/H7001/tokens', { type: 'hardware' })).status,
    ).toBe(201);
    await kato.reload();
    expect(await kato.textContent('#hw-counts [data-stage="waiting"] .n')).toBe('1');
    await snap(kato, 'admin-hardware');
    await kato.getByRole('navigation').getByRole('link', { name: '発送' }).click();
    const row = kato.locator('tr[data-customer="H7001"]');
    expect(await row.locator('input[name="serial"]').inputValue()).toBe('80100000001');
    await snap(kato, 'admin-shipments');
    await row.getByRole('button', { name: '割り当てて発送' }).click();
    expect(await kato.textContent('.alert-ok')).toContain(
      'シリアル番号 80100000001 を H7001 さまに割り当てました。',
    );
    await kato.click('#shipping-list-link');
    await kato.getByRole('heading', { name: '発送一覧表', exact: true }).waitFor();
    expect(await kato.textContent('#shipping-list')).toContain('80100000001');
    await snap(kato, 'admin-shipping-list');
    await kato.emulateMedia({ media: 'print' });
    expect(await kato.locator('header.bar').isVisible()).toBe(false);
    await snap(kato, 'admin-shipping-list-print');
    await kato.emulateMedia({ media: 'screen' });

    // 利用開始 with the serial on the back and the displayed OTP.
    const otp = generateTotp({
      hmac: createNodeHmac(secret, 'SHA1'),
      now: Date.now(),
      period: 30,
      digits: 8,
    });
    const act = await ah.h.call('POST', '/api/v1/customers/H7001/token/activate', {
      serial: '80100000001',
      otp,
    });
    expect(act.json).toMatchObject({ state: 'active' });
    await kato.goto(`${base}/admin/hardware?serial=80100000001`);
    expect(await kato.getAttribute('#hw-item [data-stage]', 'data-stage')).toBe('active');
    await snap(kato, 'admin-hardware-serial');
  }, 90_000);

  it('policy and audit trail screens', async () => {
    await kato.getByRole('navigation').getByRole('link', { name: '運用設定' }).click();
    await kato.fill('#f-lockoutThreshold', '0');
    await kato.getByRole('button', { name: '変更を保存' }).click();
    expect(await kato.textContent('#f-lockoutThreshold-err')).toContain(
      '1～100の整数で入力してください。',
    );
    await kato.fill('#f-lockoutThreshold', '6');
    await kato.check('#f-issueMailOtp');
    await kato.getByRole('button', { name: '変更を保存' }).click();
    expect(await kato.textContent('.alert-ok')).toContain('2項目を変更しました。');
    await snap(kato, 'admin-policy');
    await kato.getByRole('navigation').getByRole('link', { name: '操作履歴' }).click();
    await kato.selectOption('#f-action', 'tenant.policy_changed');
    await kato.getByRole('button', { name: '検索' }).click();
    expect(await kato.textContent('#audit')).toContain('lockoutThreshold.after=6');
    await kato.selectOption('#f-action', '');
    await kato.getByRole('button', { name: '検索' }).click();
    await snap(kato, 'admin-audit');
    // On a phone the table scrolls sideways; 操作, 結果 and 実行者 stay one line each instead of
    // being squeezed to a character per line (only 詳細 wraps).
    const size = kato.viewportSize();
    await kato.setViewportSize({ width: 390, height: 844 });
    const squeezed = await kato.$$eval('#audit tbody tr', (rows) =>
      rows.flatMap((row) =>
        [3, 4, 7].flatMap((n) => {
          const td = row.querySelector(`td:nth-child(${n})`) as HTMLElement | null;
          if (td === null || td.textContent === '') return [];
          const range = document.createRange();
          range.selectNodeContents(td);
          const lines = new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top)));
          return lines.size > 1 ? [`${n}: ${td.textContent}`] : [];
        }),
      ),
    );
    expect(squeezed).toEqual([]);
    expect(
      await kato.$eval('#audit', (t) => t.scrollWidth > (t.parentElement?.clientWidth ?? 0)),
    ).toBe(true);
    // The menu scrolls sideways too, and opens with the current screen's item (操作履歴, near
    // its end) in view.
    await kato.reload();
    expect(
      await kato.$eval('nav.menu [aria-current]', (a) => {
        const item = a.getBoundingClientRect();
        const bar = (a.closest('ul') as HTMLElement).getBoundingClientRect();
        return [a.textContent, item.left >= bar.left - 1 && item.right <= bar.right + 1];
      }),
    ).toEqual(['操作履歴', true]);
    await snap(kato, 'admin-audit-phone');
    if (size !== null) await kato.setViewportSize(size);
    const download = kato.waitForEvent('download');
    await kato.click('#csv-link');
    const csv = await download;
    expect(csv.suggestedFilename()).toMatch(/^inkan-audit-[0-9]{8}-[0-9]{8}\.csv$/);
    await kato.getByRole('navigation').getByRole('link', { name: '行員管理' }).click();
    await snap(kato, 'admin-staff');
    // On a phone the list scrolls sideways and each row's buttons stay on one line, so a row is
    // no taller than its text (stacked buttons made each row several buttons tall).
    await kato.setViewportSize({ width: 390, height: 844 });
    const rows = await kato.$$eval('#staff-list tbody tr', (trs) =>
      trs.map((tr) => {
        const buttons = Array.from(tr.querySelectorAll('.row-actions .btn'), (b) =>
          Math.round(b.getBoundingClientRect().top),
        );
        return { lines: new Set(buttons).size, height: tr.getBoundingClientRect().height };
      }),
    );
    expect(rows.length).toBeGreaterThan(1);
    for (const r of rows) {
      expect(r.lines).toBeLessThanOrEqual(1);
      expect(r.height).toBeLessThan(60);
    }
    await snap(kato, 'admin-staff-phone');
    if (size !== null) await kato.setViewportSize(size);
    // The landing page after the day's work.
    await kato.getByRole('navigation').getByRole('link', { name: 'ダッシュボード' }).click();
    expect(await kato.textContent('#dash-active')).toBe('1');
    await snap(kato, 'admin-dashboard');
  }, 60_000);

  it('a member added in the browser chooses their own password right after the first login', async () => {
    await kato.goto(`${base}/admin/staff`);
    await kato.fill('#f-loginId', 'ito.new');
    await kato.fill('#f-name', '伊藤 次郎');
    await kato.fill('#f-password', 'initial-by-kato-1');
    await kato.getByRole('button', { name: '登録する' }).click();
    expect(await kato.textContent('.alert-ok')).toContain('ito.new を登録しました。');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const ito = await context.newPage();
    await ito.goto(`${base}/admin/login`);
    await ito.fill('#f-loginId', 'ito.new');
    await ito.fill('#f-password', 'initial-by-kato-1');
    await ito.getByRole('button', { name: 'ログイン' }).click();
    await ito.getByRole('heading', { name: '認証アプリの登録' }).waitFor();
    const app = authenticatorOf(
      String(await ito.locator('img[data-otpauth]').getAttribute('data-otpauth')),
    );
    await ito.fill('#f-code', app.code(Date.now()));
    await ito.getByRole('button', { name: '登録する' }).click();
    await ito.getByRole('heading', { name: 'パスワード変更' }).waitFor();
    expect(await ito.locator('nav.menu').count()).toBe(0);
    await ito.fill('#f-password', 'my-own-phrase-2026');
    await ito.fill('#f-confirm', 'my-own-phrase-2027');
    await ito.getByRole('button', { name: '変更する' }).click();
    expect(await ito.textContent('#f-confirm-err')).toContain('確認用のパスワードが一致しません');
    await snap(ito, 'admin-password-forced');
    await ito.fill('#f-password', 'my-own-phrase-2026');
    await ito.fill('#f-confirm', 'my-own-phrase-2026');
    await ito.getByRole('button', { name: '変更する' }).click();
    await ito.getByRole('heading', { name: 'ダッシュボード' }).waitFor();
    expect(await ito.textContent('.alert-ok')).toContain('パスワードを変更しました。');
    await context.close();
    // The 管理者's list: 仮パスワード設定 for a member who forgets theirs.
    await kato.goto(`${base}/admin/staff`);
    await kato
      .locator('tr[data-login-id="ito.new"]')
      .getByRole('link', { name: '仮パスワード設定' })
      .click();
    await kato.getByRole('heading', { name: '仮パスワードの設定' }).waitFor();
    await snap(kato, 'admin-staff-temporary-password');
  }, 60_000);

  it('an オペレーター reaches no 管理者 action: not in the menu, 403 by URL and by POST', async () => {
    await activeNow('C5002');
    const op = await login('tanaka.op');
    const menu = await op.getByRole('navigation').textContent();
    for (const item of [
      '承認待ち',
      'ハードウェアトークン',
      '発送',
      '操作履歴',
      '運用設定',
      '行員管理',
    ])
      expect(menu).not.toContain(item);
    await op.goto(`${base}/admin/customers/C5002`);
    expect(await op.locator('#paper-deactivate-link').count()).toBe(0);
    for (const path of [
      '/admin/approvals',
      '/admin/hardware',
      '/admin/hardware/shipments',
      '/admin/policy',
      '/admin/audit',
      '/admin/staff',
      '/admin/customers/C5002/deactivate',
    ]) {
      const r = await op.goto(`${base}${path}`);
      expect(r?.status(), path).toBe(403);
      await op.getByRole('heading', { name: '権限がありません' }).waitFor();
    }
    await snap(op, 'admin-forbidden');
    await op.goto(`${base}/admin/customers/C5002`);
    for (const [path, form] of [
      ['/admin/customers/C5002/deactivate', { reason: 'x', paperRef: 'P-1' }],
      ['/admin/policy', { lockoutThreshold: '1' }],
      ['/admin/hardware/import', { xml: '<x/>', key: '', batch: 'x' }],
    ] as const) {
      const r = await directPost(op, path, form);
      expect(r.status(), path).toBe(403);
    }
    expect((await ah.h.call('GET', '/api/v1/customers/C5002/token')).json['state']).toBe('active');
    expect((await ah.h.platform.getTenant(ah.h.serviceId))?.policy.lockoutThreshold).toBe(6);
    await op.context().close();
  }, 60_000);
});
