import { Stack, aws_connect as connect } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { Deployment } from '../../shared/domain/deployment';

/** The Amazon Connect instance: created (Connect-managed users) or, for an existing one, only referenced. */
export class ConnectInstance extends Construct {
  readonly instanceArn: string;
  /** How cdk-nag writes the ARN inside a policy: the ARN itself, or `<LogicalId.Arn>` for one created here. */
  readonly arnInPolicy: string;

  constructor(scope: Construct, id: string, deployment: Deployment) {
    super(scope, id);
    if ('instanceArn' in deployment.connect) {
      this.instanceArn = deployment.connect.instanceArn;
      this.arnInPolicy = this.instanceArn;
      return;
    }
    const instance = new connect.CfnInstance(this, 'Instance', {
      identityManagementType: 'CONNECT_MANAGED',
      instanceAlias: deployment.connect.createInstance.alias,
      attributes: {
        inboundCalls: true,
        outboundCalls: true,
        contactflowLogs: true,
        contactLens: false,
        autoResolveBestVoices: true,
      },
    });
    this.instanceArn = instance.attrArn;
    this.arnInPolicy = `<${Stack.of(this).getLogicalId(instance)}.Arn>`;
  }
}
