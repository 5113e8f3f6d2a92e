import { open } from 'node:fs/promises';
import type BetterSqlite3 from 'better-sqlite3';
import {
  SqliteDialect,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type SqliteDatabase,
} from 'kysely';

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
 * flushes the whole file, so it also covers every commit before it, in any process. Kysely's one
 * SQLite connection is held until the flush returns, so the next write waits for it, as it would
 * inside a FULL commit.
 */
export interface DurableSqliteOptions {
  readonly db: BetterSqlite3.Database;
  /** The database as Kysely should see it (e.g. with a statement cache). */
  readonly database: SqliteDatabase;
  /** The WAL file; its fsync makes a commit durable. */
  readonly walPath: string;
  /** Test seam: how the WAL is flushed (default: open, fsync, close). */
  readonly syncWal?: () => Promise<void>;
}

async function fsyncFile(path: string): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * What the statements since the last flush did. Transaction control statements (BEGIN, COMMIT)
 * count as read-only for SQLite (sqlite3_stmt_readonly), so a write is remembered until the
 * connection is out of its transaction: then it has committed and must be flushed.
 */
interface WriteTracker {
  dirty: boolean;
}

/** A Kysely dialect over better-sqlite3 whose committed writes return only once durable. */
export class DurableSqliteDialect extends SqliteDialect {
  readonly #o: DurableSqliteOptions;
  readonly #flush: () => Promise<void>;
  readonly #writes: WriteTracker;

  constructor(o: DurableSqliteOptions) {
    const writes: WriteTracker = { dirty: false };
    super({
      database: {
        close: () => o.database.close(),
        prepare: (sqlText: string) => {
          const stmt = o.database.prepare(sqlText);
          // Kysely runs the statement right after preparing it, synchronously (better-sqlite3).
          if (!(stmt as unknown as { readonly readonly: boolean }).readonly) writes.dirty = true;
          return stmt;
        },
      },
    });
    this.#o = o;
    this.#writes = writes;
    this.#flush = o.syncWal ?? (() => fsyncFile(o.walPath));
  }

  override createDriver(): Driver {
    const inner = super.createDriver();
    const wrap = (conn: DatabaseConnection): DatabaseConnection => ({
      executeQuery: async <R>(q: CompiledQuery): Promise<QueryResult<R>> => {
        const result = await conn.executeQuery<R>(q);
        // An autocommitted write, or the COMMIT of a transaction that wrote: flushed before
        // anyone sees the result.
        if (this.#writes.dirty && !this.#o.db.inTransaction) {
          this.#writes.dirty = false;
          await this.#flush();
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
      destroy: () => inner.destroy(),
    };
  }
}
