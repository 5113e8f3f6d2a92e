/**
 * パスワード変更 in the admin console, on SQLite and (with DATABASE_URL) PostgreSQL. A member an
 * 管理者 added with an initial password must choose their own right after the first login's
 * code, and reaches nothing else before; any member can change theirs from the header with the
 * current one. Bad input is refused in Japanese and changes nothing; every change is audited and
 * never carries a password.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  authenticatorOf,
  createAdminHarness,
  enrol,
  otpauthOf,
  postAdminLogin,
  STAFF_PASSWORD,
  type AdminHarness,
} from '../support/admin-harness.js';
import { Browser } from '../support/portal-browser.js';

const INITIAL = 'a-long-initial-pw-9';
const CHOSEN = 'my-own-secret-phrase-42';

let ah: AdminHarness;
beforeEach(async () => {
  ah = await createAdminHarness();
});
afterEach(async () => ah.close());

/** An 管理者 adds 伊藤 with an initial password in 行員管理. */
async function bossAddsIto(): Promise<void> {
  await ah.createStaff('boss', 'admin');
  const b = new Browser(ah.h.app);
  await enrol(ah, b, 'boss');
  await b.get('/admin/staff');
  const r = await b.post('/admin/staff', {
    loginId: 'ito.new',
    name: '伊藤 次郎',
    role: 'operator',
    password: INITIAL,
  });
  expect(r.location).toBe('/admin/staff?done=created&who=ito.new');
}

/** 伊藤's first login: password, the app's enrolment, and then the forced change screen. */
async function itoFirstLogin(): Promise<{ b: Browser; app: ReturnType<typeof authenticatorOf> }> {
  const b = new Browser(ah.h.app);
  const login = await postAdminLogin(b, 'ito.new', INITIAL);
  expect(login.location).toBe('/admin/login/enrol');
  const page = await b.follow(login);
  const app = authenticatorOf(otpauthOf(page.body));
  const done = await b.post('/admin/login/enrol', { code: app.code(ah.h.clock.now()) });
  expect(done.location).toBe('/admin/login/password');
  return { b, app };
}

async function audits(action: string) {
  return (await ah.h.store.listAudit({ limit: 200 })).filter((e) => e.action === action);
}

describe('パスワード変更 at the first login', () => {
  it('a member added by an 管理者 must choose a new password before anything else', async () => {
    await bossAddsIto();
    const { b } = await itoFirstLogin();
    const screen = await b.get('/admin/login/password');
    expect(screen.status).toBe(200);
    expect(screen.body).toContain('パスワード変更');
    expect(screen.body).toContain('管理者が登録したもの');
    expect(screen.body).not.toContain('name="current"');
    // Nothing else is reachable yet, by menu or by URL: each leads back to this screen.
    for (const url of ['/admin/dashboard', '/admin/customers', '/admin/password']) {
      expect((await b.get(url)).location, url).toBe('/admin/login/password');
    }
    // Refusals, each next to its field, in Japanese; the password stays the initial one.
    for (const [form, text] of [
      [{ password: 'short', confirm: 'short' }, '新しいパスワードは12文字以上'],
      [{ password: INITIAL, confirm: INITIAL }, '現在と異なるパスワード'],
      [{ password: CHOSEN, confirm: `${CHOSEN}x` }, '確認用のパスワードが一致しません'],
      [{ password: 'xx-ito.new-yyyyyy', confirm: 'xx-ito.new-yyyyyy' }, 'ログインIDを含まず'],
    ] as const) {
      const r = await b.post('/admin/login/password', form);
      expect(r.status, JSON.stringify(form)).toBe(400);
      expect(r.body).toContain(text);
      expect(r.body).not.toContain(form.password);
    }
    expect((await ah.h.store.findStaffByLoginId('ito.new'))?.passwordChangeRequired).toBe(true);
    // Without the session's CSRF token nothing changes.
    const forged = await b.request('POST', '/admin/login/password', {
      form: { _csrf: 'x'.repeat(43), password: CHOSEN, confirm: CHOSEN },
    });
    expect(forged.status).toBe(403);
    expect((await ah.h.store.findStaffByLoginId('ito.new'))?.passwordChangeRequired).toBe(true);

    const ok = await b.post('/admin/login/password', { password: CHOSEN, confirm: CHOSEN });
    expect(ok.location).toBe('/admin/dashboard');
    expect((await b.follow(ok)).body).toContain('パスワードを変更しました。');
    expect((await ah.h.store.findStaffByLoginId('ito.new'))?.passwordChangeRequired).toBe(false);
    const ev = await audits('staff.password_changed');
    expect(ev.map((e) => [e.result, e.detail['forced']])).toEqual([['ok', true]]);
    expect(JSON.stringify(ev)).not.toContain(CHOSEN);
    // The initial password no longer works; the chosen one does.
    ah.h.clock.advance(30_000);
    expect((await postAdminLogin(new Browser(ah.h.app), 'ito.new', INITIAL)).status).toBe(400);
    const again = await postAdminLogin(new Browser(ah.h.app), 'ito.new', CHOSEN);
    expect(again.location).toBe('/admin/login/totp');
  });

  it('a member created with the CLI (who typed their own password) is not asked', async () => {
    await ah.createStaff('sato', 'operator');
    const { page } = await enrol(ah, new Browser(ah.h.app), 'sato');
    expect(page.status).toBe(200);
    expect((await ah.h.store.findStaffByLoginId('sato'))?.passwordChangeRequired).toBe(false);
  });

  it('leaving the change screen and logging in again asks again', async () => {
    await bossAddsIto();
    const { app } = await itoFirstLogin();
    // A new login (the app enrolled now): password, code, and the change screen once more.
    ah.h.clock.advance(30_000);
    const b = new Browser(ah.h.app);
    const login = await postAdminLogin(b, 'ito.new', INITIAL);
    expect(login.location).toBe('/admin/login/totp');
    await b.follow(login);
    const code = await b.post('/admin/login/totp', { code: app.code(ah.h.clock.now()) });
    expect(code.location).toBe('/admin/login/password');
    expect((await b.get('/admin/dashboard')).location).toBe('/admin/login/password');
  });
});

describe('パスワード変更 from the header', () => {
  it('needs the current password; then the new one replaces it', async () => {
    await ah.createStaff('sato', 'operator');
    const b = new Browser(ah.h.app);
    const { page } = await enrol(ah, b, 'sato');
    expect(page.body).toContain('href="/admin/password"');
    const form = await b.get('/admin/password');
    expect(form.body).toContain('name="current"');
    // The menu is there to leave by, with no item marked as the current screen.
    expect(form.body).toContain('<nav class="menu"');
    expect(form.body).not.toContain('aria-current');
    // So on a message page (a customer that does not exist): no item, not 顧客検索, the old stand-in.
    const missing = await b.get('/admin/customers/no-such-customer');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('<nav class="menu"');
    expect(missing.body).not.toContain('aria-current');
    // A screen of the menu still marks its own item.
    expect((await b.get('/admin/customers')).body).toMatch(
      /<a href="\/admin\/customers" aria-current="page">/,
    );
    const wrong = await b.post('/admin/password', {
      current: 'not-my-password-1',
      password: CHOSEN,
      confirm: CHOSEN,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain('現在のパスワードが正しくありません。');
    expect((await audits('staff.password_changed')).map((e) => e.result)).toEqual([
      'wrong_password',
    ]);
    const ok = await b.post('/admin/password', {
      current: STAFF_PASSWORD,
      password: CHOSEN,
      confirm: CHOSEN,
    });
    expect(ok.location).toBe('/admin/dashboard');
    expect((await b.follow(ok)).body).toContain('パスワードを変更しました。');
    ah.h.clock.advance(30_000);
    expect((await postAdminLogin(new Browser(ah.h.app), 'sato', STAFF_PASSWORD)).status).toBe(400);
    expect((await postAdminLogin(new Browser(ah.h.app), 'sato', CHOSEN)).location).toBe(
      '/admin/login/totp',
    );
  });

  it('wrong current passwords count toward the lock like wrong logins, and the fifth ends the session', async () => {
    await ah.createStaff('sato', 'operator');
    const b = new Browser(ah.h.app);
    await enrol(ah, b, 'sato');
    let last = await b.get('/admin/password');
    for (let i = 0; i < 5; i++) {
      last = await b.post('/admin/password', {
        current: `wrong-password-${i}x`,
        password: CHOSEN,
        confirm: CHOSEN,
      });
    }
    expect(last.location).toBe('/admin/login');
    expect((await ah.h.store.findStaffByLoginId('sato'))?.lockedAt).not.toBeNull();
    expect((await b.get('/admin/dashboard')).location).toBe('/admin/login');
  });
});

describe('仮パスワードの設定 by an 管理者 (a forgotten password)', () => {
  const TEMP = 'temporary-pass-77';

  it('ends the member’s sessions; their next login takes the temporary one and asks for their own', async () => {
    await ah.createStaff('boss', 'admin');
    await ah.createStaff('sato', 'operator');
    const boss = new Browser(ah.h.app);
    await enrol(ah, boss, 'boss');
    const sato = new Browser(ah.h.app);
    const { app } = await enrol(ah, sato, 'sato');
    const satoId = (await ah.h.store.findStaffByLoginId('sato'))!.id;
    const list = await boss.get('/admin/staff');
    expect(list.body).toContain(`href="/admin/staff/${satoId}/password"`);
    const form = await boss.get(`/admin/staff/${satoId}/password`);
    expect(form.body).toContain('仮パスワードの設定');
    // Bad input: refused in Japanese, nothing changed.
    for (const password of ['short', 'xx-sato-xxxxxxxxx', 'aaaaaaaaaaaaaaaa']) {
      const r = await boss.post(`/admin/staff/${satoId}/password`, { password });
      expect(r.status, password).toBe(400);
      expect(r.body).toContain('仮パスワードは12文字以上');
    }
    expect((await sato.get('/admin/dashboard')).status).toBe(200);

    const r = await boss.post(`/admin/staff/${satoId}/password`, { password: TEMP });
    expect(r.location).toBe('/admin/staff?done=password&who=sato');
    const after = await boss.follow(r);
    expect(after.body).toContain('sato の仮パスワードを設定しました。');
    expect(after.body).toContain('パスワード変更待ち');
    // Sato's open session is over; the old password is refused; the temporary one leads to the
    // code and then to the change screen.
    expect((await sato.get('/admin/dashboard')).location).toBe('/admin/login');
    ah.h.clock.advance(30_000);
    expect((await postAdminLogin(new Browser(ah.h.app), 'sato', STAFF_PASSWORD)).status).toBe(400);
    const nb = new Browser(ah.h.app);
    const login = await postAdminLogin(nb, 'sato', TEMP);
    expect(login.location).toBe('/admin/login/totp');
    await nb.follow(login);
    const code = await nb.post('/admin/login/totp', { code: app.code(ah.h.clock.now()) });
    expect(code.location).toBe('/admin/login/password');
    await nb.follow(code);
    const changed = await nb.post('/admin/login/password', { password: CHOSEN, confirm: CHOSEN });
    expect(changed.location).toBe('/admin/dashboard');
    const ev = await audits('staff.password_reset');
    expect(ev.map((e) => [e.detail['loginId'], e.actor])).toEqual([
      ['sato', `staff:${(await ah.h.store.findStaffByLoginId('boss'))!.id}`],
    ]);
    expect(JSON.stringify(await ah.h.store.listAudit({ limit: 300 }))).not.toContain(TEMP);
  });

  it('never by an オペレーター, never on oneself, never across banks, never without CSRF', async () => {
    await ah.createStaff('boss', 'admin');
    await ah.createStaff('sato', 'operator');
    await ah.createStaff('minato', 'admin', '20000001');
    const boss = new Browser(ah.h.app);
    await enrol(ah, boss, 'boss');
    const sato = new Browser(ah.h.app);
    await enrol(ah, sato, 'sato');
    const id = async (l: string) => (await ah.h.store.findStaffByLoginId(l))!.id;
    const before = (await ah.h.store.findStaffByLoginId('sato'))!.passwordHash;
    expect((await sato.get(`/admin/staff/${await id('boss')}/password`)).status).toBe(403);
    expect(
      (await sato.post(`/admin/staff/${await id('boss')}/password`, { password: TEMP })).status,
    ).toBe(403);
    // On oneself, GET and POST alike lead to one's own パスワード変更 screen, and nothing changes.
    const bossBefore = (await ah.h.store.findStaffByLoginId('boss'))!.passwordHash;
    const ownGet = await boss.get(`/admin/staff/${await id('boss')}/password`);
    expect([ownGet.status, ownGet.location]).toEqual([303, '/admin/password']);
    expect((await boss.follow(ownGet)).status).toBe(200);
    const ownPost = await boss.post(`/admin/staff/${await id('boss')}/password`, {
      password: TEMP,
    });
    expect([ownPost.status, ownPost.location]).toEqual([303, '/admin/password']);
    expect((await ah.h.store.findStaffByLoginId('boss'))!.passwordHash).toBe(bossBefore);
    expect(
      (await boss.post(`/admin/staff/${await id('minato')}/password`, { password: TEMP })).status,
    ).toBe(404);
    expect((await boss.post('/admin/staff/abc/password', { password: TEMP })).status).toBe(404);
    const forged = await boss.request('POST', `/admin/staff/${await id('sato')}/password`, {
      form: { _csrf: 'x'.repeat(43), password: TEMP },
    });
    expect(forged.status).toBe(403);
    expect((await ah.h.store.findStaffByLoginId('sato'))!.passwordHash).toBe(before);
    expect(await audits('staff.password_reset')).toHaveLength(0);
  });
});

describe('what a password change and a temporary password may not do', () => {
  const TEMP = 'temporary-pass-88';

  it('a change ends the member’s other sessions; the browser that changed it goes on', async () => {
    await ah.createStaff('sato', 'operator');
    const one = new Browser(ah.h.app);
    const { app } = await enrol(ah, one, 'sato');
    ah.h.clock.advance(30_000);
    const two = new Browser(ah.h.app);
    const r = await postAdminLogin(two, 'sato');
    await two.follow(r);
    await two.post('/admin/login/totp', { code: app.code(ah.h.clock.now()) });
    expect((await two.get('/admin/dashboard')).status).toBe(200);
    await one.get('/admin/password');
    const ok = await one.post('/admin/password', {
      current: STAFF_PASSWORD,
      password: CHOSEN,
      confirm: CHOSEN,
    });
    expect(ok.location).toBe('/admin/dashboard');
    expect((await one.get('/admin/dashboard')).status).toBe(200);
    expect((await two.get('/admin/dashboard')).location).toBe('/admin/login');
  });

  it('one 管理者 cannot both reset a colleague’s app and set their password (no takeover)', async () => {
    await ah.createStaff('boss', 'admin');
    await ah.createStaff('kato', 'admin');
    await ah.createStaff('sato', 'operator');
    const boss = new Browser(ah.h.app);
    await enrol(ah, boss, 'boss');
    await enrol(ah, new Browser(ah.h.app), 'kato');
    await enrol(ah, new Browser(ah.h.app), 'sato');
    const id = async (l: string) => (await ah.h.store.findStaffByLoginId(l))!.id;
    // App reset first: then no temporary password (and no button for it).
    await boss.get('/admin/staff');
    expect((await boss.post(`/admin/staff/${await id('kato')}/reset-totp`)).status).toBe(303);
    const list = await boss.get('/admin/staff');
    expect(list.body).not.toContain(`/admin/staff/${await id('kato')}/password`);
    const kato = (await ah.h.store.findStaffByLoginId('kato'))!.passwordHash;
    expect(
      (await boss.post(`/admin/staff/${await id('kato')}/password`, { password: TEMP })).status,
    ).toBe(403);
    expect((await ah.h.store.findStaffByLoginId('kato'))!.passwordHash).toBe(kato);
    // Temporary password first: then no app reset until the member changed it.
    expect(
      (await boss.post(`/admin/staff/${await id('sato')}/password`, { password: TEMP })).status,
    ).toBe(303);
    expect((await boss.get('/admin/staff')).body).not.toContain(
      `/admin/staff/${await id('sato')}/reset-totp`,
    );
    expect((await boss.post(`/admin/staff/${await id('sato')}/reset-totp`)).status).toBe(403);
    expect((await ah.h.store.findStaffByLoginId('sato'))!.totpConfirmed).toBe(true);
  });
});
