import {
  Duration,
  Fn,
  Validations,
  aws_cloudwatch as cloudwatch,
  type aws_dynamodb as dynamodb,
  aws_iam as iam,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { CompiledConfig } from '../../shared/config/load';
import { ENV, messagingSourcesOf } from '../../shared/runtime/env';
import { BundledFunction, grantTable } from './bundled-function';
import { DailySchedule } from './daily-schedule';
import { LoggedMessageAlarm } from './function-alarms';
import { StreamConsumer } from './stream-consumer';

export interface OutboundContactsProps {
  readonly config: CompiledConfig;
  readonly casesTable: dynamodb.ITableV2;
  readonly citizensTable: dynamodb.ITableV2;
  readonly instanceArn: string;
  /** How cdk-nag names the instance ARN in a policy (`<Logical.Arn>` for one created here). */
  readonly instanceArnInPolicy: string;
  readonly outboundMessageFlowArn: string;
  readonly followUpTaskFlowArn: string;
  /** The follow-up task flow's name, for its error alarm. */
  readonly followUpTaskFlowName: string;
  /** JSON [queue ARN, department] pairs. */
  readonly queueDepartments: string;
  /** Local hour of the follow-up. Default 8. */
  readonly followUpHour?: number;
}

/** The ids inside Connect ARNs: `instance/<id>` (part 1) and `instance/<id>/contact-flow/<id>` (part 3). */
export const arnPart = (arn: string, index: number) =>
  Fn.select(index, Fn.split('/', Fn.select(5, Fn.split(':', arn))));

/**
 * The contacts Ventanilla starts itself: proactive SMS/WhatsApp messages (answers, requested links) from the
 * cases table's stream, and the daily follow-up tasks. Each function may start only its own kind of contact,
 * through its own flow, on this instance.
 */
export class OutboundContacts extends Construct {
  readonly notifier: BundledFunction;
  readonly followUp: BundledFunction;
  /**
   * Sending one message through the outbound flow and nothing else: the citizens' sign-in codes, sent by the
   * citizens' API of the application stack, which attaches this policy.
   */
  readonly codeSenderPolicy: iam.ManagedPolicy;
  readonly outboundMessageFlowArn: string;
  readonly followUpAlarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: OutboundContactsProps) {
    super(scope, id);
    const { config, casesTable, citizensTable } = props;
    const instanceId = arnPart(props.instanceArn, 1);
    const flowId = (arn: string) => arnPart(arn, 3);
    const contacts = `${props.instanceArn}/contact/*`;
    const tables = {
      [ENV.CASES_TABLE]: casesTable.tableName,
      [ENV.CITIZENS_TABLE]: citizensTable.tableName,
    };
    const sources = config.deployment.messaging ?? {};
    /** Starting a message: a contact of this instance, through the outbound flow, from the numbers configured. */
    const sending = [
      contacts,
      props.outboundMessageFlowArn,
      ...[sources.sms, sources.whatsapp].filter((a): a is string => a !== undefined),
    ];

    this.notifier = new BundledFunction(this, 'case-notifier', {
      name: 'case-notifier',
      description: 'Sends answers and requested links by SMS or WhatsApp, then moves the case on',
      config,
      environment: {
        ...tables,
        [ENV.CONNECT_INSTANCE_ID]: instanceId,
        [ENV.OUTBOUND_FLOW_ID]: flowId(props.outboundMessageFlowArn),
        [ENV.MESSAGING_SOURCES]: messagingSourcesOf(sources),
      },
      timeout: Duration.seconds(30),
    });
    // The case, its contacts and its transition (COMMUNICATED or RESOLVED closes it: its topic's guard goes);
    // the owner, their screen pops, the per-number message counts and each message's text, kept for its flow
    // to read by reference. Nothing deleted or batch-written there.
    grantTable(this.notifier, casesTable, ['GetItem', 'Query', 'PutItem', 'DeleteItem']);
    grantTable(this.notifier, citizensTable, ['GetItem', 'PutItem', 'UpdateItem']);
    this.notifier.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['connect:StartOutboundChatContact'],
        resources: sending,
      }),
    );
    new LoggedMessageAlarm(this, 'NotifierSkippedRecords', {
      logGroup: this.notifier.logGroup,
      message: 'record skipped',
      metricName: 'NotifierSkippedRecords',
      description: 'The notifier passed a change no retry could fix: a citizen may not have been told',
    });
    new LoggedMessageAlarm(this, 'OutboundVolume', {
      logGroup: this.notifier.logGroup,
      message: 'batch done',
      value: 'sent',
      metricName: 'MessagesSent',
      threshold: config.deployment.outbound.alarmPerHour,
      period: Duration.hours(1),
      description:
        'More SMS/WhatsApp messages sent in an hour than the deployment expects (outbound.alarmPerHour)',
    });
    // The cases table's stream has two readers: the case events and this one.
    new StreamConsumer(this, 'NotifierConsumer', {
      fn: this.notifier.fn,
      stream: casesTable,
      batchSize: 100,
      parallelizationFactor: 1,
    });

    this.outboundMessageFlowArn = props.outboundMessageFlowArn;
    this.codeSenderPolicy = new iam.ManagedPolicy(this, 'CodeSender', {
      description: "Citizens' sign-in codes: start an outbound SMS/WhatsApp chat through the outbound flow",
      statements: [
        new iam.PolicyStatement({
          actions: ['connect:StartOutboundChatContact'],
          resources: sending,
        }),
      ],
    });
    Validations.of(this.codeSenderPolicy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${props.instanceArnInPolicy}/contact/*]`,
      reason:
        'Connect names a contact only once it is started; the statement is limited to this instance and to the outbound flow.',
    });

    this.followUp = new BundledFunction(this, 'follow-up', {
      name: 'follow-up',
      description: 'Daily follow-up: overdue cases and unsettled self-service requests as Connect tasks',
      config,
      environment: {
        [ENV.CASES_TABLE]: casesTable.tableName,
        [ENV.CONNECT_INSTANCE_ID]: instanceId,
        [ENV.FOLLOW_UP_FLOW_ID]: flowId(props.followUpTaskFlowArn),
        [ENV.QUEUE_DEPARTMENTS]: props.queueDepartments,
      },
      timeout: Duration.minutes(15),
      memorySize: 1024,
    });
    // The follow-up reads cases from the status index, and puts and reads its markers: nothing else.
    grantTable(this.followUp, casesTable, ['BatchGetItem', 'PutItem'], ['byStatus']);
    this.followUp.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['connect:StartTaskContact'],
        resources: [contacts, props.followUpTaskFlowArn],
      }),
    );
    const schedule = new DailySchedule(this, 'FollowUpSchedule', {
      fn: this.followUp.fn,
      description: 'Ventanilla daily follow-up; the business calendar decides per department',
      hour: props.followUpHour ?? 8,
      timeZone: config.deployment.timeZone,
    });

    // No follow-up is lost unseen: a run that could not start every task fails (retried twice, then kept in
    // the schedule's dead-letter queue), and a task both queues refused takes its flow's error branch.
    const alarm = (name: string, metric: cloudwatch.IMetric, description: string) =>
      new cloudwatch.Alarm(this, name, {
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    this.followUpAlarms = [
      alarm(
        'FollowUpErrors',
        this.followUp.fn.metricErrors({ period: Duration.minutes(5) }),
        'The daily follow-up could not start every task: the run is retried; tasks not started are started by the next run',
      ),
      alarm(
        'FollowUpDeadLetters',
        schedule.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
        'The daily follow-up failed after its retries: run it again (tasks already started are not repeated)',
      ),
      alarm(
        'FollowUpTaskFlowErrors',
        new cloudwatch.Metric({
          namespace: 'AWS/Connect',
          metricName: 'ContactFlowErrors',
          dimensionsMap: {
            InstanceId: instanceId,
            MetricGroup: 'ContactFlow',
            ContactFlowName: props.followUpTaskFlowName,
          },
          statistic: 'Sum',
          period: Duration.minutes(5),
        }),
        "A follow-up task was refused by its department's queue and the general queue: it ended unqueued; the next daily run follows the case up again",
      ),
    ];

    for (const fn of [this.notifier, this.followUp])
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${props.instanceArnInPolicy}/contact/*]`,
        reason:
          'Connect names a contact only once it is started; the statement is limited to this instance and to the one flow the function starts.',
      });
  }
}
