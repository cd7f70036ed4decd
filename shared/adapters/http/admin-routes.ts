import type { CatalogueEntry } from '../../domain/catalogue';
import type { Deployment } from '../../domain/deployment';
import { ValidationError } from '../../domain/errors';
import { RETENTION_BY } from '../../domain/retention-kinds';
import type { AdminAudit, StaffDirectory } from '../../domain/staff';
import { createStaff, resetStaff, setStaffEnabled } from '../../domain/staff-admin';
import { actorOf, type ApiRequest, type Route } from './api';

function body(request: ApiRequest): Record<string, unknown> {
  try {
    const parsed = JSON.parse(request.body ?? '') as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new ValidationError('body', 'must be a JSON object');
}

/**
 * The administrator's page: staff accounts (list, create, disable, re-enable, reset — each audited: who, what,
 * when) and the configuration in force, read-only: it changes by a reviewed change to the deployment's files
 * and a deploy.
 */
export function adminRoutes(deps: {
  staff: StaffDirectory;
  audit: AdminAudit;
  deployment: Deployment;
  catalogue: readonly CatalogueEntry[];
  clock: { now(): Date };
  newId: () => string;
}): Route[] {
  const departmentIds = deps.deployment.departments.map((d) => d.id);
  const account =
    (action: (request: ApiRequest, username: string) => Promise<unknown>) => (request: ApiRequest) =>
      action(request, request.params.username!);
  return [
    {
      method: 'GET',
      path: '/admin/users',
      roles: ['admin'],
      handle: async () => ({ items: await deps.staff.list() }),
    },
    {
      method: 'POST',
      path: '/admin/users',
      roles: ['admin'],
      status: 201,
      handle: (request) => createStaff(deps, body(request), departmentIds, actorOf(request)),
    },
    {
      method: 'POST',
      path: '/admin/users/{username}/disable',
      roles: ['admin'],
      handle: account(async (request, username) => {
        if (username === request.user)
          throw new ValidationError('username', 'you cannot disable your own account');
        await setStaffEnabled(deps, username, false, actorOf(request));
        return { username, enabled: false };
      }),
    },
    {
      method: 'POST',
      path: '/admin/users/{username}/enable',
      roles: ['admin'],
      handle: account(async (request, username) => {
        await setStaffEnabled(deps, username, true, actorOf(request));
        return { username, enabled: true };
      }),
    },
    {
      method: 'POST',
      path: '/admin/users/{username}/reset',
      roles: ['admin'],
      handle: account(async (request, username) => ({
        username,
        ...(await resetStaff(deps, username, actorOf(request))),
      })),
    },
    {
      method: 'GET',
      path: '/admin/audit',
      roles: ['admin'],
      handle: async () => ({ items: await deps.audit.list() }),
    },
    {
      method: 'GET',
      path: '/admin/config',
      roles: ['admin'],
      // With how each kind of record's retention term is enforced, for the schedule's table.
      handle: async () => ({
        deployment: deps.deployment,
        catalogue: deps.catalogue,
        retentionBy: RETENTION_BY,
      }),
    },
  ];
}
