import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config.js';
import { createPasswordHasher } from '../crypto/password-hash.js';
import { createLogger } from '../logger.js';
import { openKeyring, systemClock } from '../main.js';
import { createPlatform } from '../services/index.js';
import { openStore } from '../storage/open-store.js';
import { toThreadError } from './thread-errors.js';
import type { Answer, HostMessage, WorkerMessage } from './verify-thread-protocol.js';

/**
 * The verify thread's side (verify-thread.ts): the platform's verification use case over its own
 * connections to the server's database, answering the server's calls in batches.
 */
const port = parentPort;
if (port === null) throw new Error('verify-thread-worker runs as a worker thread');
const { config } = workerData as { config: Config };
const post = (m: WorkerMessage) => port.postMessage(m);

const logger = createLogger(config.logLevel);
let opened;
try {
  // The server has already loaded (or created) the keys and migrated the database.
  const { keyring } = openKeyring(config, systemClock, () => {});
  const store = await openStore({ url: config.databaseUrl });
  const platform = createPlatform({
    store,
    clock: systemClock,
    keyring,
    hasher: createPasswordHasher(),
    onBackgroundError: (e) => logger.error({ err: e }, 'background task failed'),
  });
  opened = { store, platform };
} catch (e) {
  post({ kind: 'failed', message: e instanceof Error ? e.message : String(e) });
  port.close();
}

if (opened !== undefined) {
  const { store, platform } = opened;
  let answers: Answer[] = [];
  let scheduled = false;
  let underWay = 0;
  let closeWhenIdle: (() => void) | null = null;

  const answer = (a: Answer) => {
    answers.push(a);
    underWay -= 1;
    if (!scheduled) {
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        const batch = answers;
        answers = [];
        post({ kind: 'answers', answers: batch });
        if (underWay === 0) closeWhenIdle?.();
      });
    }
  };

  port.on('message', (m: HostMessage) => {
    if (m.kind === 'verify') {
      for (const c of m.calls) {
        underWay += 1;
        platform.verify(c.ctx, c.ref, c.body).then(
          (outcome) => answer({ id: c.id, outcome }),
          (e: unknown) => answer({ id: c.id, ...toThreadError(e) }),
        );
      }
    } else if (m.kind === 'tenant-changed') {
      platform.deps.tenants.invalidate(m.serviceId);
    } else {
      // Close: the calls under way are answered first, then the connections close and the thread ends.
      const close = () => {
        closeWhenIdle = null;
        void platform
          .close()
          .then(() => store.close())
          .catch((e: unknown) => logger.error({ err: e }, 'verify thread did not close cleanly'))
          .finally(() => port.close());
      };
      if (underWay === 0 && answers.length === 0) close();
      else closeWhenIdle = close;
    }
  });
  post({ kind: 'ready' });
}
