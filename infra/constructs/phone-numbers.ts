import { Fn, Stack, Validations, aws_iam as iam, custom_resources as cr } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface PhoneNumberFlowsProps {
  readonly instanceArn: string;
  readonly numbers: readonly { readonly arn: string; readonly flowArn: string }[];
}

/** The id at the end of a Connect ARN ("…/contact-flow/ID", "…:phone-number/ID") or after "instance/". */
const idAt = (arn: string, index: number) => Fn.select(index, Fn.split('/', arn));

/**
 * Points each claimed number at its flow. CloudFormation has no resource for this, so a custom resource calls
 * AssociatePhoneNumberContactFlow on create and update, and DisassociatePhoneNumberContactFlow on delete.
 */
export class PhoneNumberFlows extends Construct {
  constructor(scope: Construct, id: string, props: PhoneNumberFlowsProps) {
    super(scope, id);
    props.numbers.forEach((number, i) => {
      const phoneNumberId = idAt(number.arn, 1);
      new cr.AwsCustomResource(this, `number-${i}`, {
        installLatestAwsSdk: false,
        onUpdate: {
          service: 'Connect',
          action: 'AssociatePhoneNumberContactFlow',
          parameters: {
            PhoneNumberId: phoneNumberId,
            InstanceId: idAt(props.instanceArn, 1),
            ContactFlowId: idAt(number.flowArn, 3),
          },
          physicalResourceId: cr.PhysicalResourceId.of(`${number.arn}`),
        },
        onDelete: {
          service: 'Connect',
          action: 'DisassociatePhoneNumberContactFlow',
          parameters: { PhoneNumberId: phoneNumberId, InstanceId: idAt(props.instanceArn, 1) },
        },
        policy: cr.AwsCustomResourcePolicy.fromStatements([
          new iam.PolicyStatement({
            actions: [
              'connect:AssociatePhoneNumberContactFlow',
              'connect:DisassociatePhoneNumberContactFlow',
            ],
            resources: [number.arn, props.instanceArn, number.flowArn],
          }),
        ]),
      });
    });
    // The custom resource's shared provider function runs with the basic execution policy CDK gives it.
    const provider = Stack.of(this).node.tryFindChild(PROVIDER_ID);
    if (provider)
      Validations.of(provider).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's AwsCustomResource provider uses AWSLambdaBasicExecutionRole only to write its own logs.",
      });
  }
}

/** The id CDK gives the singleton function behind every AwsCustomResource in a stack. */
const PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';
