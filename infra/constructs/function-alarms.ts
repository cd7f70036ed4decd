import { Duration, aws_cloudwatch as cloudwatch, aws_lambda as lambda } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** An alarm on any error of each function: a caller who took a flow's error branch is worth a look. */
export class FunctionErrorAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, functions: readonly lambda.IFunction[]) {
    super(scope, id);
    functions.forEach((fn, i) =>
      this.alarms.push(
        new cloudwatch.Alarm(this, `errors-${i}`, {
          alarmDescription: 'A Connect-invoked function failed: the caller went down the flow error branch',
          metric: fn.metricErrors({ period: Duration.minutes(5) }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      ),
    );
  }
}
