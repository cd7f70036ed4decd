import { Duration, aws_cloudwatch as cloudwatch, aws_lambda as lambda, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** An alarm on any error of a function in five minutes, saying what a failure means. */
export function errorsAlarm(
  scope: Construct,
  id: string,
  fn: lambda.IFunction,
  description: string,
): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    alarmDescription: description,
    metric: fn.metricErrors({ period: Duration.minutes(5) }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

/** An alarm on any error of each function: a caller who took a flow's error branch is worth a look. */
export class FunctionErrorAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, functions: readonly lambda.IFunction[]) {
    super(scope, id);
    functions.forEach((fn, i) =>
      this.alarms.push(
        errorsAlarm(
          this,
          `errors-${i}`,
          fn,
          'A Connect-invoked function failed: the caller went down the flow error branch',
        ),
      ),
    );
  }
}

/**
 * An alarm on a message a function logs (JSON logs: `message`), counted by a metric filter in the
 * `Ventanilla` namespace: records a consumer skipped because no retry could fix them (each line counts 1, one
 * is too many), or messages sent (each line counts its `value` field, an hour's sum above a threshold).
 */
export class LoggedMessageAlarm extends Construct {
  readonly alarm: cloudwatch.Alarm;

  constructor(
    scope: Construct,
    id: string,
    props: {
      logGroup: logs.ILogGroup;
      message: string;
      metricName: string;
      description: string;
      /** A numeric field of the line to add up, instead of counting lines. */
      value?: string;
      /** The sum that raises the alarm (1) over the period (5 minutes). */
      threshold?: number;
      period?: Duration;
    },
  ) {
    super(scope, id);
    const filter = new logs.MetricFilter(this, 'Filter', {
      logGroup: props.logGroup,
      filterPattern: logs.FilterPattern.stringValue('$.message', '=', props.message),
      metricNamespace: 'Ventanilla',
      metricName: props.metricName,
      metricValue: props.value ? `$.${props.value}` : '1',
    });
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmDescription: props.description,
      metric: filter.metric({ statistic: 'Sum', period: props.period ?? Duration.minutes(5) }),
      threshold: props.threshold ?? 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
