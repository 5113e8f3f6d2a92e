/**
 * The admin console (/admin) over HTTP, screen by screen, as a browser drives it (Fastify
 * `inject`, cookies by hand, each form's CSRF token read from the page). Codes come from the
 * QR code's otpauth URI, computed by an independent TOTP library (otpauth), as a staff member's
 * phone would. Each case checks the platform's side, not only the page: a refused action
 * changed nothing, an unlock really lets the customer's next OTP through, and every action is in
 * the audit trail.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InkanError } from '../../src/core/index.js';
import { createKeyring } from '../../src/crypto/keyring.js';
import { resealSecrets } from '../../src/services/index.js';
import { staffSecretAad } from '../../src/services/staff.js';
import { activeCustomer, type ProvisionedToken } from '../support/harness.js';
import {
  authenticatorOf,
  createAdminHarness,
  enrol,
  loginWithCode,
  OTHER_SERVICE_ID,
  otpauthOf,
  postAdminLogin,
  STAFF_PASSWORD,
  type AdminHarness,
} from '../support/admin-harness.js';
import { Browser, csrfOf, wrongOtp } from '../support/portal-browser.js';

const GENERIC = 'ログインIDまたはパスワードが正しくありません。';
const LOCKED = 'このアカウントはロックされています。';

let ah: AdminHarness;

beforeEach(async () => {
  ah = await createAdminHarness();
});
afterEach(async () => {
  await ah.close();
});

/** Five wrong OTPs through the platform API: the customer's token is locked (閉塞). */
async function lockCustomer(ref: string, t: ProvisionedToken): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const r = await ah.h.call('POST', `/api/v1/customers/${ref}/verify`, { otp: wrongOtp(t) });
    expect(r.status).toBe(200);
  }
  const token = await ah.h.call('GET', `/api/v1/customers/${ref}/token`);
  expect(token.json['locked']).toBe(true);
}

async function auditOf(action: string) {
  return (await ah.h.store.listAudit({ limit: 500 })).filter((e) => e.action === action);
}

describe('first login: the authenticator app is set up from the QR code', () => {
  it('shows an otpauth URI apps expect, as a QR code and a key, and confirms it with one code', async () => {
    await ah.createStaff('sato', 'operator');
    const b = new Browser(ah.h.app);
    const r = await postAdminLogin(b, 'sato');
    expect(r.status).toBe(303);
    expect(r.location).toBe('/admin/login/enrol');
    const cookie = r.res.cookies.find((c) => c.name === 'adm_sid');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/admin' });
    const firstSid = b.jar.get('adm_sid');

    const page = await b.follow(r);
    expect(page.body).toContain('認証アプリの登録');
    expect(page.body).toMatch(/<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/);
    const uri = otpauthOf(page.body);
    const u = new URL(uri);
    expect(u.protocol).toBe('otpauth:');
    expect(u.host).toBe('totp');
    expect(decodeURIComponent(u.pathname)).toBe('/Inkan あおぞら銀行:sato');
    expect(u.searchParams.get('issuer')).toBe('Inkan あおぞら銀行');
    expect(u.searchParams.get('algorithm')).toBe('SHA1');
    expect(u.searchParams.get('digits')).toBe('6');
    expect(u.searchParams.get('period')).toBe('30');
    // The key for typing in is the QR code's secret.
    const shown = /id="totp-secret">([A-Z2-7 ]+)</.exec(page.body)?.[1]?.replace(/ /g, '');
    expect(shown).toBe(u.searchParams.get('secret'));
    expect(shown).toHaveLength(32); // 160 bits
    // The QR code itself is the URI (decoded from the SVG would be the same; the page says so).
    expect(page.res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).not.toMatch(/<script/);

    const app = authenticatorOf(uri);
    const wrong = await b.post('/admin/login/enrol', {
      code: String((Number(app.code(ah.h.clock.now())) + 1) % 1_000_000).padStart(6, '0'),
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain('確認コードが正しくありません。');
    // Drawn again with the same secret: the staff member's app already has it.
    expect(otpauthOf(wrong.body)).toBe(uri);

    const done = await b.post('/admin/login/enrol', { code: app.code(ah.h.clock.now()) });
    expect(done.location).toBe('/admin/dashboard');
    expect(b.jar.get('adm_sid')).not.toBe(firstSid); // a new session ID at login
    const top = await b.follow(done);
    expect(top.body).toContain('顧客検索');
    expect(top.body).toContain('認証アプリを登録しました。');

    // From now on every login asks the code, never the enrolment again.
    ah.h.clock.advance(30_000);
    const b2 = new Browser(ah.h.app);
    const again = await postAdminLogin(b2, 'sato');
    expect(again.location).toBe('/admin/login/totp');
    expect((await b2.get('/admin/login/enrol')).location).toBe('/admin/login');
    const actions = (await ah.h.store.listAudit({ limit: 100 })).map(
      (e) => `${e.action}:${e.result}`,
    );
    expect(actions).toContain('staff.totp_enrolment:confirmed');
    expect(actions).toContain('staff.totp_enrolment:invalid');
  });

  it('a new login before confirmation shows a fresh secret (the first one is never used)', async () => {
    await ah.createStaff('sato', 'operator');
    const b = new Browser(ah.h.app);
    const first = otpauthOf((await b.follow(await postAdminLogin(b, 'sato'))).body);
    const second = otpauthOf((await b.follow(await postAdminLogin(b, 'sato'))).body);
    expect(second).not.toBe(first);
    // The first secret's code no longer confirms anything.
    const r = await b.post('/admin/login/enrol', {
      code: authenticatorOf(first).code(ah.h.clock.now()),
    });
    expect(r.status).toBe(400);
  });
});

describe('login refusals', () => {
  it('a wrong password and an unknown login ID get one generic message and no session', async () => {
    await ah.createStaff('sato', 'operator');
    for (const [id, pw] of [
      ['sato', 'wrong-password-1'],
      ['nobody', STAFF_PASSWORD],
    ] as const) {
      const b = new Browser(ah.h.app);
      const r = await postAdminLogin(b, id, pw);
      expect(r.status).toBe(400);
      expect(r.body).toContain(GENERIC);
      expect(b.jar.has('adm_sid')).toBe(false);
      expect(r.body).not.toContain(LOCKED);
    }
  });

  it('a login while the database is busy with other work: the 503 page in Japanese, no session', async () => {
    await ah.createStaff('sato', 'operator');
    // What the platform throws when another process held its database past the wait
    // (test/concurrency/sqlite-lock-wait.test.ts).
    ah.h.platform.staff.checkPassword = async () => {
      throw new InkanError('SERVICE_BUSY');
    };
    const b = new Browser(ah.h.app);
    const r = await postAdminLogin(b, 'sato', STAFF_PASSWORD);
    expect(r.status).toBe(503);
    expect(r.res.headers['retry-after']).toBe('1');
    expect(r.body).toContain('しばらくしてから再度お試しください');
    expect(r.body).toContain('ただいま混み合っています');
    expect(r.body).not.toContain('システムエラー');
    expect(r.body).not.toMatch(/SERVICE_BUSY|stack/);
    expect(b.jar.has('adm_sid')).toBe(false);
  });

  it('a login form without its token is refused (CSRF) and checks nothing', async () => {
    await ah.createStaff('sato', 'operator');
    const b = new Browser(ah.h.app);
    const r = await b.request('POST', '/admin/login', {
      form: { _csrf: 'x'.repeat(43), loginId: 'sato', password: STAFF_PASSWORD },
    });
    expect(r.status).toBe(403);
    expect(b.jar.has('adm_sid')).toBe(false);
  });

  it('a wrong code is refused; five in a row lock the account until an 管理者 unlocks it', async () => {
    await ah.createStaff('sato', 'operator');
    await ah.createStaff('boss', 'admin');
    const b = new Browser(ah.h.app);
    const { app } = await enrol(ah, b, 'sato');
    const bossBrowser = new Browser(ah.h.app);
    await enrol(ah, bossBrowser, 'boss');

    ah.h.clock.advance(30_000);
    const login = new Browser(ah.h.app);
    await login.follow(await postAdminLogin(login, 'sato'));
    const bad = String((Number(app.code(ah.h.clock.now())) + 5) % 1_000_000).padStart(6, '0');
    for (let i = 1; i <= 4; i++) {
      const r = await login.post('/admin/login/totp', { code: bad });
      expect(r.status).toBe(400);
      expect(r.body).toContain(`あと${5 - i}回誤ると`);
    }
    const fifth = await login.post('/admin/login/totp', { code: bad });
    expect(fifth.status).toBe(403);
    expect(fifth.body).toContain(LOCKED);
    expect(login.jar.has('adm_sid')).toBe(false);
    expect(await auditOf('staff.locked')).toHaveLength(1);

    // Locked: even the right password and code get nowhere; a wrong password says nothing more.
    const again = new Browser(ah.h.app);
    const locked = await postAdminLogin(again, 'sato');
    expect(locked.status).toBe(403);
    expect(locked.body).toContain(LOCKED);
    expect((await postAdminLogin(again, 'sato', 'wrong-password-1')).body).toContain(GENERIC);

    // An 管理者 of the same bank sees it on 行員管理 and unlocks it.
    ah.h.clock.advance(30_000);
    const list = await bossBrowser.get('/admin/staff');
    expect(list.status).toBe(200);
    expect(list.body).toContain('ロック中');
    const satoId = (await ah.h.store.findStaffByLoginId('sato'))?.id;
    const unlocked = await bossBrowser.post(`/admin/staff/${satoId}/unlock`);
    expect(unlocked.location).toBe('/admin/staff');
    expect((await bossBrowser.follow(unlocked)).body).toContain('sato のロックを解除しました。');
    const bossId = (await ah.h.store.findStaffByLoginId('boss'))?.id;
    expect((await auditOf('staff.unlocked'))[0]?.actor).toBe(`staff:${bossId}`);

    await loginWithCode(ah, new Browser(ah.h.app), 'sato', app);
  });

  it("a code once used is refused (single use), the next step's code is accepted", async () => {
    await ah.createStaff('sato', 'operator');
    const { app } = await enrol(ah, new Browser(ah.h.app), 'sato');
    ah.h.clock.advance(30_000);
    const code = app.code(ah.h.clock.now());
    const first = new Browser(ah.h.app);
    await first.follow(await postAdminLogin(first, 'sato'));
    expect((await first.post('/admin/login/totp', { code })).location).toBe('/admin/dashboard');

    const second = new Browser(ah.h.app);
    await second.follow(await postAdminLogin(second, 'sato'));
    const replay = await second.post('/admin/login/totp', { code });
    expect(replay.status).toBe(400);
    expect(replay.body).toContain('この確認コードはすでに使用されています。');
    // A code of the step before is used up as well (one step back is inside the window).
    const earlier = await second.post('/admin/login/totp', {
      code: app.code(ah.h.clock.now(), -1),
    });
    expect(earlier.status).toBe(400);
    ah.h.clock.advance(30_000);
    const next = await second.post('/admin/login/totp', { code: app.code(ah.h.clock.now()) });
    expect(next.location).toBe('/admin/dashboard');
    // A replayed code does not count toward the lock.
    expect((await ah.h.store.findStaffByLoginId('sato'))?.failedLogins).toBe(0);
  });
});

describe('the staff TOTP under concurrency and key rotation', () => {
  it('two logins racing with one code: exactly one is accepted', async () => {
    await ah.createStaff('sato', 'operator');
    const { app } = await enrol(ah, new Browser(ah.h.app), 'sato');
    const id = (await ah.h.store.findStaffByLoginId('sato'))?.id ?? 0;
    ah.h.clock.advance(30_000);
    const code = app.code(ah.h.clock.now());
    const results = await Promise.all(
      Array.from({ length: 8 }, () => ah.h.platform.staff.verifyTotp(id, null, code)),
    );
    expect(results.filter((r) => r.result === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r.result === 'replayed')).toHaveLength(7);
  });

  it('inkan keys rotate re-seals the staff secrets too (they still open, under the new key)', async () => {
    await ah.createStaff('sato', 'operator');
    const { app } = await enrol(ah, new Browser(ah.h.app), 'sato');
    const before = await ah.h.store.findStaffByLoginId('sato');
    // At rest the secret is sealed: none of its spellings is in the row.
    const bytes = Buffer.from(app.totp.secret.bytes);
    for (const spelling of [
      app.totp.secret.base32,
      bytes.toString('hex'),
      bytes.toString('base64url'),
    ])
      expect(JSON.stringify(before)).not.toContain(spelling.slice(0, 16));
    const keyring = createKeyring([
      { version: 1, key: ah.h.masterKey },
      { version: 2, key: randomBytes(32) },
    ]);
    const r = await resealSecrets(ah.h.store, keyring);
    expect(r.resealed).toBe(1);
    const after = await ah.h.store.findStaffByLoginId('sato');
    expect(after?.sealedTotpSecret).not.toBe(before?.sealedTotpSecret);
    expect(keyring.needsReseal(after?.sealedTotpSecret ?? '')).toBe(false);
    const secret = keyring.unseal(
      after?.sealedTotpSecret ?? '',
      staffSecretAad(after ?? { id: 0, loginId: '' }),
    );
    expect(Buffer.from(secret).equals(Buffer.from(app.totp.secret.bytes))).toBe(true);
  });
});

describe('customers: search, トークン詳細, 閉塞解除', () => {
  it('finds a locked customer by reference, ユーザID, serial and e-mail, and 閉塞解除 lets the next OTP through', async () => {
    const t = await activeCustomer(ah.h, 'cust-001');
    await lockCustomer('cust-001', t);
    await ah.createStaff('sato', 'operator');
    const b = new Browser(ah.h.app);
    await enrol(ah, b, 'sato');

    for (const q of ['cust-001', t.userId, t.serial, 'TARO@EXAMPLE.JP']) {
      const r = await b.get(`/admin/customers?q=${encodeURIComponent(q)}`);
      expect(r.status).toBe(200);
      expect(r.body).toContain('検索結果 1件');
      expect(r.body).toContain('href="/admin/customers/cust-001"');
      expect(r.body).toContain('閉塞中');
    }
    const none = await b.get('/admin/customers?q=nobody');
    expect(none.body).toContain('該当するお客さまは見つかりませんでした。');
    expect((await b.get('/admin/customers?q=')).status).toBe(400);

    const detail = await b.get('/admin/customers/cust-001');
    expect(detail.status).toBe(200);
    expect(detail.body).toContain('トークン詳細');
    expect(detail.body).toContain('data-locked="yes"');
    expect(detail.body).toContain(t.serial);
    expect(detail.body).toContain('利用中');
    // The history from the audit trail, newest first, in Japanese.
    const history = detail.body.slice(detail.body.indexOf('id="history"'));
    expect(history.indexOf('閉塞')).toBeLessThan(history.indexOf('利用開始'));
    expect(history).toContain('アプリ初期設定');
    expect(history).toContain('トークン発行');
    // An オペレーター has no 発行規制 action.
    expect(detail.body).not.toContain('id="lift-link"');

    const form = await b.get('/admin/customers/cust-001/unlock');
    expect(form.status).toBe(200);
    expect(form.body).toContain('<h1>閉塞解除</h1>');
    expect((await b.post('/admin/customers/cust-001/unlock', { reason: '   ' })).status).toBe(400);
    expect(
      (await b.post('/admin/customers/cust-001/unlock', { reason: 'x'.repeat(201) })).status,
    ).toBe(400);
    expect((await ah.h.call('GET', '/api/v1/customers/cust-001/token')).json['locked']).toBe(true);

    const done = await b.post('/admin/customers/cust-001/unlock', {
      reason: 'お客さまから電話で依頼、本人確認済',
    });
    expect(done.location).toBe('/admin/customers/cust-001');
    const after = await b.follow(done);
    expect(after.body).toContain('閉塞を解除しました。');
    expect(after.body).toContain('data-locked="no"');
    expect(after.body).toContain('お客さまから電話で依頼、本人確認済');
    expect(after.body).toContain('行員 テスト sato');

    const staffId = (await ah.h.store.findStaffByLoginId('sato'))?.id;
    const unlock = (await auditOf('token.unlocked'))[0];
    expect(unlock?.actor).toBe(`staff:${staffId}`);
    expect(unlock?.detail['reason']).toBe('お客さまから電話で依頼、本人確認済');

    ah.h.clock.advance(60_000);
    const v = await ah.h.call('POST', '/api/v1/customers/cust-001/verify', { otp: t.otp() });
    expect(v.json['result']).toBe('ok');
  });

  it("another bank's customer is not found, by search or by URL", async () => {
    await activeCustomer(ah.h, 'shared-ref');
    await ah.createStaff('minato', 'admin', OTHER_SERVICE_ID);
    const b = new Browser(ah.h.app);
    const { page } = await enrol(ah, b, 'minato');
    expect(page.body).toContain('みなと信用金庫');
    const search = await b.get('/admin/customers?q=shared-ref');
    expect(search.body).toContain('該当するお客さまは見つかりませんでした。');
    const direct = await b.get('/admin/customers/shared-ref');
    expect(direct.status).toBe(404);
    const unlock = await b.post('/admin/customers/shared-ref/unlock', { reason: 'test' });
    expect(unlock.status).toBe(404);
    expect(await auditOf('token.unlocked')).toHaveLength(0);
  });

  it('a POST without the session token is refused (CSRF) and changes nothing', async () => {
    const t = await activeCustomer(ah.h, 'cust-002');
    await lockCustomer('cust-002', t);
    await ah.createStaff('sato', 'operator');
    const b = new Browser(ah.h.app);
    await enrol(ah, b, 'sato');
    for (const token of ['', 'x'.repeat(43)]) {
      const r = await b.request('POST', '/admin/customers/cust-002/unlock', {
        form: { _csrf: token, reason: 'forged' },
      });
      expect(r.status).toBe(403);
      expect(r.body).toContain('操作を受け付けられませんでした');
    }
    expect((await ah.h.call('GET', '/api/v1/customers/cust-002/token')).json['locked']).toBe(true);
  });
});

describe('roles: 管理者-only actions are refused to オペレーター on the server', () => {
  it('lifting 発行規制: hidden for and refused to an オペレーター (direct GET and POST: 403), done by an 管理者', async () => {
    // Five issuances reach the default limit (5 in 30 days).
    for (let i = 0; i < 5; i++) {
      const r = await ah.h.call('POST', '/api/v1/customers/cust-003/tokens', {
        type: 'software',
        email: 'hanako@example.jp',
        activationPassword: '1234',
      });
      expect(r.status).toBe(201);
    }
    const refused = await ah.h.call('POST', '/api/v1/customers/cust-003/tokens', {
      type: 'hardware',
    });
    expect(refused.json['code']).toBe('ISSUANCE_LIMIT');

    await ah.createStaff('sato', 'operator');
    await ah.createStaff('boss', 'admin');
    const op = new Browser(ah.h.app);
    await enrol(ah, op, 'sato');
    const detail = await op.get('/admin/customers/cust-003');
    expect(detail.body).toContain('data-restricted="yes"');
    expect(detail.body).not.toContain('id="lift-link"');
    expect((await op.get('/admin/customers/cust-003/issuance-limit')).status).toBe(403);
    const post = await op.post('/admin/customers/cust-003/issuance-limit', {
      reason: '窓口で確認済',
    });
    expect(post.status).toBe(403);
    expect(post.body).toContain('この操作を行う権限がありません');
    // Refused for the role before the reason is even looked at.
    expect((await op.post('/admin/customers/cust-003/issuance-limit', { reason: '' })).status).toBe(
      403,
    );
    expect((await op.get('/admin/staff')).status).toBe(403);
    expect(
      (await ah.h.call('POST', '/api/v1/customers/cust-003/tokens', { type: 'hardware' })).json[
        'code'
      ],
    ).toBe('ISSUANCE_LIMIT');
    const forbidden = await auditOf('staff.forbidden');
    expect(forbidden.map((e) => e.result)).toContain('customer.lift_issuance_limit');

    const admin = new Browser(ah.h.app);
    await enrol(ah, admin, 'boss');
    ah.h.clock.advance(1000); // only issuances after the lift count: these were before it
    const adminDetail = await admin.get('/admin/customers/cust-003');
    expect(adminDetail.body).toContain('id="lift-link"');
    const page = await admin.get('/admin/customers/cust-003/issuance-limit');
    expect(page.body).toContain('<h1>発行規制の解除</h1>');
    const lifted = await admin.post('/admin/customers/cust-003/issuance-limit', {
      reason: '窓口で本人確認済',
    });
    expect(lifted.location).toBe('/admin/customers/cust-003');
    expect((await admin.follow(lifted)).body).toContain('data-restricted="no"');
    const issued = await ah.h.call('POST', '/api/v1/customers/cust-003/tokens', {
      type: 'hardware',
    });
    expect(issued.status, JSON.stringify(issued.json)).toBe(201);
    expect((await auditOf('customer.issuance_limit_lifted'))[0]?.detail['reason']).toBe(
      '窓口で本人確認済',
    );
  });
});

describe('sessions', () => {
  it('ends after 15 minutes without a request (injected clock), and logout ends it at once', async () => {
    await ah.createStaff('sato', 'operator');
    const b = new Browser(ah.h.app);
    const { app } = await enrol(ah, b, 'sato');
    ah.h.clock.advance(14 * 60_000);
    expect((await b.get('/admin/customers')).status).toBe(200); // a request resets the idle time
    ah.h.clock.advance(14 * 60_000);
    expect((await b.get('/admin/customers')).status).toBe(200);
    ah.h.clock.advance(15 * 60_000 + 1000);
    const r = await b.get('/admin/customers');
    expect(r.status).toBe(303);
    expect(r.location).toBe('/admin/login?timeout=1');
    expect((await b.follow(r)).body).toContain('15分間操作がなかったため');
    expect((await auditOf('staff.logout')).map((e) => e.result)).toEqual(['idle_timeout']);

    const b2 = new Browser(ah.h.app);
    const top = await loginWithCode(ah, b2, 'sato', app);
    const bye = await b2.post('/admin/logout', { _csrf: csrfOf(top.body) });
    expect(bye.location).toBe('/admin/login?bye=1');
    expect((await b2.get('/admin/customers')).location).toBe('/admin/login');
  });

  it('an unauthenticated request goes to login; the password stage alone opens nothing', async () => {
    await ah.createStaff('sato', 'operator');
    const b = new Browser(ah.h.app);
    expect((await b.get('/admin/customers')).location).toBe('/admin/login');
    await postAdminLogin(b, 'sato'); // enrolment stage: password only
    expect((await b.get('/admin/customers')).location).toBe('/admin/login');
    expect((await b.get('/admin/customers/x')).location).toBe('/admin/login');
  });
});

describe('language and limits', () => {
  it('Japanese by default; the switch sets a cookie and returns to the same page in English', async () => {
    await ah.createStaff('sato', 'operator');
    const b = new Browser(ah.h.app);
    await enrol(ah, b, 'sato');
    const r = await b.get('/admin/lang?to=en&back=%2Fadmin%2Fcustomers');
    expect(r.location).toBe('/admin/customers');
    const page = await b.follow(r);
    expect(page.body).toContain('<html lang="en">');
    expect(page.body).toContain('Customer search');
    expect((await b.get('/admin/lang?to=en&back=https%3A%2F%2Fevil.example%2F')).status).toBe(400);
    expect((await b.get('/admin/lang?to=en&back=%2Fib%2Ftop')).status).toBe(400);
  });

  it('rate-limits login attempts per login ID (429 with Retry-After)', async () => {
    await ah.close();
    ah = await createAdminHarness({ limits: { loginPerLoginId: 3 } });
    await ah.createStaff('sato', 'operator');
    const b = new Browser(ah.h.app);
    for (let i = 0; i < 3; i++)
      expect((await postAdminLogin(b, 'sato', 'wrong-password-1')).status).toBe(400);
    const r = await postAdminLogin(b, 'sato', 'wrong-password-1');
    expect(r.status).toBe(429);
    expect(r.res.headers['retry-after']).toBeDefined();
  });
});
