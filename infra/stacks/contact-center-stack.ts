import { onLine } from '../../shared/domain/catalogue';
import { generalDepartment } from '../../shared/domain/departments';
import {
  Stack,
  type StackProps,
  aws_dynamodb as dynamodb,
  aws_iam as iam,
  aws_kinesis as kinesis,
  Validations,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { TableId } from '../../shared/adapters/dynamodb/tables';
import type { CompiledConfig } from '../../shared/config/load';
import { ENV, queueDepartmentPairs } from '../../shared/runtime/env';
import { grantTable } from '../constructs/bundled-function';
import { arnPart } from '../constructs/outbound-contacts';
import { ConnectFunction } from '../constructs/connect-function';
import { ConnectInstance } from '../constructs/connect-instance';
import { ContactEventsToStream } from '../constructs/contact-events';
import { ContactFlows } from '../constructs/contact-flows';
import { DepartmentQueues } from '../constructs/department-queues';
import { FunctionErrorAlarms } from '../constructs/function-alarms';
import { OutboundContacts } from '../constructs/outbound-contacts';
import { PhoneNumberFlows } from '../constructs/phone-numbers';
import { TextBot } from '../constructs/text-bot';

export interface ContactCenterStackProps extends StackProps {
  readonly config: CompiledConfig;
  readonly tables: Readonly<Record<TableId, dynamodb.ITableV2>>;
  readonly stream: kinesis.IStream;
  /** The department whose queue takes callers who ask for a person outside a topic. */
  readonly generalDepartment?: string;
}

/**
 * Amazon Connect and what it calls: the instance, hours and queues, the functions flows invoke (each with
 * only the table actions it needs), the flows, and the streaming of records and events.
 */
export class ContactCenterStack extends Stack {
  readonly functions: Record<'lookup' | 'createCase' | 'status' | 'message' | 'consent', ConnectFunction> & {
    readonly appointments?: ConnectFunction;
    readonly callbacks?: ConnectFunction;
  };
  /** Queue ARN per department id. */
  readonly queueArns: Readonly<Record<string, string>>;
  readonly instanceArn: string;
  /** Allows `connect:DeleteContactData` on the instance's contacts and nothing else: an erasure's. */
  readonly contactDataPolicy: iam.ManagedPolicy;
  /** Proactive messages and daily follow-up tasks: the contacts Ventanilla starts itself. */
  readonly outbound: OutboundContacts;

  constructor(scope: Construct, id: string, props: ContactCenterStackProps) {
    super(scope, id, props);
    const { config, tables } = props;
    const { deployment } = config;
    const instance = new ConnectInstance(this, 'Instance', deployment);
    const instanceArn = (this.instanceArn = instance.instanceArn);
    const queues = new DepartmentQueues(this, 'Departments', { instanceArn, deployment });
    this.queueArns = queues.queueArns;

    const environment = {
      [ENV.CITIZENS_TABLE]: tables.citizens.tableName,
      [ENV.CASES_TABLE]: tables.cases.tableName,
    };
    const fn = (name: string, description: string, more: Record<string, string> = {}) =>
      new ConnectFunction(this, name, {
        name,
        description,
        instanceArn,
        config,
        environment: { ...environment, ...more },
      });
    this.functions = {
      // The lookup also reads the surge switches (in the metrics table: nothing personal).
      lookup: fn('connect-lookup', 'Who is calling: the screen pop; which departments are in surge', {
        [ENV.METRICS_TABLE]: tables.metrics.tableName,
      }),
      createCase: fn('connect-case', 'Open a case or append the contact to the open one'),
      status: fn('connect-case-status', 'The ticket status line'),
      message: fn('connect-message', "A proactive message's text, read by its reference"),
      consent: fn('connect-consent', 'STOP and START of proactive messages, from SMS and WhatsApp'),
      ...(deployment.appointments
        ? {
            appointments: fn(
              'connect-appointments',
              'Appointments on the lines: free slots, holds, bookings',
            ),
          }
        : {}),
      ...(deployment.callbacks
        ? {
            callbacks: fn(
              'connect-callbacks',
              'Queued callbacks: one pending per number, kept or cancelled',
              {
                [ENV.CONNECT_INSTANCE_ID]: arnPart(instanceArn, 1),
              },
            ),
          }
        : {}),
    };
    // Least privilege: each function gets only the item actions its use case performs, on the tables only.
    const { citizens, cases } = tables;
    // The screen pop where the number lands; a caller's proof: the number's failures of the day (read, then
    // counted) and the contact's verification (set).
    grantTable(this.functions.lookup, citizens, ['GetItem', 'UpdateItem']);
    grantTable(this.functions.lookup, tables.metrics, ['BatchGetItem']);
    // The intake: one BatchGetItem, then one transaction (the open case's guard checked or claimed).
    grantTable(this.functions.createCase, cases, ['BatchGetItem', 'PutItem', 'ConditionCheckItem']);
    grantTable(this.functions.createCase, citizens, ['BatchGetItem', 'PutItem', 'UpdateItem']);
    // The status line: the contact's verification and one BatchGetItem; reading out an answer closes the case
    // (its guard goes).
    grantTable(this.functions.status, cases, ['BatchGetItem', 'PutItem', 'DeleteItem']);
    grantTable(this.functions.status, citizens, ['GetItem', 'BatchGetItem', 'UpdateItem']);
    // The outbound flow's message text, by its id: one read.
    grantTable(this.functions.message, citizens, ['GetItem']);
    // A number's consent: one conditional update; when it holds already, one read of it.
    grantTable(this.functions.consent, citizens, ['UpdateItem', 'GetItem']);
    if (this.functions.appointments) {
      // Free slots (a BatchGetItem of their counts), the caller's bookings (the citizen index), a hold, a yes
      // or a cancellation (one transaction each), and a look for holds run out when a slot is full; the caller's
      // verification and citizen, made provisional when the number is new (its identity claimed in a transaction).
      grantTable(
        this.functions.appointments,
        cases,
        ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
        ['byCitizen'],
      );
      grantTable(this.functions.appointments, citizens, ['GetItem', 'PutItem']);
    }
    if (this.functions.callbacks) {
      // The number's request (read, claimed or ended by a conditional update) and the pointer from the
      // inbound contact to it; a cancelled callback's contact found among the instance's callbacks and stopped.
      grantTable(this.functions.callbacks, citizens, ['GetItem', 'UpdateItem', 'PutItem']);
      this.functions.callbacks.role.addToPolicy(
        new iam.PolicyStatement({ actions: ['connect:SearchContacts'], resources: [instanceArn] }),
      );
      this.functions.callbacks.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['connect:StopContact'],
          resources: [`${instanceArn}/contact/*`],
        }),
      );
      Validations.of(this.functions.callbacks.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${instance.arnInPolicy}/contact/*]`,
        reason:
          'A callback contact is named only once Connect made it; the statement is limited to stopping contacts of this instance.',
      });
    }

    // A citizen's erasure asks Connect to delete what it holds of their contacts; the staff API's role takes
    // this policy (in the application stack).
    this.contactDataPolicy = new iam.ManagedPolicy(this, 'ContactDataErasure', {
      description: "Erasure: delete the customer's data of the instance's contacts",
      statements: [
        new iam.PolicyStatement({
          actions: ['connect:DeleteContactData'],
          resources: [`${instanceArn}/contact/*`],
        }),
      ],
    });
    Validations.of(this.contactDataPolicy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${instance.arnInPolicy}/contact/*]`,
      reason:
        "An erasure names contacts only at run time; the statement allows nothing but deleting a contact's customer data, on this instance.",
    });

    const general = props.generalDepartment ?? generalDepartment(deployment);
    const arns = {
      lookup: this.functions.lookup.fn.functionArn,
      createCase: this.functions.createCase.fn.functionArn,
      status: this.functions.status.fn.functionArn,
      message: this.functions.message.fn.functionArn,
      consent: this.functions.consent.fn.functionArn,
      ...(this.functions.appointments ? { appointments: this.functions.appointments.fn.functionArn } : {}),
      ...(this.functions.callbacks ? { callbacks: this.functions.callbacks.fn.functionArn } : {}),
    };
    const bot = new TextBot(this, 'TextBot', {
      instanceArn,
      name: `ventanilla-${deployment.id}`,
      languages: deployment.languages,
      catalogue: config.catalogue.filter(onLine),
      choices: !!deployment.appointments,
    });
    const flows = new ContactFlows(this, 'Flows', {
      lexAliases: bot.aliasArns,
      instanceArn,
      deployment,
      catalogue: config.catalogue.filter(onLine),
      functions: arns,
      queues: queues.queueArns,
      generalDepartment: general,
      connectFunctions: new Set(Object.values(arns)),
    });
    this.outbound = new OutboundContacts(this, 'Outbound', {
      config,
      casesTable: tables.cases,
      citizensTable: tables.citizens,
      instanceArn,
      instanceArnInPolicy: instance.arnInPolicy,
      outboundMessageFlowArn: flows.outboundMessageArn,
      followUpTaskFlowArn: flows.followUpTaskArn,
      followUpTaskFlowName: flows.followUpTaskName,
      queueDepartments: this.toJsonString(queueDepartmentPairs(this.queueArns)),
    });
    const flowArns = {
      'inbound-voice': flows.inboundVoiceArn,
      'status-line': flows.statusLineArn,
      'inbound-text': flows.inboundTextArn,
    };
    if (deployment.phoneNumbers?.length)
      new PhoneNumberFlows(this, 'PhoneNumbers', {
        instanceArn,
        numbers: deployment.phoneNumbers.map((n) => ({ arn: n.arn, flowArn: flowArns[n.flow] })),
      });
    new ContactEventsToStream(this, 'Events', { instanceArn, stream: props.stream });
    new FunctionErrorAlarms(
      this,
      'Alarms',
      Object.values(this.functions).map((f) => f.fn),
    );
  }
}
