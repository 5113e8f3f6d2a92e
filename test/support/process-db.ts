/**
 * A database of its own for suites that run `inkan` as a real process. `inkan` reads DATABASE_URL
 * as it is (no schema option), so on PostgreSQL each suite gets a fresh database
 * (`CREATE DATABASE inkan_t_<random>`, dropped WITH (FORCE) at the end); on SQLite a file in a
 * fresh temporary folder. The folder exists on both, for key files and working directories.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

/** The database the suite runs on (CI: once unset, once postgres://…). */
export const PROCESS_BASE_URL = process.env['DATABASE_URL'] ?? '';
export const PROCESS_ON_POSTGRES = PROCESS_BASE_URL.startsWith('postgres');

/** A fresh database and a fresh folder. */
export interface ProcessDatabase {
  /** What to pass as DATABASE_URL. */
  readonly url: string;
  readonly dialect: 'sqlite' | 'postgres';
  /** A temporary folder of its own (the SQLite file lives here). */
  readonly dir: string;
  /** One SQL statement straight on the database, under every interface (tampering, inspection). */
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<R[]>;
  /** Drops the database (PostgreSQL) and removes the folder. */
  drop(): Promise<void>;
}

async function onAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PROCESS_BASE_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Creates the database; `dialect` defaults to the one DATABASE_URL names. */
export async function createProcessDatabase(
  dialect: 'sqlite' | 'postgres' = PROCESS_ON_POSTGRES ? 'postgres' : 'sqlite',
): Promise<ProcessDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'inkan-proc-'));
  if (dialect === 'postgres') {
    if (!PROCESS_ON_POSTGRES)
      throw new Error('a PostgreSQL database needs DATABASE_URL=postgres://…');
    const name = `inkan_t_${randomBytes(6).toString('hex')}`;
    await onAdmin((c) => c.query(`CREATE DATABASE ${name}`));
    const u = new URL(PROCESS_BASE_URL);
    u.pathname = `/${name}`;
    const url = u.toString();
    return {
      url,
      dialect,
      dir,
      async query(text, params = []) {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        try {
          return (await c.query(text, [...params])).rows;
        } finally {
          await c.end();
        }
      },
      async drop() {
        await onAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const file = join(dir, 'inkan.db');
  return {
    url: `sqlite:${file}`,
    dialect,
    dir,
    async query<R extends Record<string, unknown>>(
      text: string,
      params: readonly unknown[] = [],
    ): Promise<R[]> {
      // PostgreSQL placeholders ($1, $2, …) are accepted too, so one statement serves both.
      const db = new BetterSqlite3(file);
      try {
        db.pragma('busy_timeout = 5000');
        const stmt = db.prepare(text.replace(/\$\d+/g, '?'));
        return (stmt.reader ? stmt.all(...params) : (stmt.run(...params), [])) as R[];
      } finally {
        db.close();
      }
    },
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
