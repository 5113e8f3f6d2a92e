import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import BetterSqlite3 from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  type MigrationProvider,
  type SqliteDatabase,
} from 'kysely';
import pg from 'pg';
import { KyselyStore } from './kysely-store.js';
import { DurableSqliteDialect } from './sqlite-durable.js';
import { dialectOf, sqlitePath } from './database-url.js';
import { migrationProvider, type DialectName } from './migrations/index.js';
import type { Database } from './schema.js';

/** Where the data lives: `sqlite:PATH` or `postgres://…` (SPEC.md, CLI). */
export interface OpenStoreOptions {
  readonly url: string;
  /** PostgreSQL schema to use (created if missing); tests use one each. */
  readonly pgSchema?: string;
  /** Pool size for PostgreSQL. */
  readonly poolSize?: number;
  /** SQLite on a file: how long a write waits for another connection's lock (default 5000 ms). */
  readonly sqliteLockWaitMs?: number;
}

export { dialectOf, sqlitePath };

/** A SQLite database, and (on a file) the wait for its commits to be on disk. */
function openSqlite(
  path: string,
  lockWaitMs?: number,
): { db: Kysely<Database>; flush: (() => Promise<void>) | null } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  if (path === ':memory:') {
    const dialect = new SqliteDialect({ database: withStatementCache(db) });
    return { db: new Kysely<Database>({ dialect }), flush: null };
  }
  // Durability: an accepted OTP step must survive a crash or power loss, or a used code could be
  // accepted again. Every commit is fsynced before its result is seen, as with synchronous=FULL,
  // but on the thread pool instead of inside COMMIT, so the server keeps serving during the flush
  // (sqlite-durable.ts argues the equivalence).
  db.pragma('synchronous = NORMAL');
  // The WAL is copied back into the database every 10,000 pages (40 MB) instead of 1,000: a token
  // page changed by many verifications between two checkpoints is written back once, and the
  // checkpoint (run inside a commit, with its own fsyncs of the WAL and the database) comes ten
  // times less often. Bench's SQLite target on 7 December 2026: ahead in 6 of 6 alternating pairs,
  // +3% to +15%, with less CPU per request; p99 about 2 ms higher, under 25 ms.
  db.pragma('wal_autocheckpoint = 10000');
  // Waits for another connection's lock happen in the dialect, off the event loop: SQLite's own
  // busy handler would sleep on it and stop the whole server (sqlite-durable.ts).
  db.pragma('busy_timeout = 0');
  const dialect = new DurableSqliteDialect({
    db,
    database: withStatementCache(db),
    walPath: `${path}-wal`,
    ...(lockWaitMs === undefined ? {} : { lockWaitMs }),
  });
  return { db: new Kysely<Database>({ dialect }), flush: () => dialect.flushCommitted() };
}

function openSqliteReader(path: string): Kysely<Database> {
  const db = new BetterSqlite3(path, { readonly: true });
  db.pragma('busy_timeout = 5000');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(db) }) });
}

/**
 * Kysely prepares every statement anew; better-sqlite3 statements can be reused. A bounded cache
 * of prepared statements by SQL text saves the SQL compile on every query of the hot path.
 */
function withStatementCache(db: BetterSqlite3.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => db.close(),
    prepare(sqlText: string) {
      let stmt = cache.get(sqlText);
      if (stmt === undefined) {
        stmt = db.prepare(sqlText);
        if (cache.size >= max) cache.delete(cache.keys().next().value ?? '');
        cache.set(sqlText, stmt);
      }
      return stmt;
    },
  };
}

function openPostgres(
  url: string,
  schema: string | undefined,
  poolSize: number,
): { db: Kysely<Database>; pool: pg.Pool } {
  const options = ['-c synchronous_commit=on'];
  if (schema !== undefined) options.push(`-c search_path=${schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: options.join(' '),
    // bigint columns (epoch milliseconds, ids) as JavaScript numbers: all stay below 2^53.
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === 20
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server ends (a restart, a failover, an administrator) is reported on
  // the pool; pg has already dropped it and the next query opens a new one. Without a listener
  // the event would end the whole process.
  pool.on('error', () => {});
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
}

/**
 * Runs the migrations. Kysely looks for its bookkeeping table through PostgreSQL's catalog of
 * every schema; a table of another schema created or dropped at that moment (by another store,
 * tests run side by side) makes the catalog query fail with "… does not exist", naming someone
 * else's schema, table or column, or with "cache lookup failed for namespace N" when that schema
 * was dropped mid-query. No migration has run then (none failed), and a second look succeeds:
 * retried a few times. A failure inside a migration is never retried.
 */
async function migrateToLatest(migrator: Migrator, ownSchema: string | undefined) {
  for (let attempt = 1; ; attempt++) {
    const r = await migrator.migrateToLatest();
    const message = r.error instanceof Error ? r.error.message : '';
    const inMigration = r.results?.some((x) => x.status === 'Error') ?? false;
    const own = ownSchema !== undefined && message.includes(`schema "${ownSchema}"`);
    const catalogRace = /does not exist|cache lookup failed for namespace/.test(message);
    if (!catalogRace || inMigration || own || attempt >= 5) return r;
    await sleep(20 * attempt);
  }
}

/** Creates a PostgreSQL schema if it is missing (tests use one each). */
async function ensurePgSchema(url: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error('invalid PostgreSQL schema name');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    await admin.end();
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The operator's error when the database cannot be opened at all. A SQLite file is named (it is a
 * path on this machine); a PostgreSQL URL is not, as it may hold a password.
 */
function cannotOpen(dialect: DialectName, url: string, e: unknown): never {
  const what =
    dialect === 'sqlite'
      ? `the SQLite database ${sqlitePath(url) ?? url}`
      : 'the PostgreSQL database';
  throw new Error(`cannot open ${what} (DATABASE_URL): ${messageOf(e)}`, { cause: e });
}

function openOrExplain<T>(dialect: DialectName, url: string, open: () => T): T {
  try {
    return open();
  } catch (e) {
    return cannotOpen(dialect, url, e);
  }
}

/** Opens the database named by `url`, runs pending migrations, and returns the store. */
export async function openStore(o: OpenStoreOptions): Promise<KyselyStore> {
  const dialect = dialectOf(o.url);
  if (dialect === 'postgres' && o.pgSchema !== undefined) await ensurePgSchema(o.url, o.pgSchema);
  const postgres =
    dialect === 'postgres' ? openPostgres(o.url, o.pgSchema, o.poolSize ?? 10) : null;
  const { db, flush } =
    postgres === null
      ? openOrExplain(dialect, o.url, () =>
          openSqlite(sqlitePath(o.url) ?? ':memory:', o.sqliteLockWaitMs),
        )
      : { db: postgres.db, flush: null };
  // On PostgreSQL the migration bookkeeping lives in the store's own schema; without it Kysely
  // looks in every schema and trips over another store's tables.
  const migrator = new Migrator({
    db,
    provider: migrationProvider(dialect),
    ...(dialect === 'postgres' ? { migrationTableSchema: o.pgSchema ?? 'public' } : {}),
  });
  const { error, results } = await migrateToLatest(migrator, o.pgSchema);
  if (error !== undefined) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    if (failed === undefined) cannotOpen(dialect, o.url, error); // none ran: the database is not there
    throw new Error(`database migration ${failed} failed: ${messageOf(error)}`);
  }
  const readDb =
    dialect === 'sqlite' && sqlitePath(o.url) !== ':memory:'
      ? openSqliteReader(sqlitePath(o.url) ?? '')
      : null;
  return new KyselyStore(db, dialect, {
    readDb,
    pgPool: postgres?.pool ?? null,
    sqliteFlush: flush,
  });
}

/**
 * A database of another part of the product (the demo bank's own tables) on the same settings
 * as the platform's store: WAL with every commit flushed to disk before it is seen on SQLite
 * (sqlite-durable.ts), synchronous_commit on PostgreSQL.
 * Its migrations keep their own bookkeeping table, so each part migrates on its own.
 */
export async function openPartDatabase<DB>(o: {
  url: string;
  pgSchema?: string;
  poolSize?: number;
  migrations: (dialect: DialectName) => MigrationProvider;
  migrationTableName: string;
}): Promise<{ db: Kysely<DB>; dialect: DialectName }> {
  const dialect = dialectOf(o.url);
  if (dialect === 'postgres' && o.pgSchema !== undefined) await ensurePgSchema(o.url, o.pgSchema);
  const db = (dialect === 'postgres'
    ? openPostgres(o.url, o.pgSchema, o.poolSize ?? 5).db
    : openSqlite(sqlitePath(o.url) ?? ':memory:').db) as unknown as Kysely<DB>;
  const migrator = new Migrator({
    db,
    provider: o.migrations(dialect),
    migrationTableName: o.migrationTableName,
    migrationLockTableName: `${o.migrationTableName}_lock`,
    ...(dialect === 'postgres' ? { migrationTableSchema: o.pgSchema ?? 'public' } : {}),
  });
  const { error } = await migrateToLatest(migrator, o.pgSchema);
  if (error !== undefined) {
    await db.destroy();
    throw new Error(`${o.migrationTableName} failed: ${messageOf(error)}`);
  }
  return { db, dialect };
}
