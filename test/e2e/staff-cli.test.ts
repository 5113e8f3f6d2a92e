/**
 * `inkan staff create` and `inkan staff unlock` as an operator runs them (`node bin/inkan.js`
 * over dist/, its own process and database): the initial password from standard input's first
 * line (no echo at a terminal), its strength checked, bad input refused before anything is
 * written (exit 2), other refusals exit 1, `--json` one object on stdout, and every creation on
 * record. Then `inkan serve` tells how to make the first staff member, and the console at
 * /admin knows the one made.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  childEnv,
  newMasterKey,
  parseOneJsonObject,
  runCli,
  type CliResult,
} from '../support/process-cli.js';
import { createProcessDatabase, type ProcessDatabase } from '../support/process-db.js';
import { startServerProcess, stopAllServerProcesses } from '../support/process-server.js';

const SERVICE_ID = '10112235';
const PASSWORD = 'correct-horse-7';
const databases: ProcessDatabase[] = [];

afterAll(async () => {
  await stopAllServerProcesses();
  for (const db of databases) await db.drop();
}, 60_000);

function describeRun(r: CliResult): string {
  return `exit ${String(r.code)}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
}

/** A fresh database with the bank, and the environment to run `inkan` on it. */
async function bankDatabase(): Promise<{ db: ProcessDatabase; env: NodeJS.ProcessEnv }> {
  const db = await createProcessDatabase();
  databases.push(db);
  const env = childEnv({ DATABASE_URL: db.url, INKAN_MASTER_KEY: newMasterKey() });
  const r = await runCli(
    ['tenant', 'create', '--service-id', SERVICE_ID, '--name', 'テスト銀行', '--json'],
    { env, cwd: db.dir },
  );
  expect(r.code, describeRun(r)).toBe(0);
  return { db, env };
}

const create = (
  env: NodeJS.ProcessEnv,
  cwd: string,
  o: { loginId?: string; role?: string; serviceId?: string; stdin?: string; json?: boolean } = {},
) =>
  runCli(
    [
      'staff',
      'create',
      '--service-id',
      o.serviceId ?? SERVICE_ID,
      '--login-id',
      o.loginId ?? 'sato',
      '--name',
      '佐藤 花子',
      '--role',
      o.role ?? 'admin',
      ...(o.json === false ? [] : ['--json']),
    ],
    { env, cwd, stdin: o.stdin ?? `${PASSWORD}\n` },
  );

describe('inkan staff', () => {
  it('staff create --help and staff unlock --help exit 0 and show their options', async () => {
    for (const sub of ['create', 'unlock']) {
      const r = await runCli(['staff', sub, '--help'], { env: childEnv() });
      expect(r.code, describeRun(r)).toBe(0);
      expect(r.stdout).toContain(`Usage: inkan staff ${sub}`);
      expect(r.stdout).toContain('--login-id');
    }
    const r = await runCli(['staff', 'create', '--help'], { env: childEnv() });
    for (const o of ['--service-id', '--name', '--role', '--json']) expect(r.stdout).toContain(o);
  });

  it('creates a staff member from the password on stdin; --json prints one object, no password', async () => {
    const { db, env } = await bankDatabase();
    const r = await create(env, db.dir);
    expect(r.code, describeRun(r)).toBe(0);
    const out = parseOneJsonObject(r.stdout);
    expect(out).toMatchObject({
      serviceId: SERVICE_ID,
      loginId: 'sato',
      name: '佐藤 花子',
      role: 'admin',
    });
    expect(typeof out['staffId']).toBe('number');
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    const rows = await db.query<{
      password_hash: string;
      totp_sealed: string | null;
      totp_confirmed: number;
    }>('SELECT password_hash, totp_sealed, totp_confirmed FROM staff');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.password_hash).toMatch(/^scrypt\$/);
    expect(rows[0]?.totp_sealed).toBeNull(); // the app is set up at the first login
    const audit = await db.query<{ actor: string; action: string }>(
      "SELECT actor, action FROM audit_events WHERE action = 'staff.created'",
    );
    expect(audit).toEqual([{ actor: 'cli', action: 'staff.created' }]);

    // Without --json: words for people.
    const text = await create(env, db.dir, { loginId: 'tanaka', role: 'operator', json: false });
    expect(text.code, describeRun(text)).toBe(0);
    expect(text.stdout).toContain('Created staff member tanaka');
    expect(text.stdout).toContain('/admin');
  });

  it('refuses bad input with exit 2 and writes nothing; other refusals exit 1', async () => {
    const { db, env } = await bankDatabase();
    const short = await create(env, db.dir, { stdin: 'short-pw\n' });
    expect(short.code, describeRun(short)).toBe(2);
    expect(parseOneJsonObject(short.stdout)).toMatchObject({ error: 'VALIDATION_FAILED' });
    expect(short.stdout).toContain('password');
    const containsId = await create(env, db.dir, { stdin: 'my-sato-password\n' });
    expect(containsId.code).toBe(2);
    const empty = await create(env, db.dir, { stdin: '' });
    expect(empty.code).toBe(2);
    const role = await create(env, db.dir, { role: 'root' });
    expect(role.code).toBe(2);
    expect(role.stdout).toContain('role');
    const id = await create(env, db.dir, { loginId: 'x' });
    expect(id.code).toBe(2);
    const textErr = await create(env, db.dir, { role: 'root', json: false });
    expect(textErr.code).toBe(2);
    expect(textErr.stderr).toContain('role: must be operator or admin');
    expect(await db.query('SELECT id FROM staff')).toHaveLength(0);

    const noBank = await create(env, db.dir, { serviceId: '99999999' });
    expect(noBank.code, describeRun(noBank)).toBe(1);
    expect(parseOneJsonObject(noBank.stdout)).toMatchObject({ error: 'NOT_FOUND' });

    expect((await create(env, db.dir)).code).toBe(0);
    const dup = await create(env, db.dir);
    expect(dup.code).toBe(1);
    expect(parseOneJsonObject(dup.stdout)).toMatchObject({ error: 'STAFF_EXISTS' });
    expect(await db.query('SELECT id FROM staff')).toHaveLength(1);
  });

  it('staff unlock lifts a lock; an unknown login ID exits 1', async () => {
    const { db, env } = await bankDatabase();
    expect((await create(env, db.dir)).code).toBe(0);
    await db.query('UPDATE staff SET failed_logins = 5, locked_at = 1');
    const r = await runCli(['staff', 'unlock', '--login-id', 'sato', '--json'], {
      env,
      cwd: db.dir,
    });
    expect(r.code, describeRun(r)).toBe(0);
    expect(parseOneJsonObject(r.stdout)).toMatchObject({ loginId: 'sato', locked: false });
    const rows = await db.query<{ failed_logins: number; locked_at: number | null }>(
      'SELECT failed_logins, locked_at FROM staff',
    );
    expect(rows[0]).toMatchObject({ failed_logins: 0, locked_at: null });
    const unknown = await runCli(['staff', 'unlock', '--login-id', 'nobody'], { env, cwd: db.dir });
    expect(unknown.code).toBe(1);
  });

  it('inkan serve prints how to create the first staff member, and /admin logs them in', async () => {
    const db = await createProcessDatabase();
    databases.push(db);
    const env = childEnv({ DATABASE_URL: db.url, INKAN_MASTER_KEY: newMasterKey() });
    const server = await startServerProcess({ env, cwd: db.dir });
    const banner = server.stdout();
    expect(banner).toContain(`${server.url}/admin`);
    const demoServiceId = /サービスID (\d{8})/.exec(banner)?.[1];
    expect(demoServiceId).toBeDefined();
    expect(banner).toContain(`inkan staff create --service-id ${demoServiceId}`);

    const r = await create(env, db.dir, { serviceId: demoServiceId ?? '' });
    expect(r.code, describeRun(r)).toBe(0);
    const form = await fetch(`${server.url}/admin/login`);
    expect(form.status).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    const cookie = (form.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const login = await fetch(`${server.url}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ _csrf: csrf, loginId: 'sato', password: PASSWORD }).toString(),
    });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/admin/login/enrol');
    await server.stop();
  });
});
