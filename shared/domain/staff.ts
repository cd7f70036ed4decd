/** A member of staff as the administration sees them: who, which role, which departments. */
export interface StaffMember {
  readonly username: string;
  readonly name?: string;
  readonly role: 'agent' | 'supervisor' | 'backoffice' | 'admin';
  /** For back-office users: the departments whose files they exchange. */
  readonly departments?: readonly string[];
  readonly enabled: boolean;
}

/** Where staff accounts live: Cognito in AWS, the deployment's users file locally. */
export interface StaffDirectory {
  list(): Promise<readonly StaffMember[]>;
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
