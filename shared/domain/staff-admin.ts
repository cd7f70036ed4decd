import type { Actor } from './case';
import { NotFoundError } from './errors';
import {
  newStaffMember,
  type AdminAudit,
  type AdminAuditEvent,
  type StaffAccess,
  type StaffDirectory,
} from './staff';

interface AdminDeps {
  readonly staff: StaffDirectory;
  readonly audit: AdminAudit;
  readonly clock: { now(): Date };
  readonly newId: () => string;
}

/**
 * The administrator's actions on staff accounts. Each is recorded (who, what, when) once it is done; a
 * refused or failed action changes nothing and records nothing.
 */
function audited(deps: AdminDeps, actor: Actor, event: Omit<AdminAuditEvent, 'id' | 'at' | 'actor'>) {
  return deps.audit.record({ id: deps.newId(), at: deps.clock.now().toISOString(), actor, ...event });
}

export async function createStaff(
  deps: AdminDeps,
  input: Parameters<typeof newStaffMember>[0],
  departmentIds: readonly string[],
  actor: Actor,
): Promise<StaffAccess & { username: string }> {
  const member = newStaffMember(input, departmentIds);
  const access = await deps.staff.create(member);
  await audited(deps, actor, {
    action: 'create-user',
    username: member.username,
    role: member.role,
    ...(member.departments ? { departments: member.departments } : {}),
  });
  return { username: member.username, ...access };
}

async function known(deps: AdminDeps, username: string) {
  if (!(await deps.staff.list()).some((m) => m.username === username)) throw new NotFoundError('user');
}

export async function setStaffEnabled(deps: AdminDeps, username: string, enabled: boolean, actor: Actor) {
  await known(deps, username);
  await deps.staff.setEnabled(username, enabled);
  await audited(deps, actor, { action: enabled ? 'enable-user' : 'disable-user', username });
}

export async function resetStaff(deps: AdminDeps, username: string, actor: Actor): Promise<StaffAccess> {
  await known(deps, username);
  const access = await deps.staff.reset(username);
  await audited(deps, actor, { action: 'reset-user', username });
  return access;
}
