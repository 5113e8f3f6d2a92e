/**
 * The console's dashboard (landing page), 運用設定 (tenant policy editor) and 操作履歴 (audit
 * search, paging, CSV), over HTTP as the forms send them, on SQLite and (with DATABASE_URL)
 * PostgreSQL. Each case checks the platform's side: a policy change really changes what the API
 * does, a refused one changes nothing, and the CSV reads back as Excel would.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activeCustomer, type ProvisionedToken } from '../support/harness.js';
import { createAdminHarness, enrol, type AdminHarness } from '../support/admin-harness.js';
import { Browser, wrongOtp } from '../support/portal-browser.js';

let ah: AdminHarness;
let t: ProvisionedToken;
beforeEach(async () => {
  // Sessions outlive the clock's jump to tomorrow (the idle timeout has its own test).
  ah = await createAdminHarness({ idleMs: 48 * 3_600_000 });
  t = await activeCustomer(ah.h, 'C1');
});
afterEach(async () => {
  await ah.close();
});

async function staff(loginId: string, role: 'admin' | 'operator' = 'admin'): Promise<Browser> {
  await ah.createStaff(loginId, role);
  const b = new Browser(ah.h.app);
  await enrol(ah, b, loginId);
  return b;
}

const num = (body: string, id: string) =>
  Number(new RegExp(`id="${id}">([0-9]+)<`).exec(body)?.[1]);

/** The policy form as the page fills it, with some fields changed. */
async function policyForm(b: Browser, changes: Record<string, string | null>) {
  const page = await b.get('/admin/policy');
  expect(page.status).toBe(200);
  const form: Record<string, string> = {};
  for (const m of page.body.matchAll(
    /<input id="f-([A-Za-z]+)" name="\1" type="text"[^>]*value="([^"]*)"/g,
  ))
    form[m[1]!] = m[2]!;
  // The values the form was drawn from (a save on stale values is refused).
  form['basis'] = (/name="basis" value="([^"]*)"/.exec(page.body)?.[1] ?? '').replace(
    /&amp;/g,
    '&',
  );
  for (const m of page.body.matchAll(
    /<input id="f-([A-Za-z]+)" name="\1" type="checkbox"( checked)?>/g,
  ))
    if (m[2] !== undefined) form[m[1]!] = 'on';
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete form[k];
    else form[k] = v;
  }
  return b.post('/admin/policy', form);
}

describe('ダッシュボード', () => {
  it('is the landing page: tokens by state, lockouts and failures today, issuances this week', async () => {
    const b = await staff('sato');
    for (let i = 0; i < 5; i++)
      await ah.h.call('POST', '/api/v1/customers/C1/verify', { otp: wrongOtp(t) });
    await ah.h.call('POST', '/api/v1/customers/C2/tokens', { type: 'hardware' });
    const page = await b.get('/admin/dashboard');
    expect(page.status).toBe(200);
    expect(num(page.body, 'dash-active')).toBe(1);
    expect(num(page.body, 'dash-issued')).toBe(1);
    expect(num(page.body, 'dash-locked')).toBe(1);
    expect(num(page.body, 'dash-lockouts')).toBe(1);
    expect(num(page.body, 'dash-failures')).toBe(5);
    expect(num(page.body, 'dash-week-software')).toBe(1);
    expect(num(page.body, 'dash-week-hardware')).toBe(1);
    expect(num(page.body, 'dash-shipments')).toBe(1);
    // Tomorrow (JST) today's counts start again; the tokens stay.
    ah.h.clock.advance(24 * 3_600_000);
    const next = await b.get('/admin/dashboard');
    expect(num(next.body, 'dash-lockouts')).toBe(0);
    expect(num(next.body, 'dash-failures')).toBe(0);
    expect(num(next.body, 'dash-locked')).toBe(1);
    expect((await b.get('/admin')).location).toBe('/admin/dashboard');
  });

  it('an オペレーター sees it too, without the 管理者 work', async () => {
    const op = await staff('tanaka', 'operator');
    const page = await op.get('/admin/dashboard');
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('dash-approvals');
    for (const link of ['/admin/audit', '/admin/policy', '/admin/hardware', '/admin/approvals'])
      expect(page.body).not.toContain(`href="${link}"`);
  });
});

describe('English switch', () => {
  it('every new screen has its English words', async () => {
    const b = await staff('sato');
    b.jar.set('adm_lang', 'en');
    for (const [url, title] of [
      ['/admin/dashboard', 'Dashboard'],
      ['/admin/approvals', 'Approvals (paper deactivations)'],
      ['/admin/hardware', 'Hardware token inventory'],
      ['/admin/hardware/shipments', 'Shipping hardware tokens'],
      ['/admin/hardware/shipping-list', 'Shipping list'],
      ['/admin/policy', 'Settings (tenant policy)'],
      ['/admin/audit', 'Audit trail'],
      ['/admin/staff', 'Add a staff member'],
      ['/admin/customers/C1/deactivate', 'Deactivation on a paper request'],
    ] as const) {
      const r = await b.get(url);
      expect(r.status, url).toBe(200);
      expect(r.body, url).toContain('<html lang="en">');
      expect(r.body, url).toContain(title);
    }
    const bad = await b.get('/admin/policy');
    expect(bad.body).toContain('Wrong OTPs in a row before lockout');
  });
});

describe('運用設定 (tenant policy)', () => {
  it('changes the settings, audits before/after, and the API follows at once', async () => {
    const b = await staff('sato');
    const r = await policyForm(b, {
      lockoutThreshold: '3',
      issueMailOtp: 'on',
      reissueNextDay: 'on',
    });
    expect(r.status).toBe(200);
    expect(r.body).toContain('3項目を変更しました。');
    expect(r.body).toMatch(
      /<tr data-field="lockoutThreshold"><td>[^<]+<\/td><td>5<\/td><td>3<\/td><\/tr>/,
    );
    expect((await ah.h.platform.getTenant(ah.h.serviceId))?.policy).toMatchObject({
      lockoutThreshold: 3,
      issueMailOtp: true,
      reissueNextDay: true,
    });
    const ev = (await ah.h.store.listAudit({ limit: 100 })).find(
      (e) => e.action === 'tenant.policy_changed',
    );
    expect(ev?.detail).toMatchObject({
      'lockoutThreshold.before': 5,
      'lockoutThreshold.after': 3,
      'issueMailOtp.before': false,
      'issueMailOtp.after': true,
      changed: 'lockoutThreshold,reissueNextDay,issueMailOtp',
    });
    expect(ev?.actor).toMatch(/^staff:/);
    // Three wrong OTPs now lock the token.
    for (let i = 0; i < 3; i++)
      await ah.h.call('POST', '/api/v1/customers/C1/verify', { otp: wrongOtp(t) });
    expect((await ah.h.call('GET', '/api/v1/customers/C1/token')).json['locked']).toBe(true);
    // Saving again without a change writes nothing.
    const same = await policyForm(b, {});
    expect(same.body).toContain('変更はありませんでした。');
    expect(
      (await ah.h.store.listAudit({ limit: 100 })).filter(
        (e) => e.action === 'tenant.policy_changed',
      ),
    ).toHaveLength(1);
  });

  it('bad values are refused in Japanese, field by field, and nothing changes', async () => {
    const b = await staff('sato');
    for (const [field, value, text] of [
      ['lockoutThreshold', '0', '1～100の整数で入力してください。'],
      ['lockoutThreshold', 'abc', '1～100の整数で入力してください。'],
      ['window', '11', '0～10の整数で入力してください。'],
      ['issuanceLimitDays', '', '1～365の整数で入力してください。'],
      ['issuanceExpiryHours', '-1', '1～720の整数で入力してください。'],
      ['activationPasswordAttempts', '1e2', '1～100の整数で入力してください。'],
    ] as const) {
      const r = await policyForm(b, { [field]: value, issueMailOtp: 'on' });
      expect(r.status, `${field}=${value}`).toBe(400);
      expect(r.body).toContain(text);
      expect(r.body).toContain(`id="f-${field}-err"`);
    }
    expect((await ah.h.platform.getTenant(ah.h.serviceId))?.policy).toMatchObject({
      lockoutThreshold: 5,
      issueMailOtp: false,
    });
    expect(
      (await ah.h.store.listAudit({ limit: 200 })).some(
        (e) => e.action === 'tenant.policy_changed',
      ),
    ).toBe(false);
  });

  it('a save based on values another 管理者 changed meanwhile is refused (no lost update)', async () => {
    const a = await staff('sato');
    const b = await staff('kato');
    const stale = await b.get('/admin/policy');
    const basis = (/name="basis" value="([^"]*)"/.exec(stale.body)?.[1] ?? '').replace(
      /&amp;/g,
      '&',
    );
    expect((await policyForm(a, { lockoutThreshold: '7' })).status).toBe(200);
    const r = await b.post('/admin/policy', {
      basis,
      lockoutThreshold: '5',
      window: '1',
      issuanceExpiryHours: '24',
      issuanceLimitCount: '5',
      issuanceLimitDays: '30',
      activationPasswordAttempts: '5',
      issueMailOtp: 'on',
    });
    expect(r.status).toBe(409);
    expect(r.body).toContain('他の管理者が運用設定を変更しました。');
    expect(r.body).toMatch(/id="f-lockoutThreshold"[^>]*value="7"/);
    expect((await ah.h.platform.getTenant(ah.h.serviceId))?.policy).toMatchObject({
      lockoutThreshold: 7,
      issueMailOtp: false,
    });
  });

  it('CSRF and roles: a forged form or an オペレーター changes nothing', async () => {
    const b = await staff('sato');
    await b.get('/admin/policy');
    const forged = await b.request('POST', '/admin/policy', {
      form: { _csrf: 'x'.repeat(43), lockoutThreshold: '2' },
    });
    expect(forged.status).toBe(403);
    const op = await staff('tanaka', 'operator');
    expect((await op.get('/admin/policy')).status).toBe(403);
    await op.get('/admin/dashboard');
    expect((await op.post('/admin/policy', { lockoutThreshold: '2' })).status).toBe(403);
    expect((await ah.h.platform.getTenant(ah.h.serviceId))?.policy.lockoutThreshold).toBe(5);
  });
});

describe('操作履歴 (audit search and CSV)', () => {
  it('filters by customer, staff, event and JST dates, pages by 50', async () => {
    const b = await staff('sato');
    await ah.h.call('POST', '/api/v1/customers/C1/verify', { otp: wrongOtp(t) });
    await b.get('/admin/customers/C1'); // staff.customer_viewed by sato
    const all = await b.get('/admin/audit');
    expect(all.status).toBe(200);
    expect(all.body).toContain('id="audit"');
    const byRef = await b.get('/admin/audit?customerRef=C1&action=otp.verify');
    expect(byRef.body).toMatch(/data-action="otp\.verify"/);
    expect(byRef.body).not.toMatch(/data-action="token\.issued"/);
    const byStaff = await b.get('/admin/audit?staffLoginId=sato&action=staff.customer_viewed');
    expect([...byStaff.body.matchAll(/<tr data-id=/g)]).toHaveLength(1);
    // Dates are JST days: today matches, tomorrow does not.
    const today = new Date(ah.h.clock.now() + 9 * 3_600_000).toISOString().slice(0, 10);
    expect((await b.get(`/admin/audit?from=${today}&to=${today}&customerRef=C1`)).body).toContain(
      'data-action="otp.verify"',
    );
    const tomorrow = new Date(ah.h.clock.now() + 33 * 3_600_000).toISOString().slice(0, 10);
    expect((await b.get(`/admin/audit?from=${tomorrow}`)).body).toContain(
      '該当する記録はありません。',
    );

    // Paging: 60 more events, newest first, 50 per page, the next page continues.
    for (let i = 0; i < 60; i++)
      await ah.h.call('POST', '/api/v1/customers/C1/verify', { otp: wrongOtp(t) });
    const first = await b.get('/admin/audit?action=otp.verify');
    const ids1 = [...first.body.matchAll(/<tr data-id="([0-9]+)"/g)].map((m) => Number(m[1]));
    expect(ids1).toHaveLength(50);
    const next = /id="next-page" href="([^"]+)"/.exec(first.body)?.[1]?.replace(/&amp;/g, '&');
    expect(next).toBeDefined();
    const second = await b.get(next!);
    const ids2 = [...second.body.matchAll(/<tr data-id="([0-9]+)"/g)].map((m) => Number(m[1]));
    expect(ids2.length).toBeGreaterThan(0);
    expect(Math.max(...ids2)).toBeLessThan(Math.min(...ids1));
    expect(new Set([...ids1, ...ids2]).size).toBe(ids1.length + ids2.length);
  });

  it('bad filters are refused in Japanese', async () => {
    const b = await staff('sato');
    for (const [q, text] of [
      ['customerRef=%3Cscript%3E', 'お客さま番号を正しく入力してください。'],
      ['staffLoginId=nobody', 'この金融機関の行員のログインIDを入力してください。'],
      ['action=DROP%20TABLE', '操作を一覧から選んでください。'],
      ['from=2026-02-30', '日付は YYYY-MM-DD の形式で入力してください。'],
      ['from=2026-12-03&to=2026-12-01', '終了日は開始日以降の日付を入力してください。'],
      ['beforeId=abc', ''],
    ] as const) {
      const r = await b.get(`/admin/audit?${q}`);
      expect(r.status, q).toBe(400);
      if (text !== '') expect(r.body, q).toContain(text);
      expect((await b.get(`/admin/audit.csv?${q}`)).status, q).toBe(
        q.startsWith('beforeId') ? 200 : 400,
      );
    }
  });

  it('CSV: UTF-8 BOM, CRLF, quoted, formula injection guarded; the export is audited', async () => {
    const b = await staff('sato');
    // A reason typed by staff that a spreadsheet would run as a formula.
    for (let i = 0; i < 5; i++)
      await ah.h.call('POST', '/api/v1/customers/C1/verify', { otp: wrongOtp(t) });
    await b.get('/admin/customers/C1/unlock');
    await b.post('/admin/customers/C1/unlock', {
      reason: '=HYPERLINK("http://evil.example","x"), "依頼"',
    });
    const r = await b.get('/admin/audit.csv?customerRef=C1');
    expect(r.status).toBe(200);
    expect(r.res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.res.headers['content-disposition']).toMatch(
      /^attachment; filename="inkan-audit-[0-9]{8}-[0-9]{8}\.csv"$/,
    );
    const raw = r.res.rawPayload;
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = raw.subarray(3).toString('utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(
      '"番号","日時（日本時間）","操作","操作コード","結果","お客さま番号","トークン番号","実行者","接続元","詳細"',
    );
    expect(lines.at(-1)).toBe('');
    const unlock = lines.find((l) => l.includes('"token.unlocked"'));
    expect(unlock).toBeDefined();
    // The detail cell starts with reason=…, so it is not a formula; quotes are doubled.
    expect(unlock).toContain('reason==HYPERLINK(""http://evil.example"",""x""), ""依頼""');
    expect(text).not.toMatch(/(^|,)"=/m);
    // (Cells that start with = + - @ get a leading apostrophe: src/web/admin/csv.test.ts.)
    const exported = (await ah.h.store.listAudit({ limit: 500 })).filter(
      (e) => e.action === 'audit.exported',
    );
    expect(exported.length).toBe(1);
  });

  it('an オペレーター cannot search or export, by direct URL either', async () => {
    const op = await staff('tanaka', 'operator');
    expect((await op.get('/admin/audit')).status).toBe(403);
    expect((await op.get('/admin/audit.csv')).status).toBe(403);
    expect(
      (await ah.h.store.listAudit({ limit: 200 })).some(
        (e) => e.action === 'staff.forbidden' && e.result === 'audit.read',
      ),
    ).toBe(true);
  });
});
