/**
 * The hole: a lockout counter written as read-count / write-count+1 loses increments when wrong
 * OTPs arrive together, so an attacker who sends guesses in parallel gets far more than the
 * tenant's threshold before 閉塞 (SPEC.md "Lockout"), or a correct OTP racing the locking guess
 * is accepted after the lock. Every wrong OTP that is checked must count exactly once, the lock
 * must fall at the threshold, and once locked every OTP — right or wrong — is refused until
 * staff unlock it (「当組合にて停止状態の解除」).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OtpOutcome, TenantCallContext } from '../../src/services/index.js';
import {
  activeCustomer,
  createHarness,
  issueAndProvision,
  ON_POSTGRES,
  TEST_DATABASE_URL,
  type Harness,
  type ProvisionedToken,
} from '../support/harness.js';
import { openPeerPlatform } from '../support/peer-platform.js';
import { startPeerProcess } from '../support/peer-process.js';
import { storeLocation } from '../support/raw-db.js';
import { holdSqliteWriteLock } from '../support/sqlite-lock-holder.js';

const WRONG = '00000000';
let h: Harness;
let ctx: TenantCallContext;
beforeEach(async () => {
  h = await createHarness({ policy: { lockoutThreshold: 5 } });
  ctx = { serviceId: h.serviceId, actor: 'test', clientIp: null };
});
afterEach(async () => {
  await h.close();
});

const verify = (ref: string, otp: string): Promise<OtpOutcome> =>
  h.platform.verify(ctx, ref, { otp });

async function tokenOf(ref: string) {
  const c = await h.store.getCustomer(h.serviceId, ref);
  const t = (await h.store.liveTokens(c?.id ?? -1)).find((x) => x.state === 'active');
  if (t === undefined) throw new Error(`no active token for ${ref}`);
  return t;
}

/** A wrong OTP that is not accidentally right for the token at the harness time. */
function wrongFor(t: ProvisionedToken): string {
  const window = [t.otp(-1), t.otp(0), t.otp(1)];
  return window.includes(WRONG) ? '99999999' : WRONG;
}

/**
 * The counts reported by the counted answers are 1, 2, …, k, each exactly once: no two requests
 * saw the same count (a lost increment) and none was skipped.
 */
function expectEachIncrementOnce(outcomes: readonly OtpOutcome[]): number {
  const counts = outcomes.filter((o) => o.result === 'invalid').map((o) => o.failCount ?? -1);
  expect([...counts].sort((a, b) => a - b)).toEqual(counts.map((_, i) => i + 1));
  return counts.length;
}

describe('閉塞 under concurrency', () => {
  it('20 concurrent wrong OTPs, threshold 5: every checked guess counts once, locked at exactly 5', async () => {
    const t = await activeCustomer(h, 'c-20');
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => verify('c-20', wrongFor(t))),
    );
    // A guess that reached the check is `invalid` and counted; one that arrived after the lock is
    // refused as `locked` without a check. Nothing else.
    expect(outcomes.every((o) => o.result === 'invalid' || o.result === 'locked')).toBe(true);
    const counted = expectEachIncrementOnce(outcomes);
    expect(counted + outcomes.filter((o) => o.result === 'locked').length).toBe(20);
    expect(counted).toBeGreaterThanOrEqual(5);
    const token = await tokenOf('c-20');
    expect(token.failCount).toBe(counted);
    expect(token.locked).toBe(true);
    // The lock fell at the threshold: answers below 5 were unlocked, from 5 on locked.
    for (const o of outcomes.filter((x) => x.result === 'invalid'))
      expect(o.locked).toBe((o.failCount ?? 0) >= 5);
    // One 閉塞 event, not one per racing request.
    const locks = (await h.store.listAudit({ customerRef: 'c-20', limit: 1000 })).filter(
      (e) => e.action === 'token.locked',
    );
    expect(locks).toHaveLength(1);
    // And the right OTP is now refused.
    expect((await verify('c-20', t.otp())).result).toBe('locked');
  });

  it('20 concurrent wrong OTPs through HTTP: the final count is exact', async () => {
    const t = await activeCustomer(h, 'c-http');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        h.call('POST', '/api/v1/customers/c-http/verify', { otp: wrongFor(t) }),
      ),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const outcomes = answers.map((a) => a.json as unknown as OtpOutcome);
    const counted = expectEachIncrementOnce(outcomes);
    const view = await h.call('GET', '/api/v1/customers/c-http/token');
    expect(view.json).toMatchObject({ failCount: counted, locked: true });
  });

  it('4 concurrent wrong OTPs then a correct one: the count is exactly 4, then reset to 0', async () => {
    const t = await activeCustomer(h, 'c-four');
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, () => verify('c-four', wrongFor(t))),
    );
    expect(expectEachIncrementOnce(outcomes)).toBe(4);
    expect(outcomes.every((o) => o.locked === false)).toBe(true);
    expect(await tokenOf('c-four')).toMatchObject({ failCount: 4, locked: false });
    expect((await verify('c-four', t.otp())).result).toBe('ok');
    expect(await tokenOf('c-four')).toMatchObject({ failCount: 0, locked: false });
    // The reset is real: four more wrong ones do not lock.
    const again = await Promise.all(Array.from({ length: 4 }, () => verify('c-four', wrongFor(t))));
    expect(expectEachIncrementOnce(again)).toBe(4);
    expect(await tokenOf('c-four')).toMatchObject({ failCount: 4, locked: false });
  });

  it('a correct OTP after the lock is `locked`, and does not reset the count', async () => {
    const t = await activeCustomer(h, 'c-after');
    await Promise.all(Array.from({ length: 5 }, () => verify('c-after', wrongFor(t))));
    const locked = await tokenOf('c-after');
    expect(locked).toMatchObject({ failCount: 5, locked: true });
    const right = await Promise.all(
      Array.from({ length: 5 }, (_, i) => verify('c-after', t.otp(i % 2))),
    );
    expect(right.every((o) => o.result === 'locked')).toBe(true);
    expect(await tokenOf('c-after')).toMatchObject({
      failCount: 5,
      locked: true,
      lastStep: locked.lastStep,
      lockedAt: locked.lockedAt,
    });
    // 利用解除 with the right OTP is refused too: a locked token cannot be deactivated by OTP.
    const del = await h.call('DELETE', '/api/v1/customers/c-after/token', { otp: t.otp() });
    expect(del.json).toMatchObject({ result: 'locked' });
    expect(await tokenOf('c-after')).toMatchObject({ state: 'active', failCount: 5, locked: true });
    // The step was not used up by the refused OTP: after 閉塞解除 the same OTP works.
    const unlocked = await h.platform.unlockToken(ctx, 'c-after', { reason: '本人確認の上解除' });
    expect(unlocked).toMatchObject({ locked: false, failCount: 0 });
    expect((await verify('c-after', t.otp())).result).toBe('ok');
  });

  it('a correct OTP racing wrong ones: no increment is lost around the reset', async () => {
    const t = await activeCustomer(h, 'c-mix');
    for (let round = 0; round < 6; round++) {
      const wrong = wrongFor(t);
      const calls = [
        verify('c-mix', wrong),
        verify('c-mix', t.otp()),
        verify('c-mix', wrong),
        verify('c-mix', wrong),
      ];
      if (round % 2 === 1) calls.reverse();
      const outcomes = await Promise.all(calls);
      expect(
        outcomes.filter((o) => o.result === 'ok'),
        `round ${round}`,
      ).toHaveLength(1);
      const counts = outcomes
        .filter((o) => o.result === 'invalid')
        .map((o) => o.failCount ?? -1)
        .sort((a, b) => a - b);
      expect(counts).toHaveLength(3);
      // The three increments split into j before the reset and m after it: their reported counts
      // are exactly 1..j and 1..m, and the stored count is m.
      const final = (await tokenOf('c-mix')).failCount;
      const expected = [...range(final), ...range(3 - final)].sort((a, b) => a - b);
      expect(counts, `round ${round}: final ${final}`).toEqual(expected);
      await h.platform.unlockToken(ctx, 'c-mix', { reason: 'test reset' });
      h.clock.advance(60_000);
    }
  });

  it('the correct OTP racing the guess that locks: never accepted after the lock', async () => {
    const t = await activeCustomer(h, 'c-edge');
    for (let round = 0; round < 8; round++) {
      for (let i = 0; i < 4; i++) await verify('c-edge', wrongFor(t));
      const pair = [verify('c-edge', wrongFor(t)), verify('c-edge', t.otp())];
      const [wrong, right] =
        round % 2 === 0 ? await Promise.all(pair) : (await Promise.all(pair.reverse())).reverse();
      const token = await tokenOf('c-edge');
      if (right?.result === 'ok') {
        // The right one came first: it reset the count, the guess then counted as the first.
        expect(wrong).toMatchObject({ result: 'invalid', failCount: 1, locked: false });
        expect(token).toMatchObject({ failCount: 1, locked: false });
      } else {
        // The guess came first and locked: the right one is refused, the lock stands.
        expect(right?.result).toBe('locked');
        expect(wrong).toMatchObject({ result: 'invalid', failCount: 5, locked: true });
        expect(token).toMatchObject({ failCount: 5, locked: true });
      }
      await h.platform.unlockToken(ctx, 'c-edge', { reason: 'test reset' });
      h.clock.advance(60_000);
    }
  });

  it('concurrent wrong OTPs at 利用開始 lock the new token; the right OTP is then refused', async () => {
    const t = await issueAndProvision(h, 'c-new');
    const wrong = wrongFor(t);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        h.call('POST', '/api/v1/customers/c-new/token/activate', { otp: wrong }),
      ),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const counted = expectEachIncrementOnce(answers.map((a) => a.json as unknown as OtpOutcome));
    expect(counted).toBeGreaterThanOrEqual(5);
    const right = await h.call('POST', '/api/v1/customers/c-new/token/activate', { otp: t.otp() });
    expect(right.json).toMatchObject({ result: 'locked' });
    expect((await h.call('GET', '/api/v1/customers/c-new/token')).json).toMatchObject({
      state: 'provisioned',
      locked: true,
      failCount: counted,
    });
  });

  it('wrong OTPs at verify and at deactivation count into the same counter', async () => {
    const t = await activeCustomer(h, 'c-both');
    const wrong = wrongFor(t);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 2 === 0
          ? h.call('POST', '/api/v1/customers/c-both/verify', { otp: wrong })
          : h.call('DELETE', '/api/v1/customers/c-both/token', { otp: wrong }),
      ),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const counted = expectEachIncrementOnce(answers.map((a) => a.json as unknown as OtpOutcome));
    expect(await tokenOf('c-both')).toMatchObject({
      failCount: counted,
      locked: true,
      state: 'active',
    });
  });

  it('wrong OTPs split across two server processes: one exact count', async () => {
    const t = await activeCustomer(h, 'c-proc');
    const wrong = wrongFor(t);
    const peer = await startPeerProcess({
      ...(await storeLocation(h.store, TEST_DATABASE_URL)),
      masterKeyB64: h.masterKey.toString('base64'),
    });
    try {
      const startAt = Date.now() + 200;
      const theirs = peer.verify({
        serviceId: h.serviceId,
        ref: 'c-proc',
        otp: wrong,
        count: 10,
        now: h.clock.now(),
        startAt,
      });
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
      const ours = await Promise.all(Array.from({ length: 10 }, () => verify('c-proc', wrong)));
      const outcomes = [...ours, ...(await theirs)] as OtpOutcome[];
      expect(outcomes.every((o) => o.result === 'invalid' || o.result === 'locked')).toBe(true);
      const counted = expectEachIncrementOnce(outcomes);
      expect(await tokenOf('c-proc')).toMatchObject({ failCount: counted, locked: true });
      const [after] = await peer.verify({
        serviceId: h.serviceId,
        ref: 'c-proc',
        otp: t.otp(),
        count: 1,
        now: h.clock.now(),
        startAt: 0,
      });
      expect(after?.result).toBe('locked');
    } finally {
      await peer.close();
    }
  }, 30_000);

  it.runIf(ON_POSTGRES)(
    'wrong OTPs split across two platforms in one process: one exact count',
    async () => {
      const peer = await openPeerPlatform(h);
      try {
        const t = await activeCustomer(h, 'c-peer');
        const wrong = wrongFor(t);
        const outcomes = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            i % 2 === 0
              ? verify('c-peer', wrong)
              : peer.platform.verify(ctx, 'c-peer', { otp: wrong }),
          ),
        );
        const counted = expectEachIncrementOnce(outcomes);
        expect(await tokenOf('c-peer')).toMatchObject({ failCount: counted, locked: true });
        expect((await peer.platform.verify(ctx, 'c-peer', { otp: t.otp() })).result).toBe('locked');
      } finally {
        await peer.close();
      }
    },
  );

  // 閉塞解除 reads the customer's tokens, then writes. On SQLite a second process (another
  // server, `inkan keys rotate`, `inkan tenant create`) holding the write lock for a moment must
  // make it wait (busy_timeout), not fail: a deferred transaction that has read gets SQLITE_BUSY
  // at once when it then needs the lock.
  it.runIf(!ON_POSTGRES)(
    'staff unlock while another process holds the write lock: waits, then unlocks',
    async () => {
      const t = await activeCustomer(h, 'c-busy');
      for (let i = 0; i < 5; i++) await verify('c-busy', wrongFor(t));
      const where = await storeLocation(h.store, TEST_DATABASE_URL);
      const lock = await holdSqliteWriteLock(where.url.slice('sqlite:'.length), 300);
      try {
        const r = await h.call('POST', '/api/v1/customers/c-busy/token/unlock', {
          reason: '本人確認の上解除',
        });
        expect(r.status, JSON.stringify(r.json)).toBe(200);
        expect(r.json).toMatchObject({ locked: false, failCount: 0 });
      } finally {
        await lock.released;
      }
      expect((await verify('c-busy', t.otp())).result).toBe('ok');
    },
  );
});

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}
