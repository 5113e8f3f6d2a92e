/**
 * A second Inkan server in a process of its own, over the same database: the test forks this
 * file (under tsx), tells it where the data is, and then has it fire OTP calls at the same moment
 * as the test's own platform. Used by the cross-instance races (SPEC.md: single use "must hold
 * under concurrency and across server instances").
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What the child needs to build its platform. */
export interface PeerProcessConfig {
  readonly url: string;
  readonly pgSchema?: string;
  readonly masterKeyB64: string;
}

/** One batch of concurrent verifications the child runs when told. */
export interface PeerVerifyBatch {
  readonly serviceId: string;
  readonly ref: string;
  readonly otp: string;
  readonly count: number;
  /** The time the child's platform clock shows for this batch (the test's fake clock). */
  readonly now: number;
  /** Wall-clock time (Date.now()) to fire at, so that both processes start together. */
  readonly startAt: number;
}

type ToChild =
  | { kind: 'config'; config: PeerProcessConfig }
  | { kind: 'verify'; batch: PeerVerifyBatch }
  | { kind: 'exit' };
/** One answer of the child: the OTP outcome, or `{ result: 'error:…' }` when the call threw. */
export interface PeerOutcome {
  readonly result: string;
  readonly failCount?: number;
  readonly locked?: boolean;
}

type FromChild =
  | { kind: 'ready' }
  | { kind: 'results'; results: PeerOutcome[] }
  | { kind: 'error'; message: string };

/** The running child: `verify` resolves with the outcome of each call. */
export interface PeerProcess {
  verify(batch: PeerVerifyBatch): Promise<PeerOutcome[]>;
  close(): Promise<void>;
}

function nextMessage(child: ChildProcess): Promise<FromChild> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: FromChild) => {
      cleanup();
      if (m.kind === 'error') reject(new Error(`peer process: ${m.message}`));
      else resolve(m);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`peer process exited with ${String(code)}`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Starts the child and waits until its platform is open. */
export async function startPeerProcess(config: PeerProcessConfig): Promise<PeerProcess> {
  const child = fork(fileURLToPath(import.meta.url), ['--peer-child'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = nextMessage(child);
  child.send({ kind: 'config', config } satisfies ToChild);
  await ready;
  return {
    async verify(batch) {
      const answer = nextMessage(child);
      child.send({ kind: 'verify', batch } satisfies ToChild);
      const m = await answer;
      return m.kind === 'results' ? m.results : [];
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ kind: 'exit' } satisfies ToChild);
      await exited;
    },
  };
}

async function runChild(): Promise<void> {
  const { createKeyring } = await import('../../src/crypto/keyring.js');
  const { createPasswordHasher } = await import('../../src/crypto/password-hash.js');
  const { createPlatform } = await import('../../src/services/index.js');
  const { openStore } = await import('../../src/storage/open-store.js');
  const send = (m: FromChild) => process.send?.(m);
  // The test process went away (finished, failed, killed): so does this one.
  process.on('disconnect', () => process.exit(0));
  let platform: Awaited<ReturnType<typeof createPlatform>> | null = null;
  let close: (() => Promise<void>) | null = null;
  let setNow: (ms: number) => void = () => {};
  process.on('message', (m: ToChild) => {
    void (async () => {
      try {
        if (m.kind === 'config') {
          const c = m.config;
          let now = 0;
          const store = await openStore({
            url: c.url,
            ...(c.pgSchema === undefined ? {} : { pgSchema: c.pgSchema }),
            poolSize: 10,
          });
          const p = createPlatform({
            store,
            clock: { now: () => now },
            keyring: createKeyring([{ version: 1, key: Buffer.from(c.masterKeyB64, 'base64') }]),
            hasher: createPasswordHasher({ N: 2 ** 10, r: 8, p: 1 }),
            auditChainDelayMs: 10,
          });
          platform = p;
          setNow = (ms) => (now = ms);
          close = async () => {
            await p.close();
            await store.close();
          };
          send({ kind: 'ready' });
        } else if (m.kind === 'verify' && platform !== null) {
          const p = platform;
          const b = m.batch;
          setNow(b.now);
          const ctx = { serviceId: b.serviceId, actor: 'test:peer-process', clientIp: null };
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, b.startAt - Date.now())));
          const results = await Promise.all(
            Array.from({ length: b.count }, () =>
              p.verify(ctx, b.ref, { otp: b.otp }).then(
                (r): PeerOutcome => ({ ...r }),
                (e: unknown): PeerOutcome => ({
                  result: `error:${e instanceof Error ? e.message : String(e)}`,
                }),
              ),
            ),
          );
          send({ kind: 'results', results });
        } else if (m.kind === 'exit') {
          await close?.();
          process.exit(0);
        }
      } catch (e) {
        send({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
      }
    })();
  });
}

if (process.argv.includes('--peer-child')) void runChild();
