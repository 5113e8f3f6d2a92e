/**
 * Migration 011 on a database that already holds an audit trail: the index by token is replaced
 * by one over the events that name no customer, and a token's history, read through both indexes
 * (kysely-store.ts, listAudit), is the same as before the upgrade. Runs on the configured database.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { ON_POSTGRES, openTestStore } from '../support/harness.js';
import { rawDb } from '../support/raw-db.js';
import { softwareTokenRow, TEST_SERVICE_ID as SERVICE, testBank } from '../support/store-rows.js';

const NOW = Date.UTC(2026, 11, 7, 3, 0, 0);

/** The names of the indexes on audit_events (their own schema on PostgreSQL). */
async function auditIndexes(store: KyselyStore): Promise<string[]> {
  const r = await sql<{ name: string }>`${sql.raw(
    ON_POSTGRES
      ? `SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'audit_events' ORDER BY 1`
      : `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_events' AND sql IS NOT NULL ORDER BY 1`,
  )}`.execute(rawDb(store));
  return r.rows.map((row) => row.name);
}

describe('migration 011 (audit index by token)', () => {
  it('upgrades a database with events: the new index replaces the old, histories stay whole', async () => {
    const { store, url, schema, drop } = await openTestStore();
    try {
      await store.createTenant(testBank(NOW));
      const customer = await store.ensureCustomer(SERVICE, 'c-upgrade', NOW);
      const token = await store.insertToken(softwareTokenRow(customer.id, NOW));

      // As 010 left it: the full index by token, no record of 011, and events of the token that
      // name its customer and that name none (written raw: the store would be 011's).
      const db = rawDb(store);
      await sql`DROP INDEX audit_token_unreferenced`.execute(db);
      await sql`CREATE INDEX audit_token ON audit_events (token_id)`.execute(db);
      await sql`DELETE FROM kysely_migration WHERE name = '011_audit_token_index'`.execute(db);
      for (const [at, ref] of [
        [1, null],
        [2, 'c-upgrade'],
        [3, null],
        [4, 'c-upgrade'],
      ] as const) {
        await sql`INSERT INTO audit_events (service_id, at, actor, action, customer_ref, token_id, result, detail)
          VALUES (${SERVICE}, ${NOW + at}, 'test', 'otp.verify', ${ref}, ${token.id}, 'ok', '{}')`.execute(
          db,
        );
      }
      expect(await auditIndexes(store)).toContain('audit_token');

      // The upgrade: a store opened on the same data runs 011.
      const upgraded = await openStore({
        url,
        ...(schema === undefined ? {} : { pgSchema: schema }),
      });
      try {
        const history = await upgraded.listAudit({
          serviceId: SERVICE,
          tokenId: token.id,
          limit: 10,
        });
        expect(history.map((e) => [e.at - NOW, e.customerRef])).toEqual([
          [4, 'c-upgrade'],
          [3, null],
          [2, 'c-upgrade'],
          [1, null],
        ]);
        const names = await auditIndexes(upgraded);
        expect(names).toContain('audit_token_unreferenced');
        expect(names).not.toContain('audit_token');
        expect(names).toContain('audit_customer');
      } finally {
        await upgraded.close();
      }
    } finally {
      await drop();
    }
  });
});
