/**
 * The verify thread's module, unchanged, with a record of how many calls each message from the
 * server carried: one line per message, appended to the file named by INKAN_TEST_SLICE_LOG (the
 * thread shares the process's environment).
 */
import { appendFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

const log = process.env['INKAN_TEST_SLICE_LOG'];
parentPort?.on('message', (m: { kind: string; calls?: unknown[] }) => {
  if (m.kind === 'verify' && log !== undefined) appendFileSync(log, `${m.calls?.length ?? 0}\n`);
});
await import('../../src/threads/verify-thread-worker.js');
