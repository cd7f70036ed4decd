import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { exportCsv, runExport, runImport, type BackOfficeStore } from '../../domain/backoffice';
import type { Catalogue } from '../../domain/catalogue';
import { ForbiddenError, ValidationError } from '../../domain/errors';
import { parseInput } from '../../domain/schema';
import { actorOf, type ApiRequest, type Route } from './api';

/** A file's id is its content's hash: the same file imported twice is one import. */
export const importIdOf = (text: string) =>
  `import:${createHash('sha256').update(text).digest('hex').slice(0, 20)}`;

const exportBody = z.strictObject({ department: z.string().check(z.minLength(1)) });
const MAX_IMPORT = 5 * 1024 * 1024;

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
  catalogue: Catalogue;
  now: () => Date;
  localDate: (at: Date) => string;
}): Route[] {
  return [
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
        const text = request.body ?? '';
        if (!text.trim()) throw new ValidationError('body', 'the answers file (CSV) is required');
        if (text.length > MAX_IMPORT) throw new ValidationError('body', 'at most 5 MB a file; split it');
        const departments = departmentsOf(request);
        return runImport(deps.store, { now: deps.now, importIdOf, actor: actorOf(request) }, text, {
          dryRun: request.query.dryRun === 'true',
          ...(departments ? { departments } : {}),
        });
      },
    },
  ];
}
