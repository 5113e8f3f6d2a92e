import { describe, expect, it } from 'vitest';
import { createGroupCommit } from './group-commit.js';

/** A fake database transaction: records what committed, rolls back on a throw. */
function fakeDb() {
  const committed: string[][] = [];
  let transactions = 0;
  return {
    committed,
    count: () => transactions,
    runTransaction: async (work: (tx: string[]) => Promise<void>) => {
      transactions += 1;
      const tx: string[] = [];
      await new Promise((r) => setTimeout(r, 5)); // a commit takes time: others queue meanwhile
      await work(tx); // throws → nothing of it is committed
      committed.push(tx);
    },
  };
}

describe('group commit', () => {
  it('runs transactions that arrive during a commit together, each with its own result', async () => {
    const db = fakeDb();
    const g = createGroupCommit<string[]>({
      runTransaction: db.runTransaction,
      maxGroup: 64,
      concurrency: 1,
    });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => g.submit(async (tx) => (tx.push(`w${i}`), i * 2))),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    expect(db.committed.flat().sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `w${i}`).sort(),
    );
    expect(db.count()).toBeLessThan(20); // grouped: the first alone, the rest together
  });

  it('keeps the order of submission inside a group', async () => {
    const db = fakeDb();
    const g = createGroupCommit<string[]>({
      runTransaction: db.runTransaction,
      maxGroup: 64,
      concurrency: 1,
    });
    await Promise.all(['a', 'b', 'c', 'd'].map((x) => g.submit(async (tx) => void tx.push(x))));
    expect(db.committed.flat()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a failing transaction fails alone: the others of its group commit', async () => {
    const db = fakeDb();
    const g = createGroupCommit<string[]>({
      runTransaction: db.runTransaction,
      maxGroup: 64,
      concurrency: 1,
    });
    const settled = await Promise.allSettled(
      ['a', 'boom', 'c'].map((x) =>
        g.submit(async (tx) => {
          if (x === 'boom') throw new Error('boom');
          tx.push(x);
          return x;
        }),
      ),
    );
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.committed.flat().sort()).toEqual(['a', 'c']);
  });

  it('never puts more than maxGroup into one transaction', async () => {
    const db = fakeDb();
    const g = createGroupCommit<string[]>({
      runTransaction: db.runTransaction,
      maxGroup: 3,
      concurrency: 1,
    });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => g.submit(async (tx) => void tx.push(String(i)))),
    );
    expect(Math.max(...db.committed.map((t) => t.length))).toBeLessThanOrEqual(3);
    expect(db.committed.flat()).toHaveLength(10);
  });
});
