import { App, Stack, aws_kinesis as kinesis, aws_lambda as lambda } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { StreamConsumer } from '../../infra/constructs/stream-consumer';

// The metrics aggregator is wired with this construct when its handler lands; here a minimal function stands
// in so the construct's own bounds, dead-letter queue and alarms can be asserted.
const stack = new Stack(new App(), 'Consumer');
const fn = new lambda.Function(stack, 'Fn', {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] });'),
});
const consumer = new StreamConsumer(stack, 'Consumer', { fn, stream: new kinesis.Stream(stack, 'Stream') });
const template = Template.fromStack(stack);

describe('stream consumer', () => {
  it('sets every bound of the event source mapping: nothing retries forever', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 500,
      MaximumBatchingWindowInSeconds: 0,
      ParallelizationFactor: 2,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('keeps what it gives up on in an encrypted dead-letter queue, and alarms on lag, errors and dead letters', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
    expect(consumer.alarms).toHaveLength(3);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'IteratorAge',
      Threshold: 60_000,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
    });
  });
});
