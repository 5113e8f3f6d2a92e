/**
 * The Store contract (src/core/ports.ts), run directly on the configured database: SQLite by
 * default, PostgreSQL with DATABASE_URL (CONVENTIONS.md, guideline 5: one contract suite per
 * interface, on every implementation).
 *
 * The holes it guards: the OTP methods are the only thing standing between a racing attacker and
 * single use (「一度使用したワンタイムパスワードは無効」), lockout (閉塞) and the activation
 * password limit; each must be one conditional statement that moves only forward, refuses the
 * wrong state, and stays exact when called many times at once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  verifyChain,
  type AuditEvent,
  type NewToken,
  type Store,
  type StoredToken,
} from '../../src/core/index.js';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sha256Hex } from '../../src/crypto/sha256.js';
import { openStore } from '../../src/storage/open-store.js';
import { ON_POSTGRES, openTestStore, TEST_DATABASE_URL } from '../support/harness.js';
import { softwareTokenRow, TEST_SERVICE_ID as SERVICE, testBank } from '../support/store-rows.js';

const NOW = Date.UTC(2026, 10, 23, 3, 0, 0);
const DAY = 86_400_000;

let store: Store;
let drop: () => Promise<void>;
let seq = 0;

beforeEach(async () => {
  const opened = await openTestStore();
  store = opened.store;
  drop = opened.drop;
  await store.createTenant(testBank(NOW));
});
afterEach(async () => {
  await drop();
});

/** A fresh issued token for a fresh (or given) customer. */
async function issued(o: Partial<NewToken> & { ref?: string } = {}): Promise<StoredToken> {
  seq += 1;
  const customer = await store.ensureCustomer(SERVICE, o.ref ?? `c-${seq}`, NOW);
  const { ref: _ref, ...over } = o;
  return store.insertToken(
    softwareTokenRow(customer.id, NOW, { userId: String(100000000000 + seq), ...over }),
  );
}

const PROVISIONING = {
  sealedSecret: 'ink1.1.n.c.t',
  validFrom: NOW,
  validUntil: NOW + 1826 * DAY,
  now: NOW,
};

async function provisioned(o: Partial<NewToken> & { ref?: string } = {}): Promise<StoredToken> {
  const t = await issued(o);
  expect(await store.completeProvisioning(t.id, 5, PROVISIONING)).toBe(true);
  return (await store.getToken(t.id))!;
}

async function active(o: Partial<NewToken> & { ref?: string } = {}): Promise<StoredToken> {
  const t = await provisioned(o);
  expect(await store.activateWithStep(t.id, 'provisioned', 1000, 0, NOW, null, NOW)).toBe(true);
  return (await store.getToken(t.id))!;
}

async function get(id: number): Promise<StoredToken> {
  const t = await store.getToken(id);
  if (t === null) throw new Error(`token ${id} vanished`);
  return t;
}

function event(i: number, over: Partial<AuditEvent> = {}): AuditEvent {
  return {
    serviceId: SERVICE,
    at: NOW + i,
    actor: 'test',
    action: 'otp.verify',
    customerRef: 'c-1',
    tokenId: 1,
    result: 'ok',
    detail: { i },
    clientIp: null,
    ...over,
  };
}

describe('tenants and customers', () => {
  it('a tenant is created once', async () => {
    await expect(
      store.createTenant({ serviceId: SERVICE, name: 'x', policy: DEFAULT_POLICY, createdAt: NOW }),
    ).rejects.toMatchObject({ code: 'TENANT_EXISTS' });
    expect(await store.getTenant(SERVICE)).toMatchObject({
      serviceId: SERVICE,
      name: 'あおぞら銀行',
      policy: DEFAULT_POLICY,
    });
    expect(await store.getTenant('99999999')).toBeNull();
  });

  it('ensureCustomer creates on first use and then returns the same customer', async () => {
    const a = await store.ensureCustomer(SERVICE, 'c-x', NOW);
    const b = await store.ensureCustomer(SERVICE, 'c-x', NOW + 5);
    expect(b).toEqual(a);
    expect(a).toMatchObject({
      serviceId: SERVICE,
      ref: 'c-x',
      createdAt: NOW,
      issuanceLimitResetAt: null,
      lastDeactivatedAt: null,
    });
    expect((await store.ensureCustomer(SERVICE, 'c-y', NOW)).id).not.toBe(a.id);
  });

  it('ensureCustomer is idempotent under concurrency: 10 parallel calls, one customer', async () => {
    const all = await Promise.all(
      Array.from({ length: 10 }, () => store.ensureCustomer(SERVICE, 'c-par', NOW)),
    );
    expect(new Set(all.map((c) => c.id)).size).toBe(1);
    expect(await store.getCustomer(SERVICE, 'c-par')).toEqual(all[0]);
  });

  it('the same reference at two banks is two customers; getCustomer is scoped by tenant', async () => {
    await store.createTenant({
      serviceId: '20000001',
      name: 'ほか銀行',
      policy: DEFAULT_POLICY,
      createdAt: NOW,
    });
    const a = await store.ensureCustomer(SERVICE, 'c-same', NOW);
    const b = await store.ensureCustomer('20000001', 'c-same', NOW);
    expect(a.id).not.toBe(b.id);
    expect(await store.getCustomer('20000001', 'c-nope')).toBeNull();
  });

  it('markCustomerDeactivated and liftIssuanceLimit record their times', async () => {
    const c = await store.ensureCustomer(SERVICE, 'c-marks', NOW);
    await store.markCustomerDeactivated(c.id, NOW + 1);
    await store.liftIssuanceLimit(c.id, NOW + 2);
    expect(await store.getCustomer(SERVICE, 'c-marks')).toMatchObject({
      lastDeactivatedAt: NOW + 1,
      issuanceLimitResetAt: NOW + 2,
    });
  });
});

describe('tokens', () => {
  it('a new token starts issued with nothing counted', async () => {
    const t = await issued();
    expect(t).toMatchObject({
      state: 'issued',
      lastStep: null,
      failCount: 0,
      locked: false,
      lockedAt: null,
      drift: 0,
      passwordAttempts: 0,
      sealedSecret: null,
      endReason: null,
    });
    expect(await store.getToken(t.id)).toEqual(t);
  });

  it('findTokenByUserId finds by the tenant and ユーザID, with the password hash', async () => {
    const t = await issued();
    expect(await store.findTokenByUserId(SERVICE, t.userId)).toMatchObject({
      id: t.id,
      passwordHash: 'scrypt$test',
    });
    expect(await store.findTokenByUserId('20000001', t.userId)).toBeNull();
    expect(await store.findTokenByUserId(SERVICE, '999999999999')).toBeNull();
  });

  it('liveTokens lists the customer’s tokens that are not ended, in id order', async () => {
    const a = await active({ ref: 'c-live' });
    const b = await issued({ ref: 'c-live', replacesTokenId: a.id });
    const c = await issued({ ref: 'c-live' });
    expect(await store.endToken(c.id, 'reissued', NOW)).toBe(true);
    await issued({ ref: 'c-other' });
    const live = await store.liveTokens(a.customerId);
    expect(live.map((t) => t.id)).toEqual([a.id, b.id]);
    expect(live.map((t) => t.state)).toEqual(['active', 'issued']);
  });

  it('countIssuances counts every issuance of the customer at or after `since`, ended ones too', async () => {
    await issued({ ref: 'c-count', issuedAt: NOW - 31 * DAY });
    const b = await issued({ ref: 'c-count', issuedAt: NOW - 30 * DAY });
    await issued({ ref: 'c-count', issuedAt: NOW });
    await issued({ ref: 'c-else', issuedAt: NOW });
    await store.endToken(b.id, 'expired', NOW);
    expect(await store.countIssuances(b.customerId, NOW - 30 * DAY)).toBe(2);
    expect(await store.countIssuances(b.customerId, NOW - 30 * DAY + 1)).toBe(1);
    expect(await store.countIssuances(b.customerId, 0)).toBe(3);
  });

  it('endToken ends a live token once, and forgets its activation password hash', async () => {
    const t = await issued();
    expect(await store.endToken(t.id, 'staff_deactivated', NOW + 7)).toBe(true);
    expect(await store.endToken(t.id, 'deactivated', NOW + 8)).toBe(false);
    expect(await get(t.id)).toMatchObject({
      state: 'ended',
      endReason: 'staff_deactivated',
      endedAt: NOW + 7,
    });
    expect((await store.findTokenByUserId(SERVICE, t.userId))?.passwordHash).toBeNull();
  });

  it('endToken races: 10 at once, one true', async () => {
    const t = await active();
    const wins = await Promise.all(
      Array.from({ length: 10 }, () => store.endToken(t.id, 'deactivated', NOW)),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
  });
});

describe('activation password attempts (recordPasswordFailure)', () => {
  it('counts, and voids the issuance at the limit exactly', async () => {
    const t = await issued();
    expect(await store.recordPasswordFailure(t.id, 3, NOW + 1)).toEqual({
      attempts: 1,
      voided: false,
    });
    expect(await store.recordPasswordFailure(t.id, 3, NOW + 2)).toEqual({
      attempts: 2,
      voided: false,
    });
    expect(await get(t.id)).toMatchObject({ state: 'issued', passwordAttempts: 2 });
    expect(await store.recordPasswordFailure(t.id, 3, NOW + 3)).toEqual({
      attempts: 3,
      voided: true,
    });
    expect(await get(t.id)).toMatchObject({
      state: 'ended',
      endReason: 'void',
      endedAt: NOW + 3,
      passwordAttempts: 3,
    });
    // No longer waiting for setup: nothing more is counted.
    expect(await store.recordPasswordFailure(t.id, 3, NOW + 4)).toBeNull();
    expect((await get(t.id)).passwordAttempts).toBe(3);
  });

  it('is null for a token that is not waiting for setup', async () => {
    const p = await provisioned();
    expect(await store.recordPasswordFailure(p.id, 5, NOW)).toBeNull();
    const e = await issued();
    await store.endToken(e.id, 'reissued', NOW);
    expect(await store.recordPasswordFailure(e.id, 5, NOW)).toBeNull();
    expect((await get(p.id)).passwordAttempts).toBe(0);
  });

  it('10 at once with limit 5: attempts 1..5 once each, one void, never more than 5', async () => {
    const t = await issued();
    const rs = await Promise.all(
      Array.from({ length: 10 }, () => store.recordPasswordFailure(t.id, 5, NOW)),
    );
    const counted = rs.filter((r) => r !== null);
    expect(counted.map((r) => r.attempts).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(counted.filter((r) => r.voided)).toEqual([{ attempts: 5, voided: true }]);
    expect(await get(t.id)).toMatchObject({
      state: 'ended',
      endReason: 'void',
      passwordAttempts: 5,
    });
  });
});

describe('completeProvisioning', () => {
  it('moves issued → provisioned once, storing the sealed secret and dropping the password hash', async () => {
    const t = await issued();
    expect(await store.completeProvisioning(t.id, 5, PROVISIONING)).toBe(true);
    expect(
      await store.completeProvisioning(t.id, 5, { ...PROVISIONING, sealedSecret: 'ink1.1.other' }),
    ).toBe(false);
    expect(await get(t.id)).toMatchObject({
      state: 'provisioned',
      sealedSecret: PROVISIONING.sealedSecret,
      provisionedAt: NOW,
      validFrom: PROVISIONING.validFrom,
      validUntil: PROVISIONING.validUntil,
    });
    expect((await store.findTokenByUserId(SERVICE, t.userId))?.passwordHash).toBeNull();
  });

  it('refuses a void, an ended, or an exhausted issuance', async () => {
    const exhausted = await issued();
    await store.recordPasswordFailure(exhausted.id, 5, NOW);
    await store.recordPasswordFailure(exhausted.id, 5, NOW);
    // The limit is checked in the same statement: 2 attempts made, limit 2 → refused.
    expect(await store.completeProvisioning(exhausted.id, 2, PROVISIONING)).toBe(false);
    expect(await store.completeProvisioning(exhausted.id, 3, PROVISIONING)).toBe(true);
    const ended = await issued();
    await store.endToken(ended.id, 'expired', NOW);
    expect(await store.completeProvisioning(ended.id, 5, PROVISIONING)).toBe(false);
    expect((await get(ended.id)).sealedSecret).toBeNull();
  });

  it('10 at once: one true', async () => {
    const t = await issued();
    const wins = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.completeProvisioning(t.id, 5, { ...PROVISIONING, sealedSecret: `ink1.1.${i}` }),
      ),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect((await get(t.id)).sealedSecret).toBe(`ink1.1.${wins.indexOf(true)}`);
  });
});

describe('single use (consumeStep)', () => {
  it('takes a step only above the last one, and records drift and use', async () => {
    const t = await active(); // lastStep 1000
    expect(await store.consumeStep(t.id, 'active', 1000, 0, NOW + 1)).toBe(false);
    expect(await store.consumeStep(t.id, 'active', 999, 0, NOW + 1)).toBe(false);
    expect(await store.consumeStep(t.id, 'active', 1002, 1, NOW + 2)).toBe(true);
    expect(await get(t.id)).toMatchObject({ lastStep: 1002, drift: 1, lastUsedAt: NOW + 2 });
    expect(await store.consumeStep(t.id, 'active', 1001, 0, NOW + 3)).toBe(false);
    expect(await store.consumeStep(t.id, 'active', 1002, 0, NOW + 3)).toBe(false);
    expect(await get(t.id)).toMatchObject({ lastStep: 1002, drift: 1, lastUsedAt: NOW + 2 });
  });

  it('accepts any step on a token never used (lastStep null)', async () => {
    const t = await provisioned();
    expect(t.lastStep).toBeNull();
    expect(await store.consumeStep(t.id, 'provisioned', 0, 0, NOW)).toBe(true);
    expect((await get(t.id)).lastStep).toBe(0);
  });

  it('refuses the wrong state', async () => {
    const p = await provisioned();
    expect(await store.consumeStep(p.id, 'active', 5, 0, NOW)).toBe(false);
    const a = await active();
    expect(await store.consumeStep(a.id, 'provisioned', 2000, 0, NOW)).toBe(false);
    await store.endToken(a.id, 'deactivated', NOW);
    expect(await store.consumeStep(a.id, 'active', 3000, 0, NOW)).toBe(false);
    const i = await issued();
    expect(await store.consumeStep(i.id, 'provisioned', 5, 0, NOW)).toBe(false);
    expect((await get(a.id)).lastStep).toBe(1000);
  });

  it('refuses a locked token, and resets the fail count of an unlocked one', async () => {
    const t = await active();
    await store.recordOtpFailure(t.id, 5, NOW);
    await store.recordOtpFailure(t.id, 5, NOW);
    expect(await store.consumeStep(t.id, 'active', 1001, 0, NOW)).toBe(true);
    expect(await get(t.id)).toMatchObject({ failCount: 0, locked: false });
    for (let i = 0; i < 5; i++) await store.recordOtpFailure(t.id, 5, NOW);
    expect(await store.consumeStep(t.id, 'active', 1002, 0, NOW)).toBe(false);
    expect(await get(t.id)).toMatchObject({ failCount: 5, locked: true, lastStep: 1001 });
  });

  it('20 at once with the same step: exactly one true', async () => {
    const t = await active();
    const wins = await Promise.all(
      Array.from({ length: 20 }, () => store.consumeStep(t.id, 'active', 1001, 0, NOW)),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it('steps raced in any order: the last step only moves forward, ending at the highest', async () => {
    const t = await active();
    const steps = [1005, 1001, 1010, 1003, 1010, 1002, 1009, 1004, 1008, 1006];
    const wins = await Promise.all(steps.map((s) => store.consumeStep(t.id, 'active', s, 0, NOW)));
    expect((await get(t.id)).lastStep).toBe(1010);
    // Never two wins for one step.
    expect(wins.filter((w, i) => w && steps[i] === 1010)).toHaveLength(1);
  });
});

describe('activateWithStep', () => {
  it('moves provisioned → active, using the step, keeping the validity set at provisioning', async () => {
    const t = await provisioned();
    expect(
      await store.activateWithStep(t.id, 'provisioned', 500, -1, NOW + 10, NOW + 99, NOW + 10),
    ).toBe(true);
    expect(await get(t.id)).toMatchObject({
      state: 'active',
      lastStep: 500,
      drift: -1,
      activatedAt: NOW + 10,
      lastUsedAt: NOW + 10,
      validFrom: PROVISIONING.validFrom,
      validUntil: PROVISIONING.validUntil,
      failCount: 0,
    });
    // Once only.
    expect(await store.activateWithStep(t.id, 'provisioned', 501, 0, NOW, null, NOW)).toBe(false);
  });

  it('refuses the wrong state, a locked token and a step not above the last', async () => {
    const i = await issued();
    expect(await store.activateWithStep(i.id, 'provisioned', 10, 0, NOW, null, NOW)).toBe(false);
    const locked = await provisioned();
    for (let k = 0; k < 3; k++) await store.recordOtpFailure(locked.id, 3, NOW);
    expect(await store.activateWithStep(locked.id, 'provisioned', 10, 0, NOW, null, NOW)).toBe(
      false,
    );
    const used = await provisioned();
    expect(await store.consumeStep(used.id, 'provisioned', 50, 0, NOW)).toBe(true);
    expect(await store.activateWithStep(used.id, 'provisioned', 50, 0, NOW, null, NOW)).toBe(false);
    expect(await store.activateWithStep(used.id, 'provisioned', 49, 0, NOW, null, NOW)).toBe(false);
    expect(await store.activateWithStep(used.id, 'provisioned', 51, 0, NOW, null, NOW)).toBe(true);
    expect((await get(locked.id)).state).toBe('provisioned');
  });

  it('activates an issued hardware token without a step, setting its validity when none is set', async () => {
    const hw = await issued({
      type: 'hardware',
      serial: '12345678',
      email: null,
      passwordHash: null,
    });
    expect(await store.activateWithStep(hw.id, 'issued', null, 0, NOW, NOW + 365 * DAY, NOW)).toBe(
      true,
    );
    expect(await get(hw.id)).toMatchObject({
      state: 'active',
      validFrom: NOW,
      validUntil: NOW + 365 * DAY,
    });
    expect(await store.activateWithStep(hw.id, 'issued', null, 0, NOW, null, NOW)).toBe(false);
  });

  it('10 at once: one true', async () => {
    const t = await provisioned();
    const wins = await Promise.all(
      Array.from({ length: 10 }, () =>
        store.activateWithStep(t.id, 'provisioned', 700, 0, NOW, null, NOW),
      ),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
  });
});

describe('lockout (recordOtpFailure, unlockToken)', () => {
  it('counts and locks at the threshold exactly; the lock time is the locking failure’s', async () => {
    const t = await active();
    expect(await store.recordOtpFailure(t.id, 3, NOW + 1)).toEqual({ failCount: 1, locked: false });
    expect(await store.recordOtpFailure(t.id, 3, NOW + 2)).toEqual({ failCount: 2, locked: false });
    expect((await get(t.id)).lockedAt).toBeNull();
    expect(await store.recordOtpFailure(t.id, 3, NOW + 3)).toEqual({ failCount: 3, locked: true });
    expect(await store.recordOtpFailure(t.id, 3, NOW + 4)).toEqual({ failCount: 4, locked: true });
    expect(await get(t.id)).toMatchObject({ failCount: 4, locked: true, lockedAt: NOW + 3 });
  });

  it('unlockToken clears the lock, the count and the lock time', async () => {
    const t = await active();
    for (let i = 0; i < 5; i++) await store.recordOtpFailure(t.id, 5, NOW);
    await store.unlockToken(t.id);
    expect(await get(t.id)).toMatchObject({ failCount: 0, locked: false, lockedAt: null });
    expect(await store.recordOtpFailure(t.id, 5, NOW)).toEqual({ failCount: 1, locked: false });
  });

  it('20 at once with threshold 5: counts 1..20 once each, locked from the 5th', async () => {
    const t = await active();
    const rs = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.recordOtpFailure(t.id, 5, NOW + i)),
    );
    expect(rs.map((r) => r.failCount).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    for (const r of rs) expect(r.locked).toBe(r.failCount >= 5);
    expect(await get(t.id)).toMatchObject({ failCount: 20, locked: true });
  });

  it('failures and a success raced: the stored count is the failures after the reset', async () => {
    const t = await active();
    const ops = [
      store.recordOtpFailure(t.id, 50, NOW),
      store.recordOtpFailure(t.id, 50, NOW),
      store.consumeStep(t.id, 'active', 1001, 0, NOW),
      store.recordOtpFailure(t.id, 50, NOW),
    ];
    const rs = await Promise.all(ops);
    const counts = rs
      .filter((r): r is { failCount: number; locked: boolean } => typeof r === 'object')
      .map((r) => r.failCount)
      .sort();
    const final = (await get(t.id)).failCount;
    const expected = [
      ...Array.from({ length: final }, (_, i) => i + 1),
      ...Array.from({ length: 3 - final }, (_, i) => i + 1),
    ].sort();
    expect(counts).toEqual(expected);
    expect(rs[2]).toBe(true);
  });
});

describe('sealed secrets (key rotation)', () => {
  it('lists sealed secrets in pages and replaces one only if it still holds what was read', async () => {
    const tokens = [await provisioned(), await issued(), await provisioned(), await provisioned()];
    const page1 = await store.listSealedSecrets(0, 2);
    expect(page1.map((r) => r.id)).toEqual([tokens[0]!.id, tokens[2]!.id]);
    const page2 = await store.listSealedSecrets(page1[1]!.id, 2);
    expect(page2.map((r) => r.id)).toEqual([tokens[3]!.id]);
    expect(page2[0]).toEqual({
      id: tokens[3]!.id,
      serviceId: SERVICE,
      userId: tokens[3]!.userId,
      sealedSecret: PROVISIONING.sealedSecret,
    });
    expect(await store.updateSealedSecret(tokens[0]!.id, 'ink1.1.stale', 'ink1.2.new')).toBe(false);
    expect(
      await store.updateSealedSecret(tokens[0]!.id, PROVISIONING.sealedSecret, 'ink1.2.new'),
    ).toBe(true);
    expect((await get(tokens[0]!.id)).sealedSecret).toBe('ink1.2.new');
  });
});

describe('audit trail (appendAudit, chainAudit, readAuditChain)', () => {
  // SQLite chains each event as it is written (the writer holds the lock); PostgreSQL writes them
  // unchained and chainAudit links them later. Either way, after chainAudit every event is linked.
  const chainedAtOnce = !ON_POSTGRES;

  it('chains events as seq 1..n, linked by hash, in pages', async () => {
    for (let i = 0; i < 7; i++) await store.appendAudit(event(i));
    expect(await store.countUnchainedAudit()).toBe(chainedAtOnce ? 0 : 7);
    expect(await store.chainAudit(sha256Hex)).toBe(chainedAtOnce ? 0 : 7);
    expect(await store.countUnchainedAudit()).toBe(0);
    expect(await store.chainAudit(sha256Hex)).toBe(0);
    for (let i = 7; i < 10; i++) await store.appendAudit(event(i, { detail: { i, note: 'ü' } }));
    expect(await store.chainAudit(sha256Hex)).toBe(chainedAtOnce ? 0 : 3);
    const all = await store.readAuditChain(0, 100);
    expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(all.map((e) => e.detail['i'])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (let i = 1; i < all.length; i++) expect(all[i]!.prevHash).toBe(all[i - 1]!.hash);
    expect(verifyChain(all, sha256Hex)).toMatchObject({ ok: true, count: 10, head: all[9]!.hash });
    expect((await store.readAuditChain(4, 3)).map((e) => e.seq)).toEqual([5, 6, 7]);
    expect(await store.readAuditChain(10, 5)).toEqual([]);
  });

  it('concurrent chainers link every event once, without gaps or duplicates', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => store.appendAudit(event(i))));
    const linked = await Promise.all(Array.from({ length: 5 }, () => store.chainAudit(sha256Hex)));
    expect(linked.reduce((a, b) => a + b, 0)).toBe(chainedAtOnce ? 0 : 40);
    expect(await store.countUnchainedAudit()).toBe(0);
    const all = await store.readAuditChain(0, 100);
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(verifyChain(all, sha256Hex).ok).toBe(true);
  });

  it('events appended while chaining are linked by the next run', async () => {
    for (let i = 0; i < 5; i++) await store.appendAudit(event(i));
    await Promise.all([
      store.chainAudit(sha256Hex),
      ...Array.from({ length: 5 }, (_, i) => store.appendAudit(event(5 + i))),
    ]);
    await store.chainAudit(sha256Hex);
    const all = await store.readAuditChain(0, 100);
    expect(all).toHaveLength(10);
    expect(verifyChain(all, sha256Hex).ok).toBe(true);
  });

  it('listAudit filters by tenant, customer and token, newest first', async () => {
    const a = await issued({ ref: 'c-a' });
    const b = await issued({ ref: 'c-b' });
    const a2 = await issued({ ref: 'c-a' });
    await store.appendAudit(event(1, { customerRef: 'c-a', tokenId: a.id }));
    await store.appendAudit(event(2, { customerRef: 'c-b', tokenId: b.id }));
    await store.appendAudit(event(3, { customerRef: 'c-a', tokenId: a2.id, serviceId: null }));
    expect((await store.listAudit({ customerRef: 'c-a', limit: 10 })).map((e) => e.at)).toEqual([
      NOW + 3,
      NOW + 1,
    ]);
    expect((await store.listAudit({ tokenId: b.id, limit: 10 })).map((e) => e.customerRef)).toEqual(
      ['c-b'],
    );
    expect(await store.listAudit({ serviceId: SERVICE, limit: 10 })).toHaveLength(2);
    expect(await store.listAudit({ limit: 1 })).toHaveLength(1);
  });

  it('listAudit by token finds the events that name its customer and those that name none', async () => {
    // Migration 011: the token index holds only the events that name no customer (provisioning
    // by the app, hardware stock); the others are found through the customer's index.
    const a = await issued({ ref: 'c-a' });
    const other = await issued({ ref: 'c-a' });
    const b = await issued({ ref: 'c-b' });
    await store.appendAudit(event(1, { customerRef: null, tokenId: a.id }));
    await store.appendAudit(event(2, { customerRef: 'c-a', tokenId: a.id }));
    await store.appendAudit(event(3, { customerRef: 'c-a', tokenId: other.id }));
    await store.appendAudit(event(4, { customerRef: 'c-a', tokenId: null }));
    await store.appendAudit(event(5, { customerRef: null, tokenId: b.id }));
    await store.appendAudit(event(6, { customerRef: 'c-b', tokenId: b.id }));
    await store.appendAudit(event(7, { customerRef: 'c-a', tokenId: a.id }));
    const atOf = async (f: Parameters<Store['listAudit']>[0]) =>
      (await store.listAudit(f)).map((e) => e.at - NOW);
    expect(await atOf({ tokenId: a.id, limit: 10 })).toEqual([7, 2, 1]);
    expect(await atOf({ tokenId: b.id, limit: 10 })).toEqual([6, 5]);
    expect(await atOf({ tokenId: a.id, limit: 2 })).toEqual([7, 2]);
    expect(await atOf({ tokenId: a.id, customerRef: 'c-a', limit: 10 })).toEqual([7, 2]);
    expect(await atOf({ tokenId: a.id, serviceId: SERVICE, limit: 10 })).toEqual([7, 2, 1]);
    expect(await atOf({ tokenId: a.id, serviceId: '99999999', limit: 10 })).toEqual([]);
    expect(await atOf({ tokenId: 999_999, limit: 10 })).toEqual([]);
  });
});

describe('opening', () => {
  // Several Inkan databases (schemas) in one PostgreSQL database — parallel test files, staging
  // beside production, another Kysely application — must not see each other's migration state.
  it('a second store opens and migrates while another one is open', async () => {
    if (!ON_POSTGRES) {
      const other = await openTestStore();
      await other.drop();
      return;
    }
    const schema = `t_${randomBytes(6).toString('hex')}`;
    try {
      const other = await openStore({ url: TEST_DATABASE_URL, pgSchema: schema, poolSize: 2 });
      try {
        expect(await other.getTenant(SERVICE)).toBeNull();
        expect(await store.getTenant(SERVICE)).not.toBeNull();
      } finally {
        await other.close();
      }
    } finally {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    }
  });
});

describe('transactions', () => {
  it('roll back every write when the function throws', async () => {
    const t = await active();
    await expect(
      store.transaction(async (tx) => {
        await tx.recordOtpFailure(t.id, 5, NOW);
        await tx.appendAudit(event(1));
        await tx.endToken(t.id, 'deactivated', NOW);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await get(t.id)).toMatchObject({ state: 'active', failCount: 0 });
    expect(await store.countUnchainedAudit()).toBe(0);
  });

  it('commit every write when it returns, and nest into the outer transaction', async () => {
    const t = await active();
    const r = await store.transaction(async (tx) => {
      await tx.recordOtpFailure(t.id, 5, NOW);
      return tx.transaction(async (inner) => {
        await inner.appendAudit(event(1));
        return 'done';
      });
    });
    expect(r).toBe('done');
    expect((await get(t.id)).failCount).toBe(1);
    expect((await store.listAudit({ limit: 10 })).map((e) => e.action)).toEqual([event(1).action]);
  });
});
