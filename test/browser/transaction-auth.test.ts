/**
 * 取引認証 in Debian's Chromium (SPEC.md, "Transaction authentication"; issue 7): the bank portal
 * on a PC and the real token app on a phone, against one running platform whose tenant requires
 * 取引認証 for every transfer.
 *
 * The attack this answers: a phishing page relays what the customer approves. With dynamic
 * linking the app shows the payee and amount the bank received, and its response is bound to
 * them: a response captured for one transfer does not approve a changed one.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, PC, PHONE, RUN_BROWSER_TESTS, setUpTokenApp } from '../support/browser.js';
import {
  createPortalHarness,
  freePort,
  YAMADA,
  type PortalHarness,
} from '../support/portal-harness.js';

const SCREENS = pathToFileURL(
  `${process.env['INKAN_SCREENSHOTS_DIR'] ?? join(tmpdir(), 'inkan-screens')}/`,
);
const PERIOD = 10;
const TTL_SECONDS = 30;

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
    policy: { period: PERIOD, transactionAuth: 'always', transactionTtlSeconds: TTL_SECONDS },
  });
  base = await ph.listen(port);
  browser = await launchChromium();
  pcContext = await browser.newContext(PC);
  phoneContext = await browser.newContext(PHONE);
  pc = await pcContext.newPage();
  phone = await phoneContext.newPage();
  mkdirSync(SCREENS, { recursive: true });

  // 山田: a software token issued by the bank, set up in the app, activated with its OTP.
  const issued = await ph.client.issueToken(YAMADA.platformRef, {
    type: 'software',
    email: 'taro@example.jp',
    activationPassword: '4321',
  });
  await setUpTokenApp(phone, base, {
    serviceId: ph.h.serviceId,
    userId: issued.userId,
    password: '4321',
  });
  const otp = await phoneOtp();
  expect((await ph.client.activateToken(YAMADA.platformRef, { otp })).result).toBe('ok');
  await pc.goto(`${base}/ib/login`);
  await pc.fill('#f-loginId', YAMADA.loginId);
  await pc.fill('#f-password', YAMADA.password);
  await pc.getByRole('button', { name: 'ログイン', exact: true }).click();
  await pc.waitForURL(/\/ib\/login\/otp/);
  await pc.fill('#f-otp', await phoneOtp(otp));
  await pc.getByRole('button', { name: '認証する' }).click();
  await pc.waitForURL(/\/ib\/top/);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await ph?.close();
});

/** The app's OTP, not `after`, with at least 3 s of its step left. */
async function phoneOtp(after?: string): Promise<string> {
  await phone.waitForSelector('[data-testid=otp]');
  for (;;) {
    const left = PERIOD - Math.floor((Date.now() / 1000) % PERIOD);
    if (left < 3) await phone.waitForTimeout(left * 1000 + 300);
    await phone.waitForTimeout(1100);
    const otp = String(await phone.getAttribute('[data-testid=otp]', 'data-otp'));
    if (otp.length === 8 && otp !== after) return otp;
  }
}

async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: new URL(`${name}.png`, SCREENS).pathname, fullPage: true });
  // The portal's screens at phone width too (customers bank on their phones as well).
  if (page !== pc) return;
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: new URL(`${name}-phone.png`, SCREENS).pathname, fullPage: true });
  if (size !== null) await page.setViewportSize(size);
}

/** 振込: input → confirm (password only: the app confirms) → the waiting screen. */
async function startTransfer(amount: number, account = '7654321'): Promise<string> {
  await pc.goto(`${base}/ib/transfer`);
  await pc.fill('#f-payeeBank', 'みずなら銀行');
  await pc.fill('#f-payeeBranch', '本店営業部');
  await pc.fill('#f-payeeAccount', account);
  await pc.fill('#f-payeeName', 'サトウ ハナコ');
  await pc.fill('#f-amount', String(amount));
  await pc.getByRole('button', { name: '次へ' }).click();
  await pc.getByRole('heading', { name: '振込（振込内容の確認）' }).waitFor();
  // With 取引認証 the screen asks for no OTP: the app confirms the transfer instead.
  expect(await pc.isVisible('#f-otp')).toBe(false);
  await pc.fill('#f-confirmPassword', YAMADA.confirmPassword);
  await pc.getByRole('button', { name: '振込を実行する' }).click();
  await pc.getByRole('heading', { name: '振込（取引認証）' }).waitFor();
  expect(await pc.textContent('[data-testid=tx-amount]')).toContain(amount.toLocaleString('ja-JP'));
  return transactionIdOfSession();
}

/** The pending transaction of the customer, as the platform holds it (newest). */
async function transactionIdOfSession(): Promise<string> {
  const rows = await ph.h.store.listAudit({
    serviceId: ph.h.serviceId,
    customerRef: YAMADA.platformRef,
    limit: 50,
  });
  const created = rows.find((r) => r.action === 'transaction.created');
  return String(created?.detail['transactionId']);
}

async function bankTransfers() {
  const yamada = await ph.bank.customerByLoginId(YAMADA.loginId);
  return ph.bank.transfers(yamada?.id ?? 0);
}

describe.skipIf(!RUN_BROWSER_TESTS)('取引認証 in Chromium', () => {
  it('a transfer approved in the app completes; the screen moves on by itself', async () => {
    const before = (await bankTransfers()).length;
    await startTransfer(12_000);
    await snap(pc, 'portal-transfer-approval');
    await phone.bringToFront();
    await phone.waitForSelector('[data-testid=tx-screen]', { timeout: 15_000 });
    expect(await phone.textContent('[data-testid=tx-amount]')).toBe('12,000円');
    expect(await phone.textContent('[data-testid=tx-payee]')).toContain('7654321');
    expect(await phone.textContent('[data-testid=tx-payee]')).toContain('サトウ ハナコ');
    await snap(phone, 'app-transaction-approval');
    await phone.click('[data-testid=tx-approve]');
    await expect.poll(() => phone.textContent('[data-testid=tx-status]')).toContain('承認しました');
    await pc.getByRole('heading', { name: '振込（振込受付完了）' }).waitFor({ timeout: 15_000 });
    const sent = await bankTransfers();
    expect(sent.length).toBe(before + 1);
    expect(sent[0]).toMatchObject({
      amount: 12_000,
      payee_account: '7654321',
      auth: 'transaction',
    });
    await phone.click('[data-testid=tx-back]');
  }, 60_000);

  it('relay: the response for one transfer, submitted for a changed one, fails', async () => {
    const before = (await bankTransfers()).length;
    const first = await startTransfer(15_000);
    // The app answers the first transfer; the relay captures the response and stops it.
    let captured = '';
    await phone.route(`**/api/v1/app/transactions/${first}/respond`, async (route) => {
      captured = String((route.request().postDataJSON() as { response?: string }).response);
      await route.abort();
    });
    await phone.waitForSelector('[data-testid=tx-screen]', { timeout: 15_000 });
    await phone.click('[data-testid=tx-approve]');
    await expect.poll(() => captured).toMatch(/^[0-9]{8}$/);
    // The attacker's transfer: the same payee, a larger amount, created at the bank.
    const changed = await ph.client.createTransaction(YAMADA.platformRef, {
      payeeBank: 'みずなら銀行',
      payeeBranch: '本店営業部',
      payeeAccount: '7654321',
      payeeName: 'サトウ ハナコ',
      amount: 990_000,
    });
    // The relay puts the captured response into the changed transaction's approval.
    await phone.route('**/api/v1/app/transactions/pending', async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { transactions: { transactionId: string }[] };
      body.transactions = body.transactions.filter(
        (x) => x.transactionId === changed.transactionId,
      );
      await route.fulfill({ response: res, json: body });
    });
    await phone.route(
      `**/api/v1/app/transactions/${changed.transactionId}/respond`,
      async (route) => {
        const body = route.request().postDataJSON() as Record<string, unknown>;
        await route.continue({ postData: JSON.stringify({ ...body, response: captured }) });
      },
    );
    await phone.reload();
    await phone.waitForSelector('[data-testid=tx-screen]', { timeout: 15_000 });
    expect(await phone.textContent('[data-testid=tx-amount]')).toBe('990,000円');
    await phone.click('[data-testid=tx-approve]');
    await expect
      .poll(() => phone.textContent('[data-testid=tx-status]'))
      .toContain('承認できませんでした');
    const after = await ph.client.getTransaction(YAMADA.platformRef, changed.transactionId);
    expect(after).toMatchObject({ state: 'pending', failures: 1 });
    expect((await ph.client.getToken(YAMADA.platformRef))?.failCount).toBe(1);
    expect((await bankTransfers()).length).toBe(before);
    await phone.unrouteAll({ behavior: 'wait' });
    // The customer's own transfer is still waiting; nothing was sent.
    expect(await pc.isVisible('[data-tx-wait]')).toBe(true);
    await pc.getByRole('button', { name: '申込を中止する' }).click();
    await phone.goto(`${base}/app/`);
  }, 60_000);

  it('拒否 in the app cancels the transfer; audited', async () => {
    const before = (await bankTransfers()).length;
    await startTransfer(8_000);
    // The relay test's transactions may still be pending: the app shows the oldest first.
    for (let i = 0; i < 5; i++) {
      await phone.waitForSelector('[data-testid=tx-screen]', { timeout: 15_000 });
      if ((await phone.textContent('[data-testid=tx-amount]')) === '8,000円') break;
      await phone.click('[data-testid=tx-reject]');
      await phone.waitForSelector('[data-testid=tx-back]:visible');
      await phone.click('[data-testid=tx-back]');
      await phone.waitForSelector('[data-testid=tx-screen]', { state: 'detached' });
    }
    await phone.click('[data-testid=tx-reject]');
    await expect.poll(() => phone.textContent('[data-testid=tx-status]')).toContain('拒否しました');
    await pc.getByRole('heading', { name: '振込（取引中止）' }).waitFor({ timeout: 15_000 });
    expect(await pc.textContent('[data-testid=tx-stopped]')).toContain('拒否');
    await snap(pc, 'portal-transfer-rejected');
    expect((await bankTransfers()).length).toBe(before);
    const audit = await ph.h.store.listAudit({
      serviceId: ph.h.serviceId,
      customerRef: YAMADA.platformRef,
      limit: 100,
    });
    expect(audit.map((a) => a.action)).toContain('transaction.rejected');
    await phone.click('[data-testid=tx-back]');
  }, 90_000);

  it('申込を中止する on the bank screen: the app, on its stale screen, says the transfer was stopped', async () => {
    const before = (await bankTransfers()).length;
    await startTransfer(6_000);
    await phone.waitForSelector('[data-testid=tx-screen]', { timeout: 15_000 });
    expect(await phone.textContent('[data-testid=tx-amount]')).toBe('6,000円');
    await pc.getByRole('button', { name: '申込を中止する' }).click();
    await pc.waitForURL(/\/ib\/top/);
    await phone.click('[data-testid=tx-approve]');
    await expect
      .poll(() => phone.textContent('[data-testid=tx-status]'), { timeout: 10_000 })
      .toContain('インターネットバンキングで中止されました');
    await snap(phone, 'app-transaction-cancelled');
    expect((await bankTransfers()).length).toBe(before);
    await phone.click('[data-testid=tx-back]');
  }, 60_000);

  it('offline: the code the app makes from account and amount completes the transfer', async () => {
    // The phone is offline: it cannot fetch the pending transaction.
    await phoneContext.setOffline(true);
    const before = (await bankTransfers()).length;
    await startTransfer(23_456, '1112223');
    await phone.click('[data-testid=tx-code-open]');
    await phone.fill('#txAccount', '１１１２２２３');
    await phone.fill('#txAmountIn', '23,456');
    await phone.click('[data-testid=tx-code-show]');
    const code = String(await phone.getAttribute('[data-testid=tx-code]', 'data-code'));
    expect(code).toMatch(/^[0-9]{8}$/);
    await snap(phone, 'app-transaction-code');
    // A wrong code first: refused in Japanese, the transfer still waits.
    await pc.fill('#f-code', code === '00000000' ? '11111111' : '00000000');
    await pc.getByRole('button', { name: '実行' }).click();
    expect(await pc.textContent('#f-code-err')).toContain('取引認証コードが正しくありません');
    await pc.fill('#f-code', code);
    await pc.getByRole('button', { name: '実行' }).click();
    await pc.getByRole('heading', { name: '振込（振込受付完了）' }).waitFor();
    const sent = await bankTransfers();
    expect(sent.length).toBe(before + 1);
    expect(sent[0]).toMatchObject({
      amount: 23_456,
      payee_account: '1112223',
      auth: 'transaction',
    });
    await phoneContext.setOffline(false);
    await phone.goto(`${base}/app/`);
  }, 60_000);

  it('an expired challenge is refused with a clear message', async () => {
    // (Left open, the waiting screen also moves to this message by itself once the time is over.)
    await phoneContext.setOffline(true);
    await startTransfer(5_000, '3334445');
    await phone.click('[data-testid=tx-code-open]');
    await phone.fill('#txAccount', '3334445');
    await phone.fill('#txAmountIn', '5000');
    await phone.click('[data-testid=tx-code-show]');
    const code = String(await phone.getAttribute('[data-testid=tx-code]', 'data-code'));
    // The code is typed a moment too late: the platform refuses it as expired.
    await pc.evaluate(() => {
      // Keep the screen from moving on by itself, as a page without script would stay.
      document.querySelector('[data-tx-wait]')?.removeAttribute('data-status-url');
      window.fetch = () => new Promise(() => {});
    });
    // The platform's time passes the TTL (the phone's and the PC's clocks stay where they are).
    ph.h.clock.advance((TTL_SECONDS + 1) * 1000);
    await pc.fill('#f-code', code);
    await pc.getByRole('button', { name: '実行' }).click();
    await pc.getByRole('heading', { name: '振込（有効期限切れ）' }).waitFor();
    expect(await pc.textContent('[data-testid=tx-stopped]')).toContain('有効期限が切れました');
    await snap(pc, 'portal-transfer-expired');
    await phoneContext.setOffline(false);
  }, 90_000);
});
