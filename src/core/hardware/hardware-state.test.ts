import { describe, expect, it } from 'vitest';
import { hardwareLifeState, mayReissueHardware } from './hardware-state.js';

const base = {
  stockState: 'stock',
  tokenState: null,
  endReason: null,
  pastValidity: false,
} as const;

describe('hardwareLifeState (guide 001)', () => {
  it('follows the item while its token lives', () => {
    expect(hardwareLifeState(base)).toBe('stock');
    expect(hardwareLifeState({ ...base, stockState: 'shipped', tokenState: 'issued' })).toBe(
      'shipped',
    );
    expect(hardwareLifeState({ ...base, stockState: 'active', tokenState: 'active' })).toBe(
      'active',
    );
  });
  it('an ended token makes its item 解除済 for good, or 期限切れ when the issuance ran out', () => {
    expect(
      hardwareLifeState({
        ...base,
        stockState: 'active',
        tokenState: 'ended',
        endReason: 'deactivated',
      }),
    ).toBe('ended');
    expect(
      hardwareLifeState({
        ...base,
        stockState: 'shipped',
        tokenState: 'ended',
        endReason: 'expired',
      }),
    ).toBe('expired');
    expect(hardwareLifeState({ ...base, stockState: 'ended' })).toBe('ended');
  });
  it("past the vendor's validity is 期限切れ", () => {
    expect(hardwareLifeState({ ...base, pastValidity: true })).toBe('expired');
    expect(
      hardwareLifeState({
        ...base,
        stockState: 'active',
        tokenState: 'active',
        pastValidity: true,
      }),
    ).toBe('expired');
  });
});

describe('mayReissueHardware (SPEC.md: from 90 days before expiry)', () => {
  const DAY = 86_400_000;
  it('opens exactly 90 days before valid_until, never without one', () => {
    expect(mayReissueHardware(100 * DAY, 10 * DAY - 1)).toBe(false);
    expect(mayReissueHardware(100 * DAY, 10 * DAY)).toBe(true);
    expect(mayReissueHardware(100 * DAY, 101 * DAY)).toBe(true);
    expect(mayReissueHardware(null, 0)).toBe(false);
  });
});
