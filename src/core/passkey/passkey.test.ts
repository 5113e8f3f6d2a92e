import { describe, expect, it } from 'vitest';
import { signCountAdvances } from './passkey.js';

describe('signCountAdvances (WebAuthn §6.1.1, §7.2 step 21)', () => {
  it('accepts a greater count', () => {
    expect(signCountAdvances(0, 1)).toBe(true);
    expect(signCountAdvances(41, 42)).toBe(true);
    expect(signCountAdvances(5, 2 ** 32 - 1)).toBe(true);
  });
  it('refuses an equal or smaller count once either is non-zero (a possibly cloned authenticator)', () => {
    expect(signCountAdvances(5, 5)).toBe(false);
    expect(signCountAdvances(5, 4)).toBe(false);
    expect(signCountAdvances(5, 0)).toBe(false);
  });
  it('accepts an authenticator that keeps no counter (both zero)', () => {
    expect(signCountAdvances(0, 0)).toBe(true);
  });
});
