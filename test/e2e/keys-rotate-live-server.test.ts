/**
 * The hole: `inkan keys rotate` (key-file mode) re-seals every token secret under a new master
 * key version that only the rotating process knows. A server that was already running loaded the
 * key file once at start; it cannot open secrets sealed under the new version, so from the moment
 * of the rotation every verification on it fails (HTTP 500) until it is restarted: a key rotation
 * is an outage of OTP login and transfers for every bank on the platform. src/cli/keys.ts says the
 * old versions stay in the file "so a server still running can open both"; a running server must
 * keep verifying through a rotation (SPEC.md, "Security floor": versioned master keys, a rotation
 * command).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, parseOneJsonObject, runCli } from '../support/process-cli.js';
import { createProcessDatabase, type ProcessDatabase } from '../support/process-db.js';
import { startServerProcess, stopAllServerProcesses } from '../support/process-server.js';
import { activeCustomerOverHttp, verifyOverHttp, waitForStepRoom } from '../support/process-app.js';

const SERVICE_ID = '10112235';

describe('inkan keys rotate while a server is running', () => {
  let db: ProcessDatabase | null = null;

  beforeAll(async () => {
    db = await createProcessDatabase();
  });

  afterAll(async () => {
    await stopAllServerProcesses();
    await db?.drop();
  }, 30_000);

  it('the running server keeps verifying OTPs of tokens whose secrets were re-sealed', async () => {
    const dir = db?.dir ?? '.';
    const env = childEnv({ DATABASE_URL: db?.url, INKAN_DATA_DIR: dir, LOG_LEVEL: 'warn' });
    const created = await runCli(
      ['tenant', 'create', '--service-id', SERVICE_ID, '--name', 'テスト銀行', '--json'],
      { env, cwd: dir },
    );
    expect(created.code, created.stderr).toBe(0);
    const apiKey = String(parseOneJsonObject(created.stdout)['apiKey']);
    const server = await startServerProcess({ env, cwd: dir });
    const c = await activeCustomerOverHttp(server.url, apiKey, SERVICE_ID, 'live-1');

    const rotated = await runCli(['keys', 'rotate', '--json'], { env, cwd: dir });
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(parseOneJsonObject(rotated.stdout)).toMatchObject({ keyVersion: 2, resealed: 1 });

    const step = await waitForStepRoom(5_000);
    expect(step).toBeGreaterThan(c.usedStep);
    const r = await verifyOverHttp(server.url, apiKey, c.ref, c.token.otpAt(step));
    expect({ status: r.status, body: r.json }).toMatchObject({
      status: 200,
      body: { result: 'ok' },
    });
  }, 60_000);
});
