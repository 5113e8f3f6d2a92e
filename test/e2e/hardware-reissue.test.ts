/**
 * Hardware re-issue (SPEC.md "Hardware token": possible from 90 days before the token's expiry,
 * and it needs a current OTP), through the platform API on SQLite and (with DATABASE_URL)
 * PostgreSQL: refused before the 90 days; a wrong OTP counts; the right one is used up and a new
 * hardware request replaces the active fob, which keeps working until the new one is activated
 * with its serial + OTP. Codes from an independent generator over the vendor file's secrets.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateTotp } from '../../src/core/otp/index.js';
import { createNodeHmac } from '../../src/crypto/node-hmac.js';
import { createHarness, type Harness } from '../support/harness.js';
import { buildPskc } from '../support/pskc-builder.js';

const DAY = 86_400_000;
const PSK = new Uint8Array(Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'));
let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

function fob(serial: string, validDays: number) {
  const secret = new Uint8Array(randomBytes(20));
  return {
    serial,
    secret,
    period: 60,
    validUntil: new Date(h.clock.now() + validDays * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    otp: () =>
      generateTotp({
        hmac: createNodeHmac(secret, 'SHA1'),
        now: h.clock.now(),
        period: 60,
        digits: 8,
      }),
  };
}

describe('hardware re-issue', () => {
  it('opens 90 days before expiry, needs a current OTP, and replaces the fob only when the new one is activated', async () => {
    const old = fob('50000000001', 200);
    const next = fob('50000000002', 2000);
    await h.platform.importHardware(
      { actor: 'test', clientIp: null },
      {
        serviceId: h.serviceId,
        xml: buildPskc([old, next], PSK),
        preSharedKey: PSK,
        batch: 'b',
      },
    );
    await h.call('POST', '/api/v1/customers/R1/tokens', { type: 'hardware' });
    const act = await h.call('POST', '/api/v1/customers/R1/token/activate', {
      serial: old.serial,
      otp: old.otp(),
    });
    expect(act.json).toMatchObject({ state: 'active' });
    const validUntil = Date.parse(
      String((await h.call('GET', '/api/v1/customers/R1/token')).json['validUntil']),
    );
    expect(validUntil).toBe(Date.parse(old.validUntil));

    // 110 days before expiry: not yet, whatever the OTP; nothing issued, nothing counted.
    h.clock.advance(90 * DAY);
    const early = await h.call('POST', '/api/v1/customers/R1/token/reissue', { otp: old.otp() });
    expect(early.status).toBe(409);
    expect(early.json).toMatchObject({
      code: 'REISSUE_NOT_YET',
      opensAt: new Date(validUntil - 90 * DAY).toISOString(),
    });
    expect((await h.call('GET', '/api/v1/customers/R1/token')).json).toMatchObject({
      state: 'active',
      failCount: 0,
    });

    // From 90 days before: a wrong OTP counts; the right one is used up and issues the request.
    h.clock.set(validUntil - 90 * DAY);
    const wrong = await h.call('POST', '/api/v1/customers/R1/token/reissue', { otp: '00000000' });
    expect(wrong.json).toMatchObject({ result: 'invalid', failCount: 1 });
    const otp = old.otp();
    const ok = await h.call('POST', '/api/v1/customers/R1/token/reissue', { otp });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({
      result: 'ok',
      type: 'hardware',
      state: 'issued',
      serial: null,
      replacesActiveToken: true,
    });
    const replay = await h.call('POST', '/api/v1/customers/R1/token/reissue', { otp });
    expect(replay.json).toMatchObject({ result: 'replayed' });
    const fee = (await h.store.listAudit({ limit: 100 })).filter(
      (e) => e.action === 'token.issued',
    );
    expect(fee[0]?.detail).toMatchObject({ type: 'hardware', feeYen: 1100 });

    // The old fob still works until the new one is activated.
    h.clock.advance(60_000);
    expect(
      (await h.call('POST', '/api/v1/customers/R1/verify', { otp: old.otp() })).json,
    ).toMatchObject({ result: 'ok' });
    expect(await h.store.listHardwareWaiting(h.serviceId, h.clock.now(), 10)).toHaveLength(1);
    h.clock.advance(60_000);
    const activated = await h.call('POST', '/api/v1/customers/R1/token/activate', {
      serial: next.serial,
      otp: next.otp(),
    });
    expect(activated.json).toMatchObject({ state: 'active' });
    expect((await h.call('GET', '/api/v1/customers/R1/token')).json).toMatchObject({
      serial: next.serial,
      state: 'active',
    });
    h.clock.advance(60_000);
    expect(
      (await h.call('POST', '/api/v1/customers/R1/verify', { otp: old.otp() })).json,
    ).toMatchObject({ result: 'invalid' });
    expect(
      (await h.call('POST', '/api/v1/customers/R1/verify', { otp: next.otp() })).json,
    ).toMatchObject({ result: 'ok' });
  });

  it('bad input and customers without a hardware token', async () => {
    const bad = await h.call('POST', '/api/v1/customers/R1/token/reissue', { otp: 'abc' });
    expect(bad.status).toBe(400);
    expect(bad.json['code']).toBe('VALIDATION_FAILED');
    await h.call('POST', '/api/v1/customers/S1/tokens', { type: 'hardware' });
    const none = await h.call('POST', '/api/v1/customers/S1/token/reissue', { otp: '12345678' });
    expect(none.status).toBe(404);
    const unknown = await h.call('POST', '/api/v1/customers/NOBODY/token/reissue', {
      otp: '12345678',
    });
    expect(unknown.status).toBe(404);
  });
});
