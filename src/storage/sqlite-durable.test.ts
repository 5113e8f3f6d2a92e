import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DurableSqliteDialect } from './sqlite-durable.js';

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
  const db = new Kysely<Db>({
    dialect: new DurableSqliteDialect({
      db: raw,
      database: raw,
      walPath: `${path}-wal`,
      syncWal: async () => {
        flushes += 1;
        await gate;
      },
    }),
  });
  return {
    db,
    flushes: () => flushes,
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
});
