import { Stack, aws_connect as connect, aws_iam as iam } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BundledFunction, type BundledFunctionProps } from './bundled-function';

export interface ConnectFunctionProps extends BundledFunctionProps {
  readonly instanceArn: string;
}

/**
 * A function Amazon Connect invokes from a flow: a 3 s timeout (the flow waits 4 s, the handler answers
 * within 2 s), and both halves of Connect's access: the instance association and a resource policy scoped
 * to the instance and account.
 */
export class ConnectFunction extends BundledFunction {
  constructor(scope: Construct, id: string, props: ConnectFunctionProps) {
    super(scope, id, props);
    new connect.CfnIntegrationAssociation(this, 'Association', {
      instanceId: props.instanceArn,
      integrationType: 'LAMBDA_FUNCTION',
      integrationArn: this.fn.functionArn,
    });
    this.fn.addPermission('InvokedByConnect', {
      principal: new iam.ServicePrincipal('connect.amazonaws.com'),
      sourceArn: props.instanceArn,
      sourceAccount: Stack.of(this).account,
    });
  }
}
