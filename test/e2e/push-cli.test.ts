/**
 * `inkan push keys` and the start-up check of the VAPID variables (issue 7 item 3), through the
 * real program (bin/inkan.js on dist/): a key pair the server accepts; a partial or wrong set
 * stops `inkan serve` with a message naming the variable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkVapidConfig } from '../../src/services/index.js';
import { childEnv, newMasterKey, parseOneJsonObject, runCli } from '../support/process-cli.js';
import { startServerProcess, stopAllServerProcesses } from '../support/process-server.js';

const dir = mkdtempSync(join(tmpdir(), 'inkan-push-cli-'));
afterAll(async () => {
  await stopAllServerProcesses();
  rmSync(dir, { recursive: true, force: true });
});

describe('inkan push keys', () => {
  it('--json prints one key pair that the start-up check accepts', async () => {
    const r = await runCli(['push', 'keys', '--json']);
    expect(r.code).toBe(0);
    const k = parseOneJsonObject(r.stdout) as { publicKey: string; privateKey: string };
    expect(Buffer.from(k.publicKey, 'base64url')).toHaveLength(65);
    expect(Buffer.from(k.privateKey, 'base64url')).toHaveLength(32);
    expect(checkVapidConfig({ ...k, subject: 'mailto:otp@bank.example' })).not.toBeNull();
    const again = parseOneJsonObject((await runCli(['push', 'keys', '--json'])).stdout);
    expect(again['privateKey']).not.toBe(k.privateKey);
  });

  it('without --json prints the environment lines to set', async () => {
    const r = await runCli(['push', 'keys']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^INKAN_VAPID_PUBLIC_KEY=[A-Za-z0-9_-]{87}$/m);
    expect(r.stdout).toMatch(/^INKAN_VAPID_PRIVATE_KEY=[A-Za-z0-9_-]{43}$/m);
    expect(r.stdout).toContain('INKAN_VAPID_SUBJECT=mailto:');
  });
});

describe('inkan serve checks the VAPID variables', () => {
  const env = (extra: Record<string, string>) =>
    childEnv({
      DATABASE_URL: `sqlite:${join(dir, 'inkan.db')}`,
      INKAN_MASTER_KEY: newMasterKey(),
      ...extra,
    });

  it('a partial set stops the start, naming what is missing', async () => {
    const k = parseOneJsonObject((await runCli(['push', 'keys', '--json'])).stdout);
    const r = await runCli(['serve', '--port', '0'], {
      env: env({ INKAN_VAPID_PUBLIC_KEY: String(k['publicKey']) }),
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('INKAN_VAPID_SUBJECT');
    expect(r.stderr).not.toContain(String(k['publicKey']));
  });

  it('a subject that is neither mailto: nor https: stops the start', async () => {
    const k = parseOneJsonObject((await runCli(['push', 'keys', '--json'])).stdout);
    const r = await runCli(['serve', '--port', '0'], {
      env: env({
        INKAN_VAPID_PUBLIC_KEY: String(k['publicKey']),
        INKAN_VAPID_PRIVATE_KEY: String(k['privateKey']),
        INKAN_VAPID_SUBJECT: 'http://bank.example',
      }),
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('INKAN_VAPID_SUBJECT must be a mailto: address or an https: URL');
    expect(r.stderr).not.toContain(String(k['privateKey']));
  });

  it('a full set starts the server and the app gets the public key; none: null', async () => {
    const k = parseOneJsonObject((await runCli(['push', 'keys', '--json'])).stdout);
    const on = await startServerProcess({
      env: env({
        INKAN_VAPID_PUBLIC_KEY: String(k['publicKey']),
        INKAN_VAPID_PRIVATE_KEY: String(k['privateKey']),
        INKAN_VAPID_SUBJECT: 'mailto:otp-admin@aozora-bank.example',
      }),
    });
    const key = (await (await fetch(`${on.url}/api/v1/app/push/key`)).json()) as {
      publicKey: unknown;
    };
    expect(key).toEqual({ publicKey: k['publicKey'] });
    expect(on.stdout() + on.stderr()).not.toContain(String(k['privateKey']));
    await on.stop();
    const off = await startServerProcess({ env: env({}) });
    expect(await (await fetch(`${off.url}/api/v1/app/push/key`)).json()).toEqual({
      publicKey: null,
    });
    await off.stop();
  }, 60_000);
});
