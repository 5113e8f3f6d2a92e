/**
 * The `inkan` program end to end, as an operator runs it (SPEC.md, CLI): `node bin/inkan.js …`
 * over the compiled dist/, in its own process, environment and working folder, on whichever
 * database DATABASE_URL names (a fresh SQLite file, or a fresh PostgreSQL database per test).
 * Exit codes: 0 done, 1 failure, 2 bad input. `--json` prints one JSON object and nothing else on
 * stdout. Servers run with the real clock, so OTPs are computed from Date.now().
 */
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClientAgreement } from '../../src/crypto/provisioning.js';
import {
  childEnv,
  newMasterKey,
  parseOneJsonObject,
  runCli,
  type CliResult,
} from '../support/process-cli.js';
import { createProcessDatabase, type ProcessDatabase } from '../support/process-db.js';
import {
  getStatus,
  startServerProcess,
  stopAllServerProcesses,
} from '../support/process-server.js';
import {
  activateOverHttp,
  activeCustomerOverHttp,
  getTokenOverHttp,
  httpJson,
  issueOverHttp,
  provisionOverHttp,
  verifyOverHttp,
  waitForStepRoom,
} from '../support/process-app.js';
import { buildPskc } from '../support/pskc-builder.js';

const SERVICE_ID = '10112235';
const API_KEY_FORM = /^inkan_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/;

const databases: ProcessDatabase[] = [];
const folders: string[] = [];

/** A fresh database (and folder) for one test, dropped in afterAll. */
async function freshDatabase(): Promise<ProcessDatabase> {
  const db = await createProcessDatabase();
  databases.push(db);
  return db;
}

/** An empty folder to run in, to see that a command leaves nothing behind. */
function emptyFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'inkan-cli-'));
  folders.push(dir);
  return dir;
}

/** A tenant made with `inkan tenant create --json`; its API key. */
async function createTenant(
  env: NodeJS.ProcessEnv,
  cwd: string,
  policy?: unknown,
): Promise<string> {
  const args = ['tenant', 'create', '--service-id', SERVICE_ID, '--name', 'テスト銀行', '--json'];
  if (policy !== undefined) args.push('--policy', JSON.stringify(policy));
  const r = await runCli(args, { env, cwd });
  expect(r.code, r.stderr).toBe(0);
  return String(parseOneJsonObject(r.stdout)['apiKey']);
}

function describeRun(r: CliResult): string {
  return `exit ${String(r.code)}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
}

afterAll(async () => {
  await stopAllServerProcesses();
  for (const db of databases) await db.drop();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('inkan --help and usage errors', () => {
  it('inkan --help exits 0 and lists every command', async () => {
    const cwd = emptyFolder();
    const r = await runCli(['--help'], { env: childEnv(), cwd });
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain('Usage: inkan');
    for (const command of ['serve', 'tenant', 'keys', 'audit'])
      expect(r.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    expect(readdirSync(cwd)).toEqual([]); // help touches no database and writes no key
  });

  it.each(['serve', 'tenant create', 'keys rotate', 'keys generate', 'audit verify'])(
    'inkan %s --help exits 0 and shows its usage',
    async (command: string) => {
      const cwd = emptyFolder();
      const r = await runCli([...command.split(' '), '--help'], { env: childEnv(), cwd });
      expect(r.code, describeRun(r)).toBe(0);
      expect(r.stdout).toContain(`Usage: inkan ${command}`);
      expect(r.stdout).toContain('--help');
      expect(readdirSync(cwd)).toEqual([]);
    },
  );

  it('an unknown command exits non-zero and names it', async () => {
    const r = await runCli(['frobnicate'], { env: childEnv(), cwd: emptyFolder() });
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('serve --port abc exits 2 with a message naming --port', async () => {
    const db = await freshDatabase();
    const r = await runCli(['serve', '--port', 'abc'], {
      env: childEnv({ DATABASE_URL: db.url, INKAN_MASTER_KEY: newMasterKey() }),
      cwd: db.dir,
    });
    expect(r.code, describeRun(r)).toBe(2);
    expect(r.stderr).toContain('--port');
  });

  it('serve on a port in use exits 1 at once, naming it, and writes nothing: the demo bank waits for a server that runs', async () => {
    const db = await freshDatabase();
    const env = childEnv({ DATABASE_URL: db.url, INKAN_MASTER_KEY: newMasterKey() });
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      // Before the fix the error was printed and the process stayed up (its verify thread and
      // timers kept it alive), and the new database's demo API key was printed to no one.
      const r = await runCli(['serve', '--port', String(port)], {
        env,
        cwd: db.dir,
        timeoutMs: 15_000,
      });
      expect(r.code, describeRun(r)).toBe(1);
      expect(r.stderr).toContain(`127.0.0.1:${port} is already in use`);
      expect(r.stderr).toContain('--port');
      expect(r.stdout).not.toContain('Inkan is running');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    // The database is still new: the first server that runs creates the demo bank and shows its key.
    const server = await startServerProcess({ env, cwd: db.dir });
    const deadline = Date.now() + 5_000;
    while (!server.stdout().includes('API key (shown once)') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(server.stdout()).toContain('API key (shown once)');
    expect(await server.stop()).toBe(0);
  });

  it('DATABASE_URL=mysql://x exits non-zero with a message naming DATABASE_URL', async () => {
    const r = await runCli(['serve', '--port', '0'], {
      env: childEnv({ DATABASE_URL: 'mysql://x', INKAN_MASTER_KEY: newMasterKey() }),
      cwd: emptyFolder(),
    });
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stderr).toMatch(/DATABASE_URL/);
    expect(r.stderr).toMatch(/sqlite:|postgres/);
    expect(r.stdout).not.toContain('Inkan is running');
  });
});

describe('inkan hardware import', () => {
  it('imports a vendor file (read on a worker thread); a tampered copy or a known serial imports nothing', async () => {
    const db = await freshDatabase();
    const env = childEnv({ DATABASE_URL: db.url, INKAN_MASTER_KEY: newMasterKey() });
    await createTenant(env, db.dir);
    const psk = new Uint8Array(randomBytes(16));
    const keyHex = Buffer.from(psk).toString('hex');
    const fobs = Array.from({ length: 50 }, (_, i) => ({
      serial: String(10300000000 + i),
      secret: new Uint8Array(randomBytes(20)),
    }));
    const file = join(db.dir, 'vendor-2026-12.pskc');
    writeFileSync(file, buildPskc(fobs, psk));
    const args = ['hardware', 'import', file, '--service-id', SERVICE_ID, '--key', keyHex];
    const r = await runCli([...args, '--json'], { env, cwd: db.dir });
    expect(r.code, describeRun(r)).toBe(0);
    expect(parseOneJsonObject(r.stdout)).toEqual({
      serviceId: SERVICE_ID,
      imported: 50,
      batch: 'vendor-2026-12.pskc',
      totp: 50,
      hotp: 0,
    });

    // The same file again: every serial is known, nothing imported, exit 1 with the code.
    const again = await runCli(args, { env, cwd: db.dir });
    expect(again.code, describeRun(again)).toBe(1);
    expect(again.stderr).toContain('SERIAL_EXISTS');

    // A file changed in one byte of a secret, or read with the wrong key: PSKC_INVALID, bad input.
    const other = fobs.map((f, i) => ({ ...f, serial: String(10300000100 + i) }));
    const xml = buildPskc(other, psk);
    const at = xml.indexOf('<xenc:CipherValue>', xml.indexOf('<Secret>')) + 30;
    const tampered = join(db.dir, 'tampered.pskc');
    writeFileSync(tampered, xml.slice(0, at) + (xml[at] === 'A' ? 'B' : 'A') + xml.slice(at + 1));
    const bad = await runCli(
      ['hardware', 'import', tampered, '--service-id', SERVICE_ID, '--key', keyHex],
      { env, cwd: db.dir },
    );
    expect(bad.code, describeRun(bad)).toBe(2);
    expect(bad.stderr).toContain('PSKC_INVALID');
    const wrongKey = join(db.dir, 'other.pskc');
    writeFileSync(wrongKey, xml);
    const wrong = await runCli(
      ['hardware', 'import', wrongKey, '--service-id', SERVICE_ID, '--key', '00'.repeat(16)],
      { env, cwd: db.dir },
    );
    expect(wrong.code, describeRun(wrong)).toBe(2);
    expect(wrong.stderr).toContain('PSKC_INVALID');
  });
});

describe('inkan tenant create', () => {
  it('--json prints exactly one JSON object {serviceId, name, apiKey} and nothing else', async () => {
    const db = await freshDatabase();
    // Development mode (no INKAN_MASTER_KEY): its loud warning must go to stderr, not stdout.
    const env = childEnv({ DATABASE_URL: db.url, INKAN_DATA_DIR: db.dir });
    const r = await runCli(
      ['tenant', 'create', '--service-id', SERVICE_ID, '--name', 'テスト銀行', '--json'],
      { env, cwd: db.dir },
    );
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    const out = parseOneJsonObject(r.stdout);
    expect(Object.keys(out).sort()).toEqual(['apiKey', 'name', 'serviceId']);
    expect(out).toMatchObject({ serviceId: SERVICE_ID, name: 'テスト銀行' });
    expect(String(out['apiKey'])).toMatch(API_KEY_FORM);
    expect(r.stderr).toContain('DEVELOPMENT MODE');
  });

  it('a second create of the same service ID fails: TENANT_EXISTS, non-zero exit, one JSON object with --json', async () => {
    const db = await freshDatabase();
    const env = childEnv({ DATABASE_URL: db.url, INKAN_MASTER_KEY: newMasterKey() });
    await createTenant(env, db.dir);

    const plain = await runCli(
      ['tenant', 'create', '--service-id', SERVICE_ID, '--name', '別の銀行'],
      { env, cwd: db.dir },
    );
    expect(plain.code).not.toBe(0);
    expect(plain.code).not.toBeNull();
    expect(plain.stdout).toBe('');
    expect(plain.stderr).toContain('TENANT_EXISTS');
    expect(plain.stderr).toMatch(/exists/i);

    const json = await runCli(
      ['tenant', 'create', '--service-id', SERVICE_ID, '--name', '別の銀行', '--json'],
      { env, cwd: db.dir },
    );
    expect(json.code).toBe(plain.code);
    expect(parseOneJsonObject(json.stdout)).toMatchObject({ error: 'TENANT_EXISTS' });
    expect(json.stdout).not.toMatch(/inkan_[0-9a-f]{16}_/); // no second key was made and shown
  });

  it('a 7-digit service ID exits 2 with a message naming the field', async () => {
    const db = await freshDatabase();
    const env = childEnv({ DATABASE_URL: db.url, INKAN_MASTER_KEY: newMasterKey() });
    const plain = await runCli(
      ['tenant', 'create', '--service-id', '1011223', '--name', 'テスト銀行'],
      { env, cwd: db.dir },
    );
    expect(plain.code, describeRun(plain)).toBe(2);
    expect(plain.stderr).toContain('serviceId');
    expect(plain.stdout).toBe('');

    const json = await runCli(
      ['tenant', 'create', '--service-id', '1011223', '--name', 'テスト銀行', '--json'],
      { env, cwd: db.dir },
    );
    expect(json.code).toBe(2);
    const out = parseOneJsonObject(json.stdout);
    expect(out['error']).toBe('VALIDATION_FAILED');
    expect(out['errors']).toEqual([expect.objectContaining({ field: 'serviceId' })]);
  });

  it('a --policy that is not JSON, or not a valid policy, exits 2 naming the field', async () => {
    const db = await freshDatabase();
    const env = childEnv({ DATABASE_URL: db.url, INKAN_MASTER_KEY: newMasterKey() });
    const notJson = await runCli(
      [
        'tenant',
        'create',
        '--service-id',
        SERVICE_ID,
        '--name',
        'テスト銀行',
        '--policy',
        '{digits:6',
      ],
      { env, cwd: db.dir },
    );
    expect(notJson.code, describeRun(notJson)).toBe(2);
    expect(notJson.stderr).toContain('policy');

    const badValue = await runCli(
      [
        'tenant',
        'create',
        '--service-id',
        SERVICE_ID,
        '--name',
        'テスト銀行',
        '--policy',
        '{"digits":3}',
        '--json',
      ],
      { env, cwd: db.dir },
    );
    expect(badValue.code, describeRun(badValue)).toBe(2);
    expect(parseOneJsonObject(badValue.stdout)).toMatchObject({
      error: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ field: 'digits' })],
    });

    // Nothing was created by the refused calls: the service ID is still free.
    await createTenant(env, db.dir);
  });
});

describe('inkan keys', () => {
  it('keys generate prints base64 of 32 random bytes and writes nothing', async () => {
    const cwd = emptyFolder();
    const one = await runCli(['keys', 'generate'], { env: childEnv(), cwd });
    const two = await runCli(['keys', 'generate'], { env: childEnv(), cwd });
    for (const r of [one, two]) {
      expect(r.code, describeRun(r)).toBe(0);
      expect(r.stdout).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);
      expect(Buffer.from(r.stdout.trim(), 'base64')).toHaveLength(32);
    }
    expect(one.stdout).not.toBe(two.stdout);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('keys rotate --json re-seals every secret under a new key version; a server started afterwards still verifies', async () => {
    const db = await freshDatabase();
    // The dev key file (no INKAN_MASTER_KEY), in the test's own folder.
    const env = childEnv({ DATABASE_URL: db.url, INKAN_DATA_DIR: db.dir, LOG_LEVEL: 'warn' });
    const keyFile = join(db.dir, 'master-keys.json');
    const apiKey = await createTenant(env, db.dir);
    const v1 = (
      JSON.parse(readFileSync(keyFile, 'utf8')) as { keys: { version: number; key: string }[] }
    ).keys;
    expect(v1.map((k) => k.version)).toEqual([1]);

    const server = await startServerProcess({ env, cwd: db.dir });
    const active = await activeCustomerOverHttp(server.url, apiKey, SERVICE_ID, 'rot-active');
    const { userId } = await issueOverHttp(server.url, apiKey, 'rot-provisioned', {
      activationPassword: '4321',
    });
    const provisioned = await provisionOverHttp(server.url, {
      serviceId: SERVICE_ID,
      userId,
      activationPassword: '4321',
    });
    await issueOverHttp(server.url, apiKey, 'rot-issued', { activationPassword: '1111' }); // no secret yet
    expect(await server.stop()).toBe(0);

    const before = await db.query<{ sealed_secret: string }>(
      'SELECT sealed_secret FROM tokens WHERE sealed_secret IS NOT NULL',
    );
    expect(before).toHaveLength(2);
    for (const row of before) expect(row.sealed_secret.startsWith('ink1.1.')).toBe(true);

    const r = await runCli(['keys', 'rotate', '--json'], { env, cwd: db.dir });
    expect(r.code, describeRun(r)).toBe(0);
    expect(parseOneJsonObject(r.stdout)).toEqual({
      keyVersion: 2,
      source: 'file',
      resealed: 2,
      secrets: 2,
    });

    const after = (
      JSON.parse(readFileSync(keyFile, 'utf8')) as { keys: { version: number; key: string }[] }
    ).keys;
    expect(after.map((k) => k.version)).toEqual([1, 2]);
    expect(after[0]?.key).toBe(v1[0]?.key); // the old key stays, to open what is still under it
    expect(Buffer.from(after[1]?.key ?? '', 'base64')).toHaveLength(32);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const resealed = await db.query<{ sealed_secret: string }>(
      'SELECT sealed_secret FROM tokens WHERE sealed_secret IS NOT NULL',
    );
    expect(resealed).toHaveLength(2);
    for (const row of resealed) expect(row.sealed_secret.startsWith('ink1.2.')).toBe(true);

    const restarted = await startServerProcess({ env, cwd: db.dir });
    const step = await waitForStepRoom(5_000);
    expect(step).toBeGreaterThan(active.usedStep);
    const verified = await verifyOverHttp(
      restarted.url,
      apiKey,
      active.ref,
      active.token.otpAt(step),
    );
    expect(verified.json).toMatchObject({ result: 'ok' });
    expect(
      await activateOverHttp(restarted.url, apiKey, 'rot-provisioned', provisioned.otpNow()),
    ).toMatchObject({ state: 'active' });
    expect(await restarted.stop()).toBe(0);
  }, 60_000);
});

describe('inkan audit verify', () => {
  /** A database with some history: a tenant, a customer activated, a wrong and a right OTP. */
  async function withHistory(): Promise<{ db: ProcessDatabase; env: NodeJS.ProcessEnv }> {
    const db = await freshDatabase();
    const env = childEnv({
      DATABASE_URL: db.url,
      INKAN_MASTER_KEY: newMasterKey(),
      LOG_LEVEL: 'warn',
    });
    const apiKey = await createTenant(env, db.dir);
    const server = await startServerProcess({ env, cwd: db.dir });
    const c = await activeCustomerOverHttp(server.url, apiKey, SERVICE_ID, 'audit-1');
    const step = await waitForStepRoom(5_000);
    expect(
      (await verifyOverHttp(server.url, apiKey, c.ref, c.token.wrongOtp())).json['result'],
    ).toBe('invalid');
    expect(
      (await verifyOverHttp(server.url, apiKey, c.ref, c.token.otpAt(step))).json['result'],
    ).toBe('ok');
    expect(await server.stop()).toBe(0);
    return { db, env };
  }

  it('is ok (exit 0) after activity, and exits 1 once a row was changed in the database', async () => {
    const { db, env } = await withHistory();
    const ok = await runCli(['audit', 'verify', '--json'], { env, cwd: db.dir });
    expect(ok.code, describeRun(ok)).toBe(0);
    const good = parseOneJsonObject(ok.stdout);
    expect(good).toMatchObject({ ok: true, unchained: 0 });
    // tenant.created, issue, provision, activate, the invalid verify, the ok verify at least
    expect(Number(good['count'])).toBeGreaterThanOrEqual(6);

    // The attack: a failed verification rewritten as a success, straight in the database.
    await db.query(
      "UPDATE audit_events SET result = 'ok' WHERE action = 'otp.verify' AND result = 'invalid'",
    );
    const changed = await db.query<{ n: number | string }>(
      "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'otp.verify' AND result = 'invalid'",
    );
    expect(Number(changed[0]?.n)).toBe(0);

    const broken = await runCli(['audit', 'verify', '--json'], { env, cwd: db.dir });
    expect(broken.code, describeRun(broken)).toBe(1);
    const bad = parseOneJsonObject(broken.stdout);
    expect(bad['ok']).toBe(false);
    expect(Number(bad['brokenAtSeq'])).toBeGreaterThan(0);

    const words = await runCli(['audit', 'verify'], { env, cwd: db.dir });
    expect(words.code).toBe(1);
    expect(words.stderr).toMatch(/BROKEN/);
  }, 60_000);

  it('exits 1 once a row in the middle of the chain was deleted', async () => {
    const { db, env } = await withHistory();
    expect((await runCli(['audit', 'verify', '--json'], { env, cwd: db.dir })).code).toBe(0);
    await db.query("DELETE FROM audit_events WHERE action = 'otp.verify' AND result = 'invalid'");
    const broken = await runCli(['audit', 'verify', '--json'], { env, cwd: db.dir });
    expect(broken.code, describeRun(broken)).toBe(1);
    expect(parseOneJsonObject(broken.stdout)).toMatchObject({ ok: false });
  }, 60_000);

  it('with the anchor saved last time, catches the removal of the newest events', async () => {
    const { db, env } = await withHistory();
    const first = await runCli(['audit', 'verify', '--json'], { env, cwd: db.dir });
    const anchor = String(parseOneJsonObject(first.stdout)['anchor']);
    expect(anchor).toMatch(/^[0-9]+:[0-9a-f]{64}$/);
    expect(
      (await runCli(['audit', 'verify', '--expect-head', anchor], { env, cwd: db.dir })).code,
    ).toBe(0);

    // The attack the chain alone cannot show: the newest events cut off.
    const newest = Number(anchor.split(':')[0]);
    await db.query(`DELETE FROM audit_events WHERE seq >= ${newest - 1}`);
    expect((await runCli(['audit', 'verify', '--json'], { env, cwd: db.dir })).code).toBe(0);
    const caught = await runCli(['audit', 'verify', '--json', '--expect-head', anchor], {
      env,
      cwd: db.dir,
    });
    expect(caught.code, describeRun(caught)).toBe(1);
    expect(parseOneJsonObject(caught.stdout)).toMatchObject({ ok: false, brokenAtSeq: newest - 1 });

    const badAnchor = await runCli(['audit', 'verify', '--expect-head', 'yesterday'], {
      env,
      cwd: db.dir,
    });
    expect(badAnchor.code).toBe(2);
    expect(badAnchor.stderr).toContain('expect-head');
  }, 60_000);
});

describe('inkan serve', () => {
  it('on a new, empty database prints the demo bank with a working API key and answers health', async () => {
    const db = await freshDatabase();
    const env = childEnv({
      DATABASE_URL: db.url,
      INKAN_MASTER_KEY: newMasterKey(),
      LOG_LEVEL: 'warn',
    });
    const server = await startServerProcess({ env, cwd: db.dir });
    expect(await getStatus(`${server.url}/api/v1/health`)).toBe(200);
    const out = server.stdout();
    expect(out).toContain(`サービスID ${SERVICE_ID}`);
    const apiKey = /API key \(shown once\): (\S+)/.exec(out)?.[1] ?? '';
    expect(apiKey).toMatch(API_KEY_FORM);

    const token = await getTokenOverHttp(server.url, apiKey, 'demo-0001');
    expect(token.status).toBe(200);
    expect(token.json).toMatchObject({ serviceId: SERVICE_ID, state: 'issued', type: 'software' });
    // The printed ユーザID is the demo customer's.
    expect(out).toContain(`ユーザID ${String(token.json['userId'])}`);
    // And a wrong key is refused, so the 200 above meant something.
    expect(
      (
        await getTokenOverHttp(
          server.url,
          `${apiKey.slice(0, -1)}${apiKey.endsWith('A') ? 'B' : 'A'}`,
          'demo-0001',
        )
      ).status,
    ).toBe(401);
    expect(await server.stop()).toBe(0);
  }, 60_000);

  it('never logs an OTP, an activation password or the API key', async () => {
    const db = await freshDatabase();
    // The default log level (info): every request is logged.
    const env = childEnv({ DATABASE_URL: db.url, INKAN_MASTER_KEY: newMasterKey() });
    const apiKey = await createTenant(env, db.dir);
    const server = await startServerProcess({ env, cwd: db.dir });

    const password = '58293716';
    const wrongPassword = '31415926';
    const { userId } = await issueOverHttp(server.url, apiKey, 'log-1', {
      activationPassword: password,
    });
    // A wrong activation password, checked for real (a valid public key, so it is the password that fails).
    const wrongTry = await httpJson('POST', `${server.url}/api/v1/provision`, {
      body: {
        serviceId: SERVICE_ID,
        userId,
        activationPassword: wrongPassword,
        publicKey: createClientAgreement().publicKey,
      },
    });
    expect(wrongTry.json).toMatchObject({ code: 'ACTIVATION_PASSWORD_WRONG' });
    const token = await provisionOverHttp(server.url, {
      serviceId: SERVICE_ID,
      userId,
      activationPassword: password,
    });
    const step = (await waitForStepRoom(5_000)) - 1;
    const otps = [token.otpAt(step), token.otpAt(step + 1), token.otpAt(step + 2)];
    const [activationOtp = '', verifyOtp = '', nextOtp = ''] = otps;
    expect(await activateOverHttp(server.url, apiKey, 'log-1', activationOtp)).toMatchObject({
      state: 'active',
    });
    expect((await verifyOverHttp(server.url, apiKey, 'log-1', verifyOtp)).json['result']).toBe(
      'ok',
    );
    expect((await verifyOverHttp(server.url, apiKey, 'log-1', verifyOtp)).json['result']).toBe(
      'replayed',
    );
    const wrongOtp = token.wrongOtp();
    expect((await verifyOverHttp(server.url, apiKey, 'log-1', wrongOtp)).json['result']).toBe(
      'invalid',
    );
    // Refused bodies that carry an OTP: malformed JSON, too long, the wrong type.
    const malformed = await httpJson('POST', `${server.url}/api/v1/customers/log-1/verify`, {
      apiKey,
      rawBody: `{"otp":"${nextOtp}"`,
    });
    expect(malformed.json['code']).toBe('MALFORMED_JSON');
    const tooLong = await httpJson('POST', `${server.url}/api/v1/customers/log-1/verify`, {
      apiKey,
      body: { otp: `${nextOtp}0000` },
    });
    expect(tooLong.json['code']).toBe('VALIDATION_FAILED');
    const wrongType = await httpJson('POST', `${server.url}/api/v1/customers/log-1/verify`, {
      apiKey,
      body: { otp: Number(nextOtp) },
    });
    expect(wrongType.json['code']).toBe('VALIDATION_FAILED');
    expect(await server.stop()).toBe(0);

    const logs = server.stdout() + server.stderr();
    expect(logs).toContain('/api/v1/customers/log-1/verify'); // requests were logged at all
    const secretPart = apiKey.slice('inkan_0123456789abcdef_'.length);
    expect(logs).not.toContain(apiKey);
    expect(logs).not.toContain(secretPart);
    for (const secret of [password, wrongPassword, ...otps, wrongOtp]) {
      // Bounded by non-digits, so a timestamp that happens to contain the digits does not count.
      expect(logs).not.toMatch(new RegExp(`(?<![0-9])${secret}(?![0-9])`));
    }
  }, 60_000);
});
