import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS, SnapshotLocalStore } from './rate-limits.js';

type Count = { current: number; ttl: number };
function incr(store: SnapshotLocalStore, key: string): Count {
  let out: Count | undefined;
  store.incr(
    key,
    (err, res) => {
      if (err !== null || res === undefined) throw err ?? new Error('no count');
      out = res;
    },
    60_000,
    30,
  );
  if (out === undefined) throw new Error('the count came back late');
  return out;
}

describe('SnapshotLocalStore', () => {
  it('answers each increment with the count it made, not a shared entry that later calls change', () => {
    const store = new SnapshotLocalStore({});
    const first = incr(store, 'k');
    const second = incr(store, 'k');
    expect(first.current).toBe(1);
    expect(second.current).toBe(2);
    expect(first).not.toBe(second);
  });

  it('keeps counting per key', () => {
    const store = new SnapshotLocalStore({});
    for (let i = 0; i < 5; i++) incr(store, 'a');
    expect(incr(store, 'b').current).toBe(1);
    expect(incr(store, 'a').current).toBe(6);
  });

  it('a limiter made by child() counts on its own', () => {
    const parent = new SnapshotLocalStore({});
    const child = parent.child({});
    incr(parent, 'k');
    expect(incr(child, 'k').current).toBe(1);
  });

  it("keeps a guessed customer's count through one address's whole minute of other refs", () => {
    // Pushing the counter out would reset it: the guesser sends its allowance of requests for
    // other refs between rounds of guesses.
    const store = new SnapshotLocalStore({});
    for (let i = 0; i < 30; i++) incr(store, 'otp-customer:victim');
    for (let i = 0; i < DEFAULT_RATE_LIMITS.otpPerAddress; i++) incr(store, `otp-customer:o-${i}`);
    expect(incr(store, 'otp-customer:victim').current).toBe(31);
  });

  it('drops the least recently counted key once full', () => {
    const store = new SnapshotLocalStore({ cache: 3 });
    incr(store, 'old');
    for (const k of ['x', 'y', 'z']) incr(store, k);
    expect(incr(store, 'old').current).toBe(1);
  });
});
