import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  ListUsersInGroupCommand,
  UserNotFoundException,
  UsernameExistsException,
  type CognitoIdentityProviderClient,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { NotFoundError, ValidationError } from '../../domain/errors';
import {
  departmentGroup,
  STAFF_ROLES,
  type NewStaffMember,
  type StaffAccess,
  type StaffDirectory,
  type StaffMember,
} from '../../domain/staff';

/** The roles from the highest: a user in several groups is listed with the highest. */
const ROLES = [
  'admin',
  'supervisor',
  'backoffice',
  'agent',
] as const satisfies readonly (typeof STAFF_ROLES)[number][];
/** How long a user's enabled flag is trusted before it is asked again (per function instance). */
const ENABLED_CACHE_MS = 30_000;

/**
 * Staff in the Cognito user pool, known by their e-mail (the pool's sign-in name): one group per role and one
 * per department. Accounts are created by an
 * administrator only (the pool has no self sign-up): Cognito e-mails the invitation with a temporary password
 * and asks for a new one, and the second factor, at the first sign-in.
 */
export class CognitoStaffDirectory implements StaffDirectory {
  private readonly enabledCache = new Map<string, { enabled: boolean; at: number }>();

  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
    /** The deployment's departments, whose groups say who works for each. */
    private readonly departments: readonly string[] = [],
    private readonly now: () => number = Date.now,
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

  async create(member: NewStaffMember): Promise<StaffAccess> {
    // The pool signs in by e-mail: the e-mail is the account's name there.
    const pool = { UserPoolId: this.userPoolId, Username: member.email };
    try {
      await this.client.send(
        new AdminCreateUserCommand({
          ...pool,
          UserAttributes: [
            { Name: 'email', Value: member.email },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: member.name },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
    } catch (error) {
      if (error instanceof UsernameExistsException)
        throw new ValidationError('email', 'already has an account');
      throw error;
    }
    try {
      for (const group of [member.role, ...(member.departments ?? []).map(departmentGroup)])
        await this.client.send(new AdminAddUserToGroupCommand({ ...pool, GroupName: group }));
    } catch (error) {
      // An account without its groups would sign in with no role: none is left behind.
      await this.client.send(new AdminDeleteUserCommand(pool));
      throw error;
    }
    return { invited: true };
  }

  async setEnabled(username: string, enabled: boolean): Promise<void> {
    const pool = { UserPoolId: this.userPoolId, Username: username };
    await this.known(async () => {
      if (enabled) await this.client.send(new AdminEnableUserCommand(pool));
      else {
        await this.client.send(new AdminDisableUserCommand(pool));
        // Its refresh tokens are revoked; the API refuses its ID token from the next request (isEnabled).
        await this.client.send(new AdminUserGlobalSignOutCommand(pool));
      }
    });
    this.enabledCache.set(username, { enabled, at: this.now() });
  }

  async reset(username: string): Promise<StaffAccess> {
    const pool = { UserPoolId: this.userPoolId, Username: username };
    return this.known(async () => {
      const user = await this.client.send(new AdminGetUserCommand(pool));
      // Never signed in: the invitation again, with a new temporary password. Otherwise a reset code by e-mail.
      if (user.UserStatus === 'FORCE_CHANGE_PASSWORD')
        await this.client.send(
          new AdminCreateUserCommand({ ...pool, MessageAction: 'RESEND', DesiredDeliveryMediums: ['EMAIL'] }),
        );
      else await this.client.send(new AdminResetUserPasswordCommand(pool));
      return { invited: true };
    });
  }

  async isEnabled(username: string): Promise<boolean> {
    const cached = this.enabledCache.get(username);
    if (cached && this.now() - cached.at < ENABLED_CACHE_MS) return cached.enabled;
    let enabled: boolean;
    try {
      enabled =
        (await this.client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: username })))
          .Enabled !== false;
    } catch (error) {
      // Deleted from the pool: its tokens speak for nobody.
      if (!(error instanceof UserNotFoundException)) throw error;
      enabled = false;
    }
    if (this.enabledCache.size > 1000) this.enabledCache.clear();
    this.enabledCache.set(username, { enabled, at: this.now() });
    return enabled;
  }

  private async known<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      if (error instanceof UserNotFoundException) throw new NotFoundError('user');
      throw error;
    }
  }
}

function memberOf(
  user: UserType,
  role: StaffMember['role'],
  departments: readonly string[],
): StaffMember | undefined {
  if (!user.Username) return undefined;
  const attribute = (name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;
  const name = attribute('name');
  const email = attribute('email');
  return {
    // The pool's own user names are ids; people are known by their e-mail, which also signs them in.
    username: email ?? user.Username,
    ...(name ? { name } : {}),
    ...(email ? { email } : {}),
    role,
    ...(departments.length ? { departments } : {}),
    enabled: user.Enabled !== false,
  };
}
