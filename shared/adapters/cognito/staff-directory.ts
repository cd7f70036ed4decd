import {
  ListUsersInGroupCommand,
  type CognitoIdentityProviderClient,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { departmentGroup, type StaffDirectory, type StaffMember } from '../../domain/staff';

const ROLES = ['admin', 'supervisor', 'backoffice', 'agent'] as const;

/** Staff from the Cognito user pool: one group per role; a user in several groups is listed with the highest. */
export class CognitoStaffDirectory implements StaffDirectory {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
    /** The deployment's departments, whose groups say who works for each. */
    private readonly departments: readonly string[] = [],
  ) {}

  private async *members(group: string): AsyncGenerator<UserType> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListUsersInGroupCommand({ UserPoolId: this.userPoolId, GroupName: group, NextToken: token }),
      );
      yield* page.Users ?? [];
      token = page.NextToken;
    } while (token);
  }

  async list(): Promise<readonly StaffMember[]> {
    const departmentsOf = new Map<string, string[]>();
    for (const department of this.departments)
      for await (const user of this.members(departmentGroup(department)))
        if (user.Username)
          departmentsOf.set(user.Username, [...(departmentsOf.get(user.Username) ?? []), department]);
    const byName = new Map<string, StaffMember>();
    for (const role of ROLES)
      for await (const user of this.members(role)) {
        const member = memberOf(user, role, departmentsOf.get(user.Username ?? '') ?? []);
        if (member && !byName.has(member.username)) byName.set(member.username, member);
      }
    return [...byName.values()].sort((a, b) => a.username.localeCompare(b.username));
  }
}

function memberOf(
  user: UserType,
  role: StaffMember['role'],
  departments: readonly string[],
): StaffMember | undefined {
  if (!user.Username) return undefined;
  const name = user.Attributes?.find((a) => a.Name === 'name')?.Value;
  return {
    username: user.Username,
    ...(name ? { name } : {}),
    role,
    ...(departments.length ? { departments } : {}),
    enabled: user.Enabled !== false,
  };
}
