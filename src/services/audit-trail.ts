import {
  createChainVerifier,
  type ChainAnchor,
  type ChainedAuditEvent,
  type Store,
  type VerifyChainResult,
} from '../core/index.js';
import { sha256Hex } from '../crypto/sha256.js';

/**
 * Links pending audit events into the hash chain. Writers never wait for it: a debounced run
 * after each write, one chainer at a time across servers (an advisory lock on PostgreSQL).
 */
export function createAuditChainer(
  store: Store,
  onError: (e: unknown) => void,
  delayMs = 200,
): { written(): void; flush(): Promise<void>; stop(): Promise<void> } {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;
  const run = (): Promise<void> => {
    timer = null;
    const p: Promise<void> = (running ?? Promise.resolve())
      .then(() => store.chainAudit(sha256Hex))
      .then(() => undefined, onError);
    running = p;
    return p;
  };
  return {
    written() {
      if (stopped || timer !== null) return;
      timer = setTimeout(() => void run(), delayMs);
      timer.unref();
    },
    async flush() {
      if (timer !== null) clearTimeout(timer);
      await run();
    },
    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}

async function* chainOf(store: Store): AsyncGenerator<ChainedAuditEvent> {
  let after = 0;
  for (;;) {
    const page = await store.readAuditChain(after, 1000);
    if (page.length === 0) return;
    yield* page;
    after = page[page.length - 1]?.seq ?? after;
  }
}

/** `inkan audit verify`: chains what is pending, then checks the whole chain. */
export async function verifyAuditTrail(
  store: Store,
  anchor?: ChainAnchor,
): Promise<VerifyChainResult & { unchained: number }> {
  await store.chainAudit(sha256Hex);
  const verifier = createChainVerifier(sha256Hex, anchor);
  for await (const e of chainOf(store)) if (!verifier.push(e)) break;
  return { ...verifier.result(), unchained: await store.countUnchainedAudit() };
}
