import { aws_connect as connect } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { WEEKDAYS } from '../../shared/domain/week';
import type { Deployment } from '../../shared/domain/deployment';

const DAY_NAMES: Record<(typeof WEEKDAYS)[number], string> = {
  mon: 'MONDAY',
  tue: 'TUESDAY',
  wed: 'WEDNESDAY',
  thu: 'THURSDAY',
  fri: 'FRIDAY',
  sat: 'SATURDAY',
  sun: 'SUNDAY',
};
const time = (hhmm: string) => ({ hours: Number(hhmm.slice(0, 2)), minutes: Number(hhmm.slice(3, 5)) });

/**
 * One queue per department, each with the department's hours and the deployment's holidays as closed
 * overrides, and one routing profile that serves every queue on voice, chat and tasks.
 */
export class DepartmentQueues extends Construct {
  /** Queue ARN per department id. */
  readonly queueArns: Record<string, string> = {};
  readonly routingProfileArn: string;

  constructor(scope: Construct, id: string, props: { instanceArn: string; deployment: Deployment }) {
    super(scope, id);
    const { instanceArn, deployment } = props;
    for (const department of deployment.departments) {
      const hours = new connect.CfnHoursOfOperation(this, `${department.id}-hours`, {
        instanceArn,
        name: `${department.name.en} hours`,
        timeZone: deployment.timeZone,
        config: WEEKDAYS.flatMap((day) =>
          (department.hours[day] ?? []).map((span) => ({
            day: DAY_NAMES[day],
            startTime: time(span.open),
            endTime: time(span.close),
          })),
        ),
        hoursOfOperationOverrides: deployment.holidays.map((holiday) => ({
          overrideName: holiday.name.en.slice(0, 127),
          overrideDescription: holiday.name.es,
          effectiveFrom: holiday.date,
          effectiveTill: holiday.date,
          // No opening spans: closed all day.
          overrideConfig: [],
        })),
      });
      const queue = new connect.CfnQueue(this, `${department.id}-queue`, {
        instanceArn,
        name: department.name.en,
        description: department.name.es,
        hoursOfOperationArn: hours.attrHoursOfOperationArn,
      });
      this.queueArns[department.id] = queue.attrQueueArn;
    }
    const queues = Object.values(this.queueArns);
    const profile = new connect.CfnRoutingProfile(this, 'agents', {
      instanceArn,
      name: 'Agents',
      description: 'Every department queue, on voice, chat and tasks',
      defaultOutboundQueueArn: queues[0]!,
      mediaConcurrencies: [
        { channel: 'VOICE', concurrency: 1 },
        { channel: 'CHAT', concurrency: 3, crossChannelBehavior: { behaviorType: 'ROUTE_ANY_CHANNEL' } },
        { channel: 'TASK', concurrency: 2, crossChannelBehavior: { behaviorType: 'ROUTE_ANY_CHANNEL' } },
      ],
      queueConfigs: queues.flatMap((queueArn) =>
        ['VOICE', 'CHAT', 'TASK'].map((channel) => ({
          delay: 0,
          priority: 1,
          queueReference: { channel, queueArn },
        })),
      ),
    });
    this.routingProfileArn = profile.attrRoutingProfileArn;
  }
}
