import { describe, expect, it } from 'vitest';
import { createMicroBatch } from './micro-batch.js';

/** A fake statement that takes time, so calls queue behind it; records each batch it ran. */
function fakeStatement(fail?: (x: number) => boolean) {
  const batches: number[][] = [];
  const alone: number[] = [];
  return {
    batches,
    alone,
    runBatch: async (xs: readonly number[]) => {
      batches.push([...xs]);
      await new Promise((r) => setTimeout(r, 5));
      if (fail !== undefined && xs.some(fail)) throw new Error('batch failed');
      return xs.map((x) => x * 10);
    },
    runOne: async (x: number) => {
      alone.push(x);
      if (fail?.(x) === true) throw new Error(`failed ${x}`);
      return x * 10;
    },
  };
}

describe('micro-batch', () => {
  it('gathers calls that arrive while a statement runs, each answered in its place', async () => {
    const st = fakeStatement();
    const b = createMicroBatch({ ...st, maxBatch: 64, concurrency: 1 });
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => b.run(i)));
    expect(answers).toEqual(Array.from({ length: 40 }, (_, i) => i * 10));
    expect(st.batches.length).toBeLessThan(40);
    expect(st.batches.flat().sort((x, y) => x - y)).toEqual(
      Array.from({ length: 40 }, (_, i) => i),
    );
  });

  it('keeps calls with the same key out of one batch, in arrival order', async () => {
    const st = fakeStatement();
    const b = createMicroBatch({ ...st, maxBatch: 64, concurrency: 1, key: (x: number) => x % 3 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => b.run(i)));
    for (const batch of st.batches) {
      expect(new Set(batch.map((x) => x % 3)).size).toBe(batch.length);
    }
    // Calls on one key run in the order they came.
    const order = st.batches
      .flat()
      .concat(st.alone)
      .filter((x) => x % 3 === 1);
    expect(order).toEqual([1, 4, 7, 10]);
  });

  it('never puts more than maxBatch calls in one statement', async () => {
    const st = fakeStatement();
    const b = createMicroBatch({ ...st, maxBatch: 8, concurrency: 2 });
    await Promise.all(Array.from({ length: 50 }, (_, i) => b.run(i)));
    expect(Math.max(...st.batches.map((x) => x.length))).toBeLessThanOrEqual(8);
  });

  it('a failing batch is retried call by call, so one failure fails only itself', async () => {
    const st = fakeStatement((x) => x === 5);
    const b = createMicroBatch({ ...st, maxBatch: 64, concurrency: 1 });
    const settled = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => b.run(i)));
    settled.forEach((s, i) => {
      if (i === 5) expect(s.status).toBe('rejected');
      else expect(s).toEqual({ status: 'fulfilled', value: i * 10 });
    });
    expect(st.alone).toContain(5);
  });

  it('a batch failing with an error that retryAlone refuses fails every call at once', async () => {
    const st = fakeStatement((x) => x === 5);
    const b = createMicroBatch({
      ...st,
      maxBatch: 64,
      concurrency: 1,
      retryAlone: (e) => !(e instanceof Error && e.message === 'batch failed'),
    });
    const settled = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => b.run(i)));
    const batchOf5 = st.batches.find((x) => x.includes(5)) ?? [];
    expect(batchOf5.length).toBeGreaterThan(1);
    settled.forEach((s, i) => {
      if (batchOf5.includes(i)) expect(s).toMatchObject({ status: 'rejected' });
      else expect(s).toEqual({ status: 'fulfilled', value: i * 10 });
    });
    expect(st.alone).toEqual([]);
  });
});
