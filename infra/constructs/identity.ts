import { Duration, RemovalPolicy, aws_cognito as cognito } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { departmentGroup } from '../../shared/domain/staff';

/** The roles of the people who use Ventanilla; every API route checks one. */
export const USER_GROUPS = ['agent', 'supervisor', 'backoffice', 'admin'] as const;

/**
 * Staff sign-in: a user pool with one group per role, strong passwords and required MFA, no self sign-up
 * (an admin invites people), and a public client for the dashboard (authorisation code with PKCE).
 */
export class StaffIdentity extends Construct {
  readonly userPool: cognito.UserPool;
  readonly dashboardClient: cognito.UserPoolClient;
  /** The hosted sign-in (https://<prefix>.auth.<region>.amazoncognito.com). */
  readonly signInDomain: string;

  constructor(
    scope: Construct,
    id: string,
    props: { callbackUrls: string[]; domainPrefix: string; departments: readonly string[] },
  ) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'Staff', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { sms: false, otp: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const group of USER_GROUPS)
      new cognito.CfnUserPoolGroup(this, `group-${group}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group,
      });
    // A back-office user's departments are groups too: only an administrator can add a user to a group, and
    // groups reach the token as `cognito:groups` (a user-writable attribute would let users grant themselves
    // a department).
    for (const department of props.departments)
      new cognito.CfnUserPoolGroup(this, `group-${departmentGroup(department)}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: departmentGroup(department),
        description: `Back office of department ${department}`,
      });
    this.dashboardClient = this.userPool.addClient('Dashboard', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
        callbackUrls: props.callbackUrls,
        logoutUrls: props.callbackUrls,
      },
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    const domain = this.userPool.addDomain('SignIn', { cognitoDomain: { domainPrefix: props.domainPrefix } });
    this.signInDomain = domain.baseUrl();
  }
}
