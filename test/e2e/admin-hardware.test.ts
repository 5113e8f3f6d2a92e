/**
 * The hardware token lifecycle through the console (guide 001, issue 5), over HTTP as the forms
 * send it, on SQLite and (with DATABASE_URL) PostgreSQL: 在庫 (PSKC import from the browser,
 * all or nothing) → 発送待ち (the customer asked through the API; fee 1,100 yen recorded) →
 * 発送済 (a serial from stock assigned; the shipping list) → 利用中 (serial + OTP; only the
 * shipped serial works) → 解除済, never usable again; and the HOTP counter resync with two
 * consecutive OTPs. Codes come from an independent generator over the secrets the vendor file
 * was built from (test/support/pskc-builder.ts writes RFC 6030 with node:crypto).
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateHotp, generateTotp } from '../../src/core/otp/index.js';
import { createNodeHmac } from '../../src/crypto/node-hmac.js';
import { createAdminHarness, enrol, type AdminHarness } from '../support/admin-harness.js';
import { Browser } from '../support/portal-browser.js';
import { buildPskc } from '../support/pskc-builder.js';

const PSK_HEX = '000102030405060708090a0b0c0d0e0f';
const PSK = new Uint8Array(Buffer.from(PSK_HEX, 'hex'));

let ah: AdminHarness;
beforeEach(async () => {
  ah = await createAdminHarness({ idleMs: 100 * 86_400_000 }); // sessions outlive the clock's jumps;
});
afterEach(async () => {
  await ah.close();
});

function totpFob(serial: string) {
  const secret = new Uint8Array(randomBytes(20));
  return {
    serial,
    secret,
    period: 60,
    otp: () =>
      generateTotp({
        hmac: createNodeHmac(secret, 'SHA1'),
        now: ah.h.clock.now(),
        period: 60,
        digits: 8,
      }),
  };
}

function hotpFob(serial: string) {
  const secret = new Uint8Array(randomBytes(20));
  return {
    serial,
    secret,
    kind: 'hotp' as const,
    digits: 6,
    counter: 0,
    at: (c: number) =>
      generateHotp({ hmac: createNodeHmac(secret, 'SHA1'), counter: c, digits: 6 }),
  };
}

async function admin(loginId = 'sato', role: 'admin' | 'operator' = 'admin'): Promise<Browser> {
  await ah.createStaff(loginId, role);
  const b = new Browser(ah.h.app);
  await enrol(ah, b, loginId);
  return b;
}

/** The counts on the 在庫 screen, by stage. */
async function counts(b: Browser): Promise<Record<string, number>> {
  const page = await b.get('/admin/hardware');
  expect(page.status).toBe(200);
  const out: Record<string, number> = {};
  for (const m of page.body.matchAll(
    /<li data-stage="([a-z]+)">.*?<span class="n">([0-9]+)<\/span><\/li>/g,
  ))
    out[m[1]!] = Number(m[2]);
  return out;
}

async function importFile(b: Browser, xml: string, key = PSK_HEX, batch = '2026年12月入荷分') {
  await b.get('/admin/hardware');
  return b.post('/admin/hardware/import', { xml, key, batch });
}

async function shipTo(b: Browser, ref: string, serial: string) {
  const board = await b.get('/admin/hardware/shipments');
  const m = new RegExp(`<tr data-token-id="([0-9]+)" data-customer="${ref}">`).exec(board.body);
  expect(m, board.body.slice(0, 2000)).not.toBeNull();
  return {
    tokenId: Number(m![1]),
    page: await b.post(`/admin/hardware/shipments/${m![1]}/ship`, { serial }),
  };
}

describe('在庫 → 発送待ち → 発送済 → 利用中 → 解除済', () => {
  it('a fob imported in the browser is shipped to one customer, activates only for them, and ends for good', async () => {
    const b = await admin();
    const f1 = totpFob('30000000001');
    const f2 = totpFob('30000000002');
    const f3 = hotpFob('30000000003');
    expect(await counts(b)).toEqual({
      stock: 0,
      waiting: 0,
      shipped: 0,
      active: 0,
      ended: 0,
      expired: 0,
    });

    const imported = await importFile(b, buildPskc([f1, f2, f3], PSK));
    expect(imported.location).toBe('/admin/hardware?imported=3,2,1');
    expect((await b.follow(imported)).body).toContain(
      '3件を取り込みました（TOTP 2件、HOTP 1件）。',
    );
    const imp = (await ah.h.store.listAudit({ limit: 100 })).find(
      (e) => e.action === 'hardware.imported',
    );
    expect(imp?.actor).toMatch(/^staff:/);
    expect(JSON.stringify(imp?.detail)).not.toContain(PSK_HEX);

    // The customer asks through the bank's system; the fee is on record.
    expect(
      (await ah.h.call('POST', '/api/v1/customers/H1/tokens', { type: 'hardware' })).status,
    ).toBe(201);
    const issued = (await ah.h.store.listAudit({ limit: 100 })).find(
      (e) => e.action === 'token.issued',
    );
    expect(issued?.detail).toMatchObject({ type: 'hardware', feeYen: 1100 });
    expect(await counts(b)).toMatchObject({ stock: 3, waiting: 1 });
    const board = await b.get('/admin/hardware/shipments');
    expect(board.body).toContain('1,100円');
    expect(board.body).toContain('在庫の次のシリアル番号：30000000001');

    const { page } = await shipTo(b, 'H1', f1.serial);
    expect(page.status).toBe(303);
    expect((await b.follow(page)).body).toContain(
      'シリアル番号 30000000001 を H1 さまに割り当てました。',
    );
    expect(await counts(b)).toMatchObject({ stock: 2, waiting: 0, shipped: 1 });
    expect((await ah.h.call('GET', '/api/v1/customers/H1/token')).json).toMatchObject({
      state: 'issued',
      serial: f1.serial,
    });
    const shipped = (await ah.h.store.listAudit({ limit: 100 })).find(
      (e) => e.action === 'hardware.shipped',
    );
    expect(shipped).toMatchObject({ customerRef: 'H1', result: 'shipped' });

    // The shipping list of today (JST): customer, serial, date.
    const list = await b.get('/admin/hardware/shipping-list');
    expect(list.status).toBe(200);
    expect(list.body).toMatch(/<tr data-serial="30000000001"><td>1<\/td><td class="mono">H1<\/td>/);
    // Printing drops the console's frame (header, menu, buttons): the list alone on paper.
    expect((await b.get('/admin/assets/admin.css')).body).toMatch(
      /@media print \{\s*header\.bar, nav\.menu, footer\.note, \.no-print/,
    );
    const today = new Date(ah.h.clock.now() + 9 * 3_600_000).toISOString().slice(0, 10);
    expect(list.body).toContain(`value="${today}"`);
    expect((await b.get('/admin/hardware/shipping-list?date=2001-01-01')).body).toContain(
      'この日に発送したトークンはありません。',
    );

    // Only the shipped serial activates this customer; another in-stock fob is invalid.
    const other = await ah.h.call('POST', '/api/v1/customers/H1/token/activate', {
      serial: f2.serial,
      otp: f2.otp(),
    });
    expect(other.json).toMatchObject({ result: 'invalid' });
    const ok = await ah.h.call('POST', '/api/v1/customers/H1/token/activate', {
      serial: f1.serial,
      otp: f1.otp(),
    });
    expect(ok.json).toMatchObject({ state: 'active' });
    expect(await counts(b)).toMatchObject({ stock: 2, shipped: 0, active: 1 });

    // A shipped fob is not in stock for anyone else.
    await ah.h.call('POST', '/api/v1/customers/H2/tokens', { type: 'hardware' });
    const { page: again } = await shipTo(b, 'H2', f1.serial);
    expect(again.status).toBe(400);
    expect(again.body).toContain('このシリアル番号は在庫にないか');

    // 解除済: never usable again, and shown so by serial.
    await ah.h.call('DELETE', '/api/v1/customers/H1/token', { force: true, reason: '紛失' });
    expect(await counts(b)).toMatchObject({ active: 0, ended: 1 });
    const found = await b.get('/admin/hardware?serial=30000000001');
    expect(found.body).toContain('data-stage="ended"');
    expect(found.body).toContain('href="/admin/customers/H1"');
    await ah.h.call('POST', '/api/v1/customers/H1/tokens', { type: 'hardware' });
    ah.h.clock.advance(60_000);
    const reuse = await ah.h.call('POST', '/api/v1/customers/H1/token/activate', {
      serial: f1.serial,
      otp: f1.otp(),
    });
    expect(reuse.json).toMatchObject({ result: 'invalid' });
  });

  it('HOTP resync: two consecutive OTPs far ahead move the counter; single use holds after', async () => {
    const b = await admin();
    const f = hotpFob('31000000001');
    await importFile(b, buildPskc([f], PSK));
    await ah.h.call('POST', '/api/v1/customers/R1/tokens', { type: 'hardware' });
    await shipTo(b, 'R1', f.serial);
    expect(
      (
        await ah.h.call('POST', '/api/v1/customers/R1/token/activate', {
          serial: f.serial,
          otp: f.at(0),
        })
      ).json,
    ).toMatchObject({ state: 'active' });
    // The button pressed ~500 times unused: beyond the look-ahead.
    expect(
      (await ah.h.call('POST', '/api/v1/customers/R1/verify', { otp: f.at(500) })).json,
    ).toMatchObject({ result: 'invalid' });
    await ah.h.call('POST', '/api/v1/customers/R1/token/unlock', { reason: 'test' });

    const detail = await b.get('/admin/customers/R1');
    expect(detail.body).toContain('href="/admin/customers/R1/resync"');
    await b.get('/admin/customers/R1/resync');
    const notConsecutive = await b.post('/admin/customers/R1/resync', {
      otp1: f.at(600),
      otp2: f.at(602),
    });
    expect(notConsecutive.status).toBe(400);
    expect(notConsecutive.body).toContain('連続した値として見つかりませんでした');
    const bad = await b.post('/admin/customers/R1/resync', { otp1: 'abc', otp2: '' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('ワンタイムパスワードは6～10桁の数字で入力してください。');
    const ok = await b.post('/admin/customers/R1/resync', { otp1: f.at(600), otp2: f.at(601) });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('カウンターを再同期しました。');
    expect(
      (await ah.h.call('POST', '/api/v1/customers/R1/verify', { otp: f.at(601) })).json,
    ).toMatchObject({ result: 'replayed' });
    expect(
      (await ah.h.call('POST', '/api/v1/customers/R1/verify', { otp: f.at(602) })).json,
    ).toMatchObject({ result: 'ok' });
    // The same pair again moves nothing (used).
    const replay = await b.post('/admin/customers/R1/resync', { otp1: f.at(600), otp2: f.at(601) });
    expect(replay.status).toBe(400);
    const results = (await ah.h.store.listAudit({ limit: 200 }))
      .filter((e) => e.action === 'token.hotp_resync')
      .map((e) => e.result);
    expect(results.sort()).toEqual(['invalid', 'invalid', 'ok']);
    // No OTP in the audit trail.
    const all = JSON.stringify(await ah.h.store.listAudit({ limit: 500 }));
    expect(all).not.toContain(f.at(600));
    expect(all).not.toContain(f.at(601));
  });
});

describe('期限切れ', () => {
  it("a fob past the vendor's validity is 期限切れ and not shipped; a lapsed request is not either", async () => {
    const b = await admin();
    const soon = {
      ...totpFob('38000000001'),
      validUntil: new Date(ah.h.clock.now() + 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    await importFile(b, buildPskc([soon, totpFob('38000000002')], PSK));
    await ah.h.call('POST', '/api/v1/customers/E1/tokens', { type: 'hardware' });
    ah.h.clock.advance(2 * 86_400_000);
    expect(await counts(b)).toMatchObject({ stock: 1, expired: 1, waiting: 1 });
    expect((await b.get('/admin/hardware?serial=38000000001')).body).toContain(
      'data-stage="expired"',
    );
    const board = await b.get('/admin/hardware/shipments');
    expect(board.body).toContain('在庫の次のシリアル番号：38000000002');
    const { tokenId, page } = await shipTo(b, 'E1', '38000000001');
    expect(page.status).toBe(400);
    expect(page.body).toContain('このシリアル番号は在庫にないか、有効期限切れ');
    // The request lapses after its time (60 days for hardware): no longer listed nor shippable.
    ah.h.clock.advance(61 * 86_400_000);
    expect(await counts(b)).toMatchObject({ waiting: 0 });
    const late = await b.post(`/admin/hardware/shipments/${tokenId}/ship`, {
      serial: '38000000002',
    });
    expect(late.status).toBe(409);
    expect(await counts(b)).toMatchObject({ stock: 1, shipped: 0 });
  });
});

describe('rate limit', () => {
  it('resync tries are limited per staff member (429 with Retry-After)', async () => {
    await ah.close();
    ah = await createAdminHarness({ limits: { resyncPerStaff: 2 } });
    const b = await admin();
    const f = hotpFob('39000000001');
    await importFile(b, buildPskc([f], PSK));
    await ah.h.call('POST', '/api/v1/customers/L1/tokens', { type: 'hardware' });
    await ah.h.call('POST', '/api/v1/customers/L1/token/activate', {
      serial: f.serial,
      otp: f.at(0),
    });
    await b.get('/admin/customers/L1/resync');
    for (let i = 0; i < 2; i++)
      expect(
        (await b.post('/admin/customers/L1/resync', { otp1: f.at(700), otp2: f.at(702) })).status,
      ).toBe(400);
    const third = await b.post('/admin/customers/L1/resync', { otp1: f.at(700), otp2: f.at(701) });
    expect(third.status).toBe(429);
    expect(third.res.headers['retry-after']).toBeDefined();
    // Nothing moved: the counter still expects 1.
    expect(
      (await ah.h.call('POST', '/api/v1/customers/L1/verify', { otp: f.at(1) })).json,
    ).toMatchObject({ result: 'ok' });
  });
});

describe('races', () => {
  it('one serial shipped to two requests at once goes to exactly one', async () => {
    const b = await admin();
    await importFile(b, buildPskc([totpFob('37000000001')], PSK));
    await ah.h.call('POST', '/api/v1/customers/A1/tokens', { type: 'hardware' });
    await ah.h.call('POST', '/api/v1/customers/A2/tokens', { type: 'hardware' });
    const board = await b.get('/admin/hardware/shipments');
    const ids = [...board.body.matchAll(/<tr data-token-id="([0-9]+)"/g)].map((m) => m[1]);
    expect(ids).toHaveLength(2);
    const results = await Promise.all(
      ids.map((id) => b.post(`/admin/hardware/shipments/${id}/ship`, { serial: '37000000001' })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([303, 400]);
    expect(await counts(b)).toMatchObject({ stock: 0, waiting: 1, shipped: 1 });
  });
});

describe('a vendor-sized file', () => {
  it("imports 500 keys from the browser form (beyond the other forms' 16 KiB limit)", async () => {
    const b = await admin();
    const keys = Array.from({ length: 500 }, (_, i) => totpFob(String(36000000000 + i)));
    const xml = buildPskc(keys, PSK);
    expect(xml.length).toBeGreaterThan(100_000);
    const r = await importFile(b, xml);
    expect(r.location).toBe('/admin/hardware?imported=500,500,0');
    expect(await counts(b)).toMatchObject({ stock: 500 });
  });
});

describe('bad input is refused in Japanese and changes nothing', () => {
  it('import: no file, bad key, bad name, tampered file, wrong key, a known serial', async () => {
    const b = await admin();
    const f = totpFob('32000000001');
    const xml = buildPskc([f], PSK);
    const cases: [Record<string, string>, string][] = [
      [{ xml: '', key: PSK_HEX, batch: 'a' }, 'PSKCファイルを選ぶか、内容を貼り付けてください。'],
      [{ xml, key: 'xyz', batch: 'a' }, '事前共有鍵は16進数32・48・64桁で入力してください。'],
      [{ xml, key: PSK_HEX, batch: '' }, '取込名を1～64文字'],
      [
        {
          // One character of the MAC changed (to another one: a MAC that began with A stayed the same).
          xml: xml.replace(/<ValueMAC>([A-Za-z0-9+/])/, (_m, c: string) =>
            c === 'A' ? '<ValueMAC>B' : '<ValueMAC>A',
          ),
          key: PSK_HEX,
          batch: 'a',
        },
        '改ざんされているか',
      ],
      [{ xml, key: 'ff'.repeat(16), batch: 'a' }, '改ざんされているか'],
      [{ xml: '<not-pskc/>', key: '', batch: 'a' }, '改ざんされているか'],
    ];
    for (const [form, text] of cases) {
      await b.get('/admin/hardware');
      const r = await b.post('/admin/hardware/import', form);
      expect(r.status, text).toBe(400);
      expect(r.body, text).toContain(text);
      expect(r.body).not.toContain(PSK_HEX);
    }
    expect(await counts(b)).toMatchObject({ stock: 0 });
    expect((await importFile(b, xml)).status).toBe(303);
    const dup = await importFile(b, buildPskc([f, totpFob('32000000002')], PSK));
    expect(dup.status).toBe(400);
    expect(dup.body).toContain('登録済みのシリアル番号が含まれています（32000000001）');
    expect(await counts(b)).toMatchObject({ stock: 1 });
  });

  it('ship and look-up: bad serial, unknown serial, a request already shipped; bad dates', async () => {
    const b = await admin();
    await importFile(b, buildPskc([totpFob('33000000001'), totpFob('33000000002')], PSK));
    await ah.h.call('POST', '/api/v1/customers/S1/tokens', { type: 'hardware' });
    const { tokenId, page: badSerial } = await shipTo(b, 'S1', '12ab');
    expect(badSerial.status).toBe(400);
    expect(badSerial.body).toContain('シリアル番号は8～12桁の数字で入力してください。');
    const { page: unknown } = await shipTo(b, 'S1', '39999999999');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain('このシリアル番号は在庫にないか');
    expect(await counts(b)).toMatchObject({ stock: 2, waiting: 1, shipped: 0 });
    expect((await shipTo(b, 'S1', '33000000001')).page.status).toBe(303);
    // Shipped already: a second assignment (double submit) is refused, the second fob stays in stock.
    const twice = await b.post(`/admin/hardware/shipments/${tokenId}/ship`, {
      serial: '33000000002',
    });
    expect(twice.status).toBe(409);
    expect(twice.body).toContain('この申込はすでに発送済みか');
    expect(await counts(b)).toMatchObject({ stock: 1, shipped: 1 });
    for (const bad of ['abc', '0', '-1'])
      expect(
        (await b.post(`/admin/hardware/shipments/${bad}/ship`, { serial: '33000000002' })).status,
      ).toBe(404);
    // A request that is not waiting (unknown here): refused, nothing assigned.
    expect(
      (await b.post('/admin/hardware/shipments/99999999/ship', { serial: '33000000002' })).status,
    ).toBe(409);

    const search = await b.get('/admin/hardware?serial=12ab');
    expect(search.status).toBe(400);
    expect(search.body).toContain('シリアル番号は8～12桁の数字で入力してください。');
    expect((await b.get('/admin/hardware?serial=39999999999')).body).toContain(
      'このシリアル番号のトークンは在庫にありません。',
    );
    const date = await b.get('/admin/hardware/shipping-list?date=2026-02-30');
    expect(date.status).toBe(400);
    expect(date.body).toContain('日付は YYYY-MM-DD の形式で入力してください。');
  });

  it('without the CSRF token nothing is imported, shipped or resynced', async () => {
    const b = await admin();
    const forged = { _csrf: 'x'.repeat(43) };
    const xml = buildPskc([totpFob('34000000001')], PSK);
    expect(
      (
        await b.request('POST', '/admin/hardware/import', {
          form: { ...forged, xml, key: PSK_HEX, batch: 'a' },
        })
      ).status,
    ).toBe(403);
    expect(await counts(b)).toMatchObject({ stock: 0 });
    await importFile(b, xml);
    await ah.h.call('POST', '/api/v1/customers/S1/tokens', { type: 'hardware' });
    const board = await b.get('/admin/hardware/shipments');
    const id = /data-token-id="([0-9]+)"/.exec(board.body)?.[1];
    expect(
      (
        await b.request('POST', `/admin/hardware/shipments/${id}/ship`, {
          form: { ...forged, serial: '34000000001' },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await b.request('POST', '/admin/customers/S1/resync', {
          form: { ...forged, otp1: '123456', otp2: '123457' },
        })
      ).status,
    ).toBe(403);
    expect(await counts(b)).toMatchObject({ stock: 1, waiting: 1, shipped: 0 });
  });
});

describe('roles', () => {
  it('an オペレーター reaches no hardware screen or action, by link, direct URL or direct POST', async () => {
    const boss = await admin('boss');
    await importFile(boss, buildPskc([totpFob('35000000001')], PSK));
    await ah.h.call('POST', '/api/v1/customers/S1/tokens', { type: 'hardware' });
    const board = await boss.get('/admin/hardware/shipments');
    const id = /data-token-id="([0-9]+)"/.exec(board.body)?.[1];
    const op = await admin('tanaka', 'operator');
    const top = await op.get('/admin/customers');
    expect(top.body).not.toContain('href="/admin/hardware"');
    for (const url of [
      '/admin/hardware',
      '/admin/hardware?serial=35000000001',
      '/admin/hardware/shipments',
      '/admin/hardware/shipping-list',
      '/admin/customers/S1/resync',
    ])
      expect((await op.get(url)).status, url).toBe(403);
    const posts: [string, Record<string, string>][] = [
      [
        '/admin/hardware/import',
        { xml: buildPskc([totpFob('35000000002')], PSK), key: PSK_HEX, batch: 'x' },
      ],
      [`/admin/hardware/shipments/${id}/ship`, { serial: '35000000001' }],
      ['/admin/customers/S1/resync', { otp1: '123456', otp2: '234567' }],
    ];
    for (const [url, form] of posts) expect((await op.post(url, form)).status, url).toBe(403);
    expect(await counts(boss)).toMatchObject({ stock: 1, waiting: 1, shipped: 0 });
  });
});
