import {
  Validations,
  aws_connect as connect,
  aws_events as events,
  aws_events_targets as targets,
  aws_kinesis as kinesis,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * Connect's contact records and agent events stream to Kinesis; contact events (initiated, queued, connected,
 * disconnected…) come from EventBridge and are forwarded to the same stream, keyed by contact.
 */
export class ContactEventsToStream extends Construct {
  constructor(scope: Construct, id: string, props: { instanceArn: string; stream: kinesis.IStream }) {
    super(scope, id);
    for (const resourceType of ['CONTACT_TRACE_RECORDS', 'AGENT_EVENTS'])
      new connect.CfnInstanceStorageConfig(this, resourceType, {
        instanceArn: props.instanceArn,
        resourceType,
        storageType: 'KINESIS_STREAM',
        kinesisStreamConfig: { streamArn: props.stream.streamArn },
      });
    new events.Rule(this, 'ContactEvents', {
      description: 'Amazon Connect contact events to the event stream',
      eventPattern: {
        source: ['aws.connect'],
        detailType: ['Amazon Connect Contact Event'],
        resources: [props.instanceArn],
      },
      targets: [new targets.KinesisStream(props.stream, { partitionKeyPath: '$.detail.contactId' })],
    });
    // The rule's target role is created beside the stream.
    for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*'])
      Validations.of(props.stream).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `${action} is what KMS requires to write a record to the encrypted stream; the statement is scoped to the stream's own key.`,
      });
  }
}
