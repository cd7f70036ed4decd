/** CSV as spreadsheets write it (RFC 4180): comma-separated, fields with commas, quotes or line breaks quoted. */

import { FORMULA_START } from './text';

export const BOM = '\uFEFF';

const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/**
 * A cell a spreadsheet will not run: one that begins like a formula gets a leading apostrophe (OWASP's
 * CSV-injection guidance), except a phone number in E.164, which keeps its "+".
 */
export const spreadsheetSafe = (value: string) =>
  FORMULA_START.test(value) && !/^\+\d{7,15}$/.test(value) ? `'${value}` : value;

/**
 * Rows to CSV text, UTF-8 with a byte-order mark so spreadsheet programs read the accents right, and every
 * cell safe to open in one.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (r: readonly string[]) => r.map((v) => quote(spreadsheetSafe(v))).join(',');
  return `${BOM}${[header, ...rows].map(line).join('\r\n')}\r\n`;
}

export type CsvRecord =
  | { readonly line: number; readonly fields: readonly string[] }
  | { readonly line: number; readonly error: string };

/**
 * The delimiter of a file's header line: a semicolon when it has semicolons and no commas (what spreadsheets
 * write in Spanish and other locales with a decimal comma), a comma otherwise.
 */
export function delimiterOf(text: string): ',' | ';' {
  const header = (text.startsWith(BOM) ? text.slice(1) : text).split(/\r\n|\n|\r/, 1)[0] ?? '';
  return header.includes(';') && !header.includes(',') ? ';' : ',';
}

/**
 * Parses CSV text into records, each with the line it starts on. A record with broken quoting (a quote in
 * the middle of an unquoted field, text after a closing quote, a quote never closed) is reported as an error
 * with its line, and reading goes on at the next line: one bad row never hides the others.
 */
export function parseCsv(text: string, delimiter: ',' | ';' = ','): CsvRecord[] {
  const source = text.startsWith(BOM) ? text.slice(1) : text;
  const lines = source.split(/\r\n|\n|\r/);
  if (lines.at(-1) === '') lines.pop();
  const out: CsvRecord[] = [];
  let i = 0;
  while (i < lines.length) {
    const start = i;
    const parsed = parseRecord(lines, i, delimiter);
    if ('error' in parsed) {
      out.push({ line: start + 1, error: parsed.error });
      i = start + 1;
    } else {
      if (!(parsed.fields.length === 1 && parsed.fields[0] === ''))
        out.push({ line: start + 1, fields: parsed.fields });
      i = parsed.next;
    }
  }
  return out;
}

function parseRecord(
  lines: readonly string[],
  first: number,
  delimiter: ',' | ';',
): { fields: string[]; next: number } | { error: string } {
  const fields: string[] = [];
  let lineIndex = first;
  let line = lines[lineIndex]!;
  let pos = 0;
  for (;;) {
    if (line[pos] === '"') {
      // A quoted field, possibly over several lines.
      let value = '';
      pos++;
      for (;;) {
        const close = line.indexOf('"', pos);
        if (close === -1) {
          value += `${line.slice(pos)}\n`;
          lineIndex++;
          if (lineIndex >= lines.length || lineIndex - first > 50)
            return { error: 'a quoted field is never closed' };
          line = lines[lineIndex]!;
          pos = 0;
          continue;
        }
        value += line.slice(pos, close);
        if (line[close + 1] === '"') {
          value += '"';
          pos = close + 2;
          continue;
        }
        pos = close + 1;
        break;
      }
      fields.push(value);
      if (pos === line.length) return { fields, next: lineIndex + 1 };
      if (line[pos] !== delimiter) return { error: 'text after a closing quote' };
      pos++;
    } else {
      const comma = line.indexOf(delimiter, pos);
      const value = comma === -1 ? line.slice(pos) : line.slice(pos, comma);
      if (value.includes('"')) return { error: 'a quote inside an unquoted field' };
      fields.push(value);
      if (comma === -1) return { fields, next: lineIndex + 1 };
      pos = comma + 1;
    }
  }
}
