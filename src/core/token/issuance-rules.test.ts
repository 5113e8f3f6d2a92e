import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInkanError, type ErrorCode } from '../errors.js';
import { DEFAULT_POLICY, type TenantPolicy } from '../tenant/policy.js';
import { jstDate } from '../time/jst.js';
import { decideIssuance, type DecideIssuanceOptions } from './issuance-rules.js';
import type { Token } from './token.js';
import { tokenFixture } from './token-fixture.test-support.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 23, 3, 0, 0); // 2026-11-23 12:00 JST

function token(over: Partial<Token> = {}): Token {
  return tokenFixture({ email: 'taro@example.jp', ...over });
}

type DecideOverrides = Partial<Omit<DecideIssuanceOptions, 'policy'>> & {
  policy?: Partial<TenantPolicy>;
};

function decide(over: DecideOverrides = {}) {
  const { policy, ...rest } = over;
  return decideIssuance({
    type: 'software',
    live: [],
    recentIssuances: 0,
    lastDeactivatedAt: null,
    replace: false,
    now: NOW,
    ...rest,
    policy: { ...DEFAULT_POLICY, ...policy },
  });
}

function refusal(fn: () => unknown): ErrorCode | 'none' {
  try {
    fn();
    return 'none';
  } catch (e) {
    if (isInkanError(e)) return e.code;
    throw e;
  }
}

describe('decideIssuance: SPEC.md issuance rules', () => {
  it('a first issuance ends nothing, replaces nothing, and expires after the tenant’s hours', () => {
    expect(decide()).toEqual({ end: [], replacesTokenId: null, expiresAt: NOW + 24 * HOUR });
    expect(decide({ policy: { issuanceExpiryHours: 48 } }).expiresAt).toBe(NOW + 48 * HOUR);
    expect(decide({ type: 'hardware' })).toEqual({
      end: [],
      replacesTokenId: null,
      expiresAt: NOW + 24 * HOUR,
    });
  });

  it('issuing while a token is unfinished replaces it (reissued)', () => {
    for (const state of ['issued', 'provisioned'] as const) {
      expect(decide({ live: [token({ id: 4, state })] }).end).toEqual([
        { tokenId: 4, reason: 'reissued' },
      ]);
    }
  });

  it('an unfinished token whose time ran out ends as expired (at expiresAt exactly)', () => {
    expect(decide({ live: [token({ id: 4, state: 'provisioned', expiresAt: NOW })] }).end).toEqual([
      { tokenId: 4, reason: 'expired' },
    ]);
    expect(decide({ live: [token({ id: 4, state: 'issued', expiresAt: NOW + 1 })] }).end).toEqual([
      { tokenId: 4, reason: 'reissued' },
    ]);
  });

  it('while a token is active: TOKEN_EXISTS, for either type', () => {
    expect(refusal(() => decide({ live: [token({ state: 'active' })] }))).toBe('TOKEN_EXISTS');
    expect(
      refusal(() =>
        decide({ type: 'hardware', live: [token({ state: 'active', type: 'hardware' })] }),
      ),
    ).toBe('TOKEN_EXISTS');
    expect(
      refusal(() =>
        decide({
          live: [token({ id: 1, state: 'active' }), token({ id: 2, state: 'provisioned' })],
        }),
      ),
    ).toBe('TOKEN_EXISTS');
  });

  it('機種変更: with replace the active token stays and is named; an unfinished one still ends', () => {
    expect(decide({ replace: true, live: [token({ id: 3, state: 'active' })] })).toEqual({
      end: [],
      replacesTokenId: 3,
      expiresAt: NOW + 24 * HOUR,
    });
    const both = decide({
      replace: true,
      live: [token({ id: 3, state: 'active' }), token({ id: 5, state: 'issued' })],
    });
    expect(both).toEqual({
      end: [{ tokenId: 5, reason: 'reissued' }],
      replacesTokenId: 3,
      expiresAt: NOW + 24 * HOUR,
    });
  });

  it('replace without an active token is an ordinary issuance', () => {
    expect(decide({ replace: true })).toEqual({
      end: [],
      replacesTokenId: null,
      expiresAt: NOW + 24 * HOUR,
    });
  });

  it('an active token is never ended by an issuance', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.constantFrom('issued', 'provisioned'),
        fc.integer({ min: -2 * DAY, max: 2 * DAY }),
        (hasActive, state, expiresIn) => {
          const live = [
            ...(hasActive ? [token({ id: 1, state: 'active' })] : []),
            token({ id: 2, state, expiresAt: NOW + expiresIn }),
          ];
          const d = decide({ replace: true, live });
          expect(d.end.map((e) => e.tokenId)).toEqual([2]);
          expect(d.replacesTokenId).toBe(hasActive ? 1 : null);
        },
      ),
    );
  });

  it('発行規制: the issuance after the tenant’s count in the period is ISSUANCE_LIMIT, with the limit', () => {
    expect(refusal(() => decide({ recentIssuances: 4 }))).toBe('none');
    expect(refusal(() => decide({ recentIssuances: 5 }))).toBe('ISSUANCE_LIMIT');
    expect(refusal(() => decide({ recentIssuances: 50 }))).toBe('ISSUANCE_LIMIT');
    expect(refusal(() => decide({ recentIssuances: 1, policy: { issuanceLimitCount: 1 } }))).toBe(
      'ISSUANCE_LIMIT',
    );
    try {
      decide({ recentIssuances: 3, policy: { issuanceLimitCount: 3, issuanceLimitDays: 7 } });
      expect.unreachable();
    } catch (e) {
      expect(isInkanError(e, 'ISSUANCE_LIMIT') && e.extra).toEqual({ limit: 3, periodDays: 7 });
    }
  });

  it('refusals come in order: TOKEN_EXISTS, then ISSUANCE_LIMIT, then REISSUE_NEXT_DAY', () => {
    const everything = {
      live: [token({ state: 'active' })],
      recentIssuances: 9,
      lastDeactivatedAt: NOW - 1,
      policy: { reissueNextDay: true },
    };
    expect(refusal(() => decide(everything))).toBe('TOKEN_EXISTS');
    expect(refusal(() => decide({ ...everything, replace: true }))).toBe('ISSUANCE_LIMIT');
    expect(refusal(() => decide({ ...everything, replace: true, recentIssuances: 0 }))).toBe(
      'REISSUE_NEXT_DAY',
    );
  });
});

describe('the next-day rule after 利用解除 (JST calendar days; midnight JST = 15:00 UTC)', () => {
  const at = (iso: string) => Date.parse(iso);
  const nextDay = (deactivated: string, now: string, reissueNextDay = true) =>
    refusal(() =>
      decide({ lastDeactivatedAt: at(deactivated), now: at(now), policy: { reissueNextDay } }),
    );

  it.each([
    // [deactivated (UTC), now (UTC), expected, why]
    [
      '2026-11-23T14:59:59.999Z',
      '2026-11-23T15:00:00.000Z',
      'none',
      '23:59:59.999 JST → 00:00 JST next day: a new day, 1 ms later',
    ],
    [
      '2026-11-23T15:00:00.000Z',
      '2026-11-24T14:59:59.999Z',
      'REISSUE_NEXT_DAY',
      '00:00 JST → 23:59:59.999 JST the same day',
    ],
    [
      '2026-11-23T00:00:00.000Z',
      '2026-11-23T14:59:59.999Z',
      'REISSUE_NEXT_DAY',
      '09:00 JST → 23:59 JST the same day',
    ],
    [
      '2026-11-23T00:00:00.000Z',
      '2026-11-23T15:00:00.000Z',
      'none',
      '09:00 JST → 00:00 JST next day',
    ],
    [
      '2026-11-23T14:00:00.000Z',
      '2026-11-23T16:00:00.000Z',
      'none',
      'same UTC date, but 23:00 JST → 01:00 JST next day',
    ],
    [
      '2026-11-22T16:00:00.000Z',
      '2026-11-23T10:00:00.000Z',
      'REISSUE_NEXT_DAY',
      'different UTC dates, but both 2026-11-23 in JST',
    ],
    [
      '2026-12-31T14:59:00.000Z',
      '2026-12-31T15:00:00.000Z',
      'none',
      '大晦日 23:59 JST → 元日 00:00 JST',
    ],
    [
      '2026-11-23T03:00:00.000Z',
      '2026-11-23T03:00:00.000Z',
      'REISSUE_NEXT_DAY',
      'the same instant',
    ],
  ] as const)('%s → %s: %s (%s)', (deactivated, now, expected, _why) => {
    expect(nextDay(deactivated, now)).toBe(expected);
  });

  it('does not apply when the tenant option is off, or after no deactivation', () => {
    expect(nextDay('2026-11-23T03:00:00.000Z', '2026-11-23T03:00:00.001Z', false)).toBe('none');
    expect(
      refusal(() => decide({ lastDeactivatedAt: null, policy: { reissueNextDay: true } })),
    ).toBe('none');
  });

  it('property: refused exactly when both instants fall on the same JST calendar day', () => {
    const JST = 9 * HOUR;
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }),
        fc.integer({ min: 0, max: 3 * DAY }),
        (deactivated, later) => {
          const now = deactivated + later;
          const sameDay = Math.floor((deactivated + JST) / DAY) === Math.floor((now + JST) / DAY);
          expect(jstDate(deactivated) === jstDate(now)).toBe(sameDay);
          expect(
            refusal(() =>
              decide({ lastDeactivatedAt: deactivated, now, policy: { reissueNextDay: true } }),
            ),
          ).toBe(sameDay ? 'REISSUE_NEXT_DAY' : 'none');
        },
      ),
    );
  });
});
