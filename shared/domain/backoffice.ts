import { MAX_TEXT, transitionCase, type Actor, type AuditEvent, type Case } from './case';
import type { Catalogue } from './catalogue';
import type { Citizen } from './citizen';
import { delimiterOf, parseCsv, toCsv } from './csv';
import { DomainError } from './errors';
import { normalizeName } from './text';
import { parseTicket, type Ticket } from './ticket';

/**
 * The back-office round trip. Each morning a department gets the OPEN cases that need an answer (they move
 * to PENDING_RESPONSE, audited with the batch); later it sends back a file of ticket + answer (they move to
 * PENDING_COMMUNICATION, or back to OPEN when more information is needed). Pure planning here; the store
 * writes a plan in transactions of many cases each; the citizens' screen pops follow from the change stream.
 */

export const EXPORT_COLUMNS = ['ticket', 'date', 'name', 'document', 'phone', 'topic', 'request'] as const;
export type ExportRow = Record<(typeof EXPORT_COLUMNS)[number], string>;

/** An export's rows as the agency's CSV file (UTF-8 with BOM, so Excel opens it as it is). */
export const exportCsv = (rows: readonly ExportRow[]): string =>
  toCsv(
    EXPORT_COLUMNS,
    rows.map((r) => EXPORT_COLUMNS.map((c) => r[c])),
  );

export const BACKOFFICE_ACTOR = { id: 'backoffice-batch', role: 'backoffice' } as const;

/** The batch of a department's export on a local date: running it again continues the same batch. */
export const exportBatchId = (departmentId: string, date: string) => `export:${departmentId}:${date}`;

export interface PlannedChange {
  readonly next: Case;
  readonly audit: AuditEvent;
  readonly owner: Citizen | undefined;
}

/**
 * One row of the agency's file. Its date is the day the case was opened in the deployment's time zone (a case
 * opened at 20:00 in Panama is that day's, not the next UTC day's).
 */
export function exportRow(
  c: Case,
  citizen: Citizen | undefined,
  catalogue: Catalogue,
  localDate: (at: Date) => string,
): ExportRow {
  return {
    ticket: c.ticket,
    date: localDate(new Date(c.createdAt)),
    ...personColumns(citizen),
    topic: catalogue.name(c.topicId, 'es'),
    request: c.request ?? '',
  };
}

/** The citizen's columns of a row: full name, document, phone (empty when there is none). */
const personColumns = (citizen: Citizen | undefined): Pick<ExportRow, 'name' | 'document' | 'phone'> => ({
  name: [citizen?.givenNames, citizen?.surnames].filter(Boolean).join(' '),
  document: citizen?.document ? `${citizen.document.type} ${citizen.document.number}` : '',
  phone: citizen?.identities.find((i) => i.kind === 'PHONE')?.value ?? '',
});

/** The export's change to each OPEN case: to PENDING_RESPONSE, audited with the batch. */
export function planExport(
  cases: readonly Case[],
  owners: ReadonlyMap<string, Citizen>,
  batchId: string,
  now: string,
  actor: Actor = BACKOFFICE_ACTOR,
) {
  return cases
    .filter((c) => c.status === 'OPEN')
    .map((c): PlannedChange => {
      const { case: next, audit } = transitionCase(c, {
        to: 'PENDING_RESPONSE',
        actor,
        now,
        batchId,
        reason: 'sent to the back office',
      });
      return { next, audit, owner: owners.get(c.citizenId) };
    });
}

/** An answer meaning "send it back: the case needs more information". */
const MORE_INFORMATION = new Set(['NEEDS MORE INFORMATION', 'NECESITA MAS INFORMACION', 'MAS INFORMACION']);
export const asksForMoreInformation = (answer: string) => MORE_INFORMATION.has(normalizeName(answer));

export type ImportResult = 'applied' | 'unchanged' | 'rejected';
export interface ImportRowReport {
  readonly line: number;
  readonly ticket: string;
  readonly result: ImportResult;
  readonly to?: 'PENDING_COMMUNICATION' | 'OPEN';
  readonly reason?: string;
}

export interface ParsedAnswer {
  readonly line: number;
  readonly ticket: Ticket;
  readonly answer: string;
}

/**
 * Reads an answers file: a header row with `ticket` and `answer` columns (any order, any other columns
 * ignored), then one row a case. Rows that cannot be read are reported with their line and reason.
 */
export function readAnswers(text: string): { rows: ParsedAnswer[]; rejected: ImportRowReport[] } {
  // Text decoded with the wrong encoding carries replacement characters: refused, never texted to a citizen.
  const garbled = text.indexOf('\uFFFD');
  if (garbled >= 0)
    throw new ImportFileError(
      `line ${text.slice(0, garbled).split('\n').length} has characters that could not be read: the file is not UTF-8 text (save it as "CSV UTF-8", or upload it on the back-office page, which converts Windows-1252 and Latin-1)`,
    );
  const records = parseCsv(text, delimiterOf(text));
  const rows: ParsedAnswer[] = [];
  const rejected: ImportRowReport[] = [];
  const unanswered: ImportRowReport[] = [];
  const header = records[0];
  if (!header || 'error' in header)
    throw new ImportFileError('the first line must be a header with ticket and answer');
  const columns = header.fields.map((f) => f.trim().toLowerCase());
  const ticketAt = columns.indexOf('ticket');
  const answerAt = columns.findIndex((c) => c === 'answer' || c === 'respuesta');
  if (ticketAt < 0 || answerAt < 0)
    throw new ImportFileError('the header needs the columns ticket and answer');
  const seen = new Map<string, number>();
  for (const record of records.slice(1)) {
    if ('error' in record) {
      rejected.push({
        line: record.line,
        ticket: '',
        result: 'rejected',
        reason: `unreadable row: ${record.error}`,
      });
      continue;
    }
    const rawTicket = (record.fields[ticketAt] ?? '').trim();
    const answer = (record.fields[answerAt] ?? '').trim();
    const reject = (reason: string) =>
      rejected.push({ line: record.line, ticket: rawTicket, result: 'rejected', reason });
    let ticket: Ticket;
    try {
      ticket = parseTicket(rawTicket);
    } catch (error) {
      reject(error instanceof DomainError ? error.message : 'not a ticket');
      continue;
    }
    if (!answer) {
      // A row the agency has not answered yet: nothing to do, and nothing wrong.
      unanswered.push({ line: record.line, ticket: rawTicket, result: 'unchanged', reason: 'no answer yet' });
      continue;
    }
    if (answer.length > MAX_TEXT) {
      reject(`the answer is longer than ${MAX_TEXT} characters`);
      continue;
    }
    const earlier = seen.get(ticket);
    if (earlier !== undefined) {
      reject(`the ticket is already on line ${earlier}`);
      continue;
    }
    seen.set(ticket, record.line);
    rows.push({ line: record.line, ticket, answer });
  }
  return { rows, rejected: [...rejected, ...unanswered] };
}

export class ImportFileError extends DomainError {
  readonly code = 'INVALID_INPUT';
  constructor(message: string) {
    super(message);
  }
}

/**
 * What importing each answer does to its case: PENDING_RESPONSE → PENDING_COMMUNICATION with the answer, or
 * back to OPEN when more information is needed; a case this same file already moved is left as it is.
 */
export function planImport(
  rows: readonly ParsedAnswer[],
  cases: ReadonlyMap<string, Case>,
  importId: string,
  now: string,
  actor: Actor = BACKOFFICE_ACTOR,
): { changes: (PlannedChange & { row: ParsedAnswer })[]; reports: ImportRowReport[] } {
  const changes: (PlannedChange & { row: ParsedAnswer })[] = [];
  const reports: ImportRowReport[] = [];
  for (const row of rows) {
    const current = cases.get(row.ticket);
    const report = (result: ImportResult, extra: Partial<ImportRowReport> = {}) =>
      reports.push({ line: row.line, ticket: row.ticket, result, ...extra });
    if (!current) {
      report('rejected', { reason: 'no case has this ticket' });
      continue;
    }
    if (current.lastBatch === importId) {
      report('unchanged', { reason: 'already imported from this file' });
      continue;
    }
    if (current.status !== 'PENDING_RESPONSE') {
      report('rejected', { reason: `the case is ${current.status}, not PENDING_RESPONSE` });
      continue;
    }
    const more = asksForMoreInformation(row.answer);
    const { case: next, audit } = transitionCase(current, {
      to: more ? 'OPEN' : 'PENDING_COMMUNICATION',
      actor,
      now,
      batchId: importId,
      ...(more ? { reason: 'the back office needs more information' } : { answer: row.answer }),
    });
    changes.push({ next, audit, owner: undefined, row });
    report('applied', { to: more ? 'OPEN' : 'PENDING_COMMUNICATION' });
  }
  return { changes, reports };
}

/** Storage for the batch round trip: reads in pages and batches, writes many cases per transaction. */
export interface BackOfficeStore {
  /** OPEN cases of a department, oldest first, a page at a time. */
  openCases(departmentId: string): AsyncIterable<readonly Case[]>;
  citizens(ids: readonly string[]): Promise<ReadonlyMap<string, Citizen>>;
  casesByTicket(tickets: readonly Ticket[]): Promise<ReadonlyMap<string, Case>>;
  /**
   * Writes the changes, many cases per transaction, each case only if its version is still the one read, with
   * the batch's record of their audit events (and export rows) in the same transaction; the audit events are
   * written as items right after. Cases changed meanwhile by someone else are left out and returned as
   * conflicts; everything else is written. Screen pops follow from the cases' change stream.
   */
  commit(
    changes: readonly PlannedChange[],
    batch: { readonly id: string; readonly rows?: ReadonlyMap<string, ExportRow> },
  ): Promise<{ committed: number; conflicts: readonly PlannedChange[] }>;
  /** Every row recorded for a batch, by ticket. */
  batchRows(batchId: string): Promise<readonly ExportRow[]>;
  /**
   * Finishes what a stopped run of the batch left: audit events recorded with their cases but not yet
   * written as items. Returns how many it wrote.
   */
  repair(batchId: string): Promise<number>;
  /** The rectifications the department is still to be told of. */
  rectifications(departmentId: string): Promise<readonly RectificationNotice[]>;
  /**
   * Adds a notice's rows to the batch and settles the notice, in one transaction; false when it was settled
   * already (by an earlier run), and nothing is written.
   */
  settleRectification(
    batchId: string,
    notice: RectificationNotice,
    rows: readonly ExportRow[],
  ): Promise<boolean>;
}

/**
 * A department to be told that a citizen's data it received was corrected: the rows it received (ticket, date,
 * procedure), and which fields changed. The next export carries those rows again with the data as it is now.
 */
export interface RectificationNotice {
  readonly departmentId: string;
  readonly citizenId: string;
  readonly at: string;
  readonly fields: readonly string[];
  readonly rows: readonly Pick<ExportRow, 'ticket' | 'date' | 'topic'>[];
}

const FIELD_NAMES: Readonly<Record<string, string>> = {
  givenNames: 'nombres',
  surnames: 'apellidos',
  document: 'documento',
};

/** A rectification's rows, with the citizen's data as it is now and the fields that changed as the request. */
export function rectificationRows(notice: RectificationNotice, citizen: Citizen | undefined): ExportRow[] {
  const request = `Rectificación de datos personales: ${notice.fields.map((f) => FIELD_NAMES[f] ?? f).join(', ')}`;
  return notice.rows.map((r) => ({ ...r, ...personColumns(citizen), request }));
}

export interface ExportReport {
  readonly batchId: string;
  /** Cases moved to PENDING_RESPONSE by this run. */
  readonly exported: number;
  /** Cases changed by someone else while this run read them: left OPEN for the next run. */
  readonly skipped: number;
  /** Rows sent again with a citizen's corrected data (a rectification since the data was exported). */
  readonly rectified: number;
  /** Every row of the batch (this run's and earlier runs' of the same day), by date then ticket. */
  readonly rows: readonly ExportRow[];
}

/**
 * The daily export of a department. Resumable and idempotent: a run continues the day's batch, moving only
 * cases still OPEN; the file is always the whole batch, so a crash mid-way loses and duplicates nothing.
 */
export async function runExport(
  store: BackOfficeStore,
  deps: {
    catalogue: Catalogue;
    now: () => Date;
    localDate: (at: Date) => string;
    /** Who exports: the signed-in user through the API, the schedule's batch otherwise. */
    actor?: Actor;
  },
  departmentId: string,
  onProgress?: (exported: number) => void,
): Promise<ExportReport> {
  const now = deps.now();
  const batchId = exportBatchId(departmentId, deps.localDate(now));
  await store.repair(batchId);
  // The file is the whole batch: what earlier runs of the day exported, and what this one does.
  const rows: ExportRow[] = [...(await store.batchRows(batchId))];
  let exported = 0;
  let skipped = 0;
  // The next page and its citizens are read while this one is written.
  const pages = store.openCases(departmentId)[Symbol.asyncIterator]();
  const load = async () => {
    const next = await pages.next();
    if (next.done) return undefined;
    const owners = await store.citizens([...new Set(next.value.map((c) => c.citizenId))]);
    return { page: next.value, owners };
  };
  for (let loading = load(); ;) {
    const loaded = await loading;
    if (!loaded) break;
    const { page, owners } = loaded;
    loading = load();
    // If this page's write fails, the read under way must not surface as an unhandled rejection.
    loading.catch(() => undefined);
    // A data-protection request is answered here, by the acts that exercise it, never by an agency.
    const forAgency = page.filter((c) => !deps.catalogue.get(c.topicId)?.dataRight);
    const changes = planExport(forAgency, owners, batchId, now.toISOString(), deps.actor);
    const pageRows = new Map(
      changes.map((c) => [
        c.next.ticket as string,
        exportRow(c.next, c.owner, deps.catalogue, deps.localDate),
      ]),
    );
    const { committed, conflicts } = await store.commit(changes, { id: batchId, rows: pageRows });
    const lost = new Set(conflicts.map((c) => c.next.ticket as string));
    for (const [ticket, row] of pageRows) if (!lost.has(ticket)) rows.push(row);
    exported += committed;
    skipped += conflicts.length;
    onProgress?.(exported);
  }
  // The citizens' corrected data, to the department that received it before (each notice once).
  let rectified = 0;
  for (const notice of await store.rectifications(departmentId)) {
    const owner = (await store.citizens([notice.citizenId])).get(notice.citizenId);
    const noticeRows = rectificationRows(notice, owner);
    if (await store.settleRectification(batchId, notice, noticeRows)) {
      rows.push(...noticeRows);
      rectified += noticeRows.length;
    }
  }
  return { batchId, exported, skipped, rectified, rows: batchOrder(rows) };
}

/** A batch's rows in the file's order (by date, then ticket): every copy of a batch's file is the same bytes. */
export const batchOrder = (rows: readonly ExportRow[]): ExportRow[] =>
  [...rows].sort((a, b) => a.date.localeCompare(b.date) || a.ticket.localeCompare(b.ticket));

/** The department of an export batch's id (`export:<department>:<date>`), or undefined for another id. */
export function batchDepartment(batchId: string): { department: string; date: string } | undefined {
  const match = /^export:([a-z0-9-]+):(\d{4}-\d{2}-\d{2})$/.exec(batchId);
  return match ? { department: match[1]!, date: match[2]! } : undefined;
}

/** One part of an answers file as it was imported: what it did, and its rows that were not applied. */
export interface ImportLogEntry {
  /** The whole file's id (its hash, computed by the page), shared by its parts. */
  readonly fileId: string;
  readonly part: number;
  readonly parts: number;
  readonly name: string;
  readonly at: string;
  readonly actor: Actor;
  /** The departments the importer works for; absent for supervisors and administrators (all). */
  readonly departments?: readonly string[];
  readonly applied: number;
  readonly unchanged: number;
  readonly rejected: number;
  readonly problems: readonly ImportRowReport[];
}

export interface ImportLog {
  record(entry: ImportLogEntry): Promise<void>;
  /** Every part recorded, newest files first. */
  list(): Promise<readonly ImportLogEntry[]>;
}

export interface ImportReport {
  readonly importId: string;
  readonly dryRun: boolean;
  readonly applied: number;
  readonly unchanged: number;
  readonly rejected: number;
  /** One entry per row of the file, by line. */
  readonly rows: readonly ImportRowReport[];
}

const IMPORT_CHUNK = 1000;

/**
 * Imports a back-office answers file. Every row is checked (check digit, case exists, allowed transition,
 * non-empty answer within the length limit, readable CSV); with `dryRun` nothing is written. Importing the
 * same file again changes nothing: its cases carry the file's id.
 */
export async function runImport(
  store: BackOfficeStore,
  deps: {
    now: () => Date;
    importIdOf: (text: string) => string;
    /** Who imports: the signed-in user through the API, the batch for a file dropped in the bucket. */
    actor?: Actor;
  },
  text: string,
  options: {
    dryRun?: boolean;
    /** A back-office user answers only for their departments: other cases' rows are rejected. */
    departments?: readonly string[];
    onProgress?: (done: number, total: number) => void;
    /** Apply only these lines (those a dry run showed as good); the others are left as they are. */
    onlyLines?: ReadonlySet<number>;
  } = {},
): Promise<ImportReport> {
  const importId = deps.importIdOf(text);
  const read = readAnswers(text);
  const reports: ImportRowReport[] = [...read.rejected];
  const { rows } = read;
  const only = options.onlyLines;
  const now = deps.now().toISOString();
  if (!options.dryRun) await store.repair(importId);
  for (let i = 0; i < rows.length; i += IMPORT_CHUNK) {
    const chunk = rows.slice(i, i + IMPORT_CHUNK);
    const found = await store.casesByTicket(chunk.map((r) => r.ticket));
    const cases = options.departments
      ? new Map([...found].filter(([, c]) => options.departments!.includes(c.departmentId)))
      : found;
    const planned = planImport(chunk, cases, importId, now, deps.actor);
    // With `onlyLines`, a row the check did not show as good is left as it is, whatever it would do now.
    const leftOut = new Set(
      only ? planned.changes.filter((c) => !only.has(c.row.line)).map((c) => c.row.line) : [],
    );
    const plan = {
      changes: planned.changes.filter((c) => !leftOut.has(c.row.line)),
      reports: planned.reports.map((r) =>
        leftOut.has(r.line)
          ? {
              line: r.line,
              ticket: r.ticket,
              result: 'unchanged' as const,
              reason: 'left out: it was not good in the check',
            }
          : r,
      ),
    };
    if (!options.dryRun && plan.changes.length) {
      const { conflicts } = await store.commit(plan.changes, { id: importId });
      const lost = new Set(conflicts.map((c) => c.next.ticket as string));
      for (const r of plan.reports)
        reports.push(
          lost.has(r.ticket)
            ? {
                line: r.line,
                ticket: r.ticket,
                result: 'rejected',
                reason: 'the case changed while importing; import again',
              }
            : r,
        );
    } else reports.push(...plan.reports);
    options.onProgress?.(Math.min(i + IMPORT_CHUNK, rows.length), rows.length);
  }
  reports.sort((a, b) => a.line - b.line);
  const count = (r: ImportResult) => reports.filter((x) => x.result === r).length;
  return {
    importId,
    dryRun: Boolean(options.dryRun),
    applied: count('applied'),
    unchanged: count('unchanged'),
    rejected: count('rejected'),
    rows: reports,
  };
}
