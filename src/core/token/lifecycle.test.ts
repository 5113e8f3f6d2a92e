import { describe, expect, it } from 'vitest';
import { isInkanError } from '../errors.js';
import { canTransition, nextState, type LifecycleEvent } from './lifecycle.js';
import type { EndReason, TokenState, TokenType } from './token.js';

const TYPES: readonly TokenType[] = ['software', 'hardware'];
const STATES: readonly TokenState[] = ['issued', 'provisioned', 'active', 'ended'];
const REASONS: readonly EndReason[] = [
  'deactivated',
  'staff_deactivated',
  'expired',
  'void',
  'reissued',
  'replaced',
];
const EVENTS: readonly LifecycleEvent[] = [
  { type: 'provision' },
  { type: 'activate' },
  ...REASONS.map((reason) => ({ type: 'end' as const, reason })),
];

/**
 * SPEC.md's lifecycle diagram as a table: software issued → provisioned (アプリ初期設定) →
 * active (利用開始); hardware issued (郵送) → active (serial + OTP); every live state can end;
 * an ended token never moves again. Anything not listed is refused.
 */
const ALLOWED: Readonly<Record<string, TokenState>> = {
  'software/issued/provision': 'provisioned',
  'software/provisioned/activate': 'active',
  'hardware/issued/activate': 'active',
  ...Object.fromEntries(
    TYPES.flatMap((t) =>
      (['issued', 'provisioned', 'active'] as const).map((s) => [`${t}/${s}/end`, 'ended']),
    ),
  ),
};

const cases = TYPES.flatMap((type) =>
  STATES.flatMap((state) => EVENTS.map((event) => ({ type, state, event }))),
);

describe('nextState: every transition of the diagram, and every one it does not have', () => {
  it('covers every (type, state, event) combination', () => {
    expect(cases).toHaveLength(2 * 4 * (2 + REASONS.length));
  });

  it.each(
    cases.map(
      (c) =>
        [
          `${c.type} ${c.state} --${c.event.type}${c.event.type === 'end' ? `(${c.event.reason})` : ''}-->`,
          c,
        ] as const,
    ),
  )('%s', (_name, c) => {
    const expected = ALLOWED[`${c.type}/${c.state}/${c.event.type}`];
    if (expected === undefined) {
      let thrown: unknown;
      try {
        nextState(c.type, c.state, c.event);
      } catch (e) {
        thrown = e;
      }
      expect(isInkanError(thrown, 'TOKEN_NOT_ACTIVATABLE')).toBe(true);
      expect(canTransition({ type: c.type, state: c.state }, c.event)).toBe(false);
    } else {
      expect(nextState(c.type, c.state, c.event)).toBe(expected);
      expect(canTransition({ type: c.type, state: c.state }, c.event)).toBe(true);
    }
  });

  it('names the refused move in the error', () => {
    try {
      nextState('software', 'issued', { type: 'activate' });
      expect.unreachable();
    } catch (e) {
      expect(isInkanError(e, 'TOKEN_NOT_ACTIVATABLE') && e.extra).toEqual({
        from: 'issued',
        event: 'activate',
      });
    }
  });

  it('a software token reaches active only through provisioned; a hardware token never provisions', () => {
    let s: TokenState = 'issued';
    s = nextState('software', s, { type: 'provision' });
    s = nextState('software', s, { type: 'activate' });
    expect(s).toBe('active');
    expect(canTransition({ type: 'hardware', state: 'issued' }, { type: 'provision' })).toBe(false);
    expect(canTransition({ type: 'software', state: 'active' }, { type: 'activate' })).toBe(false);
  });

  it('an ended token never comes back (guide 001: a deactivated hardware token is never activated again)', () => {
    for (const type of TYPES)
      for (const event of EVENTS)
        expect(canTransition({ type, state: 'ended' }, event)).toBe(false);
  });
});
