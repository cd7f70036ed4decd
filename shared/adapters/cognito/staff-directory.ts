import {
  ListUsersInGroupCommand,
  type CognitoIdentityProviderClient,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { StaffDirectory, StaffMember } from '../../domain/staff';

const ROLES = ['admin', 'supervisor', 'backoffice', 'agent'] as const;

/** Staff from the Cognito user pool: one group per role; a user in several groups is listed with the highest. */
export class CognitoStaffDirectory implements StaffDirectory {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async list(): Promise<readonly StaffMember[]> {
    const byName = new Map<string, StaffMember>();
    for (const role of ROLES) {
      let token: string | undefined;
      do {
        const page = await this.client.send(
          new ListUsersInGroupCommand({ UserPoolId: this.userPoolId, GroupName: role, NextToken: token }),
        );
        for (const user of page.Users ?? []) {
          const member = memberOf(user, role);
          if (member && !byName.has(member.username)) byName.set(member.username, member);
        }
        token = page.NextToken;
      } while (token);
    }
    return [...byName.values()].sort((a, b) => a.username.localeCompare(b.username));
  }
}

function memberOf(user: UserType, role: StaffMember['role']): StaffMember | undefined {
  if (!user.Username) return undefined;
  const attribute = (name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;
  const name = attribute('name');
  const departments = attribute('custom:departments')?.split(',').filter(Boolean);
  return {
    username: user.Username,
    ...(name ? { name } : {}),
    role,
    ...(departments?.length ? { departments } : {}),
    enabled: user.Enabled !== false,
  };
}
