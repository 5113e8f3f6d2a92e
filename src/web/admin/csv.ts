/**
 * CSV for Excel (RFC 4180): UTF-8 with a byte-order mark (so Excel reads the Japanese right),
 * CRLF line ends, every field quoted with inner quotes doubled, and formula injection guarded
 * (OWASP "CSV Injection": a cell starting with = + - @, a tab or a carriage return gets a
 * leading apostrophe, so a spreadsheet shows it as text and never runs it).
 */

const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: guarded, quoted. */
export function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** A whole document: the BOM, then one CRLF-ended line per row. */
export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return BOM + rows.map((r) => r.map(csvCell).join(',') + '\r\n').join('');
}
