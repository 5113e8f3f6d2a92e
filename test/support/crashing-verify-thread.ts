/**
 * The verify thread's module with one fault added, for the test of a thread that dies: a batch
 * with a call for the customer `crash-now` throws out of the message handler, which ends the
 * thread as any uncaught error on it would.
 */
import { parentPort } from 'node:worker_threads';

parentPort?.on('message', (m: { kind: string; calls?: { ref: unknown }[] }) => {
  if (m.kind === 'verify' && m.calls?.some((c) => c.ref === 'crash-now')) {
    throw new Error('the verify thread crashed on purpose');
  }
});
await import('../../src/threads/verify-thread-worker.js');
