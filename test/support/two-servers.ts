/**
 * Two real `inkan serve` processes on one fresh PostgreSQL database, as behind a load balancer:
 * a tenant made with the CLI, both servers started with the same environment, and each one's
 * slow API-key check done once (`warmUp`) so that a race that follows is not slowed by it.
 */
import { expect } from 'vitest';
import { childEnv, newMasterKey, parseOneJsonObject, runCli } from './process-cli.js';
import { createProcessDatabase, type ProcessDatabase } from './process-db.js';
import {
  startServerProcess,
  stopAllServerProcesses,
  type ServerProcess,
} from './process-server.js';

export interface TwoServers {
  readonly a: ServerProcess;
  readonly b: ServerProcess;
  readonly apiKey: string;
  readonly db: ProcessDatabase;
  stop(): Promise<void>;
}

export async function startTwoServers(o: {
  serviceId: string;
  policy?: Record<string, unknown>;
  env?: Record<string, string>;
  /** One authenticated request to one server (the API key's hash is then remembered). */
  warmUp: (url: string, apiKey: string) => Promise<void>;
}): Promise<TwoServers> {
  const db = await createProcessDatabase('postgres');
  const env = childEnv({
    DATABASE_URL: db.url,
    INKAN_MASTER_KEY: newMasterKey(),
    LOG_LEVEL: 'warn',
    ...o.env,
  });
  const created = await runCli(
    [
      'tenant',
      'create',
      '--service-id',
      o.serviceId,
      '--name',
      'テスト銀行',
      ...(o.policy === undefined ? [] : ['--policy', JSON.stringify(o.policy)]),
      '--json',
    ],
    { env, cwd: db.dir },
  );
  expect(created.code, created.stderr).toBe(0);
  const apiKey = String(parseOneJsonObject(created.stdout)['apiKey']);
  const [a, b] = await Promise.all([
    startServerProcess({ env, cwd: db.dir }),
    startServerProcess({ env, cwd: db.dir }),
  ]);
  expect(a.url).not.toBe(b.url);
  for (const s of [a, b]) await o.warmUp(s.url, apiKey);
  return {
    a,
    b,
    apiKey,
    db,
    async stop() {
      await stopAllServerProcesses();
      await db.drop();
    },
  };
}
