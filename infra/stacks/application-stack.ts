import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DashboardHosting } from '../constructs/dashboard-hosting';
import { StaffIdentity } from '../constructs/identity';
import { StaffApi } from '../constructs/staff-api';

/**
 * What staff use: sign-in, the JWT-protected HTTP API and the dashboard's hosting. The API's routes, the
 * metrics aggregator and the dashboard page are wired here as their code lands.
 */
export class ApplicationStack extends Stack {
  readonly identity: StaffIdentity;
  readonly api: StaffApi;
  readonly dashboard: DashboardHosting;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.dashboard = new DashboardHosting(this, 'Dashboard');
    const origin = `https://${this.dashboard.distribution.distributionDomainName}`;
    this.identity = new StaffIdentity(this, 'Identity', { callbackUrls: [`${origin}/dashboard/`] });
    this.api = new StaffApi(this, 'Api', {
      userPool: this.identity.userPool,
      client: this.identity.dashboardClient,
      allowOrigins: [origin],
    });
    new CfnOutput(this, 'ApiUrl', { value: this.api.api.apiEndpoint });
    new CfnOutput(this, 'DashboardUrl', { value: origin });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
  }
}
