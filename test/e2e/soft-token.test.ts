/**
 * The terminal token (`inkan soft-token`), the stand-in for a customer's phone: set up with the
 * IDs and activation password the way the app does it, its OTPs accepted by a running server, its
 * secret kept sealed in files only the user can read.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  INKAN_BIN,
  REPO_ROOT,
  childEnv,
  newMasterKey,
  parseOneJsonObject,
  runCli,
} from '../support/process-cli.js';
import { createProcessDatabase, type ProcessDatabase } from '../support/process-db.js';
import {
  startServerProcess,
  stopAllServerProcesses,
  type ServerProcess,
} from '../support/process-server.js';
import {
  getTokenOverHttp,
  httpJson,
  issueOverHttp,
  verifyOverHttp,
  waitForStepRoom,
} from '../support/process-app.js';

const SERVICE_ID = '10112235';
let db: ProcessDatabase;
let server: ServerProcess;
let apiKey: string;
let walletDir: string;
let env: NodeJS.ProcessEnv;

/** `inkan soft-token …` with `stdin` written to its standard input. */
function softToken(
  args: string[],
  stdin = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [INKAN_BIN, 'soft-token', ...args], {
      env,
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

beforeAll(async () => {
  db = await createProcessDatabase();
  walletDir = mkdtempSync(join(tmpdir(), 'inkan-wallet-'));
  env = childEnv({
    DATABASE_URL: db.url,
    INKAN_MASTER_KEY: newMasterKey(),
    INKAN_SOFT_TOKEN_DIR: walletDir,
  });
  const created = await runCli(
    ['tenant', 'create', '--service-id', SERVICE_ID, '--name', 'あおぞら銀行', '--json'],
    { env },
  );
  expect(created.code, created.stderr).toBe(0);
  apiKey = String(parseOneJsonObject(created.stdout)['apiKey']);
  server = await startServerProcess({ env });
}, 60_000);

afterAll(async () => {
  await stopAllServerProcesses();
  await db?.drop();
  rmSync(walletDir, { recursive: true, force: true });
});

describe('inkan soft-token', () => {
  it('sets up from the issuance IDs, and its OTP activates the token and then logs in', async () => {
    const { userId } = await issueOverHttp(server.url, apiKey, 'c-term', {
      activationPassword: '2468',
    });
    const wrong = await softToken(
      ['setup', '--url', server.url, '--service-id', SERVICE_ID, '--user-id', userId, '--json'],
      '1111\n',
    );
    expect(wrong.code).toBe(1);
    expect(parseOneJsonObject(wrong.stdout)).toMatchObject({
      error: 'ACTIVATION_PASSWORD_WRONG',
      attemptsLeft: 4,
    });

    const ok = await softToken(
      ['setup', '--url', server.url, '--service-id', SERVICE_ID, '--user-id', userId, '--json'],
      '2468\n',
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(parseOneJsonObject(ok.stdout)).toMatchObject({
      serviceId: SERVICE_ID,
      userId,
      displayName: 'あおぞら銀行',
    });

    await waitForStepRoom(10_000);
    const shown = await softToken(['show', '--json']);
    const { otp, secondsLeft } = parseOneJsonObject(shown.stdout) as {
      otp: string;
      secondsLeft: number;
    };
    expect(otp).toMatch(/^[0-9]{8}$/);
    expect(secondsLeft).toBeGreaterThan(0);
    expect(secondsLeft).toBeLessThanOrEqual(60);
    const act = await httpJson('POST', `${server.url}/api/v1/customers/c-term/token/activate`, {
      apiKey,
      body: { otp },
    });
    expect(act.json).toMatchObject({ result: 'ok', state: 'active' });
    // The same OTP again is a replay; the terminal shows the next one a step later.
    expect((await verifyOverHttp(server.url, apiKey, 'c-term', otp)).json['result']).toBe(
      'replayed',
    );
    expect((await getTokenOverHttp(server.url, apiKey, 'c-term')).json['state']).toBe('active');
  });

  it('keeps the secret sealed in files only the user can read', async () => {
    const tokens = join(walletDir, 'soft-tokens.json');
    const key = join(walletDir, 'device.key');
    expect(statSync(tokens).mode & 0o777).toBe(0o600);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(tokens, 'utf8')) as { tokens: { sealedSecret: string }[] };
    expect(file.tokens[0]?.sealedSecret).toMatch(/^ink1\.1\./);
    const listed = await softToken(['list', '--json']);
    expect(listed.stdout).not.toContain('sealedSecret');
  });

  it('says plainly why a setup is refused, and refuses input of the wrong form before calling anyone', async () => {
    const noSuch = await softToken(
      ['setup', '--url', server.url, '--service-id', SERVICE_ID, '--user-id', '000000000000'],
      '1234\n',
    );
    expect(noSuch.code).toBe(1);
    expect(noSuch.stderr).toContain('ユーザID');
    const badId = await softToken(
      ['setup', '--url', server.url, '--service-id', '123', '--user-id', '000000000000'],
      '1234\n',
    );
    expect(badId.code).toBe(2);
    expect(badId.stderr).toContain('サービスID');
    const badPassword = await softToken(
      ['setup', '--url', server.url, '--service-id', SERVICE_ID, '--user-id', '000000000000'],
      'abcd\n',
    );
    expect(badPassword.code).toBe(2);
    const unreachable = await softToken(
      [
        'setup',
        '--url',
        'http://127.0.0.1:9',
        '--service-id',
        SERVICE_ID,
        '--user-id',
        '000000000000',
      ],
      '1234\n',
    );
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('cannot reach');
  });

  it('with several tokens set up, shows the one chosen and refuses to guess', async () => {
    // The first test set up c-term's token; a second customer's goes beside it.
    const { userId } = await issueOverHttp(server.url, apiKey, 'c-second', {
      activationPassword: '1357',
    });
    const setup = await softToken(
      ['setup', '--url', server.url, '--service-id', SERVICE_ID, '--user-id', userId],
      '1357\n',
    );
    expect(setup.code, setup.stderr).toBe(0);
    // Its closing hint names the token, now that `show` has to be told which.
    expect(setup.stdout).toContain(
      `inkan soft-token show --service-id ${SERVICE_ID} --user-id ${userId}`,
    );

    // Without a choice, or with one both match, nothing is shown.
    for (const args of [
      ['show', '--json'],
      ['show', '--service-id', SERVICE_ID, '--json'],
    ]) {
      const several = await softToken(args);
      expect(several.code).toBe(2);
      expect(parseOneJsonObject(several.stdout)).toMatchObject({ error: 'SEVERAL_TOKENS' });
      expect(several.stdout).not.toMatch(/"otp"/);
    }
    const plain = await softToken(['show']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('--user-id');
    expect(plain.stdout).toBe('');

    // A choice that matches none says so (not "nothing set up").
    const none = await softToken(['show', '--user-id', '999999999999', '--json']);
    expect(none.code).toBe(1);
    expect(parseOneJsonObject(none.stdout)).toMatchObject({ error: 'NO_MATCH' });

    // The chosen token's OTP is that customer's: it activates c-second's token.
    await waitForStepRoom(10_000);
    const shown = await softToken(['show', '--user-id', userId, '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    const chosen = parseOneJsonObject(shown.stdout);
    expect(chosen).toMatchObject({ userId });
    const act = await httpJson('POST', `${server.url}/api/v1/customers/c-second/token/activate`, {
      apiKey,
      body: { otp: chosen['otp'] },
    });
    expect(act.json).toMatchObject({ result: 'ok', state: 'active' });
  });
});
