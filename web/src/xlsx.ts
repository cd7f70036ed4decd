import { strFromU8, unzipSync } from 'fflate';

/**
 * The first worksheet of an Excel workbook (.xlsx) as CSV text, for the same check as a CSV file: the
 * workbook is unzipped with fflate and its XML read with the browser's own parser. Text cells (shared or
 * inline), numbers (a ticket typed as a number stays its digits) and formulas' cached values are read; an
 * empty cell is an empty field. Throws when the file is not a workbook this can read.
 */
export function xlsxToCsv(bytes: Uint8Array): string {
  const files = unzipSync(bytes, {
    filter: (f) =>
      f.name === 'xl/workbook.xml' ||
      f.name === 'xl/_rels/workbook.xml.rels' ||
      f.name === 'xl/sharedStrings.xml' ||
      f.name.startsWith('xl/worksheets/'),
  });
  const parser = new DOMParser();
  const xml = (name: string) => {
    const file = files[name];
    return file ? parser.parseFromString(strFromU8(file), 'application/xml') : undefined;
  };
  const workbook = xml('xl/workbook.xml');
  const rels = xml('xl/_rels/workbook.xml.rels');
  if (!workbook || !rels) throw new Error('not an Excel workbook');
  // The first sheet in the workbook's order, through its relationship to its file.
  const firstId = workbook.getElementsByTagName('sheet')[0]?.getAttribute('r:id');
  const target = [...rels.getElementsByTagName('Relationship')]
    .find((r) => r.getAttribute('Id') === firstId)
    ?.getAttribute('Target');
  const sheet = target ? xml(`xl/${target.replace(/^\/?xl\//, '')}`) : undefined;
  if (!sheet) throw new Error('the workbook has no worksheet');
  const text = (node: Element) =>
    [...node.getElementsByTagName('t')].map((t) => t.textContent ?? '').join('');
  const shared = [...(xml('xl/sharedStrings.xml')?.getElementsByTagName('si') ?? [])].map(text);
  const columnOf = (ref: string) =>
    [...(ref.match(/^[A-Z]+/)?.[0] ?? 'A')].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  const rows: string[][] = [];
  for (const row of sheet.getElementsByTagName('row')) {
    const index = Number(row.getAttribute('r')) - 1;
    const cells: string[] = [];
    for (const cell of row.getElementsByTagName('c')) {
      const type = cell.getAttribute('t');
      const value = cell.getElementsByTagName('v')[0]?.textContent ?? '';
      cells[columnOf(cell.getAttribute('r') ?? '')] =
        type === 's' ? (shared[Number(value)] ?? '') : type === 'inlineStr' ? text(cell) : value;
    }
    rows[Number.isInteger(index) && index >= 0 ? index : rows.length] = Array.from(cells, (c) => c ?? '');
  }
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `${Array.from(rows, (r) => (r ?? []).map(quote).join(',')).join('\n')}\n`;
}
