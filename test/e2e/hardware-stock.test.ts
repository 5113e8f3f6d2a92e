/**
 * Hardware tokens from a vendor's PSKC file (RFC 6030) to 利用開始 (guide 001, BOK501/BOK502):
 * an import is all or nothing (a tampered file or a known serial imports none), secrets are
 * sealed at rest and re-sealed by key rotation, and the customer activates with the serial on
 * the back of the token plus its OTP; unknown, foreign or already bound serials are `invalid`
 * and counted, so serials cannot be probed.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { generateHotp, generateTotp } from '../../src/core/otp/index.js';
import { createKeyring } from '../../src/crypto/keyring.js';
import { createNodeHmac } from '../../src/crypto/node-hmac.js';
import { resealSecrets } from '../../src/services/index.js';
import { createHarness, type Harness } from '../support/harness.js';
import { Browser, login } from '../support/portal-browser.js';
import { createPortalHarness, SATO, type PortalHarness } from '../support/portal-harness.js';
import { longestPause } from '../support/event-loop.js';
import { buildPskc } from '../support/pskc-builder.js';

const PSK = new Uint8Array(Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'));
let h: Harness | undefined;
let ph: PortalHarness | undefined;

afterEach(async () => {
  await h?.close();
  await ph?.close();
  h = undefined;
  ph = undefined;
});

const ctx = { actor: 'test', clientIp: null };

function fob(serial: string, period = 60) {
  const secret = new Uint8Array(randomBytes(20));
  return {
    serial,
    secret,
    period,
    otp: (now: number) =>
      generateTotp({ hmac: createNodeHmac(secret, 'SHA1'), now, period, digits: 8 }),
  };
}

describe('hardware stock: PSKC import', () => {
  it('a large import keeps the server answering: reading runs on a thread, writing in turns', async () => {
    h = await createHarness();
    const count = 8000;
    const fobs = Array.from({ length: count }, (_, i) => fob(String(10200000000 + i)));
    const xml = buildPskc(fobs, PSK);
    // A first request loads what the app loads lazily; the one during the import is measured.
    expect((await h.call('GET', '/api/v1/health')).status).toBe(200);
    const started = Date.now();
    let health: { status: number } | undefined;
    setTimeout(() => void h?.call('GET', '/api/v1/health').then((r) => (health = r)), 50);
    const { value: r, pauseMs: longestPauseMs } = await longestPause(
      h.platform.importHardware(ctx, {
        serviceId: h.serviceId,
        xml,
        preSharedKey: PSK,
        batch: 'large.pskc',
      }),
    );
    expect(r.imported).toBe(count);
    const took = Date.now() - started;
    // The server answered during the import, and never stood still for more than a short turn
    // (reading 8,000 keys on the event loop alone stopped it for the best part of a second).
    expect(health?.status).toBe(200);
    expect(took).toBeGreaterThan(3 * longestPauseMs);
    expect(longestPauseMs).toBeLessThan(250);
    expect((await h.platform.countHardwareStock(h.serviceId)).stock).toBe(count);
  });

  it('imports an encrypted file whole; a known serial or a tampered copy imports nothing', async () => {
    h = await createHarness();
    const fobs = ['10119998001', '10119998002', '10119998003'].map((s) => fob(s));
    const xml = buildPskc(fobs, PSK);
    const r = await h.platform.importHardware(ctx, {
      serviceId: h.serviceId,
      xml,
      preSharedKey: PSK,
      batch: 'vendor-1.pskc',
    });
    expect(r).toMatchObject({ imported: 3, totp: 3, hotp: 0 });
    expect(await h.platform.countHardwareStock(h.serviceId)).toEqual({
      stock: 3,
      shipped: 0,
      active: 0,
      ended: 0,
    });
    // No secret in the stock table in the clear.
    const item = await h.store.findHardwareStock(h.serviceId, '10119998001');
    expect(item?.sealedSecret.startsWith('ink1.')).toBe(true);
    expect(item?.sealedSecret).not.toContain(Buffer.from(fobs[0]?.secret ?? []).toString('base64'));

    // Re-import of a known serial (with one new one): nothing imported, the serial named.
    const again = buildPskc([fob('10119998003'), fob('10119998004')], PSK);
    await expect(
      h.platform.importHardware(ctx, {
        serviceId: h.serviceId,
        xml: again,
        preSharedKey: PSK,
        batch: 'b',
      }),
    ).rejects.toMatchObject({ code: 'SERIAL_EXISTS', extra: { serials: ['10119998003'] } });
    expect((await h.platform.countHardwareStock(h.serviceId)).stock).toBe(3);

    // One byte of one CipherValue changed: refused whole.
    const fresh = buildPskc([fob('20000000001'), fob('20000000002')], PSK);
    const at = fresh.lastIndexOf('<xenc:CipherValue>') + '<xenc:CipherValue>'.length + 30;
    const tampered = fresh.slice(0, at) + (fresh[at] === 'A' ? 'B' : 'A') + fresh.slice(at + 1);
    expect(tampered).not.toBe(fresh);
    await expect(
      h.platform.importHardware(ctx, {
        serviceId: h.serviceId,
        xml: tampered,
        preSharedKey: PSK,
        batch: 't',
      }),
    ).rejects.toMatchObject({ code: 'PSKC_INVALID' });
    // A wrong pre-shared key: refused.
    await expect(
      h.platform.importHardware(ctx, {
        serviceId: h.serviceId,
        xml: fresh,
        preSharedKey: new Uint8Array(16),
        batch: 'w',
      }),
    ).rejects.toMatchObject({ code: 'PSKC_INVALID' });
    expect((await h.platform.countHardwareStock(h.serviceId)).stock).toBe(3);
  });

  it('key rotation re-seals the stock; the fob still activates under the new key', async () => {
    h = await createHarness();
    const f = fob('30000000001');
    await h.platform.importHardware(ctx, {
      serviceId: h.serviceId,
      xml: buildPskc([f]),
      batch: 'plain',
    });
    const before = await h.store.findHardwareStock(h.serviceId, f.serial);
    const newKey = randomBytes(32);
    const rotated = createKeyring([
      { version: 2, key: newKey },
      { version: 1, key: h.masterKey },
    ]);
    const r = await resealSecrets(h.store, rotated);
    expect(r.resealed).toBeGreaterThanOrEqual(1);
    const after = await h.store.findHardwareStock(h.serviceId, f.serial);
    expect(after?.sealedSecret).not.toBe(before?.sealedSecret);
    expect(after?.sealedSecret.startsWith('ink1.2.')).toBe(true);
  });
});

describe('hardware 利用開始 (serial + OTP)', () => {
  it('binds the fob to the token: activation, then verification with the fob’s own secret', async () => {
    h = await createHarness();
    const f = fob('40000000001');
    await h.platform.importHardware(ctx, {
      serviceId: h.serviceId,
      xml: buildPskc([f], PSK),
      preSharedKey: PSK,
      batch: 'x',
    });
    expect(
      (await h.call('POST', '/api/v1/customers/hw-1/tokens', { type: 'hardware' })).status,
    ).toBe(201);
    // Unknown serial, then a wrong OTP with the right serial: both invalid and counted.
    const unknown = await h.call('POST', '/api/v1/customers/hw-1/token/activate', {
      serial: '49999999999',
      otp: f.otp(h.clock.now()),
    });
    expect(unknown.json).toMatchObject({ result: 'invalid', failCount: 1 });
    const wrong = await h.call('POST', '/api/v1/customers/hw-1/token/activate', {
      serial: f.serial,
      otp: '00000000',
    });
    expect(wrong.json).toMatchObject({ result: 'invalid', failCount: 2 });
    const ok = await h.call('POST', '/api/v1/customers/hw-1/token/activate', {
      serial: f.serial,
      otp: f.otp(h.clock.now()),
    });
    expect(ok.json).toMatchObject({ result: 'ok', state: 'active' });
    const token = await h.call('GET', '/api/v1/customers/hw-1/token');
    expect(token.json).toMatchObject({
      state: 'active',
      type: 'hardware',
      serial: f.serial,
      failCount: 0,
      period: 60,
    });
    // No ExpiryDate in the vendor's file: the bank's validity period gives the 有効期限.
    expect(Date.parse(String(token.json['validUntil']))).toBe(h.clock.now() + 1826 * 86_400_000);
    expect(await h.platform.countHardwareStock(h.serviceId)).toEqual({
      stock: 0,
      shipped: 0,
      active: 1,
      ended: 0,
    });
    // The step is used up; the next one verifies with the fob's secret.
    expect(
      (await h.call('POST', '/api/v1/customers/hw-1/verify', { otp: f.otp(h.clock.now()) })).json,
    ).toMatchObject({ result: 'replayed' });
    h.clock.advance(60_000);
    expect(
      (await h.call('POST', '/api/v1/customers/hw-1/verify', { otp: f.otp(h.clock.now()) })).json,
    ).toMatchObject({ result: 'ok' });

    // Another customer cannot take a bound fob: invalid, counted.
    await h.call('POST', '/api/v1/customers/hw-2/tokens', { type: 'hardware' });
    h.clock.advance(60_000);
    const taken = await h.call('POST', '/api/v1/customers/hw-2/token/activate', {
      serial: f.serial,
      otp: f.otp(h.clock.now()),
    });
    expect(taken.json).toMatchObject({ result: 'invalid', failCount: 1 });
  });

  it('an HOTP key-fob: activation from its PSKC counter, then counters with look-ahead and single use', async () => {
    h = await createHarness();
    const secret = new Uint8Array(randomBytes(20));
    const hotp = (counter: number) =>
      generateHotp({ hmac: createNodeHmac(secret, 'SHA1'), counter, digits: 6 });
    await h.platform.importHardware(ctx, {
      serviceId: h.serviceId,
      xml: buildPskc([{ serial: '70000000001', secret, kind: 'hotp', digits: 6, counter: 5 }], PSK),
      preSharedKey: PSK,
      batch: 'hotp',
    });
    await h.call('POST', '/api/v1/customers/hotp-1/tokens', { type: 'hardware' });
    // A press before the counter the vendor shipped is not accepted.
    expect(
      (
        await h.call('POST', '/api/v1/customers/hotp-1/token/activate', {
          serial: '70000000001',
          otp: hotp(4),
        })
      ).json,
    ).toMatchObject({ result: 'invalid' });
    expect(
      (
        await h.call('POST', '/api/v1/customers/hotp-1/token/activate', {
          serial: '70000000001',
          otp: hotp(6),
        })
      ).json,
    ).toMatchObject({ result: 'ok' });
    expect((await h.call('GET', '/api/v1/customers/hotp-1/token')).json).toMatchObject({
      period: 0,
      digits: 6,
      serial: '70000000001',
    });
    const verify = async (otp: string) =>
      (await h?.call('POST', '/api/v1/customers/hotp-1/verify', { otp }))?.json['result'];
    expect(await verify(hotp(6))).toBe('replayed');
    expect(await verify(hotp(7))).toBe('ok');
    expect(await verify(hotp(12))).toBe('ok'); // four presses unused: within the look-ahead
    expect(await verify(hotp(11))).toBe('replayed');
    expect(await verify(hotp(40))).toBe('invalid'); // beyond it
  });

  it('two customers racing for one fob: exactly one gets it', async () => {
    h = await createHarness();
    const f = fob('50000000001');
    await h.platform.importHardware(ctx, {
      serviceId: h.serviceId,
      xml: buildPskc([f]),
      batch: 'x',
    });
    await h.call('POST', '/api/v1/customers/race-1/tokens', { type: 'hardware' });
    await h.call('POST', '/api/v1/customers/race-2/tokens', { type: 'hardware' });
    const otp = f.otp(h.clock.now());
    const answers = await Promise.all(
      ['race-1', 'race-2'].map((ref) =>
        h?.call('POST', `/api/v1/customers/${ref}/token/activate`, { serial: f.serial, otp }),
      ),
    );
    const results = answers.map((a) => a?.json['result']);
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(await h.platform.countHardwareStock(h.serviceId)).toEqual({
      stock: 0,
      shipped: 0,
      active: 1,
      ended: 0,
    });
  });

  it('BOK501 → BOK502 on the portal: ハードウェアトークン発行 then 利用開始 with the fob in hand', async () => {
    ph = await createPortalHarness();
    const f = fob('60000000001');
    await ph.h.platform.importHardware(ctx, {
      serviceId: ph.h.serviceId,
      xml: buildPskc([f], PSK),
      preSharedKey: PSK,
      batch: 'x',
    });
    const b = new Browser(ph.app);
    await login(b, SATO);
    await b.post('/ib/otp/issue/start');
    await b.post('/ib/otp/issue/select', { type: 'hardware' });
    await b.get('/ib/otp/issue/hardware');
    expect(
      (await b.post('/ib/otp/issue/hardware', { confirmPassword: SATO.confirmPassword })).location,
    ).toBe('/ib/otp/issue/hardware/done');
    expect((await b.post('/ib/otp/activate/start')).location).toBe('/ib/otp/activate');
    const screen = await b.get('/ib/otp/activate');
    expect(screen.body).toContain('BOK501');
    const r = await b.post('/ib/otp/activate', { serial: f.serial, otp: f.otp(ph.h.clock.now()) });
    expect(r.location).toBe('/ib/otp/activate/done');
    const done = await b.follow(r);
    expect(done.body).toContain('BOK502');
    expect(done.body).toContain(f.serial);
    expect((await ph.client.getToken(SATO.platformRef))?.state).toBe('active');
  });
});
