import { parentPort, workerData } from 'node:worker_threads';
import { isInkanError } from '../core/index.js';
import { readPskc } from '../core/pskc/read-pskc.js';
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
  parentPort?.postMessage(
    isInkanError(e)
      ? { refused: { code: e.code, extra: e.extra } }
      : { failed: e instanceof Error ? e.message : String(e) },
  );
}
