import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import { KyselyStore } from './kysely-store.js';
import { migrationProvider, type DialectName } from './migrations/index.js';
import type { Database } from './schema.js';

/** Where the data lives: `sqlite:PATH` or `postgres://…` (SPEC.md, CLI). */
export interface OpenStoreOptions {
  readonly url: string;
  /** PostgreSQL schema to use (created if missing); tests use one each. */
  readonly pgSchema?: string;
  /** Pool size for PostgreSQL. */
  readonly poolSize?: number;
}

/** The SQLite file of a `sqlite:` URL, or null for PostgreSQL. */
export function sqlitePath(url: string): string | null {
  if (!url.startsWith('sqlite:')) return null;
  const p = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  return p === ':memory:' ? p : resolve(p);
}

/** The dialect a URL names; throws for anything else. */
export function dialectOf(url: string): DialectName {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  throw new Error(
    `DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(':')[0]}:…")`,
  );
}

function openSqlite(path: string): Kysely<Database> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new BetterSqlite3(path);
  // Durability: an accepted OTP step must survive a crash or power loss (WAL + synchronous=FULL
  // fsyncs the WAL at every commit), or a used code could be accepted again.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(db) }) });
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
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
}

/** Opens the database named by `url`, runs pending migrations, and returns the store. */
export async function openStore(o: OpenStoreOptions): Promise<KyselyStore> {
  const dialect = dialectOf(o.url);
  if (dialect === 'postgres' && o.pgSchema !== undefined) {
    if (!/^[a-z_][a-z0-9_]*$/.test(o.pgSchema)) throw new Error('invalid PostgreSQL schema name');
    const admin = new pg.Client({ connectionString: o.url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${o.pgSchema}`);
    } finally {
      await admin.end();
    }
  }
  const postgres =
    dialect === 'postgres' ? openPostgres(o.url, o.pgSchema, o.poolSize ?? 10) : null;
  const db = postgres?.db ?? openSqlite(sqlitePath(o.url) ?? ':memory:');
  // On PostgreSQL the migration bookkeeping lives in the store's own schema; without it Kysely
  // looks in every schema and trips over another store's tables.
  const migrator = new Migrator({
    db,
    provider: migrationProvider(dialect),
    ...(dialect === 'postgres' ? { migrationTableSchema: o.pgSchema ?? 'public' } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? '?';
    throw new Error(
      `database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const readDb =
    dialect === 'sqlite' && sqlitePath(o.url) !== ':memory:'
      ? openSqliteReader(sqlitePath(o.url) ?? '')
      : null;
  return new KyselyStore(db, dialect, { readDb, pgPool: postgres?.pool ?? null });
}
