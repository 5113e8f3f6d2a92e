import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFERRED_COMMIT, DurableSqliteDialect } from './sqlite-durable.js';

interface Db {
  t: { id: number; v: string };
}

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A database whose WAL flushes are counted and can be held back by the test. */
function open() {
  dir = mkdtempSync(join(tmpdir(), 'inkan-durable-'));
  const path = join(dir, 'x.db');
  const raw = new BetterSqlite3(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  let flushes = 0;
  let gate: Promise<void> = Promise.resolve();
  let failing: () => boolean = () => false;
  const dialect = new DurableSqliteDialect({
    db: raw,
    database: raw,
    walPath: `${path}-wal`,
    syncWal: async () => {
      flushes += 1;
      const failNow = failing();
      await gate;
      if (failNow) throw new Error('disk gone');
    },
  });
  const db = new Kysely<Db>({ dialect });
  return {
    db,
    dialect,
    flushes: () => flushes,
    /** Flushes that start while `when()` is true fail (an fsync error). */
    failNext(when: () => boolean): void {
      failing = when;
    },
    /** Holds the next flushes until the returned function is called. */
    hold(): () => void {
      let release = () => {};
      gate = new Promise<void>((r) => (release = r));
      return () => release();
    },
  };
}

describe('durable SQLite commits (flushed on the thread pool before they are seen)', () => {
  it('flushes after an autocommitted write, not after a read', async () => {
    const d = open();
    await d.db.insertInto('t').values({ id: 1, v: 'a' }).execute();
    expect(d.flushes()).toBe(1);
    await d.db.selectFrom('t').selectAll().execute();
    expect(d.flushes()).toBe(1);
    await d.db.destroy();
  });

  it('a write that fails outside a transaction wrote nothing: no flush for it, then or later', async () => {
    const d = open();
    await d.db.insertInto('t').values({ id: 1, v: 'a' }).execute();
    expect(d.flushes()).toBe(1);
    await expect(d.db.insertInto('t').values({ id: 1, v: 'b' }).execute()).rejects.toThrow();
    await d.db.selectFrom('t').selectAll().execute();
    expect(d.flushes()).toBe(1);
    await d.db.destroy();
  });

  it('flushes a transaction once, at its COMMIT (not per statement, not at BEGIN)', async () => {
    const d = open();
    await d.db.transaction().execute(async (tx) => {
      await tx.insertInto('t').values({ id: 1, v: 'a' }).execute();
      await tx.insertInto('t').values({ id: 2, v: 'b' }).execute();
      await tx.updateTable('t').set({ v: 'c' }).where('id', '=', 1).execute();
      expect(d.flushes()).toBe(0);
    });
    expect(d.flushes()).toBe(1);
    await d.db.destroy();
  });

  it('a transaction that only reads is not flushed', async () => {
    const d = open();
    await d.db.transaction().execute(async (tx) => {
      await tx.selectFrom('t').selectAll().execute();
    });
    expect(d.flushes()).toBe(0);
    await d.db.destroy();
  });

  it('the result of a committed write is not handed back before its flush completes', async () => {
    const d = open();
    const release = d.hold();
    let answered = false;
    const write = d.db
      .insertInto('t')
      .values({ id: 1, v: 'a' })
      .execute()
      .then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(d.flushes()).toBe(1);
    expect(answered).toBe(false);
    release();
    await write;
    expect(answered).toBe(true);
    await d.db.destroy();
  });

  it('a deferred COMMIT is not flushed by the connection; flushCommitted() waits for a flush that covers it', async () => {
    const d = open();
    await d.db.connection().execute(async (conn) => {
      await sql`BEGIN IMMEDIATE`.execute(conn);
      await conn.insertInto('t').values({ id: 1, v: 'a' }).execute();
      await conn.executeQuery(DEFERRED_COMMIT);
    });
    expect(d.flushes()).toBe(0);
    await d.dialect.flushCommitted();
    expect(d.flushes()).toBe(1);
    // Nothing new committed: no further flush.
    await d.dialect.flushCommitted();
    expect(d.flushes()).toBe(1);
    await d.db.destroy();
  });

  it('a commit made while a flush runs waits for a flush that started after it', async () => {
    const d = open();
    const commit = (id: number) =>
      d.db.connection().execute(async (conn) => {
        await sql`BEGIN IMMEDIATE`.execute(conn);
        await conn
          .insertInto('t')
          .values({ id, v: String(id) })
          .execute();
        await conn.executeQuery(DEFERRED_COMMIT);
      });
    await commit(1);
    const release1 = d.hold();
    let firstDone = false;
    const first = d.dialect.flushCommitted().then(() => (firstDone = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(d.flushes()).toBe(1);
    // Commit 2 lands during flush 1: flush 1 does not cover it.
    await commit(2);
    const release2 = d.hold();
    let secondDone = false;
    const second = d.dialect.flushCommitted().then(() => (secondDone = true));
    release1();
    await first;
    expect(firstDone).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(d.flushes()).toBe(2);
    expect(secondDone).toBe(false);
    release2();
    await second;
    expect(secondDone).toBe(true);
    await d.db.destroy();
  });

  it('the real flush: the WAL file is fsynced and the data reads back after reopening', async () => {
    dir = mkdtempSync(join(tmpdir(), 'inkan-durable-'));
    const path = join(dir, 'y.db');
    const raw = new BetterSqlite3(path);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    const db = new Kysely<Db>({
      dialect: new DurableSqliteDialect({ db: raw, database: raw, walPath: `${path}-wal` }),
    });
    await sql`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`.execute(db);
    await db.insertInto('t').values({ id: 7, v: 'seven' }).execute();
    await db.destroy();
    const again = new BetterSqlite3(path, { readonly: true });
    expect(again.prepare('SELECT v FROM t WHERE id = 7').get()).toEqual({ v: 'seven' });
    again.close();
  });

  it('the real flush: a WAL that cannot be flushed fails the write, and every write after it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'inkan-durable-'));
    const path = join(dir, 'z.db');
    const raw = new BetterSqlite3(path);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    const walPath = join(dir, 'moved-wal');
    const db = new Kysely<Db>({
      dialect: new DurableSqliteDialect({ db: raw, database: raw, walPath }),
    });
    await expect(db.insertInto('t').values({ id: 1, v: 'a' }).execute()).rejects.toThrow(/ENOENT/);
    // The failure is final (a later descriptor would not see a lost write-back): even once the
    // file is there, nothing more is written, and reads still work.
    writeFileSync(walPath, '');
    await expect(db.insertInto('t').values({ id: 2, v: 'b' }).execute()).rejects.toThrow(/ENOENT/);
    expect(raw.prepare('SELECT id FROM t WHERE id = 2').get()).toBeUndefined();
    expect(await db.selectFrom('t').select('id').execute()).toEqual([{ id: 1 }]);
    await db.destroy();
  });

  it('a failed flush fails every commit waiting on it and every one after it', async () => {
    const d = open();
    let fail = false;
    const dialect = d.dialect;
    await d.db.insertInto('t').values({ id: 1, v: 'a' }).execute();
    const release = d.hold();
    const first = d.db.insertInto('t').values({ id: 2, v: 'b' }).execute();
    await new Promise((r) => setTimeout(r, 10));
    // Two commits arrive while flush 2 runs: they wait for flush 3, which will fail.
    const waiting = [3, 4].map((id) =>
      d.db
        .insertInto('t')
        .values({ id, v: String(id) })
        .execute(),
    );
    fail = true;
    d.failNext(() => fail);
    release();
    await first;
    for (const w of waiting) await expect(w).rejects.toThrow('disk gone');
    await expect(d.db.insertInto('t').values({ id: 5, v: 'e' }).execute()).rejects.toThrow(
      'disk gone',
    );
    await expect(dialect.flushCommitted()).rejects.toThrow('disk gone');
    await d.db.destroy();
  });
});
