import { setTimeout as sleep } from 'node:timers/promises';
import { closeSync, fdatasync, openSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteDialect,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type SqliteDatabase,
} from 'kysely';
import { InkanError } from '../core/index.js';

/**
 * Durable commits on SQLite without blocking the event loop.
 *
 * An accepted OTP step must survive a crash or power loss before it is answered, or a used code
 * could be accepted again. `synchronous=FULL` gets that by an fsync of the WAL inside every COMMIT,
 * but better-sqlite3 is synchronous: each fsync (about 0.8 ms here) stops the whole server, no
 * request is read, no HMAC computed, while the disk flushes.
 *
 * The equivalent used here: the connection runs with `synchronous=NORMAL` (SQLite then writes each
 * commit's WAL frames before COMMIT returns but does not fsync them; it still syncs the WAL before
 * every checkpoint and the WAL header when the file is reused), and this dialect fsyncs the WAL
 * file itself, on libuv's thread pool, after every statement that committed a change, and only
 * then hands the statement's result back. So no caller sees a commit, and no answer leaves, before
 * the commit is on disk, exactly as with FULL; meanwhile the event loop keeps serving. fsync
 * flushes the whole file, so it also covers every commit before it, in any process.
 *
 * A transaction may commit with DEFERRED_COMMIT instead: its COMMIT returns at once and the
 * caller, after releasing the connection, awaits `flushCommitted()` before it answers anyone. The
 * next transaction can then write while this one's flush runs (the store's group commit does this).
 */

/** COMMIT whose flush the caller awaits itself, with `flushCommitted()`, before answering. */
export const DEFERRED_COMMIT = CompiledQuery.raw('COMMIT');
export interface DurableSqliteOptions {
  readonly db: BetterSqlite3.Database;
  /** The database as Kysely should see it (e.g. with a statement cache). */
  readonly database: SqliteDatabase;
  /** The WAL file; its fsync makes a commit durable. */
  readonly walPath: string;
  /** Test seam: how the WAL is flushed (default: fdatasync of the WAL, see walSyncer). */
  readonly syncWal?: () => Promise<void>;
  /**
   * How long a statement waits for another connection's write lock before it fails with
   * SERVICE_BUSY (default 5000 ms). The connection itself must run with `busy_timeout = 0`: the
   * wait happens here, off the event loop (see `runWaitingForLock`).
   */
  readonly lockWaitMs?: number;
}

/** SQLite's answers that mean "another connection holds the lock, try again". */
function isLockBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  // Not SQLITE_BUSY_SNAPSHOT: a transaction whose snapshot went stale cannot succeed by waiting.
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_RECOVERY';
}

/**
 * A spell of "another connection holds the lock": SQLITE_BUSY answers no further apart than
 * SPELL_GAP_MS (a waiting statement retries every 16 ms at most), shared by the statements of one
 * connection.
 */
interface LockSpell {
  since: number | null;
  lastBusy: number;
}
const SPELL_GAP_MS = 100;

/**
 * Runs a statement, waiting asynchronously while another connection holds the lock it needs.
 *
 * SQLite's own busy handler (`busy_timeout`) sleeps inside the call, and better-sqlite3 calls it
 * on the event loop: while another process (an `inkan hardware import`, a second server) or
 * another connection of this process holds the write lock, the whole server stood still, health
 * checks included, and a connection of this process that held the lock could never finish. A
 * statement that answers SQLITE_BUSY has done nothing, so it is run again after a short timer,
 * and the event loop serves everything else meanwhile. After `lockWaitMs` the caller gets
 * SERVICE_BUSY (503, Retry-After), not an internal error.
 *
 * The limit counts from the start of the spell, not of each statement: a group queued behind one
 * that waited out the lock would otherwise wait as long again, so its callers could wait twice
 * the limit. Once a spell has lasted the limit, statements are refused at their first SQLITE_BUSY
 * (503 at once, rather than piling up requests). The spell ends when a statement gets the lock
 * (it succeeded after waiting, or its connection is now in a transaction), or after a pause in
 * the BUSY answers.
 */
async function runWaitingForLock<R>(
  run: () => Promise<QueryResult<R>>,
  o: { lockWaitMs: number; spell: LockSpell; inTransaction: () => boolean },
): Promise<QueryResult<R>> {
  const { spell } = o;
  let waited = false;
  for (let delay = 1; ; delay = Math.min(delay * 2, 16)) {
    try {
      const result = await run();
      if (waited || o.inTransaction()) spell.since = null;
      return result;
    } catch (e) {
      if (!isLockBusy(e)) throw e;
      const now = Date.now();
      if (spell.since === null || now - spell.lastBusy > SPELL_GAP_MS) spell.since = now;
      spell.lastBusy = now;
      if (now >= spell.since + o.lockWaitMs) {
        throw new InkanError('SERVICE_BUSY', {}, { cause: e });
      }
      waited = true;
      await sleep(delay);
    }
  }
}

/**
 * fdatasync of the WAL on the thread pool, through one descriptor kept until the database closes
 * (an open, fsync and close per flush cost the event loop about 5% of its time under load).
 *
 * Keeping it is safe because SQLite never replaces the WAL file while a connection is open: it
 * reuses and truncates it in place and deletes it only when the last connection closes, and this
 * dialect's own connection is open until `close()`. fdatasync is enough: it also writes the file
 * size when a commit grew the file.
 *
 * A write-back error is reported once per open file, to one fsync, and a descriptor opened later
 * never sees it (Linux errseq). So the descriptor is opened at the first write, flushes on it run
 * one at a time (the dialect never overlaps them), and it is never reopened: after a failed flush
 * every later flush fails with the same error (see `DurableSqliteDialect`), as PostgreSQL stops
 * after a failed fsync, rather than ever answer a commit whose pages may be lost.
 */
function walSyncer(path: string): {
  open: () => void;
  sync: () => Promise<void>;
  close: () => void;
} {
  let fd: number | null = null;
  return {
    open() {
      fd ??= openSync(path, 'r+');
    },
    async sync() {
      if (fd === null) fd = openSync(path, 'r+');
      const d = fd;
      await new Promise<void>((resolve, reject) =>
        fdatasync(d, (e) => (e ? reject(e) : resolve())),
      );
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

/**
 * What the statements since the last flush did, and whether a flush failed. Transaction control
 * statements (BEGIN, COMMIT) count as read-only for SQLite (sqlite3_stmt_readonly), so a write is
 * remembered until the connection is out of its transaction: then it has committed and must be
 * flushed.
 */
interface WriteTracker {
  dirty: boolean;
  /** The first failed flush: from then on every write and every flush fails with it. */
  failed: unknown;
}

/** A Kysely dialect over better-sqlite3 whose committed writes return only once durable. */
export class DurableSqliteDialect extends SqliteDialect {
  readonly #o: DurableSqliteOptions;
  readonly #sync: () => Promise<void>;
  readonly #openWal: () => void = () => {};
  readonly #closeWal: () => void = () => {};
  readonly #state: WriteTracker;
  /** How statements wait for another connection's lock (one object, not one per statement). */
  readonly #lockWait: { lockWaitMs: number; spell: LockSpell; inTransaction: () => boolean };
  /** Commits that changed the database, counted; and how many of them are known flushed. */
  #committed = 0;
  #durable = 0;
  /** The flush running now (one at a time) and the one queued behind it. */
  #inFlight: { readonly covers: number; readonly done: Promise<void> } | null = null;
  #next: Promise<void> | null = null;

  constructor(o: DurableSqliteOptions) {
    const state: WriteTracker = { dirty: false, failed: null };
    super({
      database: {
        close: () => o.database.close(),
        prepare: (sqlText: string) => {
          const stmt = o.database.prepare(sqlText);
          // Kysely runs the statement right after preparing it, synchronously (better-sqlite3).
          if (!(stmt as unknown as { readonly readonly: boolean }).readonly) {
            // After a failed flush nothing more is written: it could not be made durable.
            if (state.failed !== null) throw state.failed;
            state.dirty = true;
          }
          return stmt;
        },
      },
    });
    this.#o = o;
    this.#state = state;
    this.#lockWait = {
      lockWaitMs: o.lockWaitMs ?? 5000,
      spell: { since: null, lastBusy: 0 },
      inTransaction: () => o.db.inTransaction,
    };
    if (o.syncWal !== undefined) this.#sync = o.syncWal;
    else {
      const wal = walSyncer(o.walPath);
      this.#sync = wal.sync;
      this.#openWal = wal.open;
      this.#closeWal = wal.close;
    }
  }

  /** Waits until every commit so far is on disk (after a DEFERRED_COMMIT). */
  flushCommitted(): Promise<void> {
    return this.#flushUpTo(this.#committed);
  }

  /**
   * Waits until commit number `target` is on disk. An fsync covers every write made before it
   * started (and only those): the flush running now serves the commits made before it started;
   * a later commit waits for the next flush, which starts when this one ends and covers every
   * commit made by then, however many there are (group commit at the disk).
   */
  async #flushUpTo(target: number): Promise<void> {
    while (this.#durable < target) {
      if (this.#state.failed !== null) throw this.#state.failed;
      const running = this.#inFlight;
      if (running !== null && running.covers >= target) {
        await running.done;
        continue;
      }
      this.#next ??= this.#flushAfter(running);
      await this.#next;
    }
  }

  /** The next flush: it starts when `running` ends, and covers every commit made by then. */
  async #flushAfter(running: { readonly done: Promise<void> } | null): Promise<void> {
    // Always one turn first: the caller stores this promise as `#next` before it is cleared.
    await running?.done.catch(() => {});
    this.#next = null;
    if (this.#state.failed !== null) throw this.#state.failed;
    const covers = this.#committed;
    const done = this.#sync().then(
      () => {
        if (covers > this.#durable) this.#durable = covers;
      },
      (e: unknown) => {
        this.#state.failed ??= e;
        throw this.#state.failed;
      },
    );
    this.#inFlight = { covers, done };
    try {
      await done;
    } finally {
      if (this.#inFlight?.done === done) this.#inFlight = null;
    }
  }

  override createDriver(): Driver {
    const inner = super.createDriver();
    const wrap = (conn: DatabaseConnection): DatabaseConnection => ({
      executeQuery: async <R>(q: CompiledQuery): Promise<QueryResult<R>> => {
        let result: QueryResult<R>;
        try {
          result = await runWaitingForLock(() => conn.executeQuery<R>(q), this.#lockWait);
        } catch (e) {
          // A statement that failed outside a transaction wrote nothing: nothing to flush for it.
          if (!this.#o.db.inTransaction) this.#state.dirty = false;
          throw e;
        }
        if (this.#state.dirty) {
          // The WAL's descriptor is opened at the first write, before any flush could be due.
          try {
            this.#openWal();
          } catch (e) {
            this.#state.failed ??= e;
          }
        }
        // An autocommitted write, or the COMMIT of a transaction that wrote: flushed before
        // anyone sees the result (a DEFERRED_COMMIT's caller flushes it after the connection).
        if (this.#state.dirty && !this.#o.db.inTransaction) {
          this.#state.dirty = false;
          this.#committed += 1;
          if (q !== DEFERRED_COMMIT) await this.#flushUpTo(this.#committed);
        }
        return result;
      },
      streamQuery: (q, chunkSize) => conn.streamQuery(q, chunkSize),
    });
    return {
      init: () => inner.init(),
      acquireConnection: async () => wrap(await inner.acquireConnection()),
      beginTransaction: (c, s) => inner.beginTransaction(c, s),
      commitTransaction: (c) => inner.commitTransaction(c),
      rollbackTransaction: (c) => inner.rollbackTransaction(c),
      releaseConnection: (c) => inner.releaseConnection(c),
      destroy: async () => {
        await this.#next?.catch(() => {});
        await this.#inFlight?.done.catch(() => {});
        this.#closeWal();
        await inner.destroy();
      },
    };
  }
}
