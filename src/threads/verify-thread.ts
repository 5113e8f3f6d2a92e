import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { InkanError } from '../core/index.js';
import type { Config } from '../config.js';
import type { OtpOutcome, TenantCallContext } from '../services/index.js';
import { moduleBeside, startModuleWorker } from './start-worker.js';
import { fromThreadError } from './thread-errors.js';
import type { Answer, HostMessage, WorkerMessage } from './verify-thread-protocol.js';

/**
 * `POST /customers/{ref}/verify` on a thread of its own, for SQLite on a file.
 *
 * better-sqlite3 is synchronous: a verification's statements (the read of the customer and its
 * token, the conditional UPDATE of single use, the audit row, its share of the group's COMMIT) run
 * on the thread that calls them. On the event loop that was more than half of a verification's
 * cost, time in which the server read no request and answered none, and under load the one event
 * loop was what limited the server. Here the same use case (`verifyCustomerOtp`, wired by
 * `createPlatform`) runs on a worker thread with its own connections to the same database file,
 * and the event loop keeps only HTTP: parsing, the API key, rate limits and the answer.
 *
 * Nothing about correctness moves: the thread is to the database what a second server process is.
 * Single use and the lockout count are conditional UPDATEs, its group commits are fsynced before
 * an answer leaves the thread, and its tenants are cached as every process caches them (a policy
 * changed here reaches it at once, through `tenantChanged`).
 *
 * Calls cross in batches: the calls of one turn of the event loop go in slices of SLICE calls, and
 * the thread answers those finished in one turn as one message.
 */
export interface VerifyThread {
  verify(ctx: TenantCallContext, ref: unknown, body: unknown): Promise<OtpOutcome>;
  /** The running thread's id (null while none runs): for logs and tests. */
  readonly threadId: number | null;
  /** A tenant's policy changed: the thread forgets its cached copy. */
  tenantChanged(serviceId: string): void;
  /** Waits for the calls under way, closes the thread's database connections, ends it. */
  close(): Promise<void>;
}

/** A thread that failed is started again on a later call, at most this often. */
const RESTART_AFTER_MS = 1_000;
/** How long `close` waits for the thread to finish its calls before ending it. */
const CLOSE_WAIT_MS = 10_000;

/**
 * Most calls in one message to the thread. A burst of requests read in one turn of the event loop
 * goes as soon as SLICE of them are ready, not at the end of the turn: the thread starts on the
 * first slice while the event loop still reads the rest, instead of the two taking turns. Measured
 * on 7 December 2026 (bench, SQLite, alternating runs): 16 against one message per turn was ahead
 * in 5 of 6 pairs (+3% to +24%; the sixth −27%, in one of the machine's slow spells), median +11%,
 * and ahead of 8 and of 32 in 3 of 4 rounds.
 */
const SLICE = 16;

/** A call on its way to the thread. */
type Outgoing = Extract<HostMessage, { kind: 'verify' }>['calls'][number];

interface Pending {
  readonly resolve: (o: OtpOutcome) => void;
  readonly reject: (e: unknown) => void;
}

/** Starts the thread; resolves once it has opened the database and can verify. */
export async function startVerifyThread(
  config: Config,
  o: {
    logger: Logger;
    now?: () => number;
    /** Test seam: the thread's module (default: verify-thread-worker beside this file). */
    entry?: URL;
  },
): Promise<VerifyThread> {
  const now = o.now ?? Date.now;
  const entry = o.entry ?? moduleBeside(import.meta.url, './verify-thread-worker');
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let outbox: Outgoing[] = [];
  let flushScheduled = false;
  let closing = false;
  let failedAt = 0;

  let worker: Worker | null = null;
  let ready: Promise<Worker> | null = null;

  /** Every call under way fails: its thread is gone (the verification may or may not have committed). */
  function failPending(cause: unknown): void {
    for (const p of pending.values()) {
      p.reject(new InkanError('INTERNAL', {}, { cause }));
    }
    pending.clear();
    outbox = [];
  }

  function onAnswers(answers: readonly Answer[]): void {
    for (const a of answers) {
      const p = pending.get(a.id);
      if (p === undefined) continue;
      pending.delete(a.id);
      if ('outcome' in a) p.resolve(a.outcome);
      else p.reject(fromThreadError(a));
    }
  }

  function launch(): Promise<Worker> {
    const w = startModuleWorker(entry, { config });
    return new Promise<Worker>((resolve, reject) => {
      let started = false;
      // One listener of each for the thread's life (removing a Worker's last 'message' listener
      // stops its port: answers would then wait for the next event to arrive).
      w.on('message', (m: WorkerMessage) => {
        if (m.kind === 'answers') onAnswers(m.answers);
        else if (m.kind === 'ready') {
          started = true;
          resolve(w);
        } else {
          void w.terminate();
          reject(new Error(m.message));
        }
      });
      w.on('error', (e) => {
        if (!started) reject(e);
        else {
          o.logger.error({ err: e }, 'verify thread failed');
          lost(w, e);
        }
      });
      w.on('exit', (code) => {
        const e = new Error(`the verify thread exited with ${code}`);
        if (!started) reject(e);
        else lost(w, e);
      });
    });
  }

  /** The thread ended while calls were under way (a crash): they fail, a later call starts anew. */
  function lost(w: Worker, cause: unknown): void {
    if (worker !== w) return;
    worker = null;
    ready = null;
    failedAt = now();
    failPending(cause);
  }

  async function current(): Promise<Worker> {
    if (worker !== null) return worker;
    if (ready === null) {
      if (now() - failedAt < RESTART_AFTER_MS) throw new InkanError('SERVICE_BUSY');
      ready = launch().then(
        (w) => {
          worker = w;
          return w;
        },
        (e: unknown) => {
          ready = null;
          failedAt = now();
          o.logger.error({ err: e }, 'verify thread did not start');
          throw new InkanError('SERVICE_BUSY', {}, { cause: e });
        },
      );
    }
    return ready;
  }

  /** Fails the given calls with `e`. */
  function refuse(calls: readonly { id: number }[], e: unknown): void {
    for (const c of calls) {
      const p = pending.get(c.id);
      pending.delete(c.id);
      p?.reject(e);
    }
  }

  /**
   * Hands calls to the thread. A call whose input cannot be copied to another thread (only an
   * in-process caller could pass one) fails alone, as an internal error; the others go on.
   */
  function send(w: Worker, calls: Outgoing[]): void {
    try {
      w.postMessage({ kind: 'verify', calls } satisfies HostMessage);
    } catch {
      for (const c of calls) {
        try {
          w.postMessage({ kind: 'verify', calls: [c] } satisfies HostMessage);
        } catch (e) {
          refuse([c], new InkanError('INTERNAL', {}, { cause: e }));
        }
      }
    }
  }

  /** Sends the calls waiting in the outbox (at the end of the turn, or once SLICE are waiting). */
  function flush(): void {
    const calls = outbox;
    outbox = [];
    if (calls.length === 0) return;
    if (worker !== null) send(worker, calls);
    else if (closing) refuse(calls, new InkanError('SERVICE_BUSY'));
    else
      current().then(
        (w) => send(w, calls),
        (e: unknown) => refuse(calls, e),
      );
  }

  // The first thread starts now: a server whose thread cannot open the database does not start.
  worker = await launch();

  return {
    get threadId() {
      return worker?.threadId ?? null;
    },
    verify(ctx, ref, body) {
      if (closing) return Promise.reject(new InkanError('SERVICE_BUSY'));
      return new Promise<OtpOutcome>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        outbox.push({ id, ctx: { ...ctx }, ref, body });
        if (outbox.length >= SLICE) flush();
        else if (!flushScheduled) {
          flushScheduled = true;
          setImmediate(() => {
            flushScheduled = false;
            flush();
          });
        }
      });
    },
    tenantChanged(serviceId) {
      worker?.postMessage({ kind: 'tenant-changed', serviceId } satisfies HostMessage);
    },
    async close() {
      closing = true;
      flush(); // the calls of this turn still go to the thread, which answers them before it ends
      // A thread starting again after a failure is closed too, once it has started.
      const w = worker ?? (ready === null ? null : await ready.catch(() => null));
      if (w === null) return;
      worker = null;
      ready = null;
      const exited = new Promise<void>((r) => w.once('exit', () => r()));
      w.postMessage({ kind: 'close' } satisfies HostMessage);
      const timer = setTimeout(() => void w.terminate(), CLOSE_WAIT_MS);
      await exited;
      clearTimeout(timer);
      failPending(new Error('the verify thread closed'));
    },
  };
}
