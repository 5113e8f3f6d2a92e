/**
 * Micro-batching for PostgreSQL's hot path: calls that arrive while earlier batches are in flight
 * wait, then go to the database together as ONE statement (a multi-row read or a multi-row
 * conditional UPDATE), each keeping its own answer.
 *
 * Why: at thousands of verifications per second the cost is not the work each statement does but
 * the statement itself: a round trip, a parse/bind/execute, a backend wake-up and, for a write,
 * its own commit and WAL flush. Fifty requests in one statement pay that once.
 *
 * Correctness is the statement's: a batched conditional UPDATE is still one atomic statement whose
 * WHERE decides each row, so single use holds across batches, processes and servers exactly as it
 * does for one row. A caller is answered only after the statement has committed. `conflicts` keeps
 * two calls on the same row out of one batch, so each batch behaves as if its calls ran one after
 * another. If a batch fails, each of its calls is retried alone, so one failure fails only itself.
 */
export interface MicroBatchOptions<I, O> {
  /** Runs many inputs as one statement; answers in the inputs' order. */
  readonly runBatch: (inputs: readonly I[]) => Promise<O[]>;
  /** Runs one input alone (after its batch failed). */
  readonly runOne: (input: I) => Promise<O>;
  /** Most inputs in one statement. */
  readonly maxBatch: number;
  /** Statements in flight at once; calls arriving meanwhile gather into the next batch. */
  readonly concurrency: number;
  /** A key per input: two inputs with the same key never share a batch (e.g. the same row). */
  readonly key?: (input: I) => string | number;
  /**
   * Whether a failed batch's calls are retried alone (default: always). Not when the failure is
   * the database's and would fail each of them again: a batch of 64 waiting out a lock 64 times.
   */
  readonly retryAlone?: (error: unknown) => boolean;
}

interface Waiting<I, O> {
  readonly input: I;
  readonly resolve: (o: O) => void;
  readonly reject: (e: unknown) => void;
}

/** A queue that turns `run(input)` calls into batched statements. */
export function createMicroBatch<I, O>(o: MicroBatchOptions<I, O>): { run(input: I): Promise<O> } {
  const queue: Waiting<I, O>[] = [];
  let active = 0;
  let scheduled = false;

  /** The next batch: up to maxBatch waiting calls, at most one per key, in arrival order. */
  function take(): Waiting<I, O>[] {
    if (o.key === undefined) return queue.splice(0, o.maxBatch);
    const seen = new Set<string | number>();
    const batch: Waiting<I, O>[] = [];
    for (let i = 0; i < queue.length && batch.length < o.maxBatch;) {
      const w = queue[i] as Waiting<I, O>;
      const k = o.key(w.input);
      if (seen.has(k)) {
        i += 1;
        continue;
      }
      seen.add(k);
      batch.push(w);
      queue.splice(i, 1);
    }
    return batch;
  }

  async function runAlone(w: Waiting<I, O>): Promise<void> {
    try {
      w.resolve(await o.runOne(w.input));
    } catch (e) {
      w.reject(e);
    }
  }

  async function runBatch(batch: Waiting<I, O>[]): Promise<void> {
    const only = batch[0];
    if (batch.length === 1 && only !== undefined) return runAlone(only);
    let results: O[];
    try {
      results = await o.runBatch(batch.map((w) => w.input));
      if (results.length !== batch.length) throw new Error('batch answered the wrong count');
    } catch (e) {
      if (o.retryAlone !== undefined && !o.retryAlone(e)) {
        for (const w of batch) w.reject(e);
        return;
      }
      for (const w of batch) await runAlone(w);
      return;
    }
    batch.forEach((w, i) => w.resolve(results[i] as O));
  }

  function start(): void {
    scheduled = false;
    while (active < o.concurrency && queue.length > 0) {
      const batch = take();
      active += 1;
      void runBatch(batch).finally(() => {
        active -= 1;
        pump();
      });
    }
  }

  // The first batch starts on the next turn of the event loop, so that requests whose sockets
  // became readable together share it.
  function pump(): void {
    if (scheduled || active >= o.concurrency || queue.length === 0) return;
    scheduled = true;
    setImmediate(start);
  }

  return {
    run(input) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ input, resolve, reject });
        pump();
      });
    },
  };
}
