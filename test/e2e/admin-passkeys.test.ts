/**
 * 生体認証ログイン (issue 6) in the admin console: staff see a customer's registered devices from
 * トークン詳細 and remove one with a reason (a lost phone reported by telephone); the passkey then
 * no longer logs in; no reason, CSRF-less posts and another bank's customer change nothing; the
 * removal is in the customer's history as the staff member's.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createAdminHarness,
  enrol,
  OTHER_SERVICE_ID,
  type AdminHarness,
} from '../support/admin-harness.js';
import { Browser } from '../support/portal-browser.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';

let ah: AdminHarness;
let phone: SoftAuthenticator;
beforeEach(async () => {
  ah = await createAdminHarness();
  phone = new SoftAuthenticator('http://localhost:3000');
});
afterEach(async () => {
  await ah.close();
});

async function registerPasskey(ref: string): Promise<void> {
  const o = await ah.h.call('POST', '/api/v1/passkeys/registration/options', {});
  const r = await ah.h.call('POST', `/api/v1/customers/${ref}/passkeys`, {
    response: phone.create(o.json['options'] as { challenge: string; user: { id: string } }),
    deviceName: 'iPhone',
  });
  expect(r.json['result']).toBe('ok');
}

async function login(): Promise<string> {
  const a = await ah.h.call('POST', '/api/v1/passkeys/authentication/options');
  const r = await ah.h.call('POST', '/api/v1/passkeys/authentication', {
    response: phone.get(a.json['options'] as { challenge: string }),
  });
  return String(r.json['result']);
}

describe('admin console: 生体認証ログインの登録端末', () => {
  it('an オペレーター sees the device from トークン詳細 and removes it with a reason', async () => {
    await registerPasskey('cust-001');
    await ah.createStaff('sato', 'operator');
    const b = new Browser(ah.h.app);
    await enrol(ah, b, 'sato');
    const detail = await b.get('/admin/customers/cust-001');
    expect(detail.body).toContain('href="/admin/customers/cust-001/passkeys"');
    const page = await b.get('/admin/customers/cust-001/passkeys');
    expect(page.status).toBe(200);
    expect(page.body).toContain('iPhone');
    const id = /name="id"\s+value="([0-9]+)"/.exec(page.body)?.[1] ?? '';

    const noReason = await b.post('/admin/customers/cust-001/passkeys/remove', { id, reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body).toContain('解除の理由を1～200文字で入力してください。');
    const noCsrf = await b.request('POST', '/admin/customers/cust-001/passkeys/remove', {
      form: { id, reason: '紛失' },
    });
    expect(noCsrf.status).toBe(403);
    expect(await login()).toBe('ok');

    const done = await b.post('/admin/customers/cust-001/passkeys/remove', {
      id,
      reason: 'お客さまより電話で紛失の申出',
    });
    expect(done.location).toBe('/admin/customers/cust-001/passkeys?removed=1');
    const after = await b.follow(done);
    expect(after.body).toContain('生体認証ログインの登録を解除しました。');
    expect(after.body).toContain('登録されている端末はありません。');
    expect(await login()).toBe('unknown_credential');
    const again = await b.post('/admin/customers/cust-001/passkeys/remove', {
      id,
      reason: '二度目',
    });
    expect(again.status).toBe(404);

    await ah.h.platform.flushAudit();
    const removed = (await ah.h.store.listAudit({ customerRef: 'cust-001', limit: 50 })).filter(
      (e) => e.action === 'passkey.removed',
    );
    expect(
      removed.map((e) => [e.actor.startsWith('staff:'), e.result, e.detail['reason']]),
    ).toEqual([[true, 'staff_removed', 'お客さまより電話で紛失の申出']]);
    // The customer's history names it in Japanese.
    const history = await b.get('/admin/customers/cust-001');
    expect(history.body).toContain('生体認証ログイン解除');
    expect(history.body).toContain('行員による解除');
  });

  it("another bank's staff cannot see or remove the customer's devices", async () => {
    await registerPasskey('cust-001');
    await ah.createStaff('minato', 'admin', OTHER_SERVICE_ID);
    const b = new Browser(ah.h.app);
    await enrol(ah, b, 'minato');
    expect((await b.get('/admin/customers/cust-001/passkeys')).status).toBe(404);
    const r = await b.post('/admin/customers/cust-001/passkeys/remove', {
      id: '1',
      reason: '紛失',
    });
    expect(r.status).toBe(404);
    expect(await login()).toBe('ok');
  });
});
