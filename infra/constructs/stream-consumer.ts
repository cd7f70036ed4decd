import {
  Duration,
  Validations,
  aws_cloudwatch as cloudwatch,
  type aws_dynamodb as dynamodb,
  aws_kinesis as kinesis,
  aws_lambda as lambda,
  aws_lambda_event_sources as sources,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface StreamConsumerProps {
  readonly fn: lambda.IFunction;
  /** A Kinesis stream, or a DynamoDB table's stream. */
  readonly stream: kinesis.IStream | dynamodb.ITable;
  /** Records per batch. Default 500. */
  readonly batchSize?: number;
  /** Batches per shard processed at once. Default 2 (the consumer must be safe under concurrency). */
  readonly parallelizationFactor?: number;
  /** Retries of a failing batch before it goes to the dead-letter queue. Default 5. */
  readonly retryAttempts?: number;
  /** Records older than this are sent to the dead-letter queue instead of processed. Default 1 hour. */
  readonly maxRecordAge?: Duration;
  /** Iterator age that raises the alarm. Default 60 s: supervisors expect live figures. */
  readonly iteratorAgeAlarm?: Duration;
}

/**
 * A stream consumer (Kinesis or a DynamoDB table's stream) with every bound explicit (the defaults retry forever): batch size, batching window,
 * partial batch responses, bisect on error, bounded retries and record age, and an encrypted SQS
 * dead-letter queue; alarms on iterator age, function errors and dead letters.
 */
export class StreamConsumer extends Construct {
  readonly deadLetters: sqs.Queue;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: StreamConsumerProps) {
    super(scope, id);
    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter destination of the stream consumer (an on-failure destination, which cdk-nag does not see as a DLQ).',
    });
    const bounds = {
      batchSize: props.batchSize ?? 500,
      // A live dashboard cannot wait: hand records over as soon as they arrive.
      maxBatchingWindow: Duration.seconds(0),
      parallelizationFactor: props.parallelizationFactor ?? 2,
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts: props.retryAttempts ?? 5,
      maxRecordAge: props.maxRecordAge ?? Duration.hours(1),
      onFailure: new sources.SqsDlq(this.deadLetters),
    };
    props.fn.addEventSource(
      'streamArn' in props.stream
        ? new sources.KinesisEventSource(props.stream, {
            ...bounds,
            startingPosition: lambda.StartingPosition.LATEST,
          })
        : new sources.DynamoEventSource(props.stream, {
            ...bounds,
            startingPosition: lambda.StartingPosition.TRIM_HORIZON,
          }),
    );
    const alarm = (name: string, metric: cloudwatch.IMetric, threshold: number, description: string) =>
      new cloudwatch.Alarm(this, name, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
    this.alarms = [
      alarm(
        'IteratorAgeAlarm',
        new cloudwatch.Metric({
          namespace: 'AWS/Lambda',
          metricName: 'IteratorAge',
          dimensionsMap: { FunctionName: props.fn.functionName },
          statistic: 'Maximum',
          period: Duration.minutes(1),
        }),
        (props.iteratorAgeAlarm ?? Duration.seconds(60)).toMilliseconds(),
        'The consumer is falling behind the stream: live figures are late',
      ),
      alarm(
        'Errors',
        props.fn.metricErrors({ period: Duration.minutes(5) }),
        1,
        'The consumer failed a batch',
      ),
      alarm(
        'DeadLettersAlarm',
        this.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
        1,
        'Records the consumer gave up on are waiting in the dead-letter queue',
      ),
    ];
  }
}
