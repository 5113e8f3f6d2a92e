/**
 * Dynamic linking (SPEC.md, "Transaction authentication"): a response computed for one
 * transaction must not verify for a transaction that differs in any field the customer sees.
 * The attack: a phishing page relays the customer's 承認 of a transfer it changed (another payee
 * account or name, a larger amount). Here a property test changes one field at a time.
 *
 * An 8-digit response matches a different question by chance with probability 10^-8 per case;
 * over the runs below that is far below one failure in a million test runs.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNodeHmac } from '../../crypto/node-hmac.js';
import { constantTimeEqual } from './constant-time-equal.js';
import { generateOcra } from './ocra.js';
import {
  encodeTransaction,
  normalizeTransactionDetails,
  offlineTransactionQuestion,
  offlineTransactionSuite,
  onlineTransactionQuestion,
  onlineTransactionSuite,
  type TransactionDetails,
} from './transaction-challenge.js';

const key = new Uint8Array(20).map((_, i) => (i * 37 + 11) & 0xff);
const hmac = createNodeHmac(key, 'SHA1');
const suite = onlineTransactionSuite('SHA1');

const question = (id: string, t: TransactionDetails): string =>
  onlineTransactionQuestion(createHash('sha256').update(encodeTransaction(id, t)).digest());
const respond = (id: string, t: TransactionDetails): string =>
  generateOcra({ suite, hmac, question: question(id, t) });
/** The platform's check: recompute for the transaction it holds and compare in constant time. */
const verifies = (id: string, held: TransactionDetails, response: string): boolean =>
  constantTimeEqual(respond(id, held), response);

const text = fc
  .string({
    minLength: 1,
    maxLength: 20,
    unit: fc.constantFrom(...'アイウエオカキクケコ銀行支店ABC123 '),
  })
  .filter((s) => s.trim().length > 0);
const transaction = fc.record({
  payeeBank: text,
  payeeBranch: text,
  payeeAccount: fc.stringMatching(/^[0-9]{7}$/),
  payeeName: text,
  amount: fc.integer({ min: 1, max: 99_999_999 }),
  currency: fc.constant('JPY'),
});
const id = fc.stringMatching(/^[A-Za-z0-9_-]{22}$/);

describe('online challenge (QH64)', () => {
  it('the response verifies for the transaction it was made for', () => {
    fc.assert(
      fc.property(id, transaction, (i, t) => {
        expect(verifies(i, t, respond(i, t))).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  const changes: [keyof TransactionDetails, fc.Arbitrary<string | number>][] = [
    ['payeeAccount', fc.stringMatching(/^[0-9]{7}$/)],
    ['payeeName', text],
    ['payeeBank', text],
    ['payeeBranch', text],
    ['amount', fc.integer({ min: 1, max: 99_999_999 })],
  ];
  it.each(changes)('changing %s changes the challenge and the response fails', (field, value) => {
    fc.assert(
      fc.property(id, transaction, value, (i, t, v) => {
        const changed = { ...t, [field]: v } as TransactionDetails;
        fc.pre(
          JSON.stringify(normalizeTransactionDetails(changed)) !==
            JSON.stringify(normalizeTransactionDetails(t)),
        );
        expect(question(i, changed)).not.toBe(question(i, t));
        // The relay: the customer approved `t`; the attacker submits that response for `changed`.
        expect(verifies(i, changed, respond(i, t))).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('the same transfer under another transaction ID does not verify (single transaction)', () => {
    fc.assert(
      fc.property(id, id, transaction, (a, b, t) => {
        fc.pre(a !== b);
        expect(verifies(b, t, respond(a, t))).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('the canonical form is the documented one', () => {
    const bytes = encodeTransaction('abc', {
      payeeBank: ' ｲﾝｶﾝ銀行 ',
      payeeBranch: '本店',
      payeeAccount: '１２３４５６７',
      payeeName: 'ﾔﾏﾀﾞ ﾀﾛｳ',
      amount: 10000,
      currency: 'JPY',
    });
    expect(new TextDecoder().decode(bytes)).toBe(
      'inkan/transaction/v1\nid=abc\nbank=インカン銀行\nbranch=本店\naccount=1234567\n' +
        'name=ヤマダ タロウ\namount=10000\ncurrency=JPY',
    );
  });

  it('refuses fields that could blur the lines', () => {
    const t: TransactionDetails = {
      payeeBank: 'A',
      payeeBranch: 'B',
      payeeAccount: '1234567',
      payeeName: 'C',
      amount: 1,
      currency: 'JPY',
    };
    expect(() => encodeTransaction('x', { ...t, payeeName: 'C\namount=2' })).toThrow(RangeError);
    expect(() => encodeTransaction('x', { ...t, payeeAccount: '123456' })).toThrow(RangeError);
    expect(() => encodeTransaction('x', { ...t, amount: 0 })).toThrow(RangeError);
    expect(() => encodeTransaction('x', { ...t, amount: 1.5 })).toThrow(RangeError);
    expect(() => encodeTransaction('x', { ...t, currency: 'jpy' })).toThrow(RangeError);
    expect(() => encodeTransaction('a/b', t)).toThrow(RangeError);
  });
});

describe('offline challenge (QN19-T1M)', () => {
  const offline = offlineTransactionSuite('SHA1');
  const code = (account: string, amount: number, now: number): string =>
    generateOcra({
      suite: offline,
      hmac,
      question: offlineTransactionQuestion(account, amount),
      now,
    });

  it('the question is the amount in 12 digits, then the account number', () => {
    expect(offlineTransactionQuestion('0012345', 10000)).toBe('0000000100000012345');
  });

  it('changing the account number or the amount changes the question and the code', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{7}$/),
        fc.stringMatching(/^[0-9]{7}$/),
        fc.integer({ min: 1, max: 99_999_999 }),
        fc.integer({ min: 1, max: 99_999_999 }),
        (a1, a2, m1, m2) => {
          fc.pre(a1 !== a2 || m1 !== m2);
          const now = 1_800_000_000_000;
          expect(offlineTransactionQuestion(a1, m1)).not.toBe(offlineTransactionQuestion(a2, m2));
          expect(code(a2, m2, now)).not.toBe(code(a1, m1, now));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the code changes with the minute (T1M)', () => {
    const t = 1_800_000_000_000 - (1_800_000_000_000 % 60_000);
    expect(code('1234567', 5000, t)).toBe(code('1234567', 5000, t + 59_999));
    expect(code('1234567', 5000, t)).not.toBe(code('1234567', 5000, t + 60_000));
  });
});
