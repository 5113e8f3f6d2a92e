import { describe, expect, it } from 'vitest';
import { InkanError, isInkanError, type FieldError } from '../errors.js';
import {
  DEFAULT_POLICY,
  parsePolicy,
  requiresTransactionAuth,
  type TenantPolicy,
} from './policy.js';

/** The fields a refusal names. */
function refusedFields(input: unknown, base?: TenantPolicy): string[] {
  try {
    parsePolicy(input, base);
  } catch (e) {
    if (isInkanError(e, 'VALIDATION_FAILED'))
      return (e.extra['errors'] as FieldError[]).map((x) => x.field);
    throw e;
  }
  return [];
}

const INT_LIMITS = {
  digits: [6, 10],
  period: [10, 300],
  window: [0, 10],
  lockoutThreshold: [1, 100],
  issuanceExpiryHours: [1, 720],
  issuanceLimitCount: [1, 1000],
  issuanceLimitDays: [1, 365],
  activationPasswordAttempts: [1, 100],
  tokenValidityDays: [1, 3660],
} as const;

describe('DEFAULT_POLICY: SPEC.md defaults', () => {
  it('is SHA1, 8 digits, 60 s, ±1, lock at 5, 24 h, 5 in 30 days, 5 passwords, no next-day rule', () => {
    expect(DEFAULT_POLICY).toEqual({
      algorithm: 'SHA1',
      digits: 8,
      period: 60,
      window: 1,
      lockoutThreshold: 5,
      issuanceExpiryHours: 24,
      issuanceLimitCount: 5,
      issuanceLimitDays: 30,
      activationPasswordAttempts: 5,
      reissueNextDay: false,
      tokenValidityDays: 1826,
      loginUrl: null,
      issueMailOtp: false,
      issueSecurityQuestion: false,
      issuePhoneCheck: false,
      selfServiceReplace: false,
      transactionAuth: 'off',
      transactionAuthAmount: 100_000,
      transactionTtlSeconds: 300,
    });
    expect(Object.isFrozen(DEFAULT_POLICY)).toBe(true);
  });
});

describe('parsePolicy', () => {
  it('an empty object gives the defaults, frozen', () => {
    const p = parsePolicy({});
    expect(p).toEqual(DEFAULT_POLICY);
    expect(Object.isFrozen(p)).toBe(true);
  });

  it('merges over the defaults, or over a given base', () => {
    expect(parsePolicy({ digits: 6, algorithm: 'SHA256', reissueNextDay: true })).toEqual({
      ...DEFAULT_POLICY,
      digits: 6,
      algorithm: 'SHA256',
      reissueNextDay: true,
    });
    const base = parsePolicy({ lockoutThreshold: 3 });
    expect(parsePolicy({ window: 2 }, base)).toEqual({
      ...DEFAULT_POLICY,
      lockoutThreshold: 3,
      window: 2,
    });
  });

  it('accepts every algorithm of SPEC.md', () => {
    for (const algorithm of ['SHA1', 'SHA256', 'SHA512'])
      expect(parsePolicy({ algorithm }).algorithm).toBe(algorithm);
  });

  it.each(Object.entries(INT_LIMITS))(
    'accepts %s at both ends of its range',
    (field, [min, max]) => {
      expect(parsePolicy({ [field]: min })[field as keyof TenantPolicy]).toBe(min);
      expect(parsePolicy({ [field]: max })[field as keyof TenantPolicy]).toBe(max);
    },
  );

  const bad: [string, unknown][] = [
    ['algorithm', 'MD5'],
    ['algorithm', 'sha1'],
    ['algorithm', 1],
    ['algorithm', null],
    ['reissueNextDay', 'yes'],
    ['reissueNextDay', 1],
    ['reissueNextDay', null],
    ...Object.entries(INT_LIMITS).flatMap(([field, [min, max]]): [string, unknown][] => [
      [field, min - 1],
      [field, max + 1],
      [field, min + 0.5],
      [field, String(min)],
      [field, null],
      [field, Number.NaN],
      [field, Number.POSITIVE_INFINITY],
      [field, true],
    ]),
    ['unknownSetting', 1],
    ['__proto__x', 1],
    ['Digits', 8],
  ];

  it.each(
    bad.map(
      ([field, value]) => [field, JSON.stringify(value) ?? String(value), field, value] as const,
    ),
  )('refuses %s = %s, naming the field', (_f, _v, field, value) => {
    expect(refusedFields({ [field]: value })).toEqual([field]);
  });

  // Keys inherited from Object.prototype are not settings either: a lookup with `in` finds them
  // on the prototype and must not treat them as rules (or crash on them).
  it.each(['toString', 'constructor', 'hasOwnProperty', 'valueOf', '__proto__'])(
    'refuses the inherited name %s as a setting',
    (field) => {
      const input = JSON.parse(`{"${field}": 6}`) as unknown;
      expect(refusedFields(input)).toEqual([field]);
    },
  );

  it('names every bad field at once, and nothing else', () => {
    expect(
      refusedFields({ digits: 5, period: 60, window: -1, algorithm: 'MD5', extra: true }).sort(),
    ).toEqual(['algorithm', 'digits', 'extra', 'window']);
  });

  it.each([
    ['null', null],
    ['an array', [{ digits: 6 }]],
    ['a string', '{"digits":6}'],
    ['a number', 6],
    ['undefined', undefined],
  ])('refuses %s as a whole (field "policy")', (_name, input) => {
    expect(refusedFields(input)).toEqual(['policy']);
  });

  it('loginUrl: an http(s) page of the bank, or null; never a script URL or a fragment', () => {
    expect(parsePolicy({ loginUrl: 'https://ib.example.jp/login' }).loginUrl).toBe(
      'https://ib.example.jp/login',
    );
    expect(parsePolicy({ loginUrl: 'http://127.0.0.1:3000/ib/login' }).loginUrl).toBe(
      'http://127.0.0.1:3000/ib/login',
    );
    expect(parsePolicy({ loginUrl: null }).loginUrl).toBeNull();
    for (const bad of [
      'javascript:alert(1)',
      'data:text/html,<p>',
      'https://ib.example.jp/login#x',
      'ftp://ib.example.jp/',
      'https://',
      'https://a b.jp/',
      `https://ib.example.jp/${'x'.repeat(200)}`,
      42,
      '',
    ]) {
      expect(() => parsePolicy({ loginUrl: bad }), String(bad)).toThrow(InkanError);
    }
  });

  it('a refusal leaves the base untouched', () => {
    const base = parsePolicy({ digits: 7 });
    expect(refusedFields({ digits: 99 }, base)).toEqual(['digits']);
    expect(base.digits).toBe(7);
  });
});

describe('取引認証 policy (SPEC.md, "Transaction authentication")', () => {
  it('validates the mode, the amount and the time to live', () => {
    expect(
      parsePolicy({
        transactionAuth: 'above_amount',
        transactionAuthAmount: 50_000,
        transactionTtlSeconds: 120,
      }),
    ).toMatchObject({
      transactionAuth: 'above_amount',
      transactionAuthAmount: 50_000,
      transactionTtlSeconds: 120,
    });
    for (const bad of [
      { transactionAuth: 'sometimes' },
      { transactionAuth: true },
      { transactionAuthAmount: 0 },
      { transactionAuthAmount: 1.5 },
      { transactionTtlSeconds: 29 },
      { transactionTtlSeconds: 3601 },
    ]) {
      expect(() => parsePolicy(bad)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      );
    }
  });

  it.each([
    ['off', 1_000_000, false, false],
    ['always', 1, true, true],
    ['above_amount', 100_000, false, false],
    ['above_amount', 100_001, true, true],
    ['new_payee', 1, true, false],
    ['new_payee', 1, false, true],
  ] as const)('%s, %d yen, known payee %s → required %s', (mode, amount, knownPayee, required) => {
    expect(
      requiresTransactionAuth(
        { transactionAuth: mode, transactionAuthAmount: 100_000 },
        { amount, knownPayee },
      ),
    ).toBe(required);
  });
});
