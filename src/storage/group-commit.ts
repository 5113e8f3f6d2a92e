/**
 * Group commit: transactions that arrive while one is committing wait, then run together, one
 * after another, inside a single database transaction with a single commit (and a single fsync).
 * Each keeps its own result. If any of them fails, the whole group is rolled back and each is run
 * again alone, so one failure fails only itself. Serial execution inside the group means every
 * transaction sees the ones before it, exactly as if they had committed one by one.
 *
 * Why: an accepted OTP must be durable before it is answered (SQLite synchronous=FULL,
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
}

interface Pending<S> {
  readonly fn: (tx: S) => Promise<unknown>;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
}

/** A queue that turns `submit(fn)` calls into grouped transactions. */
export function createGroupCommit<S>(o: GroupCommitOptions<S>): {
  submit<T>(fn: (tx: S) => Promise<T>): Promise<T>;
} {
  const queue: Pending<S>[] = [];
  let active = 0;

  async function runAlone(p: Pending<S>): Promise<void> {
    let result: unknown;
    try {
      await o.runTransaction(async (tx) => {
        result = await p.fn(tx);
      });
      p.resolve(result);
    } catch (e) {
      p.reject(e);
    }
  }

  async function runGroup(group: Pending<S>[]): Promise<void> {
    const first = group[0];
    if (group.length === 1 && first !== undefined) return runAlone(first);
    const results: unknown[] = [];
    try {
      await o.runTransaction(async (tx) => {
        for (const p of group) results.push(await p.fn(tx));
      });
    } catch {
      for (const p of group) await runAlone(p);
      return;
    }
    group.forEach((p, i) => p.resolve(results[i]));
  }

  let scheduled = false;

  function start(): void {
    scheduled = false;
    while (active < o.concurrency && queue.length > 0) {
      const group = queue.splice(0, o.maxGroup);
      active += 1;
      void runGroup(group).finally(() => {
        active -= 1;
        pump();
      });
    }
  }

  // A group starts on the next turn of the event loop, not at once: with a synchronous driver
  // (better-sqlite3) a request would otherwise run to its commit inside the microtasks of its own
  // socket's callback, and no two requests would ever share a commit.
  function pump(): void {
    if (scheduled || active >= o.concurrency || queue.length === 0) return;
    scheduled = true;
    setImmediate(start);
  }

  return {
    submit<T>(fn: (tx: S) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
        pump();
      });
    },
  };
}
