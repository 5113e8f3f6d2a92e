/**
 * PSKC import (issue 5): 100,000 hardware tokens in one encrypted file (AES-128-CBC with a
 * pre-shared key, HMAC-SHA1 per value), parsed, MAC-checked, decrypted, sealed under the master
 * key and written to the stock in one transaction, on SQLite and on PostgreSQL.
 * BENCH_PSKC_KEYS sets the count (default 100,000).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { readPskc } from '../src/core/pskc/read-pskc.js';
import { createKeyring } from '../src/crypto/keyring.js';
import { createPasswordHasher } from '../src/crypto/password-hash.js';
import { nodePskcCrypto } from '../src/crypto/pskc-crypto.js';
import { createPlatform } from '../src/services/index.js';
import { openStore } from '../src/storage/open-store.js';
import { buildPskc } from '../test/support/pskc-builder.js';

const KEYS = Number(process.env['BENCH_PSKC_KEYS'] ?? 100_000);
const PG_BASE = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

async function importInto(
  url: string,
  xml: string,
  psk: Uint8Array,
  pgSchema?: string,
): Promise<number> {
  const store = await openStore({ url, ...(pgSchema === undefined ? {} : { pgSchema }) });
  const platform = createPlatform({
    store,
    clock: { now: () => Date.now() },
    keyring: createKeyring([{ version: 1, key: randomBytes(32) }]),
    hasher: createPasswordHasher({ N: 2 ** 10, r: 8, p: 1 }),
  });
  try {
    await platform.createTenant(
      { actor: 'bench', clientIp: null },
      { serviceId: '10112235', name: 'Bench' },
    );
    const t0 = performance.now();
    const r = await platform.importHardware(
      { actor: 'bench', clientIp: null },
      { serviceId: '10112235', xml, preSharedKey: psk, batch: 'bench' },
    );
    const ms = performance.now() - t0;
    if (r.imported !== KEYS) throw new Error(`imported ${r.imported}, not ${KEYS}`);
    return ms;
  } finally {
    await platform.close();
    await store.close();
  }
}

/** The section of BENCHMARKS.md. */
export async function benchPskcImport(): Promise<{ title: string; markdown: string }> {
  const psk = new Uint8Array(randomBytes(16));
  const keys = Array.from({ length: KEYS }, (_, i) => ({
    serial: String(1_000_000_000 + i),
    secret: new Uint8Array(randomBytes(20)),
  }));
  const t0 = performance.now();
  const xml = buildPskc(keys, psk);
  const buildMs = performance.now() - t0;
  const t1 = performance.now();
  readPskc(xml, { crypto: nodePskcCrypto, preSharedKey: psk, maxKeys: KEYS });
  const parseMs = performance.now() - t1;

  const dir = mkdtempSync(join(tmpdir(), 'inkan-bench-pskc-'));
  const sqliteMs = await importInto(`sqlite:${join(dir, 'pskc.db')}`, xml, psk);
  rmSync(dir, { recursive: true, force: true });

  let pgMs: number | null = null;
  const schema = `bench_pskc_${randomBytes(4).toString('hex')}`;
  try {
    pgMs = await importInto(PG_BASE, xml, psk, schema);
  } catch (e) {
    process.stderr.write(
      `PostgreSQL part skipped: ${e instanceof Error ? e.message : String(e)}\n`,
    );
  } finally {
    const c = new pg.Client({ connectionString: PG_BASE });
    await c
      .connect()
      .then(() => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`))
      .catch(() => {});
    await c.end().catch(() => {});
  }
  const s = (ms: number) =>
    `${(ms / 1000).toFixed(1)} s (${Math.round(KEYS / (ms / 1000)).toLocaleString('en')} keys/s)`;
  return {
    title: 'PSKC import (hardware tokens)',
    markdown: [
      `One encrypted PSKC file of ${KEYS.toLocaleString('en')} TOTP keys (${(xml.length / 2 ** 20).toFixed(1)} MiB; AES-128-CBC with a pre-shared key, an HMAC-SHA1 ValueMAC per secret), imported whole in one transaction. Goal: well under a minute.`,
      '',
      '| step | time |',
      '| --- | --- |',
      `| parse + MAC check + decrypt only (\`readPskc\`) | ${s(parseMs)} |`,
      `| full import on SQLite (parse, seal under the master key, insert, audit) | ${s(sqliteMs)} |`,
      `| full import on PostgreSQL | ${pgMs === null ? 'not run' : s(pgMs)} |`,
      '',
      `(Writing the test file itself took ${(buildMs / 1000).toFixed(1)} s and is not counted.) Rerun: \`npm run bench -- pskc\`.`,
    ].join('\n'),
  };
}
