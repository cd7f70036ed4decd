import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { compileConfig } from '../../shared/config/load';
import { ContactCenterStack } from '../../infra/stacks/contact-center-stack';
import { DataStack } from '../../infra/stacks/data-stack';

type Resource = { Type: string; Properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any

function synth() {
  // Skip bundling: these tests read the templates, not the code.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const config = compileConfig('config/city-hall');
  const data = new DataStack(app, 'Data');
  const stack = new ContactCenterStack(app, 'ContactCenter', {
    config,
    tables: data.data.tables,
    stream: data.events.stream,
  });
  return { template: Template.fromStack(stack), data: Template.fromStack(data), config };
}

const { template, data, config } = synth();
const resources = (type: string): [string, Resource][] =>
  Object.entries(template.findResources(type)) as [string, Resource][];
const functionId = (name: string) =>
  resources('AWS::Lambda::Function').find(([id]) => id.startsWith(`${name.replace(/-/g, '')}Function`))![0];

describe('contact center stack', () => {
  it('runs each Connect function on arm64 Node 22 with the shared env names and a timeout under the flow limit', () => {
    const fns = resources('AWS::Lambda::Function').filter(([id]) => id.startsWith('connect'));
    // The lookup, the case, the status line, the outbound message's text, STOP/START, the appointments and the
    // callbacks (the deployment has both).
    expect(fns.map(([id]) => id.replace(/Function[0-9A-F]{8}$/, ''))).toEqual([
      'connectlookup',
      'connectcase',
      'connectcasestatus',
      'connectmessage',
      'connectconsent',
      'connectappointments',
      'connectcallbacks',
    ]);
    // The lookup reads the surge switches (metrics table); the callbacks stop contacts on the instance.
    const more: Record<string, string[]> = {
      connectlookup: ['METRICS_TABLE'],
      connectcallbacks: ['CONNECT_INSTANCE_ID'],
    };
    for (const [id, fn] of fns) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Timeout: 3 });
      expect(Object.keys(fn.Properties.Environment.Variables).sort()).toEqual(
        [
          'CASES_TABLE',
          'CITIZENS_TABLE',
          'POWERTOOLS_SERVICE_NAME',
          ...(more[id.replace(/Function[0-9A-F]{8}$/, '')] ?? []),
        ].sort(),
      );
    }
  });

  it('associates every function with the instance and lets only Connect, from this instance and account, invoke it', () => {
    for (const name of ['connect-lookup', 'connect-case', 'connect-case-status']) {
      const id = functionId(name);
      template.hasResourceProperties('AWS::Connect::IntegrationAssociation', {
        IntegrationType: 'LAMBDA_FUNCTION',
        IntegrationArn: { 'Fn::GetAtt': [id, 'Arn'] },
        InstanceId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Instance[0-9A-F]{8}$'), 'Arn'] },
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [id, 'Arn'] },
        Principal: 'connect.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Instance[0-9A-F]{8}$'), 'Arn'] },
        SourceAccount: { Ref: 'AWS::AccountId' },
      });
    }
  });

  it('gives each function only the table actions it needs', () => {
    const actionsOf = (name: string) => {
      const role = template.toJSON().Resources[functionId(name)].Properties.Role['Fn::GetAtt'][0];
      const policies = resources('AWS::IAM::Policy').filter(([, p]) =>
        p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role),
      );
      return new Set(
        policies.flatMap(([, p]) =>
          p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) =>
            [s.Action].flat(),
          ),
        ),
      );
    };
    const logs = ['logs:CreateLogStream', 'logs:PutLogEvents'];
    expect(actionsOf('connect-lookup')).toEqual(
      new Set([...logs, 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:BatchGetItem']),
    );
    // The callbacks: the number's request and its pointer; a cancelled callback found and stopped.
    expect(actionsOf('connect-callbacks')).toEqual(
      new Set([
        ...logs,
        'dynamodb:GetItem',
        'dynamodb:UpdateItem',
        'dynamodb:PutItem',
        'connect:SearchContacts',
        'connect:StopContact',
      ]),
    );
    // No managed policy: the execution roles hold only these statements.
    for (const [, role] of resources('AWS::IAM::Role'))
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(actionsOf('connect-case')).toEqual(
      new Set([
        ...logs,
        'dynamodb:BatchGetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:ConditionCheckItem',
      ]),
    );
    for (const name of ['connect-lookup', 'connect-case', 'connect-case-status'])
      for (const action of actionsOf(name)) expect(action).not.toMatch(/Scan|Query|DeleteTable|\*/);
  });

  it("offers an erasure's policy that allows deleting contacts' customer data on this instance, and nothing else; and a code sender's that starts messages through the outbound flow only", () => {
    const policies = Object.fromEntries(
      resources('AWS::IAM::ManagedPolicy').map(([id, p]) => [
        id.replace(/[0-9A-F]{8}$/, ''),
        (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
      ]),
    );
    expect(Object.keys(policies).sort()).toEqual(['ContactDataErasure', 'OutboundCodeSender']);
    const onContacts = {
      'Fn::Join': ['', [expect.objectContaining({ 'Fn::GetAtt': expect.any(Array) }), '/contact/*']],
    };
    expect(policies.ContactDataErasure).toEqual([
      { Effect: 'Allow', Action: 'connect:DeleteContactData', Resource: onContacts },
    ]);
    expect(policies.OutboundCodeSender).toEqual([
      {
        Effect: 'Allow',
        Action: 'connect:StartOutboundChatContact',
        Resource: [
          onContacts,
          { 'Fn::GetAtt': [expect.stringMatching(/^Flowsoutboundmessage/), 'ContactFlowArn'] },
        ],
      },
    ]);
  });

  it('creates one queue per department with its hours in the deployment time zone and holidays closed', () => {
    expect(resources('AWS::Connect::Queue')).toHaveLength(config.deployment.departments.length);
    template.hasResourceProperties('AWS::Connect::HoursOfOperation', {
      Name: 'Treasury and taxes hours',
      TimeZone: 'America/Panama',
      Config: Match.arrayWith([
        { Day: 'MONDAY', StartTime: { Hours: 8, Minutes: 0 }, EndTime: { Hours: 16, Minutes: 0 } },
      ]),
      HoursOfOperationOverrides: Match.arrayWith([
        Match.objectLike({ EffectiveFrom: '2026-11-03', EffectiveTill: '2026-11-03', OverrideConfig: [] }),
      ]),
    });
  });

  it('streams contact records and agent events to Kinesis, and forwards contact events from EventBridge', () => {
    for (const type of ['CONTACT_TRACE_RECORDS', 'AGENT_EVENTS'])
      template.hasResourceProperties('AWS::Connect::InstanceStorageConfig', {
        ResourceType: type,
        StorageType: 'KINESIS_STREAM',
      });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.connect'], 'detail-type': ['Amazon Connect Contact Event'] },
      Targets: [Match.objectLike({ KinesisParameters: { PartitionKeyPath: '$.detail.contactId' } })],
    });
    data.hasResourceProperties('AWS::Kinesis::Stream', { StreamEncryption: { EncryptionType: 'KMS' } });
  });

  it('deploys the generated flows with the function ARNs resolved inside their content', () => {
    const flows = resources('AWS::Connect::ContactFlow');
    expect(flows.map(([, f]) => f.Properties.Name).sort()).toEqual([
      'Ventanilla Follow-up task to the department queue',
      'Ventanilla Inbound chat, SMS and WhatsApp',
      'Ventanilla Inbound voice',
      'Ventanilla Proactive message (answer or requested link)',
      'Ventanilla Ticket status line',
      'Ventanilla While a caller waits',
    ]);
    const voice = flows.find(([, f]) => f.Properties.Name === 'Ventanilla Inbound voice')![1];
    const content = JSON.stringify(voice.Properties.Content);
    for (const name of ['connect-lookup', 'connect-case', 'connect-case-status'])
      expect(content).toContain(JSON.stringify({ 'Fn::GetAtt': [functionId(name), 'Arn'] }));
    expect(content).not.toContain('${Token');
  });
});

describe('contacts Ventanilla starts', () => {
  const policyActions = (name: string): string[] => {
    const [, fn] = resources('AWS::Lambda::Function').find(([id]) => id === functionId(name))!;
    const role = fn.Properties.Role['Fn::GetAtt'][0] as string;
    return resources('AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(role))
      .flatMap(([, p]) =>
        p.Properties.PolicyDocument.Statement.flatMap((st: { Action: string | string[] }) => st.Action),
      );
  };

  it('runs the follow-up every morning in the deployment time zone, retried, with a dead-letter queue', () => {
    const [, schedule] = resources('AWS::Scheduler::Schedule')[0]!;
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 8 * * ? *)',
      ScheduleExpressionTimezone: 'America/Panama',
      Target: { RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: { Arn: expect.anything() } },
    });
    expect(JSON.stringify(schedule.Properties.Target.Arn)).toContain(functionId('Outboundfollowup'));
  });

  it("alarms when a follow-up could not be started or queued: the run's errors, its dead letters, the task flow's errors", () => {
    const alarms = resources('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const flowErrors = alarms.find((a) => a.MetricName === 'ContactFlowErrors');
    expect(flowErrors).toMatchObject({
      Namespace: 'AWS/Connect',
      Threshold: 1,
      Dimensions: expect.arrayContaining([
        { Name: 'MetricGroup', Value: 'ContactFlow' },
        { Name: 'ContactFlowName', Value: 'Ventanilla Follow-up task to the department queue' },
      ]),
    });
    expect(
      alarms.some(
        (a) =>
          a.MetricName === 'Errors' && JSON.stringify(a.Dimensions).includes(functionId('Outboundfollowup')),
      ),
    ).toBe(true);
    expect(alarms.some((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible')).toBe(true);
  });

  it('counts the changes the notifier passes because no retry could fix them, and alarms on them', () => {
    const filters = resources('AWS::Logs::MetricFilter').map(([, f]) => f.Properties);
    expect(filters).toContainEqual(
      expect.objectContaining({
        FilterPattern: '{ $.message = "record skipped" }',
        MetricTransformations: [expect.objectContaining({ MetricName: 'NotifierSkippedRecords' })],
      }),
    );
    expect(
      resources('AWS::CloudWatch::Alarm').some(
        ([, a]) => a.Properties.MetricName === 'NotifierSkippedRecords',
      ),
    ).toBe(true);
  });

  it("alarms when an hour's outbound messages pass the deployment's expected volume", () => {
    const filters = resources('AWS::Logs::MetricFilter').map(([, f]) => f.Properties);
    expect(filters).toContainEqual(
      expect.objectContaining({
        FilterPattern: '{ $.message = "batch done" }',
        MetricTransformations: [
          expect.objectContaining({ MetricName: 'MessagesSent', MetricValue: '$.sent' }),
        ],
      }),
    );
    const alarm = resources('AWS::CloudWatch::Alarm').find(
      ([, a]) => a.Properties.MetricName === 'MessagesSent',
    )?.[1].Properties;
    expect(alarm).toMatchObject({ Threshold: 500, Period: 3600, Statistic: 'Sum' });
  });

  it('lets each function start only its own kind of contact', () => {
    expect(policyActions('Outboundfollowup')).toContain('connect:StartTaskContact');
    expect(policyActions('Outboundfollowup')).not.toContain('connect:StartOutboundChatContact');
    expect(policyActions('Outboundcasenotifier')).toContain('connect:StartOutboundChatContact');
    expect(policyActions('Outboundcasenotifier')).not.toContain('connect:StartTaskContact');
    for (const name of ['connect-lookup', 'connect-case', 'connect-case-status'])
      expect(policyActions(name).some((a) => a.startsWith('connect:Start'))).toBe(false);
  });

  it('sends proactive messages from the cases table stream with partial batch responses', () => {
    const notifier = resources('AWS::Lambda::EventSourceMapping').filter(([, m]) =>
      JSON.stringify(m.Properties.FunctionName).includes('casenotifier'),
    );
    expect(notifier).toHaveLength(1);
    expect(notifier[0]![1].Properties).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      ParallelizationFactor: 1,
    });
  });
});

describe('text channels', () => {
  it('generate a Lex bot with one intent per catalogue entry in each language, plus a person and the fallback', () => {
    const [, bot] = resources('AWS::Lex::Bot')[0]!;
    const locales = bot.Properties.BotLocales as { LocaleId: string; Intents: { Name: string }[] }[];
    expect(locales.map((l) => l.LocaleId)).toEqual(['es_419', 'en_US']);
    // A person, the fallback, STOP and START, and the appointments' numbered replies (1–3), yes and cancel.
    // The procedures on the lines only: a data-protection request is registered by staff.
    const onLines = config.catalogue.filter((e) => e.menuKey !== undefined).length;
    expect(onLines).toBeLessThan(config.catalogue.length);
    for (const locale of locales) expect(locale.Intents).toHaveLength(onLines + 2 + 2 + 5);
  });

  it('associate the bot alias with the instance and let only Connect use it', () => {
    template.hasResourceProperties('AWS::Connect::IntegrationAssociation', { IntegrationType: 'LEX_BOT' });
    template.hasResourceProperties('AWS::Lex::ResourcePolicy', {
      Policy: Match.objectLike({
        Statement: [
          Match.objectLike({
            Principal: { Service: 'connect.amazonaws.com' },
            Action: ['lex:RecognizeText', 'lex:StartConversation'],
          }),
        ],
      }),
    });
  });
});

describe('phone numbers', () => {
  it('points each configured number at its flow through a custom resource, and passes cdk-nag', () => {
    const app = new App({
      outdir: mkdtempSync(join(tmpdir(), 'ventanilla-synth-')),
      context: { 'aws:cdk:bundling-stacks': [] },
    });
    const base = compileConfig('config/city-hall');
    const numberArn =
      'arn:aws:connect:us-east-1:111122223333:phone-number/0b7ab1c2-3d4e-4f50-8a6b-7c8d9e0f1a2b';
    const withNumber = {
      ...base,
      deployment: { ...base.deployment, phoneNumbers: [{ arn: numberArn, flow: 'status-line' as const }] },
    };
    const data = new DataStack(app, 'Data');
    const stack = new ContactCenterStack(app, 'WithNumber', {
      config: withNumber,
      tables: data.data.tables,
      stream: data.events.stream,
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const t = Template.fromStack(stack);
    const [, resource] = Object.entries(t.findResources('Custom::AWS'))[0]!;
    const create = JSON.stringify(resource.Properties.Create);
    expect(create).toContain('AssociatePhoneNumberContactFlow');
    expect(create).toContain('0b7ab1c2-3d4e-4f50-8a6b-7c8d9e0f1a2b');
    expect(JSON.stringify(resource.Properties.Delete)).toContain('DisassociatePhoneNumberContactFlow');
    expect(() => app.synth()).not.toThrow();
  });
});
