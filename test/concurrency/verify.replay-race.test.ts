/**
 * The hole: single use (「一度使用したワンタイムパスワードは無効」, SPEC.md "Single use") checked
 * with a read and then a write lets N requests carrying the same OTP all read "step not used yet"
 * and all answer `ok`: one phished code replayed in parallel opens N sessions or N transfers.
 * SPEC.md requires single use "under concurrency and across server instances", so the same OTP
 * is raced here within one platform (HTTP and in-process calls), across two platforms in one
 * process sharing the database, and across two server processes. Exactly one `ok`, ever.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TenantCallContext } from '../../src/services/index.js';
import {
  activeCustomer,
  createHarness,
  issueAndProvision,
  type ProvisionedToken,
  type Harness,
} from '../support/harness.js';
import { openPeerPlatform } from '../support/peer-platform.js';
import { startPeerProcess } from '../support/peer-process.js';
import { storeLocation } from '../support/raw-db.js';
import { ON_POSTGRES, TEST_DATABASE_URL } from '../support/harness.js';

let h: Harness;
let ctx: TenantCallContext;
beforeEach(async () => {
  h = await createHarness();
  ctx = { serviceId: h.serviceId, actor: 'test', clientIp: null };
});
afterEach(async () => {
  await h.close();
});

/** How many of each answer. */
function tally(results: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) out[r] = (out[r] ?? 0) + 1;
  return out;
}

const viaHttp = (ref: string, otp: string) =>
  h
    .call('POST', `/api/v1/customers/${ref}/verify`, { otp })
    .then((r) => (r.status === 200 ? String(r.json['result']) : `http:${r.status}`));
const viaPlatform = (ref: string, otp: string) =>
  h.platform.verify(ctx, ref, { otp }).then((r) => r.result as string);

async function auditResults(ref: string, action: string): Promise<Record<string, number>> {
  const events = await h.store.listAudit({ customerRef: ref, limit: 10_000 });
  return tally(events.filter((e) => e.action === action).map((e) => String(e.result)));
}

describe('one OTP raced: exactly one ok', () => {
  it('50 concurrent POST …/verify of one OTP: one ok, 49 replayed, all audited, nothing counted', async () => {
    const t = await activeCustomer(h, 'c-race');
    const otp = t.otp();
    const results = await Promise.all(Array.from({ length: 50 }, () => viaHttp('c-race', otp)));
    expect(tally(results)).toEqual({ ok: 1, replayed: 49 });
    const view = await h.call('GET', '/api/v1/customers/c-race/token');
    expect(view.json).toMatchObject({ failCount: 0, locked: false });
    expect(await auditResults('c-race', 'otp.verify')).toEqual({ ok: 1, replayed: 49 });
  });

  it('50 concurrent calls mixing HTTP and the in-process platform: one ok', async () => {
    const t = await activeCustomer(h, 'c-mixed');
    const otp = t.otp();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        i % 2 === 0 ? viaHttp('c-mixed', otp) : viaPlatform('c-mixed', otp),
      ),
    );
    expect(tally(results)).toEqual({ ok: 1, replayed: 49 });
  });

  it('repeated rounds, one step each: one ok per step, never two', async () => {
    const t = await activeCustomer(h, 'c-rounds');
    for (let round = 0; round < 5; round++) {
      const otp = t.otp();
      const results = await Promise.all(
        Array.from({ length: 20 }, () => viaPlatform('c-rounds', otp)),
      );
      expect(tally(results), `round ${round}`).toEqual({ ok: 1, replayed: 19 });
      h.clock.advance(60_000);
    }
  });

  it('OTPs of the current and the next step raced: a used step is never accepted after a later one', async () => {
    const t = await activeCustomer(h, 'c-steps');
    const now = t.otp(0);
    const next = t.otp(1);
    const calls = Array.from({ length: 30 }, (_, i) =>
      i % 2 === 0
        ? viaPlatform('c-steps', now).then((r) => `now:${r}`)
        : viaPlatform('c-steps', next).then((r) => `next:${r}`),
    );
    const results = tally(await Promise.all(calls));
    // The next step is accepted exactly once; the current one at most once, and only before it.
    expect(results['next:ok']).toBe(1);
    expect(results['now:ok'] ?? 0).toBeLessThanOrEqual(1);
    expect((results['now:ok'] ?? 0) + (results['now:replayed'] ?? 0)).toBe(15);
    expect(results['next:replayed']).toBe(14);
    // Afterwards both are replays: no OTP of a step <= the last accepted one works again.
    expect(await viaPlatform('c-steps', now)).toBe('replayed');
    expect(await viaPlatform('c-steps', next)).toBe('replayed');
    const token = (
      await h.store.liveTokens((await h.store.getCustomer(h.serviceId, 'c-steps'))!.id)
    )[0];
    expect(token?.lastStep).toBe(Math.floor(h.clock.now() / 60_000) + 1);
  });

  it('20 concurrent activations with the same OTP: one activates, none of the rest is ok', async () => {
    const t = await issueAndProvision(h, 'c-act');
    const otp = t.otp();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        h.call('POST', '/api/v1/customers/c-act/token/activate', { otp }),
      ),
    );
    expect(answers.every((a) => a.status < 500)).toBe(true);
    expect(answers.filter((a) => a.json['result'] === 'ok')).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200 && a.json['state'] === 'active')).toHaveLength(1);
    // The losers are replays (same step) or, once the token is active, TOKEN_NOT_ACTIVATABLE.
    for (const a of answers.filter((x) => x.json['result'] !== 'ok')) {
      expect([`200:replayed`, `409:TOKEN_NOT_ACTIVATABLE`]).toContain(
        `${a.status}:${String(a.json['result'] ?? a.json['code'])}`,
      );
    }
    // The activation used the step up: verify with the same OTP is a replay.
    expect(await viaPlatform('c-act', otp)).toBe('replayed');
  });

  it('20 concurrent deactivations with the same OTP: one ok, the step used once', async () => {
    const t = await activeCustomer(h, 'c-deact');
    const otp = t.otp();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        h.call('DELETE', '/api/v1/customers/c-deact/token', { otp }),
      ),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const results = tally(answers.map((a) => String(a.json['result'])));
    expect(results['ok']).toBe(1);
    expect(
      Object.keys(results).every((r) => ['ok', 'replayed', 'not_active', 'no_token'].includes(r)),
    ).toBe(true);
    expect((await h.call('GET', '/api/v1/customers/c-deact/token')).status).toBe(404);
    const ended = (await h.store.listAudit({ customerRef: 'c-deact', limit: 100 })).filter(
      (e) => e.action === 'token.deactivated',
    );
    expect(ended).toHaveLength(1);
  });
});

describe('many customers at once (the requests share batched statements on PostgreSQL)', () => {
  it('30 customers, each OTP sent three times at once: one ok per customer, audited under its own customer', async () => {
    const refs = Array.from({ length: 30 }, (_, i) => `c-many-${i}`);
    const tokens: ProvisionedToken[] = [];
    for (const ref of refs) tokens.push(await activeCustomer(h, ref));
    // Every customer was activated at an earlier step; all of them verify the same (current) step.
    const sends = refs.flatMap((ref, i) => {
      const otp = tokens[i]!.otp();
      return [0, 1, 2].map((k) => ({ ref, otp, via: k === 1 ? viaPlatform : viaHttp }));
    });
    const results = await Promise.all(sends.map((s) => s.via(s.ref, s.otp)));
    for (const ref of refs) {
      const mine = results.filter((_, j) => sends[j]!.ref === ref);
      expect(tally(mine), ref).toEqual({ ok: 1, replayed: 2 });
      expect(await auditResults(ref, 'otp.verify'), ref).toEqual({ ok: 1, replayed: 2 });
    }
  });

  it('a wrong OTP among right ones fails only itself', async () => {
    const a = await activeCustomer(h, 'c-mix-a');
    const b = await activeCustomer(h, 'c-mix-b');
    const wrong = String((Number(b.otp()) + 1) % 10 ** b.digits).padStart(b.digits, '0');
    const results = await Promise.all([
      viaHttp('c-mix-a', a.otp()),
      viaHttp('c-mix-b', wrong),
      viaHttp('c-unknown', a.otp()),
    ]);
    expect(results).toEqual(['ok', 'invalid', 'http:404']);
    const view = await h.call('GET', '/api/v1/customers/c-mix-b/token');
    expect(view.json).toMatchObject({ failCount: 1 });
  });
});

describe('one OTP raced across server instances sharing one database', () => {
  // In-process peers need PostgreSQL (see openPeerPlatform); the process race below runs on both.
  it.runIf(ON_POSTGRES)(
    'two platforms in one process, each with its own connection pool: one ok in total',
    async () => {
      const peer = await openPeerPlatform(h);
      try {
        const t = await activeCustomer(h, 'c-two');
        for (let round = 0; round < 3; round++) {
          const otp = t.otp();
          const results = await Promise.all(
            Array.from({ length: 40 }, (_, i) =>
              i % 2 === 0
                ? viaHttp('c-two', otp)
                : peer
                    .call('POST', '/api/v1/customers/c-two/verify', { otp })
                    .then((r) =>
                      r.status === 200 ? String(r.json['result']) : `http:${r.status}`,
                    ),
            ),
          );
          expect(tally(results), `round ${round}`).toEqual({ ok: 1, replayed: 39 });
          h.clock.advance(60_000);
        }
      } finally {
        await peer.close();
      }
    },
  );

  it('two server processes: one ok in total, round after round', async () => {
    const t = await activeCustomer(h, 'c-proc');
    const where = await storeLocation(h.store, TEST_DATABASE_URL);
    const peer = await startPeerProcess({ ...where, masterKeyB64: h.masterKey.toString('base64') });
    try {
      for (let round = 0; round < 3; round++) {
        const otp = t.otp();
        const startAt = Date.now() + 200;
        const theirs = peer.verify({
          serviceId: h.serviceId,
          ref: 'c-proc',
          otp,
          count: 25,
          now: h.clock.now(),
          startAt,
        });
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
        const ours = await Promise.all(
          Array.from({ length: 25 }, () => viaPlatform('c-proc', otp)),
        );
        const results = [...ours, ...(await theirs).map((o) => o.result)];
        expect(tally(results), `round ${round}`).toEqual({ ok: 1, replayed: 49 });
        h.clock.advance(60_000);
      }
    } finally {
      await peer.close();
    }
  }, 30_000);
});
