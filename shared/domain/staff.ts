import type { Actor } from './case';
import { ValidationError } from './errors';
import { cleanText } from './text';

export const STAFF_ROLES = ['agent', 'supervisor', 'backoffice', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** A member of staff as the administration sees them: who, which role, which departments. */
export interface StaffMember {
  readonly username: string;
  readonly name?: string;
  readonly email?: string;
  readonly role: StaffRole;
  /** For back-office users: the departments whose files they exchange. */
  readonly departments?: readonly string[];
  readonly enabled: boolean;
}

/** What an administrator gives to create an account. */
export interface NewStaffMember {
  readonly username: string;
  readonly name: string;
  readonly email: string;
  readonly role: StaffRole;
  readonly departments?: readonly string[];
}

/** How the person gets in: a temporary password to hand over, or an invitation sent to their e-mail. */
export interface StaffAccess {
  readonly temporaryPassword?: string;
  readonly invited?: boolean;
}

/** Where staff accounts live: Cognito in AWS, the local back end's staff store locally. */
export interface StaffDirectory {
  list(): Promise<readonly StaffMember[]>;
  /** Creates the account with its role (and department groups); ValidationError('username') when taken. */
  create(member: NewStaffMember): Promise<StaffAccess>;
  /** Disables or re-enables an account; NotFoundError when there is none. */
  setEnabled(username: string, enabled: boolean): Promise<void>;
  /** A new temporary password, or the invitation sent again; NotFoundError when there is none. */
  reset(username: string): Promise<StaffAccess>;
  /** Whether the account may act now: a disabled account's sessions are refused. Unknown names may. */
  isEnabled(username: string): Promise<boolean>;
}

/** What an administrator did to an account: who, what, when. */
export interface AdminAuditEvent {
  readonly id: string;
  readonly at: string;
  readonly actor: Actor;
  readonly action: 'create-user' | 'disable-user' | 'enable-user' | 'reset-user';
  readonly username: string;
  readonly role?: StaffRole;
  readonly departments?: readonly string[];
}

export interface AdminAudit {
  record(event: AdminAuditEvent): Promise<void>;
  /** Newest first. */
  list(limit?: number): Promise<readonly AdminAuditEvent[]>;
}

const USERNAME = /^[a-z][a-z0-9.-]{1,39}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An account as an administrator asks for it, checked field by field against the deployment's departments. */
export function newStaffMember(
  input: {
    username?: unknown;
    name?: unknown;
    email?: unknown;
    role?: unknown;
    departments?: unknown;
  },
  departmentIds: readonly string[],
): NewStaffMember {
  const text = (field: string, value: unknown) => {
    if (typeof value !== 'string' || !cleanText(value)) throw new ValidationError(field, 'is required');
    return cleanText(value);
  };
  const username = text('username', input.username).toLowerCase();
  if (!USERNAME.test(username))
    throw new ValidationError(
      'username',
      'must be 2 to 40 lower-case letters, digits, "." or "-", from a letter',
    );
  const name = text('name', input.name);
  if (name.length > 100) throw new ValidationError('name', 'must be at most 100 characters');
  const email = text('email', input.email).toLowerCase();
  if (!EMAIL.test(email) || email.length > 254)
    throw new ValidationError('email', 'must be an e-mail address');
  if (!STAFF_ROLES.includes(input.role as StaffRole))
    throw new ValidationError('role', `must be one of: ${STAFF_ROLES.join(', ')}`);
  const role = input.role as StaffRole;
  const departments = input.departments ?? [];
  if (!Array.isArray(departments) || departments.some((d) => typeof d !== 'string'))
    throw new ValidationError('departments', 'must be a list of department ids');
  const unknown = departments.filter((d) => !departmentIds.includes(d as string));
  if (unknown.length) throw new ValidationError('departments', `unknown: ${unknown.join(', ')}`);
  if (role === 'backoffice' && !departments.length)
    throw new ValidationError('departments', 'a back-office account works for at least one department');
  return {
    username,
    name,
    email,
    role,
    ...(departments.length ? { departments: [...new Set(departments as string[])] } : {}),
  };
}

/**
 * The group a back-office user's department comes from. Groups are set by an administrator (in Cognito, only
 * an admin API can add a user to one); a user cannot write them into their own token.
 */
export const DEPARTMENT_GROUP_PREFIX = 'department-';
export const departmentGroup = (departmentId: string) => `${DEPARTMENT_GROUP_PREFIX}${departmentId}`;
export const departmentsOfGroups = (groups: readonly string[]) =>
  groups
    .filter((g) => g.startsWith(DEPARTMENT_GROUP_PREFIX))
    .map((g) => g.slice(DEPARTMENT_GROUP_PREFIX.length));
