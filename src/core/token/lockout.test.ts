import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyFailure, applySuccess, type FailureCounts } from './lockout.js';

const FRESH: FailureCounts = { failCount: 0, locked: false };

function failures(k: number, threshold: number, from: FailureCounts = FRESH): FailureCounts {
  let c = from;
  for (let i = 0; i < k; i++) c = applyFailure(c, threshold);
  return c;
}

describe('閉塞: the lockout rule', () => {
  it('locks at the threshold exactly (default 5)', () => {
    expect(failures(4, 5)).toEqual({ failCount: 4, locked: false });
    expect(failures(5, 5)).toEqual({ failCount: 5, locked: true });
    expect(failures(6, 5)).toEqual({ failCount: 6, locked: true });
    expect(failures(1, 1)).toEqual({ failCount: 1, locked: true });
  });

  it('property: applying k failures from fresh locks iff k >= threshold, and counts k', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 250 }),
        (threshold, k) => {
          const c = failures(k, threshold);
          expect(c.failCount).toBe(k);
          expect(c.locked).toBe(k >= threshold);
        },
      ),
    );
  });

  it('property: once locked, more failures keep it locked and successes do not unlock or reset it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.boolean(), { maxLength: 40 }),
        (threshold, ops) => {
          let c = failures(threshold, threshold);
          for (const ok of ops) {
            const before = c;
            c = ok ? applySuccess(c) : applyFailure(c, threshold);
            expect(c.locked).toBe(true);
            if (ok) expect(c).toEqual(before);
          }
        },
      ),
    );
  });

  it('property: a success resets an unlocked count; the lock falls after threshold consecutive failures', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.boolean(), { maxLength: 60 }),
        (threshold, ops) => {
          let c = FRESH;
          let run = 0; // consecutive failures since the last success, the reference model
          let lockedRef = false;
          for (const ok of ops) {
            if (ok) {
              c = applySuccess(c);
              if (!lockedRef) run = 0;
            } else {
              c = applyFailure(c, threshold);
              run += 1;
              if (run >= threshold) lockedRef = true;
            }
            expect(c).toEqual({ failCount: run, locked: lockedRef });
          }
        },
      ),
    );
  });

  it('does not mutate its input', () => {
    const c = Object.freeze({ failCount: 2, locked: false });
    expect(applyFailure(c, 3)).toEqual({ failCount: 3, locked: true });
    expect(applySuccess(c)).toEqual(FRESH);
    expect(c).toEqual({ failCount: 2, locked: false });
  });
});
