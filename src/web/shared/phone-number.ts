/**
 * Japanese telephone numbers as the bank keeps them (お届出電話番号: digits only, domestic form)
 * and as a telephony provider reports them (E.164: +81 then the number without its trunk 0).
 */

/**
 * The domestic digits of a Japanese number, or null when it is not one. `+81 90-1234-5678`,
 * `+81 (0)90-1234-5678`, `819012345678`, `090-1234-5678` and full-width `０９０１２３４５６７８` all
 * give `09012345678`. A number of another country, a withheld caller (Twilio sends `anonymous`
 * or a short pseudo number) or anything with letters gives null, so it can match no customer.
 */
export function normalizeJapanesePhone(input: string): string | null {
  const s = input.normalize('NFKC').trim();
  if (!/^\+?[0-9 ()\-.]+$/.test(s)) return null;
  let digits = s.replace(/[^0-9]/g, '');
  if (s.startsWith('+') || digits.startsWith('81')) {
    // A domestic number starts with its trunk 0; +81 replaces it (ITU-T E.164). A (0) kept after
    // the country code, as Japanese business cards write it, is dropped too.
    if (!digits.startsWith('81')) return null;
    const national = digits.slice(2);
    digits = '0' + (national.startsWith('0') ? national.slice(1) : national);
  }
  // Domestic numbers: 0 and 9 digits (fixed lines, 0120) or 0 and 10 digits (mobiles, 050, 0800).
  return /^0[1-9][0-9]{8,9}$/.test(digits) ? digits : null;
}

/** The E.164 form of a domestic number (`09012345678` → `+819012345678`), as providers send it. */
export function toE164Japan(digits: string): string {
  return `+81${digits.replace(/^0/, '')}`;
}

/**
 * A number written as the bank shows it: 090-1234-5678, 0120-000-111, 03-1234-5678. Fixed-line
 * numbers with a three-digit area code are written 3-3-4; those with longer area codes (a few
 * rural ones) would need the numbering plan's table and are written 3-3-4 too. Anything that is
 * not a domestic number is returned as given.
 */
export function formatJapanesePhone(number: string): string {
  const d = normalizeJapanesePhone(number);
  if (d === null) return number;
  const split = (...sizes: number[]) => {
    const parts: string[] = [];
    let at = 0;
    for (const n of sizes) {
      parts.push(d.slice(at, at + n));
      at += n;
    }
    return parts.join('-');
  };
  // 11 digits: mobiles (070/080/090), IP phones (050) and 0800 (フリーアクセス).
  if (d.length === 11) return d.startsWith('0800') ? split(4, 3, 4) : split(3, 4, 4);
  if (/^0(120|570|990)/.test(d)) return split(4, 3, 3); // フリーダイヤル, ナビダイヤル
  if (/^0[36]/.test(d)) return split(2, 4, 4); // 東京 03, 大阪 06
  return split(3, 3, 4);
}
