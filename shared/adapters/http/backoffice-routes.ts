import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import {
  batchDepartment,
  batchOrder,
  exportBatchId,
  exportCsv,
  runExport,
  runImport,
  type BackOfficeStore,
  type ImportLog,
  type ImportLogEntry,
  type ImportReport,
} from '../../domain/backoffice';
import type { Catalogue } from '../../domain/catalogue';
import { delimiterOf, parseCsv } from '../../domain/csv';
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors';
import { parseInput } from '../../domain/schema';
import { actorOf, type ApiRequest, type Route } from './api';

/** A file's id is its content's hash: the same file imported twice is one import. */
export const importIdOf = (text: string) =>
  `import:${createHash('sha256').update(text).digest('hex').slice(0, 20)}`;

const exportBody = z.strictObject({ department: z.string().check(z.minLength(1)) });
const MAX_IMPORT = 5 * 1024 * 1024;
/** The most rows one request imports: a page sends a large file in parts of this size (API time limits). */
export const MAX_IMPORT_ROWS = 2000;
/** A part of a file, as the back-office page sends it: its text, and the lines a dry run showed as good. */
const partBody = z.strictObject({
  text: z.string(),
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  fileId: z.string().check(z.regex(/^[0-9a-f]{16,64}$/, 'must be the hash of the file, in hex')),
  part: z.number().check(z.int(), z.gte(0), z.lte(10_000)),
  parts: z.number().check(z.int(), z.gte(1), z.lte(10_000)),
  lines: z.optional(z.array(z.number().check(z.int(), z.gte(1)))),
});
/** Days of export batches the back-office page lists. */
const BATCH_DAYS = 14;

function jsonOf(request: ApiRequest): unknown {
  try {
    return JSON.parse(request.body ?? '');
  } catch {
    throw new ValidationError('body', 'must be JSON');
  }
}

/** Back-office users work for their departments only; supervisors and admins for all. */
function departmentsOf(request: ApiRequest): readonly string[] | undefined {
  if (request.roles.has('supervisor') || request.roles.has('admin')) return undefined;
  return request.departments;
}

/**
 * POST /backoffice/exports {department} → the day's batch as JSON and CSV (UTF-8 with BOM);
 * POST /backoffice/imports (a CSV body; ?dryRun=true) → the per-row report.
 */
export function backOfficeRoutes(deps: {
  store: BackOfficeStore;
  log: ImportLog;
  catalogue: Catalogue;
  departments: readonly string[];
  departmentNames: readonly { readonly id: string; readonly name: Readonly<Record<string, string>> }[];
  now: () => Date;
  localDate: (at: Date) => string;
}): Route[] {
  /** The department a request may work on, or ForbiddenError/ValidationError naming it. */
  const department = (request: ApiRequest, id: string | undefined) => {
    if (!id || !deps.departments.includes(id))
      throw new ValidationError('department', `must be one of ${deps.departments.join(', ')}`);
    const allowed = departmentsOf(request);
    if (allowed && !allowed.includes(id)) throw new ForbiddenError(`the back office of ${id}`);
    return id;
  };
  /** The import history a request may read: a back-office user's departments' imports only. */
  const visible = (request: ApiRequest, entry: ImportLogEntry) => {
    const allowed = departmentsOf(request);
    return !allowed || (entry.departments ?? []).some((d) => allowed.includes(d));
  };
  return [
    {
      // The departments the signed-in user works for (all, for supervisors and administrators), with names.
      method: 'GET',
      path: '/backoffice/departments',
      roles: ['backoffice', 'supervisor', 'admin'],
      handle: async (request) => {
        const allowed = departmentsOf(request);
        return {
          items: deps.departmentNames.filter((d) => !allowed || allowed.includes(d.id)),
        };
      },
    },
    {
      // Today's batch and the last exports of a department: how many cases wait, and each batch's rows.
      method: 'GET',
      path: '/backoffice/batches',
      roles: ['backoffice', 'supervisor', 'admin'],
      handle: async (request) => {
        const id = department(request, request.query.department);
        let waiting = 0;
        for await (const page of deps.store.openCases(id)) waiting += page.length;
        const today = new Date(deps.now());
        const batches = [];
        for (let back = 0; back < BATCH_DAYS; back++) {
          const date = deps.localDate(new Date(today.getTime() - back * 86_400_000));
          const batchId = exportBatchId(id, date);
          const rows = await deps.store.batchRows(batchId);
          if (rows.length) batches.push({ batchId, date, rows: rows.length });
        }
        return { department: id, waiting, batches };
      },
    },
    {
      // One batch's file: the rows in the file's order, and the CSV the morning export writes.
      method: 'GET',
      path: '/backoffice/batches/{batchId}',
      roles: ['backoffice', 'supervisor', 'admin'],
      handle: async (request) => {
        const batchId = request.params.batchId!;
        const parsed = batchDepartment(batchId);
        if (!parsed) throw new ValidationError('batchId', 'must be export:<department>:<YYYY-MM-DD>');
        department(request, parsed.department);
        const rows = batchOrder(await deps.store.batchRows(batchId));
        return { batchId, rows, csv: exportCsv(rows) };
      },
    },
    {
      // The import history: each file with what it did (its parts summed), newest first.
      method: 'GET',
      path: '/backoffice/imports',
      roles: ['backoffice', 'supervisor', 'admin'],
      handle: async (request) => {
        const files = new Map<string, ImportLogEntry[]>();
        for (const entry of await deps.log.list())
          if (visible(request, entry)) files.set(entry.fileId, [...(files.get(entry.fileId) ?? []), entry]);
        return {
          items: [...files.values()].map((parts) => ({
            fileId: parts[0]!.fileId,
            name: parts[0]!.name,
            at: parts
              .map((p) => p.at)
              .sort()
              .at(-1),
            actor: parts[0]!.actor,
            parts: parts[0]!.parts,
            partsDone: new Set(parts.map((p) => p.part)).size,
            applied: parts.reduce((n, p) => n + p.applied, 0),
            unchanged: parts.reduce((n, p) => n + p.unchanged, 0),
            rejected: parts.reduce((n, p) => n + p.rejected, 0),
          })),
        };
      },
    },
    {
      // One import's report: the rows that were not applied, with their reasons, over all its parts.
      method: 'GET',
      path: '/backoffice/imports/{fileId}',
      roles: ['backoffice', 'supervisor', 'admin'],
      handle: async (request) => {
        const parts = (await deps.log.list()).filter(
          (e) => e.fileId === request.params.fileId && visible(request, e),
        );
        if (!parts.length) throw new NotFoundError('import');
        return {
          fileId: request.params.fileId,
          name: parts[0]!.name,
          problems: parts.flatMap((p) => p.problems),
        };
      },
    },
    {
      method: 'POST',
      path: '/backoffice/exports',
      roles: ['backoffice', 'supervisor', 'admin'],
      handle: async (request) => {
        let raw: unknown;
        try {
          raw = JSON.parse(request.body ?? '');
        } catch {
          throw new ValidationError('body', 'must be JSON {"department"}');
        }
        const { department } = parseInput(exportBody, raw);
        const allowed = departmentsOf(request);
        if (allowed && !allowed.includes(department)) throw new ForbiddenError(`export for ${department}`);
        const report = await runExport(deps.store, { ...deps, actor: actorOf(request) }, department);
        return {
          ...report,
          csv: exportCsv(report.rows),
        };
      },
    },
    {
      method: 'POST',
      path: '/backoffice/imports',
      roles: ['backoffice', 'supervisor', 'admin'],
      handle: async (request) => {
        const departments = departmentsOf(request);
        const dryRun = request.query.dryRun === 'true';
        // A part of a file from the back-office page (JSON), or a whole CSV file (a script, the CLI).
        const isPart = (request.headers['content-type'] ?? '').startsWith('application/json');
        const part = isPart ? parseInput(partBody, jsonOf(request)) : undefined;
        const text = part ? part.text : (request.body ?? '');
        if (!text.trim()) throw new ValidationError('body', 'the answers file (CSV) is required');
        if (text.length > MAX_IMPORT) throw new ValidationError('body', 'at most 5 MB a file; split it');
        // A part is checked for its size before anything is written.
        if (part && parseCsv(text, delimiterOf(text)).length - 1 > MAX_IMPORT_ROWS)
          throw new ValidationError('text', `at most ${MAX_IMPORT_ROWS} rows a part`);
        const report: ImportReport = await runImport(
          deps.store,
          { now: deps.now, importIdOf, actor: actorOf(request) },
          text,
          {
            dryRun,
            ...(departments ? { departments } : {}),
            ...(part?.lines ? { onlyLines: new Set(part.lines) } : {}),
          },
        );
        if (part && !dryRun)
          await deps.log.record({
            fileId: part.fileId,
            part: part.part,
            parts: part.parts,
            name: part.name,
            at: deps.now().toISOString(),
            actor: actorOf(request),
            ...(departments ? { departments } : {}),
            applied: report.applied,
            unchanged: report.unchanged,
            rejected: report.rejected,
            problems: report.rows.filter((r) => r.result !== 'applied'),
          });
        return report;
      },
    },
  ];
}
