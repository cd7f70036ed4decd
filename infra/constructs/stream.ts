import { Duration, RemovalPolicy, Validations, aws_kinesis as kinesis, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * The stream that carries contact records, agent events, contact events and our case events to the metrics
 * aggregator. Encrypted with a customer-managed key: Amazon Connect writes to an encrypted stream only with
 * the key the instance also uses, so the key is shared with the contact-center stack.
 */
export class EventStream extends Construct {
  readonly stream: kinesis.Stream;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Ventanilla event stream and Connect data',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stream = new kinesis.Stream(this, 'Stream', {
      streamMode: kinesis.StreamMode.ON_DEMAND,
      encryption: kinesis.StreamEncryption.KMS,
      encryptionKey: this.key,
      retentionPeriod: Duration.days(7),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.stream).acknowledge({
      id: 'AwsSolutions-KDS3',
      reason:
        'A customer-managed key, not aws/kinesis, on purpose: Amazon Connect can write to an encrypted stream only with the key the instance itself uses.',
    });
  }
}
