import type { Worker } from 'node:worker_threads';
import type { PskcKey } from '../core/pskc/read-pskc.js';
import { moduleBeside, startModuleWorker } from '../threads/start-worker.js';
import { fromThreadError, type ThreadError } from '../threads/thread-errors.js';

/**
 * Reads a PSKC file (RFC 6030) on a worker thread.
 *
 * Reading is pure CPU: the XML parse, a MAC check and a decryption per key. For a vendor's file of
 * 100,000 keys that is 9-15 seconds, and on the event loop it would stop the whole server (every
 * customer's login and transfer) while staff import on the admin console. On a thread of its own
 * it takes the other core instead. Refusals come back as the same InkanError (PSKC_INVALID, …).
 */
export async function readPskcOffThread(
  xml: string,
  preSharedKey?: Uint8Array,
): Promise<PskcKey[]> {
  const worker = startWorker({ xml, preSharedKey: preSharedKey ?? null });
  try {
    const answer = await new Promise<WorkerAnswer>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`PSKC reader exited with ${code}`)));
    });
    if ('keys' in answer) return answer.keys;
    throw fromThreadError(answer);
  } finally {
    await worker.terminate();
  }
}

type WorkerAnswer = { keys: PskcKey[] } | ThreadError;

/** The worker: `pskc-thread-worker` beside this file. */
function startWorker(data: { xml: string; preSharedKey: Uint8Array | null }): Worker {
  return startModuleWorker(moduleBeside(import.meta.url, './pskc-thread-worker'), data);
}
