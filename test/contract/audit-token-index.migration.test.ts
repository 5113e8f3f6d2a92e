/**
 * Migration 011 on a database that already holds an audit trail: the index by token is replaced
 * by one over the events that name no customer, and a token's history, read through both indexes
 * (kysely-store.ts, listAudit), is the same as before the upgrade. Runs on the configured database.
 */
import { rmSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStore, sqlitePath } from '../../src/storage/open-store.js';
import { ON_POSTGRES, openTestStore } from '../support/harness.js';
import { softwareTokenRow, TEST_SERVICE_ID as SERVICE, testBank } from '../support/store-rows.js';

const NOW = Date.UTC(2026, 11, 7, 3, 0, 0);

/** Raw SQL on the test database, outside the store (as an older Inkan would have left it). */
async function withRaw(
  url: string,
  schema: string | undefined,
  fn: (run: (text: string) => Promise<{ name: string }[]>) => Promise<void>,
): Promise<void> {
  if (!ON_POSTGRES) {
    const db = new BetterSqlite3(sqlitePath(url) ?? '');
    try {
      await fn(async (text) =>
        /^\s*select/i.test(text)
          ? (db.prepare(text).all() as { name: string }[])
          : (db.exec(text), []),
      );
    } finally {
      db.close();
    }
    return;
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`SET search_path TO ${schema ?? 'public'}`);
    await fn(async (text) => (await c.query<{ name: string }>(text)).rows);
  } finally {
    await c.end();
  }
}

const AUDIT_INDEXES = ON_POSTGRES
  ? `SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'audit_events' ORDER BY 1`
  : `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_events' AND sql IS NOT NULL ORDER BY 1`;

describe('migration 011 (audit index by token)', () => {
  it('upgrades a database with events: the new index replaces the old, histories stay whole', async () => {
    const opened = await openTestStore();
    const { url, schema } = opened;
    let store = opened.store;
    try {
      await store.createTenant(testBank(NOW));
      const customer = await store.ensureCustomer(SERVICE, 'c-upgrade', NOW);
      const token = await store.insertToken(softwareTokenRow(customer.id, NOW));
      await store.close();

      // As 010 left it: the full index by token, no record of 011, and events of the token that
      // name its customer and that name none (written raw: the store would be 011's).
      await withRaw(url, schema, async (run) => {
        await run('DROP INDEX audit_token_unreferenced');
        await run('CREATE INDEX audit_token ON audit_events (token_id)');
        await run(`DELETE FROM kysely_migration WHERE name = '011_audit_token_index'`);
        for (const [at, ref] of [
          [1, null],
          [2, 'c-upgrade'],
          [3, null],
          [4, 'c-upgrade'],
        ] as const) {
          await run(
            `INSERT INTO audit_events (service_id, at, actor, action, customer_ref, token_id, result, detail)
             VALUES ('${SERVICE}', ${NOW + at}, 'test', 'otp.verify', ${ref === null ? 'NULL' : `'${ref}'`}, ${token.id}, 'ok', '{}')`,
          );
        }
        expect((await run(AUDIT_INDEXES)).map((r) => r.name)).toContain('audit_token');
      });

      store = await openStore({ url, ...(schema === undefined ? {} : { pgSchema: schema }) });
      const history = await store.listAudit({ serviceId: SERVICE, tokenId: token.id, limit: 10 });
      expect(history.map((e) => [e.at - NOW, e.customerRef])).toEqual([
        [4, 'c-upgrade'],
        [3, null],
        [2, 'c-upgrade'],
        [1, null],
      ]);
      await store.close();
      await withRaw(url, schema, async (run) => {
        const names = (await run(AUDIT_INDEXES)).map((r) => r.name);
        expect(names).toContain('audit_token_unreferenced');
        expect(names).not.toContain('audit_token');
        expect(names).toContain('audit_customer');
      });
    } finally {
      if (ON_POSTGRES) {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema ?? 'none'} CASCADE`);
        await c.end();
      } else {
        const path = sqlitePath(url) ?? '';
        for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
      }
    }
  });
});
