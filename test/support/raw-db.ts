import { sql, type Kysely } from 'kysely';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import type { Database } from '../../src/storage/schema.js';

/**
 * Raw access to the database behind a harness store, for tests that must look under the Store
 * interface (a dump of every table, tampering with a row) or open a second connection to the same
 * data. KyselyStore keeps its Kysely instance private; the test reaches it here, in one place,
 * and fails loudly if the field is renamed.
 */
export function rawDb(store: KyselyStore): Kysely<Database> {
  const db = (store as unknown as { db?: unknown }).db;
  if (
    db === undefined ||
    db === null ||
    typeof (db as { selectFrom?: unknown }).selectFrom !== 'function'
  ) {
    throw new Error(
      'test/support/raw-db.ts: KyselyStore no longer keeps its Kysely instance in `db`',
    );
  }
  return db as Kysely<Database>;
}

/** Where a store's data lives, as openStore options: the SQLite file, or the PostgreSQL schema. */
export async function storeLocation(
  store: KyselyStore,
  url: string,
): Promise<{ url: string; pgSchema?: string }> {
  const db = rawDb(store);
  if (store.dialect === 'postgres') {
    const r = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    const schema = r.rows[0]?.schema;
    if (schema === undefined) throw new Error('no current schema');
    return { url, pgSchema: schema };
  }
  const r = await sql<{ name: string; file: string }>`pragma database_list`.execute(db);
  const main = r.rows.find((row) => row.name === 'main');
  if (main === undefined || main.file === '') throw new Error('the SQLite store is not a file');
  return { url: `sqlite:${main.file}` };
}

/** The names of every table of the store's database (its own schema on PostgreSQL). */
export async function listTables(store: KyselyStore): Promise<string[]> {
  const db = rawDb(store);
  const r =
    store.dialect === 'postgres'
      ? await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`.execute(
          db,
        )
      : await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by 1`.execute(
          db,
        );
  return r.rows.map((row) => row.name);
}

/** Every row of every table, ordered for comparison. */
export async function dumpTables(
  store: KyselyStore,
): Promise<Record<string, Record<string, unknown>[]>> {
  const db = rawDb(store);
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const table of await listTables(store)) {
    const r = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    out[table] = r.rows
      .map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]),
        ),
      )
      .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  }
  return out;
}
