/**
 * SPEC.md, "Security floor": an append-only, tamper-evident audit trail of every lifecycle event
 * and every verification result.
 *
 * The hole: someone with write access to the database (an insider, a compromised replica, an
 * injected statement) rewrites history — turns an `invalid` into `ok`, deletes the row that shows
 * a lockout, reorders events, edits a staff reason — and nothing notices. After real lifecycle
 * activity the trail must verify; after each kind of edit `verifyAuditTrail` (`inkan audit
 * verify`) must fail and name the first broken event.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainHash } from '../../src/core/index.js';
import { sha256Hex } from '../../src/crypto/sha256.js';
import { verifyAuditTrail } from '../../src/services/index.js';
import {
  activeCustomer,
  createHarness,
  ON_POSTGRES,
  TEST_DATABASE_URL,
  type Harness,
} from '../support/harness.js';
import { rawDb, storeLocation } from '../support/raw-db.js';
import { holdSqliteWriteLock } from '../support/sqlite-lock-holder.js';

let h: Harness;
let total = 0;

beforeEach(async () => {
  h = await createHarness();
  // Lifecycle activity: issue, provision, activate, verify (ok, invalid, replayed), lock, unlock,
  // a refused issuance, and a staff deactivation.
  const t = await activeCustomer(h, 'c-audit');
  await h.call('POST', '/api/v1/customers/c-audit/verify', { otp: t.otp() });
  await h.call('POST', '/api/v1/customers/c-audit/verify', { otp: t.otp() });
  for (let i = 0; i < 5; i++)
    await h.call('POST', '/api/v1/customers/c-audit/verify', { otp: '00000000' });
  await h.call('POST', '/api/v1/customers/c-audit/token/unlock', { reason: '本人確認の上解除' });
  await h.call('POST', '/api/v1/customers/c-audit/tokens', {
    type: 'software',
    email: 'a@b.jp',
    activationPassword: '1234',
  });
  await h.call('DELETE', '/api/v1/customers/c-audit/token', {
    force: true,
    reason: '紛失届（書面）',
  });
  await h.platform.flushAudit();
  const r = await verifyAuditTrail(h.store);
  expect(r).toMatchObject({ ok: true, unchained: 0 });
  total = r.count;
});
afterEach(async () => {
  await h.close();
});

const db = () => rawDb(h.store);

async function idAtSeq(seq: number): Promise<number> {
  const r = await db()
    .selectFrom('audit_events')
    .select('id')
    .where('seq', '=', seq)
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

describe('the audit trail is tamper-evident', () => {
  it('verifies after lifecycle activity, covering every event written', async () => {
    expect(total).toBeGreaterThanOrEqual(15);
    const actions = new Set(
      (await h.store.listAudit({ limit: 1000 })).map((e) => `${e.action}:${e.result}`),
    );
    for (const a of [
      'token.issued:issued',
      'token.provision:provisioned',
      'token.activate:ok',
      'otp.verify:ok',
      'otp.verify:replayed',
      'otp.verify:invalid',
      'token.locked:locked',
      'token.unlocked:unlocked',
      'token.issue_refused:TOKEN_EXISTS',
      'token.deactivated:staff_deactivated',
    ]) {
      expect(actions, a).toContain(a);
    }
    const r = await verifyAuditTrail(h.store);
    expect(r).toMatchObject({ ok: true, count: total, unchained: 0 });
    // More activity extends the chain and it still verifies.
    await h.call('POST', '/api/v1/customers/c-audit/verify', { otp: '12345678' });
    await h.platform.flushAudit();
    expect(await verifyAuditTrail(h.store)).toMatchObject({ ok: true, count: total + 1 });
  });

  it('changing one row’s result breaks the chain at that row', async () => {
    const seq = 7;
    const r = await db()
      .updateTable('audit_events')
      .set({ result: 'tampered' })
      .where('seq', '=', seq)
      .executeTakeFirst();
    expect(Number(r.numUpdatedRows)).toBe(1);
    expect(await verifyAuditTrail(h.store)).toMatchObject({
      ok: false,
      brokenAtSeq: seq,
      count: seq - 1,
    });
  });

  it('changing the result of the lockout event breaks the chain there', async () => {
    const locked = await db()
      .selectFrom('audit_events')
      .select('seq')
      .where('action', '=', 'token.locked')
      .executeTakeFirstOrThrow();
    await db()
      .updateTable('audit_events')
      .set({ result: 'ok', action: 'otp.verify' })
      .where('seq', '=', locked.seq)
      .execute();
    expect(await verifyAuditTrail(h.store)).toMatchObject({
      ok: false,
      brokenAtSeq: Number(locked.seq),
    });
  });

  it('deleting a middle row breaks the chain at the gap', async () => {
    const seq = Math.floor(total / 2);
    await db().deleteFrom('audit_events').where('seq', '=', seq).execute();
    expect(await verifyAuditTrail(h.store)).toMatchObject({ ok: false, brokenAtSeq: seq });
  });

  it('deleting the last row is caught against the remembered count and head', async () => {
    // A chain that simply ends earlier is self-consistent; what proves the truncation is the
    // count and head recorded before (what `inkan audit verify` prints for an operator to keep).
    const before = await verifyAuditTrail(h.store);
    if (!before.ok) throw new Error('chain broken before the edit');
    await db().deleteFrom('audit_events').where('seq', '=', total).execute();
    const after = await verifyAuditTrail(h.store);
    expect(after.count).toBe(total - 1);
    expect(after.ok ? after.head : 'broken').not.toBe(before.head);
  });

  it('swapping two rows’ seq breaks the chain at the first of them', async () => {
    const [a, b] = [5, 6];
    const idA = await idAtSeq(a);
    const idB = await idAtSeq(b);
    // seq is unique: move one aside first.
    await db().updateTable('audit_events').set({ seq: -1 }).where('id', '=', idA).execute();
    await db().updateTable('audit_events').set({ seq: a }).where('id', '=', idB).execute();
    await db().updateTable('audit_events').set({ seq: b }).where('id', '=', idA).execute();
    expect(await verifyAuditTrail(h.store)).toMatchObject({ ok: false, brokenAtSeq: a });
  });

  it('swapping two rows’ contents (keeping seq and hashes) breaks the chain at the first of them', async () => {
    const rows = await sql<{
      seq: number;
      action: string;
      result: string | null;
      detail: string;
      at: number;
    }>`select seq, action, result, detail, at from audit_events where seq in (3, 9) order by seq`.execute(
      db(),
    );
    const [r3, r9] = rows.rows;
    await db()
      .updateTable('audit_events')
      .set({ action: r9!.action, result: r9!.result, detail: r9!.detail, at: Number(r9!.at) })
      .where('seq', '=', 3)
      .execute();
    await db()
      .updateTable('audit_events')
      .set({ action: r3!.action, result: r3!.result, detail: r3!.detail, at: Number(r3!.at) })
      .where('seq', '=', 9)
      .execute();
    expect(await verifyAuditTrail(h.store)).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });

  it('editing detail (a staff reason) breaks the chain at that row', async () => {
    const row = await db()
      .selectFrom('audit_events')
      .select(['seq', 'detail'])
      .where('action', '=', 'token.deactivated')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.detail)).toMatchObject({ reason: '紛失届（書面）' });
    await db()
      .updateTable('audit_events')
      .set({ detail: JSON.stringify({ reason: '本人の申し出' }) })
      .where('seq', '=', row.seq)
      .execute();
    expect(await verifyAuditTrail(h.store)).toMatchObject({
      ok: false,
      brokenAtSeq: Number(row.seq),
    });
  });

  it('re-ordering detail keys is not an edit (canonical form)', async () => {
    const row = await db()
      .selectFrom('audit_events')
      .select(['seq', 'detail'])
      .where('action', '=', 'token.unlocked')
      .executeTakeFirstOrThrow();
    const detail = JSON.parse(row.detail) as Record<string, unknown>;
    expect(Object.keys(detail).length).toBeGreaterThan(1);
    const reversed = Object.fromEntries(Object.entries(detail).reverse());
    await db()
      .updateTable('audit_events')
      .set({ detail: JSON.stringify(reversed) })
      .where('seq', '=', row.seq)
      .execute();
    expect(await verifyAuditTrail(h.store)).toMatchObject({ ok: true, count: total });
  });

  it('editing the time, the actor or the token of a row breaks the chain at that row', async () => {
    for (const [seq, change] of [
      [4, { at: 0 }],
      [8, { actor: 'staff:someone-else' }],
      [10, { token_id: 999 }],
    ] as const) {
      const saved = await db()
        .selectFrom('audit_events')
        .selectAll()
        .where('seq', '=', seq)
        .executeTakeFirstOrThrow();
      await db().updateTable('audit_events').set(change).where('seq', '=', seq).execute();
      expect(await verifyAuditTrail(h.store), JSON.stringify(change)).toMatchObject({
        ok: false,
        brokenAtSeq: seq,
      });
      await db()
        .updateTable('audit_events')
        .set({ at: saved.at, actor: saved.actor, token_id: saved.token_id })
        .where('seq', '=', seq)
        .execute();
      expect(await verifyAuditTrail(h.store)).toMatchObject({ ok: true });
    }
  });

  it('rewriting a row together with its own hash is caught at the next row', async () => {
    const seq = 6;
    const [row] = await h.store.readAuditChain(seq - 1, 1);
    expect(row?.seq).toBe(seq);
    const forged = { ...row!, result: 'forged' };
    const hash = chainHash(row!.prevHash, forged, sha256Hex);
    await db()
      .updateTable('audit_events')
      .set({ result: 'forged', hash })
      .where('seq', '=', seq)
      .execute();
    expect(await verifyAuditTrail(h.store)).toMatchObject({ ok: false, brokenAtSeq: seq + 1 });
  });

  // `inkan audit verify` is a process of its own beside the running server. On SQLite it must
  // wait for the server's write lock like any writer (busy_timeout), not fail at once: a chaining
  // transaction that reads before it writes (a deferred BEGIN) gets SQLITE_BUSY immediately when
  // another process holds or has just taken the lock.
  it.runIf(!ON_POSTGRES)(
    'the trail can be checked while another process holds the write lock',
    async () => {
      await h.store.appendAudit({
        serviceId: h.serviceId,
        at: h.clock.now(),
        actor: 'test',
        action: 'otp.verify',
        customerRef: 'c-audit',
        tokenId: null,
        result: 'no_token',
        detail: {},
        clientIp: null,
      });
      const where = await storeLocation(h.store, TEST_DATABASE_URL);
      const lock = await holdSqliteWriteLock(where.url.slice('sqlite:'.length), 300);
      try {
        const r = await verifyAuditTrail(h.store);
        expect(r).toMatchObject({ ok: true, count: total + 1, unchained: 0 });
      } finally {
        await lock.released;
      }
    },
  );
});
