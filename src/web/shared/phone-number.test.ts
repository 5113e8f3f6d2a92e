import { describe, expect, it } from 'vitest';
import { formatJapanesePhone, normalizeJapanesePhone, toE164Japan } from './phone-number.js';

describe('normalizeJapanesePhone', () => {
  it('reads every way a Japanese mobile number is written as its domestic digits', () => {
    for (const s of [
      '09012345678',
      '090-1234-5678',
      '090 1234 5678',
      '(090)1234-5678',
      '+819012345678',
      '+81 90-1234-5678',
      '+81 (0)90-1234-5678',
      '819012345678',
      '０９０－１２３４－５６７８', // full-width, as typed with a Japanese IME
      '＋８１９０１２３４５６７８',
      '  +81-90-1234-5678 ',
    ]) {
      expect(normalizeJapanesePhone(s), s).toBe('09012345678');
    }
  });

  it('keeps fixed lines and toll-free numbers of 10 digits', () => {
    expect(normalizeJapanesePhone('0120-000-111')).toBe('0120000111');
    expect(normalizeJapanesePhone('+81120000111')).toBe('0120000111');
    expect(normalizeJapanesePhone('03-1234-5678')).toBe('0312345678');
    expect(normalizeJapanesePhone('+81 3 1234 5678')).toBe('0312345678');
  });

  it('gives null for what can match no registered phone', () => {
    for (const s of [
      '',
      'anonymous',
      'Anonymous',
      '+266696687', // Twilio's pseudo number for a withheld caller
      '+12349013030', // another country
      '9012345678', // no trunk 0
      '0012345678',
      '090123456', // too short
      '090123456789', // too long
      '090-1234-567８a',
      '+81',
      '090\n12345678', // a control character inside
    ]) {
      expect(normalizeJapanesePhone(s), JSON.stringify(s)).toBeNull();
    }
  });
});

describe('formatJapanesePhone and toE164Japan', () => {
  it('writes numbers as the bank shows them', () => {
    expect(formatJapanesePhone('09012345678')).toBe('090-1234-5678');
    expect(formatJapanesePhone('+818098765432')).toBe('080-9876-5432');
    expect(formatJapanesePhone('05012345678')).toBe('050-1234-5678');
    expect(formatJapanesePhone('0120000111')).toBe('0120-000-111');
    expect(formatJapanesePhone('0120-000-111')).toBe('0120-000-111');
    expect(formatJapanesePhone('08001234567')).toBe('0800-123-4567');
    expect(formatJapanesePhone('0312345678')).toBe('03-1234-5678');
    expect(formatJapanesePhone('0451234567')).toBe('045-123-4567');
    expect(formatJapanesePhone('not a number')).toBe('not a number');
  });

  it('gives the E.164 form a provider reports', () => {
    expect(toE164Japan('09012345678')).toBe('+819012345678');
    expect(toE164Japan('0120000111')).toBe('+81120000111');
  });
});
