import {
  CfnElement,
  Duration,
  Stack,
  TimeZone,
  Validations,
  type aws_lambda as lambda,
  aws_scheduler as scheduler,
  aws_scheduler_targets as targets,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface DailyScheduleProps {
  readonly fn: lambda.IFunction;
  readonly description: string;
  /** Local hour (0–23) in `timeZone`. */
  readonly hour: number;
  readonly timeZone: string;
}

/** A dead-letter queue for failed asynchronous work, encrypted and kept two weeks. */
export function deadLetterQueue(scope: Construct, id: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is itself a dead-letter destination (of a schedule or an asynchronous invocation).',
  });
  return queue;
}

/**
 * Runs a function on a schedule expression. Two retries, then the event goes to a dead-letter queue.
 */
export class FunctionSchedule extends Construct {
  readonly schedule: scheduler.Schedule;
  readonly deadLetters: sqs.Queue;

  constructor(
    scope: Construct,
    id: string,
    props: {
      readonly fn: lambda.IFunction;
      readonly description: string;
      readonly expression: scheduler.ScheduleExpression;
      readonly maxEventAge: Duration;
    },
  ) {
    super(scope, id);
    this.deadLetters = deadLetterQueue(this, 'DeadLetters');
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: props.description,
      schedule: props.expression,
      target: new targets.LambdaInvoke(props.fn, {
        retryAttempts: 2,
        maxEventAge: props.maxEventAge,
        deadLetterQueue: this.deadLetters,
      }),
    });
    // The scheduler's role may invoke the function and its versions: that is the ":*" cdk-nag sees.
    const fnId = Stack.of(this).getLogicalId(props.fn.node.defaultChild as CfnElement);
    Validations.of(Stack.of(this)).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${fnId}.Arn>:*]`,
      reason: 'The schedule role may invoke this one function (and its versions), nothing else.',
    });
  }
}

/**
 * Runs a function every day at a local hour of the deployment's time zone (daylight saving included); the
 * function consults the business calendar itself.
 */
export class DailySchedule extends FunctionSchedule {
  constructor(scope: Construct, id: string, props: DailyScheduleProps) {
    super(scope, id, {
      fn: props.fn,
      description: props.description,
      expression: scheduler.ScheduleExpression.cron({
        minute: '0',
        hour: String(props.hour),
        timeZone: TimeZone.of(props.timeZone),
      }),
      maxEventAge: Duration.hours(2),
    });
  }
}

/** Runs a function every minute; an event not delivered within five minutes is stale (the next one follows). */
export class MinuteSchedule extends FunctionSchedule {
  constructor(scope: Construct, id: string, props: { fn: lambda.IFunction; description: string }) {
    super(scope, id, {
      ...props,
      expression: scheduler.ScheduleExpression.rate(Duration.minutes(1)),
      maxEventAge: Duration.minutes(5),
    });
  }
}
