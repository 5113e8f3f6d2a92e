import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { isInkanError, type AuditEvent } from '../../src/core/index.js';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { ON_POSTGRES, activeCustomer, createHarness } from '../support/harness.js';
import { longestPause } from '../support/event-loop.js';
import { storeLocation } from '../support/raw-db.js';
import { holdSqliteWriteLock } from '../support/sqlite-lock-holder.js';

/**
 * Another process holding SQLite's write lock (an `inkan hardware import` of a large PSKC file,
 * `inkan keys rotate`, a second server) must not stop this server: the wait for the lock happens
 * off the event loop, and past its limit the caller gets SERVICE_BUSY (503 with Retry-After),
 * never an internal error. PostgreSQL waits on its own sockets and needs none of this.
 */

const event = (n: number): AuditEvent => ({
  serviceId: null,
  at: Date.now(),
  actor: 'test',
  action: 'test.lock_wait',
  customerRef: `c-${n}`,
  tokenId: null,
  result: 'ok',
  detail: {},
  clientIp: null,
});

const paths: string[] = [];
const stores: KyselyStore[] = [];
async function fileStore(lockWaitMs?: number): Promise<{ store: KyselyStore; path: string }> {
  const path = `/tmp/inkan-lockwait-${process.pid}-${randomBytes(6).toString('hex')}.db`;
  paths.push(path);
  const store = await openStore({
    url: `sqlite:${path}`,
    ...(lockWaitMs === undefined ? {} : { sqliteLockWaitMs: lockWaitMs }),
  });
  stores.push(store);
  return { store, path };
}
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const p of paths.splice(0))
    for (const suffix of ['', '-wal', '-shm']) rmSync(p + suffix, { force: true });
});

async function auditCount(store: KyselyStore): Promise<number> {
  const chain = await store.readAuditChain(0, 10_000);
  return chain.filter((e) => e.action === 'test.lock_wait').length;
}

describe.skipIf(ON_POSTGRES)('SQLite: waiting for another process’s write lock', () => {
  it('keeps serving while it waits, then writes once the lock is let go', async () => {
    const { store, path } = await fileStore();
    const lock = await holdSqliteWriteLock(path, 800);
    const started = Date.now();
    const { pauseMs } = await longestPause(
      Promise.all([1, 2, 3].map((n) => store.appendAudit(event(n)))),
    );
    await lock.released;
    // The writes waited for the other process (SQLite's busy handler used to sleep on the event
    // loop for all of it: no timer ran, no request was read, for the whole 800 ms).
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    expect(pauseMs).toBeLessThan(400);
    expect(await auditCount(store)).toBe(3);
  });

  it('past its limit answers SERVICE_BUSY for the whole group at once and writes nothing', async () => {
    const { store, path } = await fileStore(200);
    const lock = await holdSqliteWriteLock(path, 2500);
    const started = Date.now();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, n) => store.appendAudit(event(n))),
    );
    const elapsed = Date.now() - started;
    for (const r of results) {
      expect(r.status).toBe('rejected');
      if (r.status === 'rejected') expect(isInkanError(r.reason, 'SERVICE_BUSY')).toBe(true);
    }
    // One wait for the group, not one per transaction run again alone (20 × 200 ms).
    expect(elapsed).toBeLessThan(1500);
    await lock.released;
    expect(await auditCount(store)).toBe(0);
    await store.appendAudit(event(99));
    expect(await auditCount(store)).toBe(1);
  });
  it('a group queued behind one that waited out the lock is refused when it starts, not after the limit again', async () => {
    const { store, path } = await fileStore(500);
    let lock = await holdSqliteWriteLock(path, 3000);
    const writes = (from: number) => {
      const started = Date.now();
      return Promise.allSettled(
        Array.from({ length: 5 }, (_, n) => store.appendAudit(event(from + n))),
      ).then((results) => ({ results, ms: Date.now() - started }));
    };
    const first = writes(0);
    await sleep(100);
    const second = writes(100); // queued: the first group holds the connection while it waits
    const [a, b] = await Promise.all([first, second]);
    for (const r of [...a.results, ...b.results]) {
      expect(r.status).toBe('rejected');
      if (r.status === 'rejected') expect(isInkanError(r.reason, 'SERVICE_BUSY')).toBe(true);
    }
    expect(a.ms).toBeGreaterThanOrEqual(450);
    // The second group's callers waited about 400 ms in the queue and were then refused at once;
    // counting the limit again from its own start, they waited about 900 ms, past the limit.
    expect(b.ms).toBeLessThan(750);
    await lock.released;
    expect(await auditCount(store)).toBe(0);
    // A write that gets the lock ends the spell: a later lock is waited for in full again.
    await store.appendAudit(event(200));
    lock = await holdSqliteWriteLock(path, 1500);
    const later = await writes(300);
    expect(later.ms).toBeGreaterThanOrEqual(450);
    expect(later.results.every((r) => r.status === 'rejected')).toBe(true);
    await lock.released;
    expect(await auditCount(store)).toBe(1);
  });
});

describe.skipIf(ON_POSTGRES)('SQLite locked by another process: the API', () => {
  it('answers health at once, and a verification waits for the lock, then succeeds', async () => {
    const h = await createHarness();
    try {
      const t = await activeCustomer(h, 'c-wait');
      const where = await storeLocation(h.store, '');
      const lock = await holdSqliteWriteLock(where.url.slice('sqlite:'.length), 800);
      const verifying = h.call('POST', '/api/v1/customers/c-wait/verify', { otp: t.otp() });
      // Once the verification is waiting for the lock, the server still answers (a timer first,
      // so that the verification's group has started: before, its wait stopped timers too).
      const healthStarted = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const health = await h.call('GET', '/api/v1/health');
      expect(health.status).toBe(200);
      expect(Date.now() - healthStarted).toBeLessThan(500);
      const r = await verifying;
      await lock.released;
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      expect(r.json['result']).toBe('ok');
    } finally {
      await h.close();
    }
  });

  it('past the wait answers 503 SERVICE_BUSY with Retry-After, and the OTP stays unused', async () => {
    const h = await createHarness({ sqliteLockWaitMs: 200 });
    try {
      const t = await activeCustomer(h, 'c-busy');
      const where = await storeLocation(h.store, '');
      const lock = await holdSqliteWriteLock(where.url.slice('sqlite:'.length), 1500);
      const r = await h.call('POST', '/api/v1/customers/c-busy/verify', { otp: t.otp() });
      expect(r.status).toBe(503);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.headers['retry-after']).toBe('1');
      expect(r.json).toMatchObject({ status: 503, code: 'SERVICE_BUSY' });
      await lock.released;
      // Nothing was written: the same OTP is still good once the lock is gone.
      const again = await h.call('POST', '/api/v1/customers/c-busy/verify', { otp: t.otp() });
      expect(again.json['result']).toBe('ok');
    } finally {
      await h.close();
    }
  });
});
