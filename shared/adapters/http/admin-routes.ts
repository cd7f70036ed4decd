import type { CatalogueEntry } from '../../domain/catalogue';
import type { Deployment } from '../../domain/deployment';
import type { StaffDirectory } from '../../domain/staff';
import type { Route } from './api';

/**
 * The administrator's view: who works here with which role, and the configuration in force. Both change
 * through their own channels — accounts in the user pool (no self sign-up), configuration by a reviewed change
 * to the deployment's files and a deploy — so these routes read and never write.
 */
export function adminRoutes(deps: {
  staff: StaffDirectory;
  deployment: Deployment;
  catalogue: readonly CatalogueEntry[];
}): Route[] {
  return [
    {
      method: 'GET',
      path: '/admin/users',
      roles: ['admin'],
      handle: async () => ({ items: await deps.staff.list() }),
    },
    {
      method: 'GET',
      path: '/admin/config',
      roles: ['admin'],
      handle: async () => ({ deployment: deps.deployment, catalogue: deps.catalogue }),
    },
  ];
}
