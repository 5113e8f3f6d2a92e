#!/usr/bin/env node
// `npm test`: type-check, build, then the whole suite on SQLite and on PostgreSQL.
// PostgreSQL is TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test); when it is not
// reachable the PostgreSQL run is skipped with a notice, unless INKAN_TEST_REQUIRE_POSTGRES=1 (CI).
import { spawnSync } from 'node:child_process';
import pg from 'pg';

const extra = process.argv.slice(2);
const pgUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const requirePg = process.env.INKAN_TEST_REQUIRE_POSTGRES === '1';

function run(cmd, args, env = {}) {
  const label = [cmd, ...args].join(' ');
  console.log(
    `\n▶ ${label}${env.DATABASE_URL ? `   (DATABASE_URL=${env.DATABASE_URL})` : '   (SQLite)'}`,
  );
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`✖ ${label} failed`);
    process.exit(r.status ?? 1);
  }
}

async function postgresReachable() {
  const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
run('npx', ['tsc', '-p', 'tsconfig.build.json']);
run('npx', ['eslint', '.']);
run('npx', ['prettier', '--check', '.']); // `npm run format` fixes what it reports
delete process.env.DATABASE_URL; // the first run is SQLite whatever the caller's environment says
run('npx', ['vitest', 'run', ...extra]);
if (await postgresReachable()) {
  // The browser suites test screens and run once, on SQLite, as do the pure ones that never open
  // a database (the domain core, the RFC vectors); every suite that stores
  // something (HTTP-level portal tests, API, storage, concurrency) runs on both databases.
  const sqliteOnly = ['test/browser/**', 'src/core/**', 'test/vectors/**'];
  const excludes = sqliteOnly.flatMap((glob) => ['--exclude', glob]);
  run('npx', ['vitest', 'run', ...excludes, ...extra], { DATABASE_URL: pgUrl });
} else if (requirePg) {
  console.error(`✖ PostgreSQL is not reachable at ${pgUrl} (INKAN_TEST_REQUIRE_POSTGRES=1)`);
  process.exit(1);
} else {
  console.log(
    `\n⚠ PostgreSQL not reachable at ${pgUrl}: the PostgreSQL run was skipped (set TEST_POSTGRES_URL).`,
  );
}
console.log('\n✔ all tests passed');
