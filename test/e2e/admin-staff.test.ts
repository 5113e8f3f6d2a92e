/**
 * 行員管理 (issue 5) over HTTP, on SQLite and (with DATABASE_URL) PostgreSQL: an 管理者 adds a
 * staff member who then enrols and logs in; resets a member's authenticator app (their session
 * ends, the next login enrols a new app, the old app's codes no longer work); locks and unlocks
 * an account. Never on oneself, never across banks, never by an オペレーター; bad input refused
 * in Japanese with nothing changed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createAdminHarness,
  enrol,
  OTHER_SERVICE_ID,
  postAdminLogin,
  STAFF_PASSWORD,
  type AdminHarness,
} from '../support/admin-harness.js';
import { Browser } from '../support/portal-browser.js';

let ah: AdminHarness;
beforeEach(async () => {
  ah = await createAdminHarness();
});
afterEach(async () => {
  await ah.close();
});

async function staff(loginId: string, role: 'admin' | 'operator' = 'admin', serviceId?: string) {
  const id = await ah.createStaff(loginId, role, serviceId);
  const b = new Browser(ah.h.app);
  const { app } = await enrol(ah, b, loginId);
  return { id, b, app };
}

async function add(b: Browser, form: Record<string, string>) {
  await b.get('/admin/staff');
  return b.post('/admin/staff', {
    loginId: 'ito.new',
    name: '伊藤 次郎',
    role: 'operator',
    password: 'a-long-initial-pw-9',
    ...form,
  });
}

describe('行員管理', () => {
  it('adds a staff member of the bank, who enrols at first login', async () => {
    const { b } = await staff('boss');
    const r = await add(b, {});
    expect(r.location).toBe('/admin/staff?done=created&who=ito.new');
    expect((await b.follow(r)).body).toContain('ito.new を登録しました。');
    const created = await ah.h.store.findStaffByLoginId('ito.new');
    expect(created).toMatchObject({
      serviceId: ah.h.serviceId,
      role: 'operator',
      name: '伊藤 次郎',
      totpConfirmed: false,
    });
    const bossId = (await ah.h.store.findStaffByLoginId('boss'))!.id;
    const ev = (await ah.h.store.listAudit({ limit: 100 })).find(
      (e) => e.action === 'staff.created' && e.detail['loginId'] === 'ito.new',
    );
    expect(ev?.actor).toBe(`staff:${bossId}`);
    expect(JSON.stringify(ev)).not.toContain('a-long-initial-pw-9');
    const nb = new Browser(ah.h.app);
    const login = await postAdminLogin(nb, 'ito.new', 'a-long-initial-pw-9');
    expect(login.location).toBe('/admin/login/enrol');
  });

  it('bad input is refused in Japanese, field by field, and adds no one', async () => {
    const { b } = await staff('boss');
    for (const [form, text] of [
      [{ loginId: 'x' }, 'ログインIDは3～64文字の英数字'],
      [{ loginId: 'boss' }, 'このログインIDはすでに使われています。'],
      [{ name: '' }, '氏名を1～64文字で入力してください。'],
      [{ role: 'root' }, '権限を選んでください。'],
      [{ password: 'short' }, '初期パスワードは12文字以上'],
      [{ password: 'xx-ito.new-xxxxxx' }, '初期パスワードは12文字以上'],
    ] as const) {
      const r = await add(b, form);
      expect(r.status, JSON.stringify(form)).toBe(400);
      expect(r.body).toContain(text);
      expect(r.body).not.toContain('a-long-initial-pw-9');
    }
    expect(await ah.h.store.findStaffByLoginId('ito.new')).toBeNull();
    expect(await ah.h.store.findStaffByLoginId('x')).toBeNull();
  });

  it('resets an authenticator app: the session ends, the old app stops, the next login enrols anew', async () => {
    const { b } = await staff('boss');
    const sato = await staff('sato', 'operator');
    expect((await sato.b.get('/admin/dashboard')).status).toBe(200);
    await b.get('/admin/staff');
    const r = await b.post(`/admin/staff/${sato.id}/reset-totp`);
    expect(r.location).toBe('/admin/staff?done=reset&who=sato');
    // Sato's open session is over.
    expect((await sato.b.get('/admin/dashboard')).location).toBe('/admin/login');
    // The next login enrols a new app; the old app's code is not accepted.
    ah.h.clock.advance(30_000);
    const nb = new Browser(ah.h.app);
    const login = await postAdminLogin(nb, 'sato');
    expect(login.location).toBe('/admin/login/enrol');
    await nb.follow(login);
    const old = await nb.post('/admin/login/enrol', { code: sato.app.code(ah.h.clock.now()) });
    expect(old.status).toBe(400);
    expect(
      (await ah.h.store.listAudit({ limit: 200 })).some((e) => e.action === 'staff.totp_reset'),
    ).toBe(true);
  });

  it('locks an account (its session ends, login refused) and unlocks it', async () => {
    const { b } = await staff('boss');
    const sato = await staff('sato', 'operator');
    await b.get('/admin/staff');
    const r = await b.post(`/admin/staff/${sato.id}/lock`);
    expect(r.location).toBe('/admin/staff?done=locked&who=sato');
    expect((await b.follow(r)).body).toContain('ロック中');
    expect((await sato.b.get('/admin/dashboard')).location).toBe('/admin/login');
    const nb = new Browser(ah.h.app);
    expect((await postAdminLogin(nb, 'sato', STAFF_PASSWORD)).status).toBe(403);
    await b.get('/admin/staff');
    expect((await b.post(`/admin/staff/${sato.id}/unlock`)).location).toBe('/admin/staff');
    ah.h.clock.advance(30_000);
    expect((await postAdminLogin(new Browser(ah.h.app), 'sato')).location).toBe(
      '/admin/login/totp',
    );
  });

  it('never on oneself, never across banks, never without CSRF, never by an オペレーター', async () => {
    const boss = await staff('boss');
    const sato = await staff('sato', 'operator');
    const other = await staff('minato', 'admin', OTHER_SERVICE_ID);
    const page = await boss.b.get('/admin/staff');
    expect(page.body).not.toContain(`/admin/staff/${boss.id}/lock`);
    expect((await boss.b.post(`/admin/staff/${boss.id}/lock`)).status).toBe(403);
    expect((await boss.b.post(`/admin/staff/${boss.id}/reset-totp`)).status).toBe(403);
    expect((await boss.b.post(`/admin/staff/${other.id}/lock`)).status).toBe(404);
    expect((await boss.b.post('/admin/staff/abc/lock')).status).toBe(404);
    const forged = await boss.b.request('POST', `/admin/staff/${sato.id}/lock`, {
      form: { _csrf: 'x'.repeat(43) },
    });
    expect(forged.status).toBe(403);
    const forgedAdd = await boss.b.request('POST', '/admin/staff', {
      form: {
        _csrf: 'x'.repeat(43),
        loginId: 'ghost',
        name: 'g',
        role: 'admin',
        password: 'a-long-initial-pw-9',
      },
    });
    expect(forgedAdd.status).toBe(403);
    await sato.b.get('/admin/dashboard');
    expect((await sato.b.get('/admin/staff')).status).toBe(403);
    expect(
      (
        await sato.b.post('/admin/staff', {
          loginId: 'ghost2',
          name: 'g',
          role: 'admin',
          password: 'a-long-initial-pw-9',
        })
      ).status,
    ).toBe(403);
    expect((await sato.b.post(`/admin/staff/${boss.id}/lock`)).status).toBe(403);
    expect((await sato.b.post(`/admin/staff/${boss.id}/reset-totp`)).status).toBe(403);
    for (const id of ['boss', 'sato', 'minato']) {
      const s = await ah.h.store.findStaffByLoginId(id);
      expect(s?.lockedAt, id).toBeNull();
      expect(s?.totpConfirmed, id).toBe(true);
    }
    expect(await ah.h.store.findStaffByLoginId('ghost')).toBeNull();
    expect(await ah.h.store.findStaffByLoginId('ghost2')).toBeNull();
  });
});
