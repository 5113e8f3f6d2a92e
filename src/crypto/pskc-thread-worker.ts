import { parentPort, workerData } from 'node:worker_threads';
import { readPskc } from '../core/pskc/read-pskc.js';
import { toThreadError } from '../threads/thread-errors.js';
import { nodePskcCrypto } from './pskc-crypto.js';

/**
 * The worker side of `readPskcOffThread` (pskc-thread.ts): reads one PSKC file and posts back its
 * keys, or the refusal. Runs on a thread of its own, so parsing, MAC checks and decryption of a
 * large file never hold up the server's event loop.
 */
const input = workerData as { xml: string; preSharedKey: Uint8Array | null };
try {
  const keys = readPskc(input.xml, {
    crypto: nodePskcCrypto,
    ...(input.preSharedKey === null ? {} : { preSharedKey: input.preSharedKey }),
  });
  parentPort?.postMessage({ keys });
  for (const k of keys) k.secret.fill(0);
} catch (e) {
  parentPort?.postMessage(toThreadError(e));
}
