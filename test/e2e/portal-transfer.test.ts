/**
 * 振込 on the bank portal over HTTP (SPEC.md, "What needs an OTP"; guide 004). Each case drives
 * the screens (input → confirm → done) as a browser does and checks the bank's books (balances,
 * the transfer rows, the day's total) and the platform's token, never only the page:
 *
 * - without an active OTP the day's limit is at most 200,000 yen, whatever daily_limit says;
 * - with the OTP 利用中 the confirm step asks for it, a wrong one counts toward the lockout and
 *   sends nothing, a used one is refused (「一度使用したワンタイムパスワードは無効」);
 * - a メール通知パスワード customer gets one code per session (valid until logout or a newer one);
 * - a double submission or two sessions racing each other never send more than allowed;
 * - bad input is refused next to its field and moves nothing on; no body answers 5xx.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activeCustomer, type ProvisionedToken } from '../support/harness.js';
import {
  Browser,
  fieldError,
  inputValue,
  login,
  wrongOtp,
  type Form,
  type Page,
  type Who,
} from '../support/portal-browser.js';
import {
  createPortalHarness,
  SATO,
  YAMADA,
  type PortalHarness,
} from '../support/portal-harness.js';

const OTP_INVALID = 'ワンタイムパスワードが正しくありません。';
const OTP_REPLAYED = 'このワンタイムパスワードはすでに使用されています。';
const MAIL_OTP_WRONG = 'メール通知パスワードが正しくありません。';
const LIMIT_AT_CONFIRM = '本日の振込可能額を超えるため、お振込みできません。';
const OUT_OF_ORDER = 'お手続きの順序が正しくない';
const LOCKED_PAGE = 'ワンタイムパスワード認証が停止しているため';

/** A payee at another bank (fee 220 / 330 yen). */
const OTHER_BANK = {
  payeeBank: 'みずほ銀行',
  payeeBranch: '東京営業部',
  payeeType: '普通',
  payeeAccount: '1234567',
  payeeName: 'スズキ イチロウ',
} as const;

/** A payee within the bank itself (no fee). */
const SAME_BANK = { ...OTHER_BANK, payeeBank: 'インカン銀行', payeeBranch: '本店営業部' } as const;

let ph: PortalHarness;

beforeEach(async () => {
  ph = await createPortalHarness();
});
afterEach(async () => {
  await ph.close();
});

async function customerId(who: Who): Promise<number> {
  const c = await ph.bank.customerByLoginId(who.loginId);
  if (c === null) throw new Error(`no customer ${who.loginId}`);
  return c.id;
}

/** The customer's first account (普通): its id and balance now. */
async function firstAccount(who: Who): Promise<{ id: number; balance: number }> {
  const [a] = await ph.bank.accounts(await customerId(who));
  if (a === undefined) throw new Error(`no account of ${who.loginId}`);
  return { id: Number(a.id), balance: Number(a.balance) };
}

async function rows(who: Who) {
  return ph.bank.transfers(await customerId(who), 100);
}

/** Today's total at the bank (the JST date of the harness clock). */
async function sentToday(who: Who): Promise<number> {
  const d = new Date(ph.h.clock.now() + 9 * 3600_000).toISOString().slice(0, 10);
  return ph.bank.sentOn(await customerId(who), d);
}

function mailOtps(to: string) {
  return ph.mails.filter((m) => m.kind === 'mail_otp' && m.to === to);
}

/** The code of the newest メール通知パスワード mail to `to`. */
function lastCode(to: string): string {
  const m = mailOtps(to).at(-1);
  const code = m === undefined ? undefined : /メール通知パスワード：([0-9]{6})/.exec(m.text)?.[1];
  if (code === undefined) throw new Error(`no メール通知パスワード mail to ${to}`);
  return code;
}

/** A six-digit code other than `code`. */
function otherCode(code: string): string {
  return code === '000000' ? '111111' : '000000';
}

/** The input form for `amount` from the customer's account to `payee`. */
function transferForm(accountId: number, amount: string, payee: Form = OTHER_BANK): Form {
  return { accountId: String(accountId), ...payee, amount };
}

/** Opens the input step and submits it; the answer as it came. */
async function submitInput(b: Browser, form: Form): Promise<Page> {
  const input = await b.get('/ib/transfer');
  expect(input.status, input.body.slice(0, 300)).toBe(200);
  return b.post('/ib/transfer', form);
}

/** Input step to the confirm screen. */
async function toConfirm(b: Browser, form: Form): Promise<Page> {
  const r = await submitInput(b, form);
  expect(r.status, fieldErrors(r.body)).toBe(303);
  expect(r.location).toBe('/ib/transfer/confirm');
  const page = await b.follow(r);
  expect(page.status).toBe(200);
  return page;
}

/** The field errors of a page, for failure messages. */
function fieldErrors(body: string): string {
  return [...body.matchAll(/<p class="error" id="f-([A-Za-z]+)-err"[^>]*>([^<]*)<\/p>/g)]
    .map((m) => `${m[1]}: ${m[2]}`)
    .join('\n');
}

/** Confirms and opens the done screen; its 受付番号. */
async function confirmDone(b: Browser, form: Form): Promise<{ done: Page; receipt: string }> {
  const r = await b.post('/ib/transfer/confirm', form);
  expect(r.location, `${r.status} ${fieldErrors(r.body)}`).toBe('/ib/transfer/done');
  const done = await b.follow(r);
  expect(done.status).toBe(200);
  const receipt = /data-testid="receipt">(T[0-9]{8})</.exec(done.body)?.[1];
  expect(receipt, done.body.slice(0, 500)).toBeDefined();
  return { done, receipt: receipt ?? '' };
}

/** Logs in through the OTP screen (the clock moved a step first, so the OTP is unused). */
async function loginWithOtp(b: Browser, who: Who, t: ProvisionedToken): Promise<void> {
  const otpScreen = await login(b, who);
  expect(otpScreen.body).toContain('ワンタイムパスワード認証');
  ph.h.clock.advance(t.period * 1000);
  const r = await b.post('/ib/login/otp', { otp: t.otp() });
  expect(r.location, r.body.slice(0, 300)).toBe('/ib/top');
  await b.follow(r);
  ph.h.clock.advance(t.period * 1000); // the login used its step up
}

describe('振込 (/ib/transfer)', () => {
  // ── 1. 確認用パスワードのみ (no OTP, no メール通知パスワード) ─────────────────────

  it('山田 without OTP: 確認用パスワード only, fee 330 to another bank, 200,000 yen a day whatever daily_limit says', async () => {
    const b = new Browser(ph.app);
    await login(b, YAMADA);
    const acc = await firstAccount(YAMADA);

    const confirm = await toConfirm(b, transferForm(acc.id, '50000'));
    expect(confirm.body).toContain('確認用パスワード');
    expect(confirm.body).not.toContain('name="otp"');
    expect(confirm.body).not.toContain('name="mailOtp"');
    expect(confirm.body).toContain('50,000円');
    expect(confirm.body).toContain('330円');
    expect(confirm.body).toContain('50,330円');
    // Nothing is sent before the confirm step.
    expect(await rows(YAMADA)).toHaveLength(0);

    // A wrong 確認用パスワード sends nothing.
    const wrongPw = await b.post('/ib/transfer/confirm', { confirmPassword: 'kakunin9' });
    expect(wrongPw.status).toBe(400);
    expect(fieldError(wrongPw.body, 'confirmPassword')).toBe(
      '確認用パスワードが正しくありません。',
    );
    expect(await rows(YAMADA)).toHaveLength(0);

    const { done, receipt } = await confirmDone(b, { confirmPassword: YAMADA.confirmPassword });
    expect(done.body).toContain('受付番号');
    expect(done.body).toContain('1,199,670円'); // お支払後残高
    expect((await firstAccount(YAMADA)).balance).toBe(acc.balance - 50_330);
    const sent = await rows(YAMADA);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      payee_bank: 'みずほ銀行',
      payee_account: '1234567',
      payee_name: 'スズキ イチロウ',
      auth: 'none',
    });
    expect(Number(sent[0]?.amount)).toBe(50_000);
    expect(Number(sent[0]?.fee)).toBe(330);
    expect(receipt).toBe(`T${String(sent[0]?.id).padStart(8, '0')}`);
    expect(await sentToday(YAMADA)).toBe(50_000);
    // Reloading the done screen shows the same receipt and sends nothing again.
    expect((await b.get('/ib/transfer/done')).body).toContain(receipt);
    expect(await rows(YAMADA)).toHaveLength(1);

    // 150,001 more passes the 200,000 day total: refused on the input step, next to the amount.
    const over = await submitInput(b, transferForm(acc.id, '150001'));
    expect(over.status).toBe(400);
    expect(fieldError(over.body, 'amount')).toBe('本日の振込可能額（150,000円）を超えています。');
    expect((await firstAccount(YAMADA)).balance).toBe(acc.balance - 50_330);
    expect(await rows(YAMADA)).toHaveLength(1);

    // daily_limit 1,000,000 changes nothing without an active OTP.
    await ph.bank.setDailyLimit(await customerId(YAMADA), 1_000_000);
    const page = await b.get('/ib/transfer');
    expect(page.body).toMatch(/data-testid="limit-left">150,000円</);
    expect(page.body).toContain('200,000円');
    const stillOver = await b.post('/ib/transfer', transferForm(acc.id, '150001'));
    expect(stillOver.status).toBe(400);
    expect(fieldError(stillOver.body, 'amount')).toBe(
      '本日の振込可能額（150,000円）を超えています。',
    );

    // Exactly up to 200,000 goes (within the bank: no fee).
    await toConfirm(b, transferForm(acc.id, '150000', SAME_BANK));
    await confirmDone(b, { confirmPassword: YAMADA.confirmPassword });
    expect(await sentToday(YAMADA)).toBe(200_000);
    expect((await firstAccount(YAMADA)).balance).toBe(acc.balance - 50_330 - 150_000);
    const both = await rows(YAMADA);
    expect(both.map((r) => [Number(r.amount), Number(r.fee), r.auth])).toEqual([
      [150_000, 0, 'none'],
      [50_000, 330, 'none'],
    ]);
    // And then not one yen more.
    const one = await submitInput(b, transferForm(acc.id, '1', SAME_BANK));
    expect(one.status).toBe(400);
    expect(fieldError(one.body, 'amount')).toBe('本日の振込可能額（0円）を超えています。');
  });

  it('the day is the JST day: 200,000 sent at 23:58 JST, 200,000 more from 00:00 JST (still the same UTC day)', async () => {
    ph.h.clock.set(Date.UTC(2026, 10, 23, 14, 58, 10)); // 2026-11-23 23:58:10 JST
    const b = new Browser(ph.app);
    await login(b, YAMADA);
    const acc = await firstAccount(YAMADA);
    await toConfirm(b, transferForm(acc.id, '200000', SAME_BANK));
    await confirmDone(b, { confirmPassword: YAMADA.confirmPassword });
    const full = await submitInput(b, transferForm(acc.id, '1', SAME_BANK));
    expect(fieldError(full.body, 'amount')).toBe('本日の振込可能額（0円）を超えています。');

    ph.h.clock.advance(3 * 60_000); // 2026-11-24 00:01:10 JST, 15:01 UTC on the 23rd
    expect((await b.get('/ib/transfer')).body).toMatch(/data-testid="limit-left">200,000円</);
    await b.post('/ib/transfer', transferForm(acc.id, '200000', SAME_BANK));
    await confirmDone(b, { confirmPassword: YAMADA.confirmPassword });
    const id = await customerId(YAMADA);
    expect(await ph.bank.sentOn(id, '2026-11-23')).toBe(200_000);
    expect(await ph.bank.sentOn(id, '2026-11-24')).toBe(200_000);
    expect((await rows(YAMADA)).map((r) => r.jst_date)).toEqual(['2026-11-24', '2026-11-23']);
    expect((await firstAccount(YAMADA)).balance).toBe(acc.balance - 400_000);
  });

  it('fee: none within インカン銀行; to another bank 220 yen below 30,000, 330 from 30,000', async () => {
    const b = new Browser(ph.app);
    await login(b, YAMADA);
    const acc = await firstAccount(YAMADA);
    const feeOf = async (amount: string, payee: Form) => {
      const page = await toConfirm(b, transferForm(acc.id, amount, payee));
      const fee = /<th[^>]*>振込手数料<\/th><td[^>]*>([^<]*)</.exec(page.body)?.[1];
      expect((await b.post('/ib/flow/back')).location).toBe('/ib/transfer');
      return fee;
    };
    expect(await feeOf('29999', OTHER_BANK)).toBe('220円');
    expect(await feeOf('30000', OTHER_BANK)).toBe('330円');
    expect(await feeOf('30000', SAME_BANK)).toBe('0円');
    expect(await feeOf('29999', SAME_BANK)).toBe('0円');

    await toConfirm(b, transferForm(acc.id, '29999', OTHER_BANK));
    await confirmDone(b, { confirmPassword: YAMADA.confirmPassword });
    expect((await firstAccount(YAMADA)).balance).toBe(acc.balance - 29_999 - 220);
    expect(Number((await rows(YAMADA))[0]?.fee)).toBe(220);
  });

  // ── 2. ワンタイムパスワード利用中 ───────────────────────────────────────────

  it('with the OTP 利用中: 500,000 within daily_limit needs it; wrong counts, right sends, a used one is refused, five wrong lock', async () => {
    const t = await activeCustomer(ph.h, YAMADA.platformRef);
    await ph.bank.setDailyLimit(await customerId(YAMADA), 1_000_000);
    const b = new Browser(ph.app);
    await loginWithOtp(b, YAMADA, t);
    const acc = await firstAccount(YAMADA);

    const input = await b.get('/ib/transfer');
    expect(input.body).toMatch(/data-testid="limit-left">1,000,000円</);
    const confirm = await toConfirm(b, transferForm(acc.id, '500000'));
    expect(confirm.body).toContain('name="otp"');
    expect(confirm.body).toContain('500,000円');

    // No OTP at all: refused, nothing asked of the platform.
    const none = await b.post('/ib/transfer/confirm', { confirmPassword: YAMADA.confirmPassword });
    expect(none.status).toBe(400);
    expect(fieldError(none.body, 'otp')).toBe('ワンタイムパスワードを入力してください。');

    const wrong = await b.post('/ib/transfer/confirm', {
      confirmPassword: YAMADA.confirmPassword,
      otp: wrongOtp(t),
    });
    expect(wrong.status).toBe(400);
    expect(fieldError(wrong.body, 'otp')).toContain(OTP_INVALID);
    expect(await ph.client.getToken(YAMADA.platformRef)).toMatchObject({
      state: 'active',
      failCount: 1,
      locked: false,
    });
    expect(await rows(YAMADA)).toHaveLength(0);
    expect((await firstAccount(YAMADA)).balance).toBe(acc.balance);

    const otp = t.otp();
    const { done } = await confirmDone(b, { confirmPassword: YAMADA.confirmPassword, otp });
    expect(done.body).toContain('749,670円');
    expect((await firstAccount(YAMADA)).balance).toBe(acc.balance - 500_330);
    expect((await rows(YAMADA)).map((r) => [Number(r.amount), r.auth])).toEqual([[500_000, 'otp']]);
    expect(await ph.client.getToken(YAMADA.platformRef)).toMatchObject({ failCount: 0 });

    // daily_limit applies with the OTP: 500,000 are left today.
    const over = await submitInput(b, transferForm(acc.id, '500001'));
    expect(over.status).toBe(400);
    expect(fieldError(over.body, 'amount')).toBe('本日の振込可能額（500,000円）を超えています。');

    // The same OTP on a new transfer: used up, refused, and not counted.
    await toConfirm(b, transferForm(acc.id, '10000'));
    const replay = await b.post('/ib/transfer/confirm', {
      confirmPassword: YAMADA.confirmPassword,
      otp,
    });
    expect(replay.status).toBe(400);
    expect(fieldError(replay.body, 'otp')).toContain(OTP_REPLAYED);
    expect(await rows(YAMADA)).toHaveLength(1);
    expect(await ph.client.getToken(YAMADA.platformRef)).toMatchObject({
      failCount: 0,
      locked: false,
    });

    // Five wrong OTPs on the confirm step: the fifth locks, the session ends.
    for (let i = 1; i <= 4; i++) {
      const r = await b.post('/ib/transfer/confirm', {
        confirmPassword: YAMADA.confirmPassword,
        otp: wrongOtp(t),
      });
      expect(r.status).toBe(400);
      expect(fieldError(r.body, 'otp')).toContain(OTP_INVALID);
      expect((await ph.client.getToken(YAMADA.platformRef))?.failCount).toBe(i);
    }
    const fifth = await b.post('/ib/transfer/confirm', {
      confirmPassword: YAMADA.confirmPassword,
      otp: wrongOtp(t),
    });
    expect(fifth.status).toBe(403);
    expect(fifth.body).toContain(LOCKED_PAGE);
    expect(await ph.client.getToken(YAMADA.platformRef)).toMatchObject({
      state: 'active',
      locked: true,
      failCount: 5,
    });
    expect((await b.get('/ib/top')).location).toBe('/ib/login');
    // Even the right OTP sends nothing now: the session is gone.
    const after = await b.post('/ib/transfer/confirm', {
      confirmPassword: YAMADA.confirmPassword,
      otp: t.otp(1),
    });
    expect(after.location).toBe('/ib/login');
    expect(await rows(YAMADA)).toHaveLength(1);
    expect((await firstAccount(YAMADA)).balance).toBe(acc.balance - 500_330);
  });

  it('with the OTP 利用中 a wrong 確認用パスワード leaves the OTP unused and uncounted', async () => {
    const t = await activeCustomer(ph.h, YAMADA.platformRef);
    const b = new Browser(ph.app);
    await loginWithOtp(b, YAMADA, t);
    const acc = await firstAccount(YAMADA);
    await toConfirm(b, transferForm(acc.id, '10000'));
    const otp = t.otp();
    const r = await b.post('/ib/transfer/confirm', { confirmPassword: 'kakunin9', otp });
    expect(r.status).toBe(400);
    expect(fieldError(r.body, 'confirmPassword')).toBe('確認用パスワードが正しくありません。');
    expect(await ph.client.getToken(YAMADA.platformRef)).toMatchObject({ failCount: 0 });
    await confirmDone(b, { confirmPassword: YAMADA.confirmPassword, otp });
    expect((await rows(YAMADA)).map((x) => x.auth)).toEqual(['otp']);
  });

  // ── 3. メール通知パスワード (guide 004) ─────────────────────────────────────

  it('佐藤 (メール通知パスワード): one code per session, mailed at the confirm step; a new login voids it', async () => {
    const b = new Browser(ph.app);
    await login(b, SATO);
    const acc = await firstAccount(SATO);
    expect(mailOtps(SATO.email)).toHaveLength(0);

    const confirm = await toConfirm(b, transferForm(acc.id, '30000', SAME_BANK));
    expect(mailOtps(SATO.email)).toHaveLength(1);
    expect(ph.mails.filter((m) => m.kind === 'mail_otp')).toHaveLength(1); // to her only
    expect(confirm.body).toContain('name="mailOtp"');
    expect(confirm.body).not.toContain('name="otp"');
    expect(confirm.body).toContain(SATO.email);
    expect(confirm.body).toMatch(/data-testid="mail-otp-sent-at">/);
    const code = lastCode(SATO.email);

    const wrong = await b.post('/ib/transfer/confirm', {
      confirmPassword: SATO.confirmPassword,
      mailOtp: otherCode(code),
    });
    expect(wrong.status).toBe(400);
    expect(fieldError(wrong.body, 'mailOtp')).toBe(MAIL_OTP_WRONG);
    expect(await rows(SATO)).toHaveLength(0);
    expect((await firstAccount(SATO)).balance).toBe(acc.balance);

    await confirmDone(b, { confirmPassword: SATO.confirmPassword, mailOtp: code });
    expect((await rows(SATO)).map((r) => [Number(r.amount), Number(r.fee), r.auth])).toEqual([
      [30_000, 0, 'mail_otp'],
    ]);
    expect((await firstAccount(SATO)).balance).toBe(acc.balance - 30_000);

    // A second transfer in the same session: no new mail, the same code still works.
    const again = await toConfirm(b, transferForm(acc.id, '20000', OTHER_BANK));
    expect(again.body).toContain('name="mailOtp"');
    expect(mailOtps(SATO.email)).toHaveLength(1);
    await confirmDone(b, { confirmPassword: SATO.confirmPassword, mailOtp: code });
    expect((await rows(SATO)).map((r) => r.auth)).toEqual(['mail_otp', 'mail_otp']);
    expect((await firstAccount(SATO)).balance).toBe(acc.balance - 30_000 - 20_220);

    // Logout ends the code: after a new login it is refused, and a new one is mailed.
    expect((await b.post('/ib/logout')).location).toBe('/ib/login?bye=1');
    await login(b, SATO);
    await toConfirm(b, transferForm(acc.id, '10000', SAME_BANK));
    expect(mailOtps(SATO.email)).toHaveLength(2);
    const fresh = lastCode(SATO.email);
    if (fresh !== code) {
      const old = await b.post('/ib/transfer/confirm', {
        confirmPassword: SATO.confirmPassword,
        mailOtp: code,
      });
      expect(old.status).toBe(400);
      expect(fieldError(old.body, 'mailOtp')).toBe(MAIL_OTP_WRONG);
      expect(await rows(SATO)).toHaveLength(2);
    }
    await confirmDone(b, { confirmPassword: SATO.confirmPassword, mailOtp: fresh });
    expect(await rows(SATO)).toHaveLength(3);
    expect(await sentToday(SATO)).toBe(60_000);
  });

  it('メール通知パスワード: five wrong codes void it; 再送信 sends a newer one that replaces the older', async () => {
    const b = new Browser(ph.app);
    await login(b, SATO);
    const acc = await firstAccount(SATO);
    await toConfirm(b, transferForm(acc.id, '10000', SAME_BANK));
    const code = lastCode(SATO.email);
    for (let i = 1; i <= 4; i++) {
      const r = await b.post('/ib/transfer/confirm', {
        confirmPassword: SATO.confirmPassword,
        mailOtp: otherCode(code),
      });
      expect(r.status).toBe(400);
      expect(fieldError(r.body, 'mailOtp')).toBe(MAIL_OTP_WRONG);
    }
    const fifth = await b.post('/ib/transfer/confirm', {
      confirmPassword: SATO.confirmPassword,
      mailOtp: otherCode(code),
    });
    expect(fifth.status).toBe(400);
    expect(fieldError(fifth.body, 'mailOtp')).toContain('無効になりました');
    // The right code no longer works.
    const late = await b.post('/ib/transfer/confirm', {
      confirmPassword: SATO.confirmPassword,
      mailOtp: code,
    });
    expect(late.status).toBe(400);
    expect(fieldError(late.body, 'mailOtp')).not.toBeNull();
    expect(await rows(SATO)).toHaveLength(0);

    // 再送信: a new code; sent again, the newest replaces it (guide 004: 新たなパスワードが発行されるまで).
    expect((await b.post('/ib/mail-otp/resend')).location).toBe('/ib/transfer/confirm');
    const second = lastCode(SATO.email);
    expect((await b.post('/ib/mail-otp/resend')).location).toBe('/ib/transfer/confirm');
    const third = lastCode(SATO.email);
    expect(mailOtps(SATO.email)).toHaveLength(3);
    await b.get('/ib/transfer/confirm');
    if (second !== third) {
      const older = await b.post('/ib/transfer/confirm', {
        confirmPassword: SATO.confirmPassword,
        mailOtp: second,
      });
      expect(older.status).toBe(400);
      expect(fieldError(older.body, 'mailOtp')).toBe(MAIL_OTP_WRONG);
    }
    await confirmDone(b, { confirmPassword: SATO.confirmPassword, mailOtp: third });
    expect((await rows(SATO)).map((r) => r.auth)).toEqual(['mail_otp']);
  });

  it('メール通知パスワード: a double submission of the input step mails one code, the one the session holds', async () => {
    const b = new Browser(ph.app);
    await login(b, SATO);
    const acc = await firstAccount(SATO);
    await b.get('/ib/transfer');
    const form = transferForm(acc.id, '10000', SAME_BANK);
    // Both requests pass their checks before either goes on (the day's total is read by both).
    let waiting = 0;
    let release = (): void => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const sentOn = ph.bank.sentOn.bind(ph.bank);
    ph.bank.sentOn = async (id, day) => {
      if (++waiting === 2) release();
      await gate;
      return sentOn(id, day);
    };
    const answers = await Promise.all([b.post('/ib/transfer', form), b.post('/ib/transfer', form)]);
    ph.bank.sentOn = sentOn;
    for (const r of answers)
      expect(r.location, `${r.status} ${fieldErrors(r.body)}`).toBe('/ib/transfer/confirm');
    expect(mailOtps(SATO.email)).toHaveLength(1);
    await b.get('/ib/transfer/confirm');
    await confirmDone(b, { confirmPassword: SATO.confirmPassword, mailOtp: lastCode(SATO.email) });
    expect((await rows(SATO)).map((r) => r.auth)).toEqual(['mail_otp']);
  });

  it('佐藤 with the OTP 利用中: the OTP replaces the メール通知パスワード (guide 004: one or the other)', async () => {
    const t = await activeCustomer(ph.h, SATO.platformRef);
    const b = new Browser(ph.app);
    await loginWithOtp(b, SATO, t);
    const acc = await firstAccount(SATO);
    const confirm = await toConfirm(b, transferForm(acc.id, '10000', SAME_BANK));
    expect(confirm.body).toContain('name="otp"');
    expect(confirm.body).not.toContain('name="mailOtp"');
    expect(mailOtps(SATO.email)).toHaveLength(0);
    await confirmDone(b, { confirmPassword: SATO.confirmPassword, otp: t.otp() });
    expect((await rows(SATO)).map((r) => r.auth)).toEqual(['otp']);
    expect(mailOtps(SATO.email)).toHaveLength(0);
  });

  // ── 4. 二重送信 ───────────────────────────────────────────────────────────

  it('a double submission of the confirm step sends once', async () => {
    const b = new Browser(ph.app);
    await login(b, YAMADA);
    const acc = await firstAccount(YAMADA);
    await toConfirm(b, transferForm(acc.id, '40000'));
    const form = { confirmPassword: YAMADA.confirmPassword };
    const answers = await Promise.all([
      b.post('/ib/transfer/confirm', form),
      b.post('/ib/transfer/confirm', form),
    ]);
    for (const r of answers) {
      expect(r.status, r.body.slice(0, 300)).toBe(303);
      expect(r.location).toBe('/ib/transfer/done');
    }
    const sent = await rows(YAMADA);
    expect(sent).toHaveLength(1);
    expect((await firstAccount(YAMADA)).balance).toBe(acc.balance - 40_330);
    expect(await sentToday(YAMADA)).toBe(40_000);
    const done = await b.get('/ib/transfer/done');
    expect(done.body).toContain(`T${String(sent[0]?.id).padStart(8, '0')}`);

    // A burst of five at once: still one.
    await toConfirm(b, transferForm(acc.id, '10000', SAME_BANK));
    const burst = await Promise.all(
      Array.from({ length: 5 }, () => b.post('/ib/transfer/confirm', form)),
    );
    expect(burst.filter((r) => r.status >= 500)).toEqual([]);
    expect(await rows(YAMADA)).toHaveLength(2);
    expect((await firstAccount(YAMADA)).balance).toBe(acc.balance - 40_330 - 10_000);
  });

  it('a double click: the second answer, followed while the first is still sending, does not lose the receipt', async () => {
    const b = new Browser(ph.app);
    await login(b, YAMADA);
    const acc = await firstAccount(YAMADA);
    await toConfirm(b, transferForm(acc.id, '40000'));
    const form = { confirmPassword: YAMADA.confirmPassword };
    // Hold the bank's transfer (the portal's own BankStore) until the second click was answered,
    // so the two requests interleave the same way on every run.
    let entered = (): void => undefined;
    let release = (): void => undefined;
    const inTransfer = new Promise<void>((r) => (entered = r));
    const gate = new Promise<void>((r) => (release = r));
    const send = ph.bank.transfer.bind(ph.bank);
    ph.bank.transfer = async (t) => {
      entered();
      await gate;
      return send(t);
    };
    const first = b.post('/ib/transfer/confirm', form);
    await inTransfer;
    // The second click: the step has moved on, so it is sent to the done screen, which a
    // browser opens at once (it shows only the last answer).
    const second = await b.post('/ib/transfer/confirm', form);
    expect(second.location).toBe('/ib/transfer/done');
    const early = await b.follow(second);
    expect(early.status).toBeLessThan(500);
    expect(early.body).not.toContain('data-testid="receipt"');
    expect(early.body).toContain('ただいまお手続きを処理しています');
    release();
    expect((await first).location).toBe('/ib/transfer/done');
    const sent = await rows(YAMADA);
    expect(sent).toHaveLength(1);
    expect((await firstAccount(YAMADA)).balance).toBe(acc.balance - 40_330);
    // Opening the done screen again shows what was sent: the customer must not be left
    // wondering whether to send it again.
    const done = await b.get('/ib/transfer/done');
    expect(done.status, `${done.location ?? ''} ${done.body.slice(0, 200)}`).toBe(200);
    expect(done.body).toContain(`T${String(sent[0]?.id).padStart(8, '0')}`);
  });

  // ── 5. 二つのセッション ────────────────────────────────────────────────────

  it('two sessions of one customer each confirming 150,000 with 200,000 left: exactly one goes', async () => {
    const b1 = new Browser(ph.app);
    const b2 = new Browser(ph.app);
    await login(b1, YAMADA);
    await login(b2, YAMADA);
    const acc = await firstAccount(YAMADA);
    await toConfirm(b1, transferForm(acc.id, '150000'));
    await toConfirm(b2, transferForm(acc.id, '150000'));
    const form = { confirmPassword: YAMADA.confirmPassword };
    const [r1, r2] = await Promise.all([
      b1.post('/ib/transfer/confirm', form),
      b2.post('/ib/transfer/confirm', form),
    ]);
    const answers = [r1, r2];
    expect(answers.filter((r) => r.location === '/ib/transfer/done')).toHaveLength(1);
    const refused = answers.find((r) => r.location !== '/ib/transfer/done');
    expect(refused?.status).toBe(409);
    expect(refused?.body).toContain(LIMIT_AT_CONFIRM);
    expect(await rows(YAMADA)).toHaveLength(1);
    expect(await sentToday(YAMADA)).toBe(150_000);
    expect((await firstAccount(YAMADA)).balance).toBe(acc.balance - 150_330);

    // The refused session is still at its confirm step: 50,000 more fits after 戻る.
    const loser = r1.location === '/ib/transfer/done' ? b2 : b1;
    expect((await loser.post('/ib/flow/back')).location).toBe('/ib/transfer');
    const r = await loser.post('/ib/transfer', transferForm(acc.id, '50001'));
    expect(fieldError(r.body, 'amount')).toBe('本日の振込可能額（50,000円）を超えています。');
  });

  // ── 6. 入力チェック ───────────────────────────────────────────────────────

  it('input step: each bad field is refused next to it and the flow stays at input', async () => {
    const b = new Browser(ph.app);
    await login(b, YAMADA);
    const acc = await firstAccount(YAMADA);
    const satoAcc = await firstAccount(SATO);
    const good = transferForm(acc.id, '10000');
    const cases: [string, Form, string, string][] = [
      [
        'another customer’s account',
        { accountId: String(satoAcc.id) },
        'accountId',
        '支払口座を選択してください。',
      ],
      ['no account', { accountId: '' }, 'accountId', '支払口座を選択してください。'],
      [
        'an account id that is not a number',
        { accountId: '1 OR 1=1' },
        'accountId',
        '支払口座を選択してください。',
      ],
      ['empty bank', { payeeBank: '' }, 'payeeBank', '金融機関名を入力してください。'],
      ['blank bank', { payeeBank: '　 ' }, 'payeeBank', '金融機関名を入力してください。'],
      ['empty branch', { payeeBranch: '' }, 'payeeBranch', '支店名を入力してください。'],
      [
        'a bank name of 31 characters',
        { payeeBank: 'あ'.repeat(31) },
        'payeeBank',
        '金融機関名は30文字以内で入力してください。',
      ],
      ['no 科目', { payeeType: '定期' }, 'payeeType', '科目を選択してください。'],
      [
        'six digits',
        { payeeAccount: '123456' },
        'payeeAccount',
        '口座番号は半角数字7桁で入力してください。',
      ],
      [
        'eight digits',
        { payeeAccount: '12345678' },
        'payeeAccount',
        '口座番号は半角数字7桁で入力してください。',
      ],
      [
        'letters in the account number',
        { payeeAccount: '12345a7' },
        'payeeAccount',
        '口座番号は半角数字7桁で入力してください。',
      ],
      ['an empty name', { payeeName: '' }, 'payeeName', '受取人名を入力してください。'],
      [
        'a name in kanji',
        { payeeName: '鈴木 一郎' },
        'payeeName',
        '受取人名は全角カタカナ30文字以内で入力してください。',
      ],
      [
        'a name in hiragana',
        { payeeName: 'すずき いちろう' },
        'payeeName',
        '受取人名は全角カタカナ30文字以内で入力してください。',
      ],
      [
        'a name in latin letters',
        { payeeName: 'SUZUKI ICHIRO' },
        'payeeName',
        '受取人名は全角カタカナ30文字以内で入力してください。',
      ],
      [
        'a name of 31 katakana',
        { payeeName: 'ア'.repeat(31) },
        'payeeName',
        '受取人名は全角カタカナ30文字以内で入力してください。',
      ],
      ['no amount', { amount: '' }, 'amount', '振込金額を入力してください。'],
      ['amount 0', { amount: '0' }, 'amount', '振込金額は1円以上の半角数字で入力してください。'],
      [
        'a negative amount',
        { amount: '-100' },
        'amount',
        '振込金額は1円以上の半角数字で入力してください。',
      ],
      [
        'letters as the amount',
        { amount: 'abc' },
        'amount',
        '振込金額は1円以上の半角数字で入力してください。',
      ],
      [
        'a decimal amount',
        { amount: '100.5' },
        'amount',
        '振込金額は1円以上の半角数字で入力してください。',
      ],
      [
        'an exponent',
        { amount: '1e5' },
        'amount',
        '振込金額は1円以上の半角数字で入力してください。',
      ],
      [
        'a huge amount',
        { amount: '99999999999999999999' },
        'amount',
        '振込金額は1円以上の半角数字で入力してください。',
      ],
    ];
    const failures: string[] = [];
    for (const [name, bad, fieldName, message] of cases) {
      await b.get('/ib/transfer');
      const r = await b.post('/ib/transfer', { ...good, ...bad });
      const got = fieldError(r.body, fieldName);
      if (r.status !== 400 || got !== message)
        failures.push(`${name}: ${r.status} ${got ?? fieldErrors(r.body)}`);
      // The flow did not move on: the confirm screen is out of order.
      const confirm = await b.get('/ib/transfer/confirm');
      if (confirm.location !== '/ib/top')
        failures.push(`${name}: the confirm screen opened (${confirm.status})`);
    }
    expect(failures).toEqual([]);
    // The refused page keeps what was typed and never shows another customer's account.
    await b.get('/ib/transfer');
    const kept = await b.post('/ib/transfer', { ...good, payeeName: '鈴木 一郎' });
    expect(inputValue(kept.body, 'payeeBank')).toBe('みずほ銀行');
    expect(inputValue(kept.body, 'payeeAccount')).toBe('1234567');
    expect(kept.body).not.toContain('2345678');
    expect(await rows(YAMADA)).toHaveLength(0);
    expect(await rows(SATO)).toHaveLength(0);
    expect(ph.mails.filter((m) => m.kind === 'mail_otp')).toHaveLength(0);
  });

  it('input step: half-width kana are read full-width, full-width digits as digits', async () => {
    const b = new Browser(ph.app);
    await login(b, YAMADA);
    const acc = await firstAccount(YAMADA);
    const confirm = await toConfirm(b, {
      ...transferForm(acc.id, '３０，０００円'),
      payeeName: 'ｽｽﾞｷ ｲﾁﾛｳ',
    });
    expect(confirm.body).toContain('スズキ イチロウ');
    expect(confirm.body).not.toContain('ｽｽﾞｷ');
    expect(confirm.body).toContain('30,000円');
    expect(confirm.body).toContain('330円');
    await confirmDone(b, { confirmPassword: YAMADA.confirmPassword });
    const [row] = await rows(YAMADA);
    expect(row?.payee_name).toBe('スズキ イチロウ');
    expect(Number(row?.amount)).toBe(30_000);
    expect((await firstAccount(YAMADA)).balance).toBe(acc.balance - 30_330);
  });

  it('input step: an amount over the balance (fee included) is refused; with OTP and a high limit', async () => {
    const t = await activeCustomer(ph.h, YAMADA.platformRef);
    await ph.bank.setDailyLimit(await customerId(YAMADA), 10_000_000);
    const b = new Browser(ph.app);
    await loginWithOtp(b, YAMADA, t);
    const acc = await firstAccount(YAMADA);
    // balance - 100 + 330 yen fee is more than the balance.
    const over = await submitInput(b, transferForm(acc.id, String(acc.balance - 100)));
    expect(over.status).toBe(400);
    expect(fieldError(over.body, 'amount')).toBe(
      '支払口座の残高が不足しています（振込手数料を含みます）。',
    );
    expect((await b.get('/ib/transfer/confirm')).location).toBe('/ib/top');
    // Exactly the balance with the fee goes.
    await toConfirm(b, transferForm(acc.id, String(acc.balance - 330)));
    await confirmDone(b, { confirmPassword: YAMADA.confirmPassword, otp: t.otp() });
    expect((await firstAccount(YAMADA)).balance).toBe(0);
    expect((await rows(YAMADA)).map((r) => r.auth)).toEqual(['otp']);
  });

  it('garbage bodies on every transfer POST never answer 5xx and send nothing', async () => {
    const yt = await activeCustomer(ph.h, YAMADA.platformRef);
    const yb = new Browser(ph.app); // 山田, with the OTP
    const sb = new Browser(ph.app); // 佐藤, メール通知パスワード
    await loginWithOtp(yb, YAMADA, yt);
    await login(sb, SATO);
    const yAcc = await firstAccount(YAMADA);
    const sAcc = await firstAccount(SATO);
    const alive = async (b: Browser, who: Who) => {
      if ((await b.get('/ib/top')).status !== 200) {
        if (who === YAMADA) await loginWithOtp(b, YAMADA, yt);
        else await login(b, SATO);
      }
    };
    const atInput = (b: Browser, who: Who) => async () => {
      await alive(b, who);
      await b.get('/ib/transfer');
    };
    const atConfirm = (b: Browser, who: Who, accountId: number) => async () => {
      await alive(b, who);
      await b.get('/ib/transfer');
      await b.post('/ib/transfer', transferForm(accountId, '1000'));
    };
    const noFlow = (b: Browser, who: Who) => async () => {
      await alive(b, who);
      await b.post('/ib/flow/cancel');
    };
    const routes: { url: string; b: Browser; prepare: () => Promise<void> }[] = [];
    for (const [b, who, accountId] of [
      [yb, YAMADA, yAcc.id],
      [sb, SATO, sAcc.id],
    ] as const) {
      routes.push({ url: '/ib/transfer', b, prepare: atInput(b, who) });
      routes.push({ url: '/ib/transfer', b, prepare: atConfirm(b, who, accountId) });
      routes.push({ url: '/ib/transfer', b, prepare: noFlow(b, who) });
      routes.push({ url: '/ib/transfer/confirm', b, prepare: atConfirm(b, who, accountId) });
      routes.push({ url: '/ib/transfer/confirm', b, prepare: atInput(b, who) });
      routes.push({ url: '/ib/transfer/confirm', b, prepare: noFlow(b, who) });
      routes.push({ url: '/ib/flow/back', b, prepare: atConfirm(b, who, accountId) });
      routes.push({ url: '/ib/flow/cancel', b, prepare: atConfirm(b, who, accountId) });
    }
    routes.push({ url: '/ib/mail-otp/resend', b: sb, prepare: atConfirm(sb, SATO, sAcc.id) });
    const FIELDS = [
      'accountId',
      'payeeBank',
      'payeeBranch',
      'payeeType',
      'payeeAccount',
      'payeeName',
      'amount',
      'confirmPassword',
      'otp',
      'mailOtp',
    ];
    const every = (v: string | readonly string[]): Form =>
      Object.fromEntries(FIELDS.map((f) => [f, v]));
    const bodies: { name: string; send: (b: Browser, url: string) => Promise<Page> }[] = [
      { name: 'empty form', send: (x, url) => x.request('POST', url, { form: {} }) },
      { name: 'no body at all', send: (x, url) => x.request('POST', url) },
      { name: 'csrf only', send: (x, url) => x.post(url) },
      {
        name: 'wrong csrf',
        send: (x, url) =>
          x.request('POST', url, { form: { ...every('1234'), _csrf: 'x'.repeat(43) } }),
      },
      {
        name: 'csrf as an array',
        send: (x, url) =>
          x.request('POST', url, { form: { ...every('1234'), _csrf: [x.csrf, x.csrf] } }),
      },
      { name: 'every field an array', send: (x, url) => x.post(url, every(['1', '1000'])) },
      { name: 'every field 1234', send: (x, url) => x.post(url, every('1234')) },
      {
        name: 'bracketed names',
        send: (x, url) =>
          x.request('POST', url, {
            payload: `_csrf=${x.csrf}&amount[]=1&accountId[x]=1&__proto__[admin]=1&constructor=1&payeeType[]=普通`,
            contentType: 'application/x-www-form-urlencoded',
          }),
      },
      { name: 'long strings', send: (x, url) => x.post(url, every('9'.repeat(1200))) },
      {
        name: 'over the body limit',
        send: (x, url) => x.post(url, { payeeName: 'ア'.repeat(20_000) }),
      },
      {
        name: 'NUL and control characters',
        send: (x, url) =>
          x.post(url, {
            ...every('ス\u0000ズ\u0007キ'),
            amount: '1\u00000',
            payeeAccount: '123\u00004567',
          }),
      },
      {
        name: 'lone surrogates and emoji',
        send: (x, url) => x.post(url, every('\uD800\uDFFF\uDBFF🙂ア')),
      },
      {
        name: 'huge numbers',
        send: (x, url) =>
          x.post(url, { ...every('1'), accountId: '9'.repeat(40), amount: '9'.repeat(400) }),
      },
      {
        name: 'invalid percent-encoding',
        send: (x, url) =>
          x.request('POST', url, {
            payload: `_csrf=${x.csrf}&payeeName=%FF%FE%C3%28&amount=%00%00&accountId=%ZZ&confirmPassword=%&otp=%C0%AF`,
            contentType: 'application/x-www-form-urlencoded',
          }),
      },
      {
        name: 'raw non-UTF-8 bytes',
        send: (x, url) =>
          x.request('POST', url, {
            payload: Buffer.concat([
              Buffer.from(`_csrf=${x.csrf}&payeeName=`),
              Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x80]),
              Buffer.from('&amount='),
              Buffer.from([0xed, 0xa0, 0x80]),
            ]),
            contentType: 'application/x-www-form-urlencoded; charset=shift_jis',
          }),
      },
      {
        name: 'JSON body',
        send: (x, url) =>
          x.request('POST', url, {
            payload: JSON.stringify({
              _csrf: x.csrf,
              accountId: 1,
              amount: 1000,
              payeeName: ['ア'],
              confirmPassword: { $ne: null },
              otp: 12345678,
              mailOtp: true,
              payeeType: null,
            }),
            contentType: 'application/json',
          }),
      },
      {
        name: 'JSON with __proto__',
        send: (x, url) =>
          x.request('POST', url, {
            payload: `{"_csrf":"${x.csrf}","__proto__":{"amount":"1000"},"constructor":{"prototype":{"x":1}}}`,
            contentType: 'application/json',
          }),
      },
      {
        name: 'JSON array',
        send: (x, url) =>
          x.request('POST', url, { payload: '[1,2,3]', contentType: 'application/json' }),
      },
      {
        name: 'broken JSON',
        send: (x, url) =>
          x.request('POST', url, { payload: '{"_csrf":', contentType: 'application/json' }),
      },
      {
        name: 'text/plain',
        send: (x, url) =>
          x.request('POST', url, { payload: `_csrf=${x.csrf}`, contentType: 'text/plain' }),
      },
      {
        name: 'multipart',
        send: (x, url) =>
          x.request('POST', url, {
            payload: '--x\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nabc\r\n--x--\r\n',
            contentType: 'multipart/form-data; boundary=x',
          }),
      },
      {
        name: 'no session cookie',
        send: (x, url) =>
          new Browser(ph.app).request('POST', url, { form: { ...every('1234'), _csrf: x.csrf } }),
      },
    ];
    const failures: string[] = [];
    for (const route of routes) {
      for (const body of bodies) {
        await route.prepare();
        const r = await body.send(route.b, route.url);
        if (r.status >= 500)
          failures.push(`${route.url} ← ${body.name}: ${r.status} ${r.body.slice(0, 200)}`);
        else if (r.status === 200)
          failures.push(`${route.url} ← ${body.name}: 200 (a garbage POST acted?)`);
      }
    }
    expect(failures).toEqual([]);
    expect(await rows(YAMADA)).toHaveLength(0);
    expect(await rows(SATO)).toHaveLength(0);
    expect((await firstAccount(YAMADA)).balance).toBe(yAcc.balance);
    expect((await firstAccount(SATO)).balance).toBe(sAcc.balance);
    expect(await ph.client.getToken(YAMADA.platformRef)).toMatchObject({
      state: 'active',
      failCount: 0,
      locked: false,
    });
  });

  // ── 7. 手順の順序 ─────────────────────────────────────────────────────────

  it('out of order: a confirm POST without a confirm step sends nothing; 申込を中止する ends the flow; 戻る keeps the values', async () => {
    const b = new Browser(ph.app);
    await login(b, YAMADA);
    const acc = await firstAccount(YAMADA);
    const pw = { confirmPassword: YAMADA.confirmPassword };

    // No flow at all: to a menu with the out-of-order message (flow-kit's toMenu picks the OTP
    // menu when no flow says otherwise).
    const cold = await b.post('/ib/transfer/confirm', pw);
    expect(cold.status).toBe(303);
    expect(['/ib/top', '/ib/otp']).toContain(cold.location);
    expect((await b.follow(cold)).body).toContain(OUT_OF_ORDER);
    // The flow at its input step: back to the input screen.
    await b.get('/ib/transfer');
    const early = await b.post('/ib/transfer/confirm', pw);
    expect(early.status).toBe(303);
    expect(early.location).toBe('/ib/transfer');
    expect((await b.get('/ib/transfer/done')).location).toBe('/ib/top');
    expect(await rows(YAMADA)).toHaveLength(0);

    // 申込を中止する on the confirm step: the top page, the flow gone.
    await toConfirm(b, transferForm(acc.id, '12345'));
    const cancel = await b.post('/ib/flow/cancel');
    expect(cancel.location).toBe('/ib/top');
    const top = await b.follow(cancel);
    expect(top.body).toContain('お手続きを中止しました。');
    const gone = await b.get('/ib/transfer/confirm');
    expect(gone.status).toBe(303);
    expect((await b.follow(gone)).body).toContain(OUT_OF_ORDER);
    const afterCancel = await b.post('/ib/transfer/confirm', pw);
    expect(afterCancel.status).toBe(303);
    expect(afterCancel.location).not.toBe('/ib/transfer/done');
    expect(await rows(YAMADA)).toHaveLength(0);
    expect((await firstAccount(YAMADA)).balance).toBe(acc.balance);

    // 戻る on the confirm step: the input step with what was entered.
    await toConfirm(b, {
      ...transferForm(acc.id, '23456', { ...OTHER_BANK, payeeType: '当座', payeeName: 'ｻﾄｳ ｼﾞﾛｳ' }),
    });
    const back = await b.post('/ib/flow/back');
    expect(back.location).toBe('/ib/transfer');
    const input = await b.follow(back);
    expect(input.status).toBe(200);
    expect(inputValue(input.body, 'payeeBank')).toBe('みずほ銀行');
    expect(inputValue(input.body, 'payeeBranch')).toBe('東京営業部');
    expect(inputValue(input.body, 'payeeAccount')).toBe('1234567');
    expect(inputValue(input.body, 'payeeName')).toBe('サトウ ジロウ');
    expect(inputValue(input.body, 'amount')).toBe('23456');
    expect(input.body).toMatch(/value="当座" checked/);
    expect(input.body).toMatch(new RegExp(`<option value="${acc.id}" selected>`));
    // The confirm step is no longer open: its POST leads back to the input screen.
    const stale = await b.post('/ib/transfer/confirm', pw);
    expect(stale.location).toBe('/ib/transfer');
    expect(await rows(YAMADA)).toHaveLength(0);
    // Submitting the kept values goes on as before.
    await b.post(
      '/ib/transfer',
      transferForm(acc.id, '23456', {
        ...OTHER_BANK,
        payeeType: '当座',
        payeeName: 'サトウ ジロウ',
      }),
    );
    await confirmDone(b, pw);
    expect(
      (await rows(YAMADA)).map((r) => [r.payee_account_type, r.payee_name, Number(r.amount)]),
    ).toEqual([['当座', 'サトウ ジロウ', 23_456]]);
  });
});
