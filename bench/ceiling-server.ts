/**
 * The ceiling of the verify benchmark and its storage peers: a bare Fastify route doing the same
 * HMAC check as Inkan (Inkan's own engine), with the token keys in memory and no auth, no audit,
 * no rate limits. Started by bench/api-verify.ts as a child process.
 *
 * argv: the keys as JSON lines `{"ref","key"}` (hex); the port; where single use is kept:
 * - `memory` (the ceiling): a replay map in memory, no storage;
 * - `sqlite:PATH`: one conditional UPDATE per request on better-sqlite3, WAL, not fsynced
 *   (synchronous=NORMAL);
 * - `postgres://…`: one conditional UPDATE per request through a pg pool, durable
 *   (synchronous_commit=on).
 */
import { readFileSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';
import { verifyOtp } from '../src/core/otp/index.js';
import { createNodeHmac } from '../src/crypto/node-hmac.js';

const keys = new Map<string, Buffer>();
for (const line of readFileSync(process.argv[2] ?? '', 'utf8').split('\n')) {
  if (line === '') continue;
  const { ref, key } = JSON.parse(line) as { ref: string; key: string };
  keys.set(ref, Buffer.from(key, 'hex'));
}
const mode = process.argv[4] ?? 'memory';

/** Marks `step` used for `ref` unless it (or a later one) already was; true when it was fresh. */
type Consume = (ref: string, step: number) => Promise<boolean> | boolean;

const CONSUME_SQL =
  'UPDATE peer_tokens SET last_step = $1 WHERE ref = $2 AND (last_step IS NULL OR last_step < $1)';

async function storage(): Promise<Consume> {
  if (mode === 'memory') {
    const lastStep = new Map<string, number>();
    return (ref, step) => {
      if ((lastStep.get(ref) ?? -1) >= step) return false;
      lastStep.set(ref, step);
      return true;
    };
  }
  if (mode.startsWith('sqlite:')) {
    const db = new BetterSqlite3(mode.slice('sqlite:'.length));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE peer_tokens (ref TEXT PRIMARY KEY, last_step INTEGER)');
    const insert = db.prepare('INSERT INTO peer_tokens (ref) VALUES (?)');
    db.transaction(() => {
      for (const ref of keys.keys()) insert.run(ref);
    })();
    const update = db.prepare(
      'UPDATE peer_tokens SET last_step = ? WHERE ref = ? AND (last_step IS NULL OR last_step < ?)',
    );
    return (ref, step) => update.run(step, ref, step).changes === 1;
  }
  const pool = new pg.Pool({ connectionString: mode, max: 20 });
  await pool.query('CREATE TABLE peer_tokens (ref text PRIMARY KEY, last_step bigint)');
  await pool.query('INSERT INTO peer_tokens (ref) SELECT unnest($1::text[])', [[...keys.keys()]]);
  return async (ref, step) =>
    (await pool.query({ name: 'consume', text: CONSUME_SQL, values: [step, ref] })).rowCount === 1;
}

const consume = await storage();
const app = Fastify({ logger: false });
app.post('/api/v1/customers/:ref/verify', async (req) => {
  const ref = (req.params as { ref: string }).ref;
  const otp = (req.body as { otp?: unknown }).otp;
  const key = keys.get(ref);
  if (key === undefined || typeof otp !== 'string') return { result: 'no_token' };
  const r = verifyOtp({
    otp,
    hmac: createNodeHmac(key, 'SHA1'),
    now: Date.now(),
    period: 60,
    digits: 8,
    window: 1,
    lastStep: null,
  });
  if (r.result !== 'ok') return { result: r.result };
  return { result: (await consume(ref, r.step)) ? 'ok' : 'replayed' };
});
const address = await app.listen({ port: Number(process.argv[3] ?? 0), host: '127.0.0.1' });
process.stdout.write(`listening ${address}\n`);
