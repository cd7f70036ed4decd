import type { ExportRow, ImportRowReport } from '../../shared/domain/backoffice';
import { BACKOFFICE_TEXT } from './backoffice-i18n';
import { $, fillList, h } from './dom';
import { fill } from './i18n';
import { officePage } from './office-page';
import { xlsxToCsv } from './xlsx';

interface ApiError {
  readonly code?: string;
  readonly message?: string;
  readonly field?: string;
}
interface HistoryItem {
  fileId: string;
  name: string;
  at: string;
  actor: { id: string };
  parts: number;
  partsDone: number;
  applied: number;
  unchanged: number;
  rejected: number;
}
/** One part of the file as it is sent: its text (with the header), and where its rows are in the file. */
interface Part {
  readonly text: string;
  /** The file's line of the part's first row (its header is line 1 of the part). */
  readonly firstLine: number;
}
interface Checked {
  readonly name: string;
  readonly fileId: string;
  readonly parts: readonly Part[];
  /** Each part's report, by the part's own line numbers. */
  readonly reports: (readonly ImportRowReport[])[];
}

/** Rows per request: what one call to the API may import (its time limit), and what the page shows progress by. */
const PART_ROWS = 2000;
/** Rows drawn in the check's table; the report holds them all. */
const SHOWN = 500;

let departments: { id: string; name: Record<string, string> }[] = [];
let checked: Checked | undefined;
let finalRows: ImportRowReport[] | undefined;

const when = (iso: string) =>
  new Intl.DateTimeFormat(page.language() === 'es' ? 'es-PA' : 'en-US', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));

const page = officePage({
  content: '#backoffice',
  text: BACKOFFICE_TEXT,
  enter: async () => {
    const answer = await page.api<{ items?: typeof departments } & ApiError>('/backoffice/departments');
    if (answer.status === 403) return 'forbidden';
    if (answer.status !== 200) return false;
    departments = answer.body.items ?? [];
    fillDepartments();
    await Promise.all([showBatches(), showHistory()]);
    return true;
  },
  render: () => {
    fillDepartments();
    renderDry();
    if (!$('#backoffice').hidden) void Promise.all([showBatches(), showHistory()]);
  },
  wire: () => {
    $('#department').addEventListener('change', () => void showBatches());
    $('#export').addEventListener('click', () => void exportNow());
    $<HTMLFormElement>('#upload').addEventListener('submit', (e) => void check(e));
    $('#only-bad').addEventListener('change', renderDry);
    $('#apply').addEventListener('click', () => void apply());
    $('#report').addEventListener('click', () => {
      if (finalRows) save('import-report.csv', reportCsv(finalRows), 'text/csv;charset=utf-8');
    });
  },
});
const { say, alertBox, failed } = page;

function fillDepartments() {
  const select = $<HTMLSelectElement>('#department');
  const kept = select.value;
  select.replaceChildren(
    ...departments.map((d) => h('option', { value: d.id, text: d.name[page.language()] ?? d.id })),
  );
  if (kept) select.value = kept;
}

/** Saves text as a file the browser downloads. */
function save(name: string, text: string, type: string) {
  const link = h('a', { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  document.body.append(link);
  link.click();
  link.remove();
}

async function showBatches() {
  const department = $<HTMLSelectElement>('#department').value;
  if (!department) return;
  const answer = await page.api<
    { waiting?: number; batches?: { batchId: string; date: string; rows: number }[] } & ApiError
  >(`/backoffice/batches?department=${encodeURIComponent(department)}`);
  if (answer.status !== 200) return alertBox(failed(answer));
  const waiting = answer.body.waiting ?? 0;
  $('#waiting').textContent =
    waiting === 1 ? page.words().waitingOne : fill(page.words().waiting, { n: waiting });
  fillList(
    '#batches',
    (answer.body.batches ?? []).map((b) => {
      const csv = h('button', {
        type: 'button',
        text: page.words().csv,
        'aria-label': `${page.words().csv} ${b.date}`,
      });
      const json = h('button', {
        type: 'button',
        text: page.words().json,
        'aria-label': `${page.words().json} ${b.date}`,
      });
      csv.addEventListener('click', () => void downloadBatch(b.batchId, 'csv'));
      json.addEventListener('click', () => void downloadBatch(b.batchId, 'json'));
      return h(
        'li',
        { 'data-batch': b.batchId },
        fill(page.words().batchLine, { date: b.date, n: b.rows }),
        ' ',
        csv,
        ' ',
        json,
      );
    }),
    page.words().noBatches,
  );
}

/** The batch's files, the same as the morning export's: the CSV (UTF-8 with BOM) and the JSON rows. */
async function downloadBatch(batchId: string, kind: 'csv' | 'json') {
  const answer = await page.api<{ rows?: ExportRow[]; csv?: string } & ApiError>(
    `/backoffice/batches/${encodeURIComponent(batchId)}`,
  );
  if (answer.status !== 200) return alertBox(failed(answer));
  const base = batchId.replace(/:/g, '-');
  if (kind === 'csv') save(`${base}.csv`, answer.body.csv ?? '', 'text/csv;charset=utf-8');
  else save(`${base}.json`, JSON.stringify(answer.body.rows ?? [], null, 2), 'application/json');
}

async function exportNow() {
  alertBox(undefined);
  const department = $<HTMLSelectElement>('#department').value;
  const answer = await page.api<{ batchId?: string; exported?: number } & ApiError>('/backoffice/exports', {
    method: 'POST',
    body: JSON.stringify({ department }),
  });
  if (answer.status !== 200) return alertBox(failed(answer));
  say(fill(page.words().exported, { n: answer.body.exported ?? 0, batch: answer.body.batchId ?? '' }));
  await showBatches();
}

/**
 * The file's text: UTF-8 as it is, or — when it is not valid UTF-8 — read as Windows-1252 (which covers
 * Latin-1's letters), and said so. Never a garbled "Informaci�n".
 */
function decode(bytes: ArrayBuffer): { text: string; converted: boolean } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), converted: false };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), converted: true };
  }
}

/** The file in parts of PART_ROWS rows, each with the header, never cutting a quoted field across lines. */
function split(text: string): Part[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  if (lines.at(-1) === '') lines.pop();
  const header = lines[0] ?? '';
  const records: { line: number; text: string }[] = [];
  let open = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (open) records[records.length - 1]!.text += `\n${line}`;
    else records.push({ line: i + 1, text: line });
    if ((line.match(/"/g)?.length ?? 0) % 2 === 1) open = !open;
  }
  const parts: Part[] = [];
  for (let i = 0; i < records.length || (i === 0 && parts.length === 0); i += PART_ROWS) {
    const slice = records.slice(i, i + PART_ROWS);
    parts.push({ text: [header, ...slice.map((r) => r.text)].join('\n'), firstLine: slice[0]?.line ?? 2 });
  }
  return parts;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .slice(0, 32);
}

function progress(label: string, done: number, total: number) {
  $('#progress-box').hidden = false;
  $('#progress-label').textContent = label;
  const bar = $<HTMLProgressElement>('#progress');
  bar.max = total;
  bar.value = done;
}

/** A part's report with the file's line numbers. */
const global = (part: Part, rows: readonly ImportRowReport[]) =>
  rows.map((r) => ({ ...r, line: part.firstLine + r.line - 2 }));

async function sendPart(
  c: Pick<Checked, 'name' | 'fileId' | 'parts'>,
  index: number,
  dryRun: boolean,
  lines?: number[],
) {
  return page.api<{ rows?: ImportRowReport[] } & ApiError>(
    `/backoffice/imports${dryRun ? '?dryRun=true' : ''}`,
    {
      method: 'POST',
      body: JSON.stringify({
        text: c.parts[index]!.text,
        name: c.name,
        fileId: c.fileId,
        part: index,
        parts: c.parts.length,
        ...(lines ? { lines } : {}),
      }),
    },
  );
}

async function check(event: SubmitEvent) {
  event.preventDefault();
  alertBox(undefined);
  $('#dry').hidden = true;
  $('#done').hidden = true;
  const file = $<HTMLInputElement>('#file').files?.[0];
  if (!file) return alertBox(page.words().noFile);
  const bytes = await file.arrayBuffer();
  let text: string;
  let notice = '';
  // An Excel workbook (a zip: "PK") is read from its first sheet; any other file is text.
  if (new Uint8Array(bytes.slice(0, 2)).join() === '80,75')
    try {
      text = xlsxToCsv(new Uint8Array(bytes));
      notice = page.words().fromWorkbook;
    } catch {
      return alertBox(page.words().xlsx);
    }
  else {
    const decoded = decode(bytes);
    text = decoded.text;
    if (decoded.converted) notice = page.words().converted;
  }
  $('#encoding').hidden = !notice;
  $('#encoding').textContent = notice;
  const parts = split(text);
  const c = { name: file.name, fileId: await sha256(text), parts };
  const reports: ImportRowReport[][] = [];
  for (let i = 0; i < parts.length; i++) {
    progress(fill(page.words().checking, { part: i + 1, parts: parts.length }), i, parts.length);
    const answer = await sendPart(c, i, true);
    if (answer.status !== 200) {
      $('#progress-box').hidden = true;
      return alertBox(failed(answer));
    }
    reports.push(answer.body.rows ?? []);
  }
  progress(
    fill(page.words().checking, { part: parts.length, parts: parts.length }),
    parts.length,
    parts.length,
  );
  checked = { ...c, reports };
  renderDry();
  $('#dry').hidden = false;
  $('#dry-h').focus();
}

function rowsOf(c: Checked) {
  return c.parts.flatMap((part, i) => global(part, c.reports[i]!));
}

function renderTable(rows: readonly ImportRowReport[], names: Record<string, string>) {
  const onlyBad = $<HTMLInputElement>('#only-bad').checked;
  const shown = rows.filter((r) => !onlyBad || r.result === 'rejected');
  $('#dry-rows').replaceChildren(
    ...shown
      .slice(0, SHOWN)
      .map((r) =>
        h(
          'tr',
          r.result === 'rejected'
            ? { class: 'bad', 'data-line': String(r.line) }
            : { 'data-line': String(r.line) },
          h('td', { text: String(r.line) }),
          h('td', { text: r.ticket }),
          h('td', { text: names[r.result] ?? r.result }),
          h('td', { text: r.reason ?? '' }),
        ),
      ),
  );
  $('#dry-more').textContent = shown.length > SHOWN ? fill(page.words().shownFirst, { n: SHOWN }) : '';
}

function renderDry() {
  if (!checked) return;
  const rows = rowsOf(checked);
  const count = (r: string) => rows.filter((x) => x.result === r).length;
  $('#dry-summary').textContent = fill(page.words().drySummary, {
    rows: rows.length,
    good: count('applied'),
    unchanged: count('unchanged'),
    bad: count('rejected'),
  });
  renderTable(rows, page.words().results);
}

/** Applies exactly the rows the check showed as good, part by part, with progress; then the final report. */
async function apply() {
  if (!checked) return;
  alertBox(undefined);
  const c = checked;
  if (!rowsOf(c).some((r) => r.result === 'applied')) return alertBox(page.words().nothingToApply);
  const final: ImportRowReport[] = [];
  for (let i = 0; i < c.parts.length; i++) {
    progress(fill(page.words().applying, { part: i + 1, parts: c.parts.length }), i, c.parts.length);
    const lines = c.reports[i]!.filter((r) => r.result === 'applied').map((r) => r.line);
    const answer = await sendPart(c, i, false, lines);
    if (answer.status !== 200) return alertBox(failed(answer));
    final.push(...global(c.parts[i]!, answer.body.rows ?? []));
  }
  progress(
    fill(page.words().applying, { part: c.parts.length, parts: c.parts.length }),
    c.parts.length,
    c.parts.length,
  );
  finalRows = final;
  const count = (r: string) => final.filter((x) => x.result === r).length;
  $('#done-summary').textContent = fill(page.words().doneSummary, {
    applied: count('applied'),
    unchanged: count('unchanged'),
    bad: count('rejected'),
  });
  $('#dry').hidden = true;
  $('#done').hidden = false;
  $('#done-h').focus();
  checked = undefined;
  await Promise.all([showHistory(), showBatches()]);
}

const reportCsv = (rows: readonly ImportRowReport[]) =>
  `\uFEFF${['line,ticket,result,reason', ...rows.map((r) => [r.line, r.ticket, r.result, r.reason ?? ''].map((v) => `"${String(v).replace(/"/g, '""')}"`).join(','))].join('\r\n')}\r\n`;

async function showHistory() {
  const answer = await page.api<{ items?: HistoryItem[] } & ApiError>('/backoffice/imports');
  if (answer.status !== 200) return alertBox(failed(answer));
  fillList(
    '#history',
    (answer.body.items ?? []).map((item) => {
      const report = h('button', {
        type: 'button',
        text: page.words().report,
        'aria-label': `${page.words().report}: ${item.name}`,
      });
      report.addEventListener('click', () => void downloadHistory(item));
      return h(
        'li',
        { 'data-file': item.fileId },
        fill(page.words().historyLine, {
          at: when(item.at),
          name: item.name,
          who: item.actor.id,
          applied: item.applied,
          unchanged: item.unchanged,
          bad: item.rejected,
        }) +
          (item.partsDone < item.parts
            ? fill(page.words().incomplete, { done: item.partsDone, parts: item.parts })
            : ''),
        ' ',
        report,
      );
    }),
    page.words().noHistory,
  );
}

async function downloadHistory(item: HistoryItem) {
  const answer = await page.api<{ problems?: ImportRowReport[] } & ApiError>(
    `/backoffice/imports/${encodeURIComponent(item.fileId)}`,
  );
  if (answer.status !== 200) return alertBox(failed(answer));
  save(`${item.name}-report.csv`, reportCsv(answer.body.problems ?? []), 'text/csv;charset=utf-8');
}

void page.boot();
