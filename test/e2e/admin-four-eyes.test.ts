/**
 * Forced 利用解除 on a paper request under four eyes (guide 004 書面による手続き, issue 5), over
 * HTTP as the console's forms send it, on SQLite and (with DATABASE_URL) PostgreSQL. The hole
 * this closes: one staff member alone ending a customer's token. Each case checks the platform's
 * side (the token still works, or really ended), not only the page, and the audit trail.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activeCustomer, type ProvisionedToken } from '../support/harness.js';
import {
  createAdminHarness,
  enrol,
  OTHER_SERVICE_ID,
  type AdminHarness,
} from '../support/admin-harness.js';
import { Browser, type Page } from '../support/portal-browser.js';

let ah: AdminHarness;
let t: ProvisionedToken;

beforeEach(async () => {
  ah = await createAdminHarness();
  t = await activeCustomer(ah.h, 'C1001');
});
afterEach(async () => {
  await ah.close();
});

async function staffBrowser(
  loginId: string,
  role: 'admin' | 'operator' = 'admin',
  serviceId?: string,
) {
  await ah.createStaff(loginId, role, serviceId);
  const b = new Browser(ah.h.app);
  await enrol(ah, b, loginId);
  return b;
}

async function tokenState(ref = 'C1001'): Promise<unknown> {
  const r = await ah.h.call('GET', `/api/v1/customers/${ref}/token`);
  return r.status === 404 ? 'none' : r.json['state'];
}

/** The customer's OTP still verifies (the token was not ended). */
async function stillWorks(): Promise<void> {
  ah.h.clock.advance(30_000);
  const r = await ah.h.call('POST', '/api/v1/customers/C1001/verify', { otp: t.otp() });
  expect(r.json['result']).toBe('ok');
}

async function actions(): Promise<string[]> {
  return (await ah.h.store.listAudit({ limit: 500 })).map((e) => `${e.action}:${e.result}`);
}

/** Draws the form (taking its CSRF token) and records a request. */
async function ask(b: Browser, form: { reason?: string; paperRef?: string } = {}): Promise<Page> {
  const page = await b.get('/admin/customers/C1001/deactivate');
  expect(page.status).toBe(200);
  return b.post('/admin/customers/C1001/deactivate', {
    reason: '携帯電話紛失のため書面にて依頼',
    paperRef: '2026-1203-015',
    ...form,
  });
}

async function pendingId(): Promise<number> {
  const list = await ah.h.store.listDeactivationRequests(ah.h.serviceId, {
    pending: true,
    limit: 10,
  });
  expect(list).toHaveLength(1);
  return list[0]!.id;
}

describe('four eyes: one 管理者 asks, a second approves, only then the token ends', () => {
  it('request → 承認待ち (token still works) → another approves → 未登録, all on record', async () => {
    const sato = await staffBrowser('sato');
    const kato = await staffBrowser('kato');
    const detail = await sato.get('/admin/customers/C1001');
    expect(detail.body).toContain('href="/admin/customers/C1001/deactivate"');

    const asked = await ask(sato);
    expect(asked.location).toBe('/admin/approvals?done=requested');
    const list = await sato.follow(asked);
    expect(list.body).toContain('承認を依頼しました。');
    expect(list.body).toContain('2026-1203-015');
    expect(list.body).toContain('ご自身の申請');
    // The requester sees no approve button on their own request.
    expect(list.body).not.toContain('data-approve');
    expect(await tokenState()).toBe('active');
    // トークン詳細 tells whoever looks that a paper request waits (and offers no second one).
    const pendingDetail = await kato.get('/admin/customers/C1001');
    expect(pendingDetail.body).toContain('書面による利用解除が承認待ちです');
    expect(pendingDetail.body).not.toContain('id="paper-deactivate-link"');
    await stillWorks();

    // A second 管理者 sees it with the approve button and approves.
    const theirs = await kato.get('/admin/approvals');
    expect(theirs.body).toContain('data-approve');
    expect(theirs.body).toContain('テスト sato');
    const id = await pendingId();
    // The paper must be checked first: without the confirmation nothing happens.
    const unchecked = await kato.post(`/admin/approvals/${id}/approve`);
    expect(unchecked.status).toBe(400);
    expect(unchecked.body).toContain(
      '書面の原本と照合したことを確認し、チェックを入れてください。',
    );
    expect(await tokenState()).toBe('active');
    const approved = await kato.post(`/admin/approvals/${id}/approve`, { checked: 'on' });
    expect(approved.location).toBe('/admin/approvals?done=approved');
    expect((await kato.follow(approved)).body).toContain('トークンを利用解除しました。');
    expect(await tokenState()).toBe('none');
    const v = await ah.h.call('POST', '/api/v1/customers/C1001/verify', { otp: t.otp() });
    expect(v.json['result']).toBe('no_token');

    const katoId = (await ah.h.store.findStaffByLoginId('kato'))!.id;
    const satoId = (await ah.h.store.findStaffByLoginId('sato'))!.id;
    const events = await ah.h.store.listAudit({ limit: 500 });
    const ended = events.find((e) => e.action === 'token.deactivated');
    expect(ended).toMatchObject({ actor: `staff:${katoId}`, result: 'staff_deactivated' });
    expect(ended?.detail).toMatchObject({ paperRef: '2026-1203-015', requestId: String(id) });
    expect(events.find((e) => e.action === 'token.deactivation_requested')?.actor).toBe(
      `staff:${satoId}`,
    );
    expect(await actions()).toContain('token.deactivation_approved:approved');
    const row = await ah.h.store.getDeactivationRequest(id);
    expect(row).toMatchObject({ state: 'approved', requestedBy: satoId, decidedBy: katoId });

    // The history shows both steps; the decided list shows who approved.
    const after = await sato.get('/admin/approvals');
    expect(after.body).toContain('承認済（利用解除）');
    const hist = await sato.get('/admin/customers/C1001');
    expect(hist.body).toContain('書面による利用解除の申請');
    expect(hist.body).toContain('書面による利用解除の承認');

    // Decided once: a second approval (double submit) is refused and changes nothing.
    const again = await kato.post(`/admin/approvals/${id}/approve`, { checked: 'on' });
    expect(again.status).toBe(409);
    expect(again.body).toContain('この申請はすでに処理されています');
  });

  it('the requester cannot approve their own request, even by a direct POST', async () => {
    const sato = await staffBrowser('sato');
    await ask(sato);
    const id = await pendingId();
    await sato.get('/admin/approvals');
    const own = await sato.post(`/admin/approvals/${id}/approve`, { checked: 'on' });
    expect(own.status).toBe(403);
    expect(own.body).toContain('ご自身の申請は承認できません');
    // The message belongs to the approvals screen, and its menu item says so.
    expect(own.body).toMatch(/<a href="\/admin\/approvals" aria-current="page">/);
    expect(await tokenState()).toBe('active');
    expect((await ah.h.store.getDeactivationRequest(id))?.state).toBe('pending');
    expect(await actions()).toContain('token.deactivation_approve:own_request');
    await stillWorks();
  });

  it('the requester withdraws (取消) and another 管理者 rejects (却下), each with a reason', async () => {
    const sato = await staffBrowser('sato');
    const kato = await staffBrowser('kato');
    await ask(sato);
    let id = await pendingId();
    await sato.get('/admin/approvals');
    const withdrawn = await sato.post(`/admin/approvals/${id}/reject`, {
      reason: '書面の記入漏れ',
    });
    expect(withdrawn.location).toBe('/admin/approvals?done=cancelled');
    expect((await ah.h.store.getDeactivationRequest(id))?.state).toBe('cancelled');

    await ask(sato, { paperRef: '2026-1203-016' });
    id = await pendingId();
    await kato.get('/admin/approvals');
    const rejected = await kato.post(`/admin/approvals/${id}/reject`, {
      reason: '本人確認書類が不足',
    });
    expect(rejected.location).toBe('/admin/approvals?done=rejected');
    const row = await ah.h.store.getDeactivationRequest(id);
    expect(row).toMatchObject({ state: 'rejected', decisionReason: '本人確認書類が不足' });
    // A rejected request cannot be approved afterwards.
    expect((await kato.post(`/admin/approvals/${id}/approve`, { checked: 'on' })).status).toBe(409);
    expect(await tokenState()).toBe('active');
    await stillWorks();
    expect(await actions()).toEqual(
      expect.arrayContaining([
        'token.deactivation_rejected:cancelled',
        'token.deactivation_rejected:rejected',
      ]),
    );
  });
});

describe('races (one conditional UPDATE decides)', () => {
  it('two 管理者 approving at once: one acts, the other is told it was decided', async () => {
    const sato = await staffBrowser('sato');
    const kato = await staffBrowser('kato');
    const ito = await staffBrowser('ito');
    await ask(sato);
    const id = await pendingId();
    await kato.get('/admin/approvals');
    await ito.get('/admin/approvals');
    const [a, b] = await Promise.all([
      kato.post(`/admin/approvals/${id}/approve`, { checked: 'on' }),
      ito.post(`/admin/approvals/${id}/approve`, { checked: 'on' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([303, 409]);
    const ended = (await ah.h.store.listAudit({ limit: 500 })).filter(
      (e) => e.action === 'token.deactivation_approved',
    );
    expect(ended).toHaveLength(1);
    expect(await tokenState()).toBe('none');
  });

  it('approve and withdraw at once: exactly one decision stands', async () => {
    const sato = await staffBrowser('sato');
    const kato = await staffBrowser('kato');
    await ask(sato);
    const id = await pendingId();
    await sato.get('/admin/approvals');
    await kato.get('/admin/approvals');
    const [w, a] = await Promise.all([
      sato.post(`/admin/approvals/${id}/reject`, { reason: '取り下げ' }),
      kato.post(`/admin/approvals/${id}/approve`, { checked: 'on' }),
    ]);
    expect([w.status, a.status].sort()).toEqual([303, 409]);
    const row = await ah.h.store.getDeactivationRequest(id);
    expect(await tokenState()).toBe(row?.state === 'approved' ? 'none' : 'active');
  });
});

describe('bad input is refused in Japanese and changes nothing', () => {
  it('empty or bad reason and paper reference, a second pending request, a bad reject reason', async () => {
    const sato = await staffBrowser('sato');
    const noReason = await ask(sato, { reason: '   ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body).toContain('理由を1～200文字で入力してください。');
    const badPaper = await ask(sato, { paperRef: '受付 15' });
    expect(badPaper.status).toBe(400);
    expect(badPaper.body).toContain('受付番号を1～32文字の英数字');
    const long = await ask(sato, { reason: 'あ'.repeat(201) });
    expect(long.status).toBe(400);
    expect(
      await ah.h.store.listDeactivationRequests(ah.h.serviceId, { pending: true, limit: 10 }),
    ).toHaveLength(0);

    expect((await ask(sato)).status).toBe(303);
    const twice = await ask(sato, { paperRef: 'X-2' });
    expect(twice.status).toBe(409);
    expect(twice.body).toContain('すでに承認待ちです');
    const id = await pendingId();

    const kato = await staffBrowser('kato');
    await kato.get('/admin/approvals');
    const noWhy = await kato.post(`/admin/approvals/${id}/reject`, { reason: '' });
    expect(noWhy.status).toBe(400);
    expect(noWhy.body).toContain('理由を1～200文字で入力してください。');
    expect((await ah.h.store.getDeactivationRequest(id))?.state).toBe('pending');
    for (const bad of ['abc', '0', '99999', '1e3']) {
      const r = await kato.post(`/admin/approvals/${bad}/approve`, { checked: 'on' });
      expect(r.status, bad).toBe(404);
    }
    expect(await tokenState()).toBe('active');
  });

  it('a customer without a token cannot be asked for', async () => {
    const sato = await staffBrowser('sato');
    await ah.h.call('DELETE', '/api/v1/customers/C1001/token', { force: true, reason: 'test' });
    const r = await ask(sato);
    expect(r.status).toBe(409);
    expect(r.body).toContain('利用中・手続き中のトークンがありません');
  });

  it('without the CSRF token nothing is recorded or approved', async () => {
    const sato = await staffBrowser('sato');
    const kato = await staffBrowser('kato');
    const forged = await sato.request('POST', '/admin/customers/C1001/deactivate', {
      form: { _csrf: 'x'.repeat(43), reason: 'forged', paperRef: 'F-1' },
    });
    expect(forged.status).toBe(403);
    expect(
      await ah.h.store.listDeactivationRequests(ah.h.serviceId, { pending: true, limit: 10 }),
    ).toHaveLength(0);
    await ask(sato);
    const id = await pendingId();
    for (const path of [`/admin/approvals/${id}/approve`, `/admin/approvals/${id}/reject`]) {
      const r = await kato.request('POST', path, {
        form: { _csrf: 'y'.repeat(43), reason: 'x', checked: 'on' },
      });
      expect(r.status).toBe(403);
    }
    expect((await ah.h.store.getDeactivationRequest(id))?.state).toBe('pending');
    expect(await tokenState()).toBe('active');
  });
});

describe('roles and banks', () => {
  it('an オペレーター reaches none of it: no link, 403 by direct URL and by direct POST', async () => {
    const sato = await staffBrowser('sato');
    await ask(sato);
    const id = await pendingId();
    const op = await staffBrowser('tanaka', 'operator');
    const detail = await op.get('/admin/customers/C1001');
    expect(detail.body).not.toContain('/deactivate');
    expect(detail.body).not.toContain('href="/admin/approvals"');
    expect((await op.get('/admin/customers/C1001/deactivate')).status).toBe(403);
    expect((await op.get('/admin/approvals')).status).toBe(403);
    for (const [path, form] of [
      ['/admin/customers/C1001/deactivate', { reason: 'x', paperRef: 'P-1' }],
      [`/admin/approvals/${id}/approve`, { checked: 'on' }],
      [`/admin/approvals/${id}/reject`, { reason: 'x' }],
    ] as const) {
      const r = await op.post(path, form);
      expect(r.status, path).toBe(403);
    }
    expect((await ah.h.store.getDeactivationRequest(id))?.state).toBe('pending');
    expect(
      await ah.h.store.listDeactivationRequests(ah.h.serviceId, { pending: true, limit: 10 }),
    ).toHaveLength(1);
    expect(await tokenState()).toBe('active');
    expect(
      (await actions()).filter((a) => a === 'staff.forbidden:token.force_deactivate').length,
    ).toBeGreaterThanOrEqual(3);
  });

  it("another bank's 管理者 neither sees nor decides the request", async () => {
    const sato = await staffBrowser('sato');
    await ask(sato);
    const id = await pendingId();
    const other = await staffBrowser('minato', 'admin', OTHER_SERVICE_ID);
    const list = await other.get('/admin/approvals');
    expect(list.status).toBe(200);
    expect(list.body).not.toContain('C1001');
    expect((await other.post(`/admin/approvals/${id}/approve`, { checked: 'on' })).status).toBe(
      404,
    );
    expect((await other.post(`/admin/approvals/${id}/reject`, { reason: 'x' })).status).toBe(404);
    expect((await other.get('/admin/customers/C1001/deactivate')).status).toBe(404);
    expect((await ah.h.store.getDeactivationRequest(id))?.state).toBe('pending');
    expect(await tokenState()).toBe('active');
  });
});
