/**
 * The bank portal (/ib) over HTTP, screen by screen, as a browser drives it: Fastify `inject`,
 * cookies carried by hand, every form's CSRF token read from its `_csrf` hidden field. Each case
 * walks one of guide 001's procedures (トークン発行, 利用開始, 利用解除, ログイン) and checks the
 * platform's side through the client or the API, never only the page: an issuance that the page
 * refused must not exist, a double submission must issue once, a lock must hold until staff lift
 * it (「当組合にて停止状態の解除」), and no input of any shape may answer 5xx (SPEC.md, "Security
 * floor": bad input gets a clear error and changes nothing).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InkanError } from '../../src/core/index.js';
import {
  activeCustomer,
  issueAndProvision,
  provisionIssued,
  type ProvisionedToken,
} from '../support/harness.js';
import {
  createPortalHarness,
  SATO,
  YAMADA,
  type PortalHarness,
} from '../support/portal-harness.js';
import {
  Browser,
  cell,
  csrfOf,
  fieldError,
  inputValue,
  login,
  postLogin,
  wrongOtp,
  type Form,
  type Page,
  type Who,
} from '../support/portal-browser.js';

const OUT_OF_ORDER = 'お手続きの順序が正しくない';
const GENERIC_LOGIN_ERROR = 'ログインIDまたはログインパスワードが正しくありません。';
const LOGIN_LOCKED = 'ログインパスワードを連続して誤ったため、ログインを停止しています';
const OTP_LOCKED = 'ワンタイムパスワード認証が停止';
const OTP_INVALID = 'ワンタイムパスワードが正しくありません。';
const OTP_REPLAYED = 'このワンタイムパスワードはすでに使用されています。';

/** Logs in through the OTP screen (the clock moved a step first, so the OTP is unused). */
async function loginWithOtp(
  ph: PortalHarness,
  b: Browser,
  who: Who,
  t: ProvisionedToken,
): Promise<Page> {
  const otpScreen = await login(b, who);
  expect(otpScreen.body).toContain('ワンタイムパスワード認証');
  ph.h.clock.advance(t.period * 1000);
  const r = await b.post('/ib/login/otp', { otp: t.otp() });
  expect(r.location, r.body.slice(0, 500)).toBe('/ib/top');
  return b.follow(r);
}

/** Walks BOP001 → BOT010 → software → input to the confirm screen. */
async function toSoftwareConfirm(
  b: Browser,
  email: string,
  activationPassword: string,
): Promise<Page> {
  expect((await b.post('/ib/otp/issue/start')).location).toBe('/ib/otp/issue');
  expect((await b.post('/ib/otp/issue/select', { type: 'software' })).location).toBe(
    '/ib/otp/issue/software',
  );
  const r = await b.post('/ib/otp/issue/software', {
    email,
    emailConfirm: email,
    activationPassword,
    activationPasswordConfirm: activationPassword,
  });
  expect(r.location, r.body.slice(0, 500)).toBe('/ib/otp/issue/software/confirm');
  return b.follow(r);
}

/** The whole software issuance through the screens; the done screen's IDs. */
async function issueSoftware(
  b: Browser,
  who: Who,
  email = 'taro@example.jp',
  activationPassword = '1234',
): Promise<{ serviceId: string; userId: string; done: Page }> {
  await toSoftwareConfirm(b, email, activationPassword);
  const r = await b.post('/ib/otp/issue/software/confirm', {
    confirmPassword: who.confirmPassword,
  });
  expect(r.location, r.body.slice(0, 500)).toBe('/ib/otp/issue/software/done');
  const done = await b.follow(r);
  return { serviceId: cell(done.body, 'service-id'), userId: cell(done.body, 'user-id'), done };
}

/** The customer's issuance events in the audit trail. */
async function issuances(ph: PortalHarness, ref: string): Promise<number> {
  const events = await ph.h.store.listAudit({
    serviceId: ph.h.serviceId,
    customerRef: ref,
    limit: 1000,
  });
  return events.filter((e) => e.action === 'token.issued').length;
}

async function bankCustomerId(ph: PortalHarness, who: Who): Promise<number> {
  const c = await ph.bank.customerByLoginId(who.loginId);
  if (c === null) throw new Error(`no customer ${who.loginId}`);
  return c.id;
}

describe('bank portal over HTTP (/ib)', () => {
  let ph: PortalHarness;
  let b: Browser;

  beforeEach(async () => {
    ph = await createPortalHarness();
    b = new Browser(ph.app);
  });
  afterEach(async () => {
    await ph.close();
  });

  // ── 1. ログイン ──────────────────────────────────────────────────────────

  it('login: a wrong password gets the generic message and no session; the right one a new ib_sid cookie', async () => {
    const wrong = await postLogin(b, { loginId: YAMADA.loginId, password: 'Wrong2026' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain(GENERIC_LOGIN_ERROR);
    expect(wrong.res.cookies.map((c) => c.name)).not.toContain('ib_sid');
    // An unknown login ID reads the same (no way to probe which IDs exist).
    const unknown = await postLogin(b, { loginId: 'nobody', password: 'Wrong2026' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain(GENERIC_LOGIN_ERROR);
    expect(b.jar.has('ib_sid')).toBe(false);

    const ok = await postLogin(b, YAMADA);
    expect(ok.status).toBe(303);
    const sid = ok.res.cookies.find((c) => c.name === 'ib_sid');
    expect(sid).toBeDefined();
    expect(sid?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sid?.httpOnly).toBe(true);
    expect(String(sid?.sameSite).toLowerCase()).toBe('lax');
    expect(sid?.path).toBe('/ib');
    expect(sid?.secure).toBeFalsy();
    const raw = [ok.res.headers['set-cookie']].flat().find((c) => String(c).startsWith('ib_sid='));
    expect(String(raw)).not.toMatch(/;\s*secure/i);
    // The session works.
    const landing = await b.follow(ok);
    expect(landing.status).toBe(200);
    const top = await b.get('/ib/top');
    expect(top.status).toBe(200);
    expect(top.body).toContain(YAMADA.name);
  });

  it('login while the platform’s database is busy with other work: the 503 page in Japanese, no session', async () => {
    // What the platform answers when another process held its database past the wait
    // (test/concurrency/sqlite-lock-wait.test.ts): here straight from the client.
    ph.client.getToken = async () => {
      throw new InkanError('SERVICE_BUSY');
    };
    const r = await postLogin(b, YAMADA);
    expect(r.status).toBe(503);
    expect(r.res.headers['retry-after']).toBe('1');
    expect(r.body).toContain('しばらく時間をおいてから再度お試しください');
    expect(r.body).toContain('ただいま混み合っています');
    expect(r.body).not.toContain('システムエラー');
    expect(r.body).not.toMatch(/SERVICE_BUSY|SqliteError|stack/);
    expect(b.jar.has('ib_sid')).toBe(false);
  });

  it('login: the session ID changes at login, a cookie from before is never reused', async () => {
    const planted = 'A'.repeat(43);
    b.jar.set('ib_sid', planted);
    const ok = await postLogin(b, YAMADA);
    expect(ok.status).toBe(303);
    const sid = ok.res.cookies.find((c) => c.name === 'ib_sid')?.value;
    expect(sid).toBeDefined();
    expect(sid).not.toBe(planted);
    // The planted ID opens nothing.
    const attacker = new Browser(ph.app);
    attacker.jar.set('ib_sid', planted);
    const r = await attacker.get('/ib/top');
    expect(r.status).toBe(303);
    expect(r.location).toBe('/ib/login');

    // A second login from a browser already logged in gets yet another ID.
    const first = b.jar.get('ib_sid');
    const again = await postLogin(b, YAMADA);
    const second = again.res.cookies.find((c) => c.name === 'ib_sid')?.value;
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
  });

  it('login: a POST without or with a wrong _csrf is refused (403) and logs nobody in', async () => {
    const form = await b.get('/ib/login');
    const token = csrfOf(form.body);
    expect(b.jar.get('ib_pre')).toBe(token);
    const creds = { loginId: YAMADA.loginId, password: YAMADA.password };

    const cases: { name: string; cookie: boolean; form: Form }[] = [
      { name: 'no _csrf field', cookie: true, form: creds },
      { name: 'empty _csrf', cookie: true, form: { ...creds, _csrf: '' } },
      { name: 'wrong _csrf', cookie: true, form: { ...creds, _csrf: token.slice(0, -2) + 'xx' } },
      { name: '_csrf twice', cookie: true, form: { ...creds, _csrf: [token, token] } },
      { name: 'no ib_pre cookie', cookie: false, form: { ...creds, _csrf: token } },
      { name: 'neither', cookie: false, form: creds },
    ];
    for (const c of cases) {
      const x = new Browser(ph.app);
      if (c.cookie) x.jar.set('ib_pre', token);
      const r = await x.request('POST', '/ib/login', { form: c.form });
      expect(r.status, c.name).toBe(403);
      expect(
        r.res.cookies.map((k) => k.name),
        c.name,
      ).not.toContain('ib_sid');
      expect(r.body, c.name).toContain('画面の有効期限が切れました');
    }
    // Nothing was counted against the customer either: the right login still works at once.
    const c = await ph.bank.customerByLoginId(YAMADA.loginId);
    expect(Number(c?.failed_logins)).toBe(0);
    expect((await postLogin(b, YAMADA)).status).toBe(303);
  });

  it('login: 10 wrong passwords lock the login; then even the right password is refused', async () => {
    for (let i = 1; i <= 9; i++) {
      const r = await postLogin(b, { loginId: YAMADA.loginId, password: `Wrong${i}` });
      expect(r.status, `attempt ${i}`).toBe(400);
      expect(r.body).toContain(GENERIC_LOGIN_ERROR);
    }
    const tenth = await postLogin(b, { loginId: YAMADA.loginId, password: 'Wrong10' });
    expect(tenth.status).toBe(403);
    expect(tenth.body).toContain(LOGIN_LOCKED);
    expect(tenth.body).toContain('0120-000-000');

    const right = await postLogin(b, YAMADA);
    expect(right.status).toBe(403);
    expect(right.body).toContain(LOGIN_LOCKED);
    expect(right.res.cookies.map((c) => c.name)).not.toContain('ib_sid');
    expect(b.jar.has('ib_sid')).toBe(false);
    // Another customer is untouched.
    expect((await postLogin(new Browser(ph.app), SATO)).status).toBe(303);
  });

  // ── 2. ワンタイムパスワード利用申請 (guide 002) ─────────────────────────────

  it('without an OTP the customer lands on the 利用申請 screen: 申請する → /ib/otp, 申請しない → /ib/top', async () => {
    const r = await postLogin(b, YAMADA);
    expect(r.location).toBe('/ib/login/promote');
    const promote = await b.follow(r);
    expect(promote.body).toContain('ワンタイムパスワード利用申請');

    const none = await b.post('/ib/login/promote', {});
    expect(none.status).toBe(400);
    expect(none.body).toContain('「申請する」、「申請しない」をご選択下さい。');
    const bogus = await b.post('/ib/login/promote', { choice: 'maybe' });
    expect(bogus.status).toBe(400);

    expect((await b.post('/ib/login/promote', { choice: 'apply' })).location).toBe('/ib/otp');
    expect((await b.post('/ib/login/promote', { choice: 'skip' })).location).toBe('/ib/top');
    const top = await b.get('/ib/top');
    expect(top.status).toBe(200);
    expect(top.body).toContain('トップページ');
  });

  // ── 3. トークン発行（ソフトウェアトークン） ──────────────────────────────────

  it('issues a software token through every screen; the done page shows the platform’s IDs', async () => {
    await login(b, YAMADA);
    const bop = await b.get('/ib/otp');
    expect(bop.status).toBe(200);
    expect(bop.body).toContain('画面ID : BOP001');
    expect(bop.body).toContain('未登録');

    const start = await b.post('/ib/otp/issue/start');
    expect(start.location).toBe('/ib/otp/issue');
    const bot = await b.follow(start);
    expect(bot.body).toContain('画面ID : BOT010');

    const sel = await b.post('/ib/otp/issue/select', { type: 'software' });
    expect(sel.location).toBe('/ib/otp/issue/software');
    const input = await b.follow(sel);
    expect(input.body).toContain('ソフトウェアトークン発行情報入力');

    const next = await b.post('/ib/otp/issue/software', {
      email: 'taro@example.jp',
      emailConfirm: 'taro@example.jp',
      activationPassword: '482915',
      activationPasswordConfirm: '482915',
    });
    expect(next.location).toBe('/ib/otp/issue/software/confirm');
    const confirm = await b.follow(next);
    expect(confirm.body).toContain('taro@example.jp');
    expect(confirm.body).not.toContain('482915');
    expect(await ph.client.getToken(YAMADA.platformRef)).toBeNull();

    const ok = await b.post('/ib/otp/issue/software/confirm', {
      confirmPassword: YAMADA.confirmPassword,
    });
    expect(ok.location).toBe('/ib/otp/issue/software/done');
    const done = await b.follow(ok);
    expect(done.status).toBe(200);
    const serviceId = cell(done.body, 'service-id');
    const userId = cell(done.body, 'user-id');
    expect(userId).toMatch(/^[0-9]{12}$/);
    expect(serviceId).toBe(ph.h.serviceId);

    const t = await ph.client.getToken(YAMADA.platformRef);
    expect(t).toMatchObject({ state: 'issued', type: 'software', serviceId, userId });
    // The activation password the customer chose is the one the app sets up with.
    const token = await provisionIssued(ph.h, userId, '482915');
    expect(token.serial).not.toBe('');
    // The menu now reads トークン発行済 (アプリ初期設定済) and shows the IDs.
    const after = await b.get('/ib/otp');
    expect(after.body).toContain('トークン発行済');
    expect(after.body).toContain(userId);
    expect(await issuances(ph, YAMADA.platformRef)).toBe(1);
  });

  it('refuses each bad field of the input step with its message next to the field, changing nothing', async () => {
    await login(b, YAMADA);
    expect((await b.post('/ib/otp/issue/start')).location).toBe('/ib/otp/issue');
    expect((await b.post('/ib/otp/issue/select', { type: 'software' })).location).toBe(
      '/ib/otp/issue/software',
    );

    const good = {
      email: 'taro@example.jp',
      emailConfirm: 'taro@example.jp',
      activationPassword: '1234',
      activationPasswordConfirm: '1234',
    };
    const long = `${'a'.repeat(56)}@ex.co.jp`; // 65 characters
    const cases: {
      name: string;
      form: Partial<typeof good>;
      field: keyof typeof good;
      message: string;
    }[] = [
      {
        name: 'no e-mail',
        form: { email: '' },
        field: 'email',
        message: 'スマートフォンメールアドレスを入力してください。',
      },
      {
        name: 'not an e-mail',
        form: { email: 'taro.example.jp', emailConfirm: 'taro.example.jp' },
        field: 'email',
        message: 'メールアドレスは半角英数字記号4～64文字の正しい形式で入力してください。',
      },
      {
        name: 'e-mail with a space',
        form: { email: 'ta ro@example.jp', emailConfirm: 'ta ro@example.jp' },
        field: 'email',
        message: 'メールアドレスは半角英数字記号4～64文字の正しい形式で入力してください。',
      },
      {
        name: 'e-mail over 64',
        form: { email: long, emailConfirm: long },
        field: 'email',
        message: 'メールアドレスは半角英数字記号4～64文字の正しい形式で入力してください。',
      },
      {
        name: 'no confirmation e-mail',
        form: { emailConfirm: '' },
        field: 'emailConfirm',
        message: '確認のため、メールアドレスをもう一度入力してください。',
      },
      {
        name: 'mismatching e-mail',
        form: { emailConfirm: 'jiro@example.jp' },
        field: 'emailConfirm',
        message: 'メールアドレスと確認用のメールアドレスが一致しません。',
      },
      {
        name: 'no activation password',
        form: { activationPassword: '' },
        field: 'activationPassword',
        message: '利用開始パスワードを入力してください。',
      },
      {
        name: '3 digits',
        form: { activationPassword: '123', activationPasswordConfirm: '123' },
        field: 'activationPassword',
        message: '利用開始パスワードは半角数字4～8桁で入力してください。',
      },
      {
        name: '9 digits',
        form: { activationPassword: '123456789', activationPasswordConfirm: '123456789' },
        field: 'activationPassword',
        message: '利用開始パスワードは半角数字4～8桁で入力してください。',
      },
      {
        name: 'letters',
        form: { activationPassword: 'abcd', activationPasswordConfirm: 'abcd' },
        field: 'activationPassword',
        message: '利用開始パスワードは半角数字4～8桁で入力してください。',
      },
      {
        name: 'full-width digits',
        form: { activationPassword: '１２３４', activationPasswordConfirm: '１２３４' },
        field: 'activationPassword',
        message: '利用開始パスワードは半角数字4～8桁で入力してください。',
      },
      {
        name: 'no confirmation password',
        form: { activationPasswordConfirm: '' },
        field: 'activationPasswordConfirm',
        message: '確認のため、利用開始パスワードをもう一度入力してください。',
      },
      {
        name: 'mismatching password',
        form: { activationPasswordConfirm: '1235' },
        field: 'activationPasswordConfirm',
        message: '利用開始パスワードと確認用の利用開始パスワードが一致しません。',
      },
    ];
    for (const c of cases) {
      const r = await b.post('/ib/otp/issue/software', { ...good, ...c.form });
      expect(r.status, c.name).toBe(400);
      expect(fieldError(r.body, c.field), c.name).toBe(c.message);
      for (const other of Object.keys(good).filter((k) => k !== c.field)) {
        expect(fieldError(r.body, other), `${c.name}: ${other}`).toBeNull();
      }
      // Still at the input step (the screen opens, confirm does not) and nothing issued.
      expect((await b.get('/ib/otp/issue/software')).status, c.name).toBe(200);
      expect(await ph.client.getToken(YAMADA.platformRef), c.name).toBeNull();
    }
    // The boundaries pass: 4 and 8 digits, an e-mail of exactly 64 characters.
    const email64 = `${'a'.repeat(55)}@ex.co.jp`;
    expect(email64).toHaveLength(64);
    const r = await b.post('/ib/otp/issue/software', {
      email: email64,
      emailConfirm: email64,
      activationPassword: '12345678',
      activationPasswordConfirm: '12345678',
    });
    expect(r.location).toBe('/ib/otp/issue/software/confirm');
    expect(await issuances(ph, YAMADA.platformRef)).toBe(0);
  });

  it('a wrong 確認用パスワード on the confirm step is refused and issues nothing', async () => {
    await login(b, YAMADA);
    await toSoftwareConfirm(b, 'taro@example.jp', '1234');
    for (const [pw, message] of [
      ['kakunin9', '確認用パスワードが正しくありません。'],
      ['', '確認用パスワードを入力してください。'],
      ['abc', '確認用パスワードは半角英数字6～12桁で入力してください。'],
      ['kakunin1!', '確認用パスワードは半角英数字6～12桁で入力してください。'],
    ] as const) {
      const r = await b.post('/ib/otp/issue/software/confirm', { confirmPassword: pw });
      expect(r.status, pw).toBe(400);
      expect(fieldError(r.body, 'confirmPassword'), pw).toBe(message);
      expect(r.body).toContain('taro@example.jp');
      expect(await ph.client.getToken(YAMADA.platformRef)).toBeNull();
    }
    // Still at confirm: the right password now issues.
    const ok = await b.post('/ib/otp/issue/software/confirm', {
      confirmPassword: YAMADA.confirmPassword,
    });
    expect(ok.location).toBe('/ib/otp/issue/software/done');
    expect(await issuances(ph, YAMADA.platformRef)).toBe(1);
  });

  // ── 4. 順序 / 申込を中止する / 戻る ───────────────────────────────────────

  it('a later step without its flow goes back to BOP001 with the out-of-order notice, nothing issued', async () => {
    await login(b, YAMADA);
    const steps: { method: 'GET' | 'POST'; url: string; form?: Form }[] = [
      { method: 'GET', url: '/ib/otp/issue' },
      { method: 'GET', url: '/ib/otp/issue/software' },
      { method: 'GET', url: '/ib/otp/issue/software/confirm' },
      { method: 'GET', url: '/ib/otp/issue/software/done' },
      { method: 'GET', url: '/ib/otp/issue/hardware' },
      { method: 'GET', url: '/ib/otp/activate' },
      { method: 'GET', url: '/ib/otp/deactivate' },
      { method: 'POST', url: '/ib/otp/issue/select', form: { type: 'software' } },
      {
        method: 'POST',
        url: '/ib/otp/issue/software',
        form: {
          email: 'taro@example.jp',
          emailConfirm: 'taro@example.jp',
          activationPassword: '1234',
          activationPasswordConfirm: '1234',
        },
      },
      {
        method: 'POST',
        url: '/ib/otp/issue/software/confirm',
        form: { confirmPassword: YAMADA.confirmPassword },
      },
      {
        method: 'POST',
        url: '/ib/otp/issue/hardware',
        form: { confirmPassword: YAMADA.confirmPassword },
      },
      { method: 'POST', url: '/ib/otp/activate', form: { otp: '12345678' } },
      {
        method: 'POST',
        url: '/ib/otp/deactivate',
        form: { otp: '12345678', confirmPassword: YAMADA.confirmPassword },
      },
    ];
    for (const s of steps) {
      const r = s.method === 'GET' ? await b.get(s.url) : await b.post(s.url, s.form);
      expect(r.status, `${s.method} ${s.url}`).toBe(303);
      expect(r.location, `${s.method} ${s.url}`).toBe('/ib/otp');
      const menu = await b.get('/ib/otp');
      expect(menu.body, `${s.method} ${s.url}`).toContain(OUT_OF_ORDER);
      // The notice is shown once.
      expect((await b.get('/ib/otp')).body).not.toContain(OUT_OF_ORDER);
    }
    expect(await ph.client.getToken(YAMADA.platformRef)).toBeNull();
    expect(await issuances(ph, YAMADA.platformRef)).toBe(0);

    // 利用開始 and 利用解除 cannot even start without a token in the right state.
    for (const url of ['/ib/otp/activate/start', '/ib/otp/deactivate/start']) {
      expect((await b.post(url)).location).toBe('/ib/otp');
      expect((await b.get('/ib/otp')).body).toContain(
        '現在の登録状況ではこのお手続きはできません。',
      );
    }
  });

  it('a step of an earlier flow skipped ahead is refused: the select step cannot POST confirm', async () => {
    await login(b, YAMADA);
    await b.post('/ib/otp/issue/start');
    const r = await b.post('/ib/otp/issue/software/confirm', {
      confirmPassword: YAMADA.confirmPassword,
    });
    expect(r.status).toBe(303);
    expect(r.location).toBe('/ib/otp/issue');
    // Hardware's confirm is not software's confirm either.
    await b.post('/ib/otp/issue/select', { type: 'hardware' });
    const soft = await b.post('/ib/otp/issue/software/confirm', {
      confirmPassword: YAMADA.confirmPassword,
    });
    expect(soft.location).toBe('/ib/otp/issue/hardware');
    expect(await ph.client.getToken(YAMADA.platformRef)).toBeNull();
  });

  it('申込を中止する drops the flow; 戻る steps back (confirm → input keeps the e-mail, not the password)', async () => {
    await login(b, YAMADA);
    const confirm = await toSoftwareConfirm(b, 'hanako@example.jp', '1111');
    expect(confirm.body).toContain('申込を中止する');

    // 戻る: confirm → input, the e-mail filled in, the password fields empty.
    const back = await b.post('/ib/flow/back');
    expect(back.location).toBe('/ib/otp/issue/software');
    const input = await b.follow(back);
    expect(input.status).toBe(200);
    expect(inputValue(input.body, 'email')).toBe('hanako@example.jp');
    expect(inputValue(input.body, 'activationPassword')).toBe('');
    expect(inputValue(input.body, 'activationPasswordConfirm')).toBe('');
    expect(input.body).not.toContain('1111');
    // The confirm step is behind us now.
    expect(
      (await b.post('/ib/otp/issue/software/confirm', { confirmPassword: YAMADA.confirmPassword }))
        .location,
    ).toBe('/ib/otp/issue/software');
    expect(await ph.client.getToken(YAMADA.platformRef)).toBeNull();

    // 戻る again: input → BOT010; and once more: BOT010 → BOP001.
    expect((await b.post('/ib/flow/back')).location).toBe('/ib/otp/issue');
    expect((await b.get('/ib/otp/issue')).status).toBe(200);
    expect((await b.post('/ib/flow/back')).location).toBe('/ib/otp');
    expect((await b.get('/ib/otp/issue')).location).toBe('/ib/otp');

    // 申込を中止する from confirm: back to the menu, the flow gone, nothing issued.
    await toSoftwareConfirm(b, 'hanako@example.jp', '2222');
    const cancel = await b.post('/ib/flow/cancel');
    expect(cancel.location).toBe('/ib/otp');
    expect((await b.get('/ib/otp')).body).toContain('お手続きを中止しました。');
    const confirmAfter = await b.post('/ib/otp/issue/software/confirm', {
      confirmPassword: YAMADA.confirmPassword,
    });
    expect(confirmAfter.location).toBe('/ib/otp');
    expect(await ph.client.getToken(YAMADA.platformRef)).toBeNull();

    // Back, then forward with a new password: the token is set up with the new one only.
    await toSoftwareConfirm(b, 'hanako@example.jp', '3333');
    await b.post('/ib/flow/back');
    const again = await b.post('/ib/otp/issue/software', {
      email: 'hanako@example.jp',
      emailConfirm: 'hanako@example.jp',
      activationPassword: '4444',
      activationPasswordConfirm: '4444',
    });
    expect(again.location).toBe('/ib/otp/issue/software/confirm');
    const ok = await b.post('/ib/otp/issue/software/confirm', {
      confirmPassword: YAMADA.confirmPassword,
    });
    const done = await b.follow(ok);
    const userId = cell(done.body, 'user-id');
    await expect(provisionIssued(ph.h, userId, '3333')).rejects.toThrow(
      /ACTIVATION_PASSWORD_WRONG/,
    );
    await provisionIssued(ph.h, userId, '4444');
    // 戻る from a done step leads to the menu, never into the finished flow again.
    expect((await b.post('/ib/flow/back')).location).toBe('/ib/otp');
  });

  // ── 5. 二重送信 ─────────────────────────────────────────────────────────

  it('a double-submitted confirm issues once; every submission ends on the same done page', async () => {
    await login(b, YAMADA);
    await toSoftwareConfirm(b, 'taro@example.jp', '1234');
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        b.post('/ib/otp/issue/software/confirm', { confirmPassword: YAMADA.confirmPassword }),
      ),
    );
    for (const r of results) {
      expect(r.status, r.body.slice(0, 300)).toBe(303);
      expect(r.location).toBe('/ib/otp/issue/software/done');
    }
    expect(await issuances(ph, YAMADA.platformRef)).toBe(1);
    const t = await ph.client.getToken(YAMADA.platformRef);
    expect(t?.state).toBe('issued');
    const done = await b.get('/ib/otp/issue/software/done');
    expect(done.status).toBe(200);
    expect(cell(done.body, 'user-id')).toBe(t?.userId);
    expect(cell(done.body, 'service-id')).toBe(t?.serviceId);
    // Submitting once more (the back button, F5) shows the same page, no new token.
    const late = await b.post('/ib/otp/issue/software/confirm', {
      confirmPassword: YAMADA.confirmPassword,
    });
    expect(late.location).toBe('/ib/otp/issue/software/done');
    expect(cell((await b.follow(late)).body, 'user-id')).toBe(t?.userId);
    expect(await issuances(ph, YAMADA.platformRef)).toBe(1);
  });

  // ── 6. 利用開始, OTP login, 閉塞 and its 解除 ─────────────────────────────

  it('利用開始 after setup; then the OTP at login: wrong, replayed, right; 5 wrong lock until staff unlock', async () => {
    await login(b, YAMADA);
    const { userId } = await issueSoftware(b, YAMADA, 'taro@example.jp', '5678');
    const t = await provisionIssued(ph.h, userId, '5678');

    const start = await b.post('/ib/otp/activate/start');
    expect(start.location).toBe('/ib/otp/activate');
    expect((await b.follow(start)).body).toContain('利用開始する');

    const wrong = await b.post('/ib/otp/activate', { otp: wrongOtp(t) });
    expect(wrong.status).toBe(400);
    expect(fieldError(wrong.body, 'otp')).toContain(OTP_INVALID);
    expect((await ph.client.getToken(YAMADA.platformRef))?.failCount).toBe(1);
    const malformed = await b.post('/ib/otp/activate', { otp: '12ab' });
    expect(malformed.status).toBe(400);
    expect(fieldError(malformed.body, 'otp')).toBe(
      'ワンタイムパスワードは半角数字で入力してください。',
    );
    expect((await ph.client.getToken(YAMADA.platformRef))?.failCount).toBe(1);

    const right = await b.post('/ib/otp/activate', { otp: t.otp() });
    expect(right.location).toBe('/ib/otp/activate/done');
    const done = await b.follow(right);
    expect(done.body).toContain('利用開始登録を受け付けました');
    const active = await ph.client.getToken(YAMADA.platformRef);
    expect(active).toMatchObject({ state: 'active', failCount: 0, locked: false });

    // ログアウト; the next login asks for the OTP, and nothing opens before it.
    const out = await b.post('/ib/logout');
    expect(out.location).toBe('/ib/login?bye=1');
    expect(b.jar.has('ib_sid')).toBe(false);
    const r = await postLogin(b, YAMADA);
    expect(r.location).toBe('/ib/login/otp');
    expect((await b.get('/ib/top')).location).toBe('/ib/login/otp');
    expect((await b.get('/ib/otp')).location).toBe('/ib/login/otp');
    const otpScreen = await b.get('/ib/login/otp');
    expect(otpScreen.status).toBe(200);
    b.csrf = csrfOf(otpScreen.body);

    const bad = await b.post('/ib/login/otp', { otp: wrongOtp(t) });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain(OTP_INVALID);
    // The activation used this step up: the same OTP again is a replay (not counted).
    const replay = await b.post('/ib/login/otp', { otp: t.otp() });
    expect(replay.status).toBe(400);
    expect(replay.body).toContain(OTP_REPLAYED);
    expect((await ph.client.getToken(YAMADA.platformRef))?.failCount).toBe(1);
    ph.h.clock.advance(t.period * 1000);
    const good = await b.post('/ib/login/otp', { otp: t.otp() });
    expect(good.location).toBe('/ib/top');
    expect((await b.follow(good)).body).toContain('利用中');
    expect((await ph.client.getToken(YAMADA.platformRef))?.failCount).toBe(0);

    // 閉塞: five wrong OTPs at login.
    await b.post('/ib/logout');
    await login(b, YAMADA);
    for (let i = 1; i <= 4; i++) {
      const w = await b.post('/ib/login/otp', { otp: wrongOtp(t) });
      expect(w.status, `wrong ${i}`).toBe(400);
      expect(w.body).toContain(OTP_INVALID);
    }
    const fifth = await b.post('/ib/login/otp', { otp: wrongOtp(t) });
    expect(fifth.status).toBe(403);
    expect(fifth.body).toContain(OTP_LOCKED);
    expect(fifth.body).toContain('0120-000-000');
    expect(b.jar.has('ib_sid')).toBe(false);
    expect(await ph.client.getToken(YAMADA.platformRef)).toMatchObject({ locked: true });

    // Every later login shows the locked page right after the password, even with the right OTP in hand.
    ph.h.clock.advance(t.period * 1000);
    const later = await postLogin(b, YAMADA);
    expect(later.status).toBe(403);
    expect(later.body).toContain(OTP_LOCKED);
    expect(later.res.cookies.map((c) => c.name)).not.toContain('ib_sid');
    const withApp = await postLogin(b, YAMADA, { appOtp: t.otp() });
    expect(withApp.status).toBe(403);
    expect(withApp.body).toContain(OTP_LOCKED);

    // Staff unlock through the platform API; the OTP login works again.
    const unlock = await ph.h.call('POST', `/api/v1/customers/${YAMADA.platformRef}/token/unlock`, {
      reason: '本人確認済み（電話）',
    });
    expect(unlock.status).toBe(200);
    const top = await loginWithOtp(ph, b, YAMADA, t);
    expect(top.status).toBe(200);
    expect(await ph.client.getToken(YAMADA.platformRef)).toMatchObject({
      state: 'active',
      locked: false,
      failCount: 0,
    });
  });

  // ── 7. 利用解除 BOS001 ───────────────────────────────────────────────────

  it('利用解除: a wrong 確認用パスワード changes nothing; with the right one and an OTP the token ends and the limit falls to 200,000', async () => {
    const t = await activeCustomer(ph.h, YAMADA.platformRef);
    const id = await bankCustomerId(ph, YAMADA);
    await ph.bank.setDailyLimit(id, 1_000_000);
    await loginWithOtp(ph, b, YAMADA, t);
    ph.h.clock.advance(t.period * 1000); // the login used its step up

    const start = await b.post('/ib/otp/deactivate/start');
    expect(start.location).toBe('/ib/otp/deactivate');
    expect((await b.follow(start)).body).toContain('画面ID : BOS001');

    const otp = t.otp();
    const wrongPw = await b.post('/ib/otp/deactivate', { confirmPassword: 'kakunin9', otp });
    expect(wrongPw.status).toBe(400);
    expect(fieldError(wrongPw.body, 'confirmPassword')).toBe(
      '確認用パスワードが正しくありません。',
    );
    expect(await ph.client.getToken(YAMADA.platformRef)).toMatchObject({
      state: 'active',
      failCount: 0,
    });
    // The OTP was not used up: the API still accepts it.
    const stillGood = await ph.h.call('POST', `/api/v1/customers/${YAMADA.platformRef}/verify`, {
      otp,
    });
    expect(stillGood.json['result']).toBe('ok');
    ph.h.clock.advance(t.period * 1000);

    const wrongOtpAnswer = await b.post('/ib/otp/deactivate', {
      confirmPassword: YAMADA.confirmPassword,
      otp: wrongOtp(t),
    });
    expect(wrongOtpAnswer.status).toBe(400);
    expect(fieldError(wrongOtpAnswer.body, 'otp')).toContain(OTP_INVALID);
    expect(await ph.client.getToken(YAMADA.platformRef)).toMatchObject({
      state: 'active',
      failCount: 1,
    });
    expect(Number((await ph.bank.customer(id))?.daily_limit)).toBe(1_000_000);

    const ok = await b.post('/ib/otp/deactivate', {
      confirmPassword: YAMADA.confirmPassword,
      otp: t.otp(),
    });
    expect(ok.location).toBe('/ib/otp/deactivate/done');
    const done = await b.follow(ok);
    expect(done.body).toContain('利用解除の登録が完了');
    expect(done.body).toContain('200,000円');
    const after = await ph.client.getToken(YAMADA.platformRef);
    expect(after === null || after.state === 'none').toBe(true);
    expect(Number((await ph.bank.customer(id))?.daily_limit)).toBe(200_000);

    // The next login asks for no OTP.
    await b.post('/ib/logout');
    const r = await postLogin(b, YAMADA);
    expect(r.location).toBe('/ib/login/promote');
  });

  // ── 8. トークン発行（ハードウェアトークン） ──────────────────────────────────

  it('issues a hardware token: the confirm screen shows 1,100円 and the postal address', async () => {
    await login(b, YAMADA);
    await b.post('/ib/otp/issue/start');
    const sel = await b.post('/ib/otp/issue/select', { type: 'hardware' });
    expect(sel.location).toBe('/ib/otp/issue/hardware');
    const confirm = await b.follow(sel);
    expect(confirm.status).toBe(200);
    expect(confirm.body).toContain('1,100円');
    expect(confirm.body).toContain(YAMADA.postalAddress);

    const wrong = await b.post('/ib/otp/issue/hardware', { confirmPassword: 'kakunin9' });
    expect(wrong.status).toBe(400);
    expect(fieldError(wrong.body, 'confirmPassword')).toBe('確認用パスワードが正しくありません。');
    expect(await ph.client.getToken(YAMADA.platformRef)).toBeNull();

    const ok = await b.post('/ib/otp/issue/hardware', { confirmPassword: YAMADA.confirmPassword });
    expect(ok.location).toBe('/ib/otp/issue/hardware/done');
    const done = await b.follow(ok);
    expect(done.body).toContain('ハードウェアトークン発行申請の受付が完了しました。');
    expect(done.body).toContain('1,100円');
    expect(await ph.client.getToken(YAMADA.platformRef)).toMatchObject({
      type: 'hardware',
      state: 'issued',
    });
    expect(await issuances(ph, YAMADA.platformRef)).toBe(1);
    // The menu offers 利用開始 (BOK501) for the token on its way.
    const start = await b.post('/ib/otp/activate/start');
    expect(start.location).toBe('/ib/otp/activate');
    expect((await b.follow(start)).body).toContain('画面ID : BOK501');
  });

  // ── 9. アプリからのログイン ──────────────────────────────────────────────

  it('login from the app: the first one activates; later a valid appOtp skips the OTP screen, a wrong one does not', async () => {
    const t = await issueAndProvision(ph.h, YAMADA.platformRef);
    expect((await ph.client.getToken(YAMADA.platformRef))?.state).toBe('provisioned');

    const first = await postLogin(b, YAMADA, { appOtp: t.otp() });
    expect(first.location).toBe('/ib/top');
    expect((await ph.client.getToken(YAMADA.platformRef))?.state).toBe('active');
    const top = await b.follow(first);
    expect(top.body).toContain('ワンタイムパスワードの利用を開始しました。');

    await b.post('/ib/logout');
    ph.h.clock.advance(t.period * 1000);
    const second = await postLogin(b, YAMADA, { appOtp: t.otp() });
    expect(second.location).toBe('/ib/top');
    expect((await b.follow(second)).status).toBe(200);

    // The same OTP again (a replay) and a wrong one both lead to the OTP screen.
    await b.post('/ib/logout');
    const replay = await postLogin(b, YAMADA, { appOtp: t.otp() });
    expect(replay.location).toBe('/ib/login/otp');
    await b.post('/ib/logout');
    const wrong = await postLogin(b, YAMADA, { appOtp: wrongOtp(t) });
    expect(wrong.location).toBe('/ib/login/otp');
    const otpScreen = await b.follow(wrong);
    expect(otpScreen.body).toContain('アプリのワンタイムパスワードを確認できませんでした。');
    expect((await b.get('/ib/top')).location).toBe('/ib/login/otp');
    expect((await ph.client.getToken(YAMADA.platformRef))?.failCount).toBe(1);
  });

  // ── 10. 無操作タイムアウト ────────────────────────────────────────────────

  it('idle for more than 10 minutes: the next page sends to /ib/login?timeout=1, which says so', async () => {
    await login(b, YAMADA);
    ph.h.clock.advance(9 * 60_000);
    expect((await b.get('/ib/top')).status).toBe(200); // a request keeps it alive
    ph.h.clock.advance(10 * 60_000 + 1000);
    const r = await b.get('/ib/otp');
    expect(r.status).toBe(303);
    expect(r.location).toBe('/ib/login?timeout=1');
    const page = await b.follow(r);
    expect(page.body).toContain('一定時間操作がなかったため、ログアウトしました。');
    // The session is gone for good, not only for that request.
    expect((await b.get('/ib/top')).location).toBe('/ib/login');

    // A POST of a step after the timeout acts on nothing either.
    await login(b, YAMADA);
    await toSoftwareConfirm(b, 'taro@example.jp', '1234');
    ph.h.clock.advance(11 * 60_000);
    const late = await b.post('/ib/otp/issue/software/confirm', {
      confirmPassword: YAMADA.confirmPassword,
    });
    expect(late.location).toBe('/ib/login?timeout=1');
    expect(await ph.client.getToken(YAMADA.platformRef)).toBeNull();
  });

  // ── 11. 不正な入力, security headers, escaping ─────────────────────────────

  it('no POST route of /ib answers 5xx, whatever the body', async () => {
    // 佐藤: an active token (login/otp, 利用解除); 山田: a token set up in the app (利用開始).
    const st = await activeCustomer(ph.h, SATO.platformRef);
    await issueAndProvision(ph.h, YAMADA.platformRef);
    const yb = new Browser(ph.app); // 山田, logged in
    const sb = new Browser(ph.app); // 佐藤, logged in with the OTP
    const ob = new Browser(ph.app); // 佐藤, between password and OTP
    await login(yb, YAMADA);
    await loginWithOtp(ph, sb, SATO, st);

    const ensureYamada = async () => {
      if ((await yb.get('/ib/top')).status !== 200) await login(yb, YAMADA);
    };
    const ensureOtpStage = async () => {
      const p = await ob.get('/ib/login/otp');
      if (p.status !== 200) await login(ob, SATO);
    };
    const issueSelect = async () => {
      await ensureYamada();
      await yb.post('/ib/otp/issue/start');
    };
    const routes: { url: string; b: Browser; prepare: () => Promise<void>; csrf: () => string }[] =
      [
        {
          url: '/ib/login',
          b: yb,
          prepare: async () => void (await yb.get('/ib/login')),
          csrf: () => yb.jar.get('ib_pre') ?? '',
        },
        { url: '/ib/login/otp', b: ob, prepare: ensureOtpStage, csrf: () => ob.csrf },
        { url: '/ib/login/promote', b: yb, prepare: ensureYamada, csrf: () => yb.csrf },
        { url: '/ib/logout', b: yb, prepare: ensureYamada, csrf: () => yb.csrf },
        { url: '/ib/otp/issue/start', b: yb, prepare: ensureYamada, csrf: () => yb.csrf },
        { url: '/ib/otp/activate/start', b: yb, prepare: ensureYamada, csrf: () => yb.csrf },
        {
          url: '/ib/otp/deactivate/start',
          b: sb,
          prepare: async () => undefined,
          csrf: () => sb.csrf,
        },
        { url: '/ib/flow/cancel', b: yb, prepare: issueSelect, csrf: () => yb.csrf },
        { url: '/ib/flow/back', b: yb, prepare: issueSelect, csrf: () => yb.csrf },
        { url: '/ib/otp/issue/select', b: yb, prepare: issueSelect, csrf: () => yb.csrf },
        {
          url: '/ib/otp/issue/software',
          b: yb,
          prepare: async () => {
            await issueSelect();
            await yb.post('/ib/otp/issue/select', { type: 'software' });
          },
          csrf: () => yb.csrf,
        },
        {
          url: '/ib/otp/issue/software/confirm',
          b: yb,
          prepare: async () => {
            await ensureYamada();
            await toSoftwareConfirm(yb, 'taro@example.jp', '1234');
          },
          csrf: () => yb.csrf,
        },
        {
          url: '/ib/otp/issue/hardware',
          b: yb,
          prepare: async () => {
            await issueSelect();
            await yb.post('/ib/otp/issue/select', { type: 'hardware' });
          },
          csrf: () => yb.csrf,
        },
        {
          url: '/ib/otp/activate',
          b: yb,
          prepare: async () => {
            await ensureYamada();
            await yb.post('/ib/otp/activate/start');
          },
          csrf: () => yb.csrf,
        },
        {
          url: '/ib/otp/deactivate',
          b: sb,
          prepare: async () => void (await sb.post('/ib/otp/deactivate/start')),
          csrf: () => sb.csrf,
        },
      ];
    const FIELDS = [
      'loginId',
      'password',
      'appOtp',
      'otp',
      'choice',
      'type',
      'email',
      'emailConfirm',
      'activationPassword',
      'activationPasswordConfirm',
      'confirmPassword',
      'serial',
    ];
    const every = (v: string | readonly string[]): Form =>
      Object.fromEntries(FIELDS.map((f) => [f, v]));
    const bodies: {
      name: string;
      send: (b: Browser, url: string, csrf: string) => Promise<Page>;
    }[] = [
      { name: 'empty form', send: (x, url) => x.request('POST', url, { form: {} }) },
      { name: 'no body at all', send: (x, url) => x.request('POST', url) },
      {
        name: 'csrf only',
        send: (x, url, csrf) => x.request('POST', url, { form: { _csrf: csrf } }),
      },
      {
        name: 'wrong csrf',
        send: (x, url) =>
          x.request('POST', url, { form: { ...every('1234'), _csrf: 'x'.repeat(43) } }),
      },
      {
        name: 'csrf as an array',
        send: (x, url, csrf) =>
          x.request('POST', url, { form: { ...every('1234'), _csrf: [csrf, csrf] } }),
      },
      {
        name: 'every field an array',
        send: (x, url, csrf) =>
          x.request('POST', url, { form: { ...every(['a@b.jp', '1234']), _csrf: csrf } }),
      },
      {
        name: 'bracketed names',
        send: (x, url, csrf) =>
          x.request('POST', url, {
            payload: `_csrf=${csrf}&email[]=a&otp[x]=1&__proto__[admin]=1&constructor=1&type[]=software`,
            contentType: 'application/x-www-form-urlencoded',
          }),
      },
      {
        name: 'long strings',
        send: (x, url, csrf) =>
          x.request('POST', url, { form: { ...every('9'.repeat(1200)), _csrf: csrf } }),
      },
      {
        name: 'over the body limit',
        send: (x, url, csrf) =>
          x.request('POST', url, { form: { _csrf: csrf, email: 'a'.repeat(40_000) } }),
      },
      {
        name: 'NUL and control characters',
        send: (x, url, csrf) =>
          x.request('POST', url, {
            form: {
              ...every('ta\u0000ro\u0007@ex\u0000.jp'),
              loginId: 'yama\u0000da',
              _csrf: csrf,
            },
          }),
      },
      {
        name: 'lone surrogates and emoji',
        send: (x, url, csrf) =>
          x.request('POST', url, {
            form: { ...every('\uD800\uDFFF\uDBFF🙂@例え.jp'), _csrf: csrf },
          }),
      },
      {
        name: 'invalid percent-encoding',
        send: (x, url, csrf) =>
          x.request('POST', url, {
            payload: `_csrf=${csrf}&email=%FF%FE%C3%28%E2%82&otp=%00%00&loginId=%ZZ&password=%&confirmPassword=%C0%AF`,
            contentType: 'application/x-www-form-urlencoded',
          }),
      },
      {
        name: 'raw non-UTF-8 bytes',
        send: (x, url, csrf) =>
          x.request('POST', url, {
            payload: Buffer.concat([
              Buffer.from(`_csrf=${csrf}&email=`),
              Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x80]),
              Buffer.from('&otp='),
              Buffer.from([0xed, 0xa0, 0x80]),
            ]),
            contentType: 'application/x-www-form-urlencoded; charset=shift_jis',
          }),
      },
      {
        name: 'Shift_JIS text',
        send: (x, url, csrf) =>
          x.request('POST', url, {
            payload: Buffer.concat([
              Buffer.from(`_csrf=${csrf}&loginId=`),
              Buffer.from([0x83, 0x65, 0x83, 0x58, 0x83, 0x67]),
            ]),
            contentType: 'application/x-www-form-urlencoded',
          }),
      },
      {
        name: 'JSON body',
        send: (x, url, csrf) =>
          x.request('POST', url, {
            payload: JSON.stringify({
              _csrf: csrf,
              email: ['a'],
              otp: 12345678,
              confirmPassword: { $ne: null },
              type: null,
              choice: true,
              loginId: { toString: 1 },
            }),
            contentType: 'application/json',
          }),
      },
      {
        name: 'JSON with __proto__',
        send: (x, url, csrf) =>
          x.request('POST', url, {
            payload: `{"_csrf":"${csrf}","__proto__":{"otp":"12345678"},"constructor":{"prototype":{"x":1}}}`,
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
        send: (x, url, csrf) =>
          x.request('POST', url, { payload: `_csrf=${csrf}`, contentType: 'text/plain' }),
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
        send: (_x, url, csrf) =>
          new Browser(ph.app).request('POST', url, { form: { ...every('1234'), _csrf: csrf } }),
      },
    ];

    const failures: string[] = [];
    for (const route of routes) {
      for (const body of bodies) {
        await route.prepare();
        const r = await body.send(route.b, route.url, route.csrf());
        if (r.status >= 500)
          failures.push(`${route.url} ← ${body.name}: ${r.status} ${r.body.slice(0, 200)}`);
        else if (r.status === 200 && route.url !== '/ib/login')
          failures.push(`${route.url} ← ${body.name}: 200 (a garbage POST acted?)`);
      }
    }
    expect(failures).toEqual([]);

    // Nothing changed on the platform: no issuance, 佐藤 still active, 山田 still set up only.
    expect(await issuances(ph, YAMADA.platformRef)).toBe(1);
    expect(await issuances(ph, SATO.platformRef)).toBe(1);
    expect(await ph.client.getToken(SATO.platformRef)).toMatchObject({
      state: 'active',
      locked: false,
    });
    expect((await ph.client.getToken(YAMADA.platformRef))?.state).toBe('provisioned');
  });

  it('control characters never reach a database: a NUL in the login ID or the e-mail is refused with a message', async () => {
    // PostgreSQL refuses U+0000 in text ("invalid byte sequence"): unchecked, it would be a 500.
    const login1 = await postLogin(b, { loginId: 'yama\u0000da', password: YAMADA.password });
    expect(login1.status).toBe(400);
    expect(fieldError(login1.body, 'loginId')).not.toBeNull();
    expect(login1.res.cookies.map((c) => c.name)).not.toContain('ib_sid');

    await login(b, YAMADA);
    await b.post('/ib/otp/issue/start');
    await b.post('/ib/otp/issue/select', { type: 'software' });
    // The guide: 携帯電話メールアドレス (半角英数字記号): control and full-width characters are not.
    for (const email of [
      'ta\u0000ro@example.jp',
      'ta\u0007ro@example.jp',
      'たろう@example.jp',
      'taro@ｅｘａｍｐｌｅ.jp',
    ]) {
      const r = await b.post('/ib/otp/issue/software', {
        email,
        emailConfirm: email,
        activationPassword: '1234',
        activationPasswordConfirm: '1234',
      });
      expect(r.status, JSON.stringify(email)).toBe(400);
      expect(fieldError(r.body, 'email'), JSON.stringify(email)).toBe(
        'メールアドレスは半角英数字記号4～64文字の正しい形式で入力してください。',
      );
    }
    expect(await ph.client.getToken(YAMADA.platformRef)).toBeNull();
  });

  it('pages carry the security headers and no inline script or style the CSP would block', async () => {
    const pages: Page[] = [await b.get('/ib/login')];
    await login(b, YAMADA);
    pages.push(await b.get('/ib/top'), await b.get('/ib/otp'), await b.get('/ib/no-such-page'));
    await b.post('/ib/otp/issue/start');
    pages.push(await b.get('/ib/otp/issue'));
    pages.push(await b.post('/ib/otp/issue/select', { _csrf: 'wrong' }));
    for (const p of pages) {
      const csp = String(p.res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(p.res.headers['x-frame-options']).toBe('DENY');
      expect(p.res.headers['x-content-type-options']).toBe('nosniff');
      expect(String(p.res.headers['cache-control'])).toContain('no-store');
      expect(String(p.res.headers['content-type'])).toMatch(/^text\/html; charset=utf-8/);
      // What the CSP would block must not be there: inline scripts, handlers, style attributes.
      expect(p.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(p.body).not.toMatch(/\son[a-z]+\s*=/i);
      expect(p.body).not.toMatch(/\sstyle\s*=/i);
      expect(p.body).not.toMatch(/javascript:/i);
    }
  });

  it('escapes a hostile e-mail address wherever it is shown again', async () => {
    await login(b, YAMADA);
    await b.post('/ib/otp/issue/start');
    await b.post('/ib/otp/issue/select', { type: 'software' });
    const hostile = '"><script>alert(1)</script>@x.jp';
    const refused = await b.post('/ib/otp/issue/software', {
      email: hostile,
      emailConfirm: 'other@x.jp',
      activationPassword: '1234',
      activationPasswordConfirm: '1234',
    });
    expect(refused.status).toBe(400);
    expect(refused.body).not.toContain('<script>alert(1)');
    expect(refused.body).not.toContain('"><script>');
    expect(inputValue(refused.body, 'email')).toBe(
      '&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;@x.jp',
    );

    // The confirm screen shows it escaped too.
    const passed = await b.post('/ib/otp/issue/software', {
      email: hostile,
      emailConfirm: hostile,
      activationPassword: '1234',
      activationPasswordConfirm: '1234',
    });
    // It is visible ASCII with one @ and a dotted domain, so it passes the format check.
    expect(passed.location).toBe('/ib/otp/issue/software/confirm');
    const confirm = await b.follow(passed);
    expect(confirm.body).not.toContain('<script>alert(1)');
    expect(confirm.body).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;@x.jp');
    // The login form re-shows the login ID: escaped as well.
    const x = new Browser(ph.app);
    const r = await postLogin(x, { loginId: '"><img src=x onerror=alert(1)>', password: 'x' });
    expect(r.status).toBe(400);
    expect(r.body).not.toContain('<img src=x');
    expect(r.body).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
  });
});
