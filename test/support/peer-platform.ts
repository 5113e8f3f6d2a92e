import type { FastifyInstance } from 'fastify';
import { createKeyring } from '../../src/crypto/keyring.js';
import { buildApp } from '../../src/http/app.js';
import { createPlatform, type Platform } from '../../src/services/index.js';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import { openStore } from '../../src/storage/open-store.js';
import {
  injectCaller,
  testHasher,
  TEST_DATABASE_URL,
  TEST_RATE_LIMITS,
  type Harness,
} from './harness.js';
import { storeLocation } from './raw-db.js';

/** A second server instance over the harness's database: its own connection(s), caches and app. */
export interface PeerPlatform {
  platform: Platform;
  store: KyselyStore;
  app: FastifyInstance;
  /** Fastify inject on the peer, with the harness tenant's API key. */
  call(
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    body?: unknown,
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  close(): Promise<void>;
}

/**
 * Opens a second platform on the same PostgreSQL schema as `h`, with the same master key and
 * clock, in this process: what two stateless servers behind a load balancer are (SPEC.md: single
 * use "must hold under concurrency and across server instances").
 *
 * PostgreSQL only. Two better-sqlite3 connections to one file on one thread deadlock: SQLite's
 * busy handler waits synchronously for a lock that the other connection can only release when
 * the (now blocked) event loop runs it. That is a property of the test set-up, not of Inkan (a
 * second server is a second process); on SQLite use startPeerProcess (peer-process.ts).
 */
export async function openPeerPlatform(h: Harness): Promise<PeerPlatform> {
  if (h.store.dialect !== 'postgres')
    throw new Error('openPeerPlatform needs PostgreSQL; use startPeerProcess on SQLite');
  const where = await storeLocation(h.store, TEST_DATABASE_URL);
  const store = await openStore({ ...where, poolSize: 10 });
  const platform = createPlatform({
    store,
    clock: h.clock,
    keyring: createKeyring([{ version: 1, key: h.masterKey }]),
    hasher: testHasher,
    auditChainDelayMs: 10,
  });
  const app = await buildApp({
    platform,
    logger: false,
    rateLimits: TEST_RATE_LIMITS,
  });
  return {
    platform,
    store,
    app,
    call: injectCaller(app, () => h.apiKey),
    async close() {
      await app.close();
      await platform.close();
      await store.close();
    },
  };
}
