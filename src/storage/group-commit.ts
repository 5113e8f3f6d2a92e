import { createMicroBatch } from './micro-batch.js';

/**
 * Group commit: transactions that arrive while one is committing wait, then run together, one
 * after another, inside a single database transaction with a single commit (and a single fsync).
 * Each keeps its own result. If any of them fails, the whole group is rolled back and each is run
 * again alone, so one failure fails only itself. Serial execution inside the group means every
 * transaction sees the ones before it, exactly as if they had committed one by one.
 *
 * Why: an accepted OTP must be durable before it is answered (SQLite: the WAL fsynced at commit,
 * PostgreSQL synchronous_commit=on), and a disk flush per request would cap verification at the
 * disk's flush rate.
 */
export interface GroupCommitOptions<S> {
  /** Runs `work` inside one real database transaction. */
  readonly runTransaction: (work: (tx: S) => Promise<void>) => Promise<void>;
  /** Most transactions in one group. */
  readonly maxGroup: number;
  /** Groups committing at once (1 on SQLite, the single writer; a few on PostgreSQL). */
  readonly concurrency: number;
  /** Whether the transactions of a failed group are run again alone (default: always). */
  readonly retryAlone?: (error: unknown) => boolean;
}

type Work<S> = (tx: S) => Promise<unknown>;

/** A queue that turns `submit(fn)` calls into grouped transactions. */
export function createGroupCommit<S>(o: GroupCommitOptions<S>): {
  submit<T>(fn: (tx: S) => Promise<T>): Promise<T>;
} {
  // One queue for both: a group is a batch whose statement is a transaction running each
  // function in turn. The group starts on the next turn of the event loop, not at once: with a
  // synchronous driver (better-sqlite3) a request would otherwise run to its commit inside the
  // microtasks of its own socket's callback, and no two requests would ever share a commit.
  const batch = createMicroBatch<Work<S>, unknown>({
    runBatch: async (fns) => {
      const results: unknown[] = [];
      await o.runTransaction(async (tx) => {
        for (const fn of fns) results.push(await fn(tx));
      });
      return results;
    },
    runOne: async (fn) => {
      let result: unknown;
      await o.runTransaction(async (tx) => {
        result = await fn(tx);
      });
      return result;
    },
    maxBatch: o.maxGroup,
    concurrency: o.concurrency,
    ...(o.retryAlone === undefined ? {} : { retryAlone: o.retryAlone }),
  });
  return {
    submit<T>(fn: (tx: S) => Promise<T>): Promise<T> {
      return batch.run(fn) as Promise<T>;
    },
  };
}
