import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv.js';

/** A minimal RFC 4180 reader, to read back what toCsv wrote. */
function parse(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('CSV for Excel', () => {
  it('starts with the UTF-8 BOM and ends every line with CRLF', () => {
    const csv = toCsv([
      ['日時', '操作'],
      ['2026/12/03 09:00:00', '閉塞解除'],
    ]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toBe('\uFEFF"日時","操作"\r\n"2026/12/03 09:00:00","閉塞解除"\r\n');
  });

  it('quotes commas, quotes and line breaks so they read back whole', () => {
    const tricky = ['a,b', 'say "hi"', 'two\nlines', 'cr\r\nlf', '', 'プレーン'];
    expect(parse(toCsv([tricky]).slice(1))).toEqual([tricky]);
  });

  it('guards formula injection with a leading apostrophe', () => {
    for (const bad of ['=HYPERLINK("http://x")', '+1+2', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])
      expect(csvCell(bad).startsWith(`"'`)).toBe(true);
    expect(csvCell('=1+1')).toBe(`"'=1+1"`);
    expect(csvCell('1=1')).toBe('"1=1"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(42)).toBe('"42"');
  });
});
