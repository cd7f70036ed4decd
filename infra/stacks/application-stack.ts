import type { Deployment } from '../../shared/domain/deployment';
import {
  CfnElement,
  CfnOutput,
  Duration,
  Stack,
  type StackProps,
  type aws_dynamodb as dynamodb,
  type aws_kinesis as kinesis,
} from 'aws-cdk-lib';
import {
  Validations,
  aws_apigatewayv2 as apigw,
  aws_iam as iam,
  aws_secretsmanager as secretsmanager,
} from 'aws-cdk-lib';
import { arnPart } from '../constructs/outbound-contacts';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { CompiledConfig } from '../../shared/config/load';
import { CASES_TABLE, CITIZENS_TABLE, INDEXES } from '../../shared/adapters/dynamodb/tables';
import { DailySchedule, MinuteSchedule } from '../constructs/daily-schedule';
import { ENV, messagingSourcesOf, queueDepartmentPairs } from '../../shared/runtime/env';
import { BundledFunction, grantTable } from '../constructs/bundled-function';
import { errorsAlarm, LoggedMessageAlarm } from '../constructs/function-alarms';
import { StreamConsumer } from '../constructs/stream-consumer';
import type { Construct } from 'constructs';
import { BackOffice } from '../constructs/back-office';
import { AgentWorkspaceApp } from '../constructs/agent-workspace';
import { DashboardHosting } from '../constructs/dashboard-hosting';
import { StaffIdentity } from '../constructs/identity';
import { StaffApi } from '../constructs/staff-api';
import { CitizenUploads } from '../constructs/uploads';

/** Every route of the staff API; each is behind the JWT authorizer, and the function checks the role. */
export const API_ROUTES: readonly ['GET' | 'POST', string][] = [
  ['GET', '/metrics/live'],
  ['GET', '/metrics/intervals'],
  ['GET', '/metrics/summary'],
  ['GET', '/surge'],
  ['POST', '/surge/{department}'],
  ['GET', '/surge/log'],
  ['GET', '/catalogue'],
  ['GET', '/citizens'],
  ['POST', '/citizens'],
  ['GET', '/citizens/{id}'],
  ['POST', '/citizens/{id}/identities'],
  ['POST', '/citizens/{id}/merge'],
  ['POST', '/citizens/{id}/subject-access'],
  ['POST', '/citizens/{id}/erasure'],
  ['GET', '/citizens/{id}/privacy-log'],
  ['GET', '/citizens/{id}/readers'],
  ['GET', '/admin/reading'],
  ['POST', '/citizens/{id}/rectification'],
  ['POST', '/citizens/{id}/hold'],
  ['POST', '/citizens/{id}/hold/release'],
  ['POST', '/cases/{ticket}/hold'],
  ['POST', '/cases/{ticket}/hold/release'],
  ['GET', '/admin/holds'],
  ['GET', '/admin/retention'],
  ['GET', '/cases'],
  ['POST', '/cases'],
  ['GET', '/cases/{ticket}'],
  ['POST', '/cases/{ticket}/transitions'],
  ['POST', '/cases/{ticket}/notes'],
  ['POST', '/contacts/{contactId}/wrap-up'],
  ['GET', '/supervision/cases'],
  ['GET', '/backoffice/departments'],
  ['GET', '/backoffice/batches'],
  ['GET', '/backoffice/batches/{batchId}'],
  ['GET', '/backoffice/imports'],
  ['GET', '/backoffice/imports/{fileId}'],
  ['POST', '/backoffice/exports'],
  ['POST', '/backoffice/imports'],
  ['GET', '/admin/users'],
  ['POST', '/admin/users'],
  ['POST', '/admin/users/{username}/disable'],
  ['POST', '/admin/users/{username}/enable'],
  ['POST', '/admin/users/{username}/reset'],
  ['GET', '/admin/audit'],
  ['GET', '/admin/config'],
  ['GET', '/appointments/offices'],
  ['GET', '/appointments/slots'],
  ['POST', '/appointments'],
  ['GET', '/appointments/code/{code}'],
  ['GET', '/appointments/{id}'],
  ['POST', '/appointments/{id}/cancel'],
  ['POST', '/appointments/{id}/reschedule'],
  ['GET', '/citizens/{id}/appointments'],
  ['GET', '/citizens/{id}/eligibility'],
  ['GET', '/appointments/{id}/requirements'],
  ['POST', '/appointments/{id}/documents/{kind}/review'],
  ['POST', '/appointments/offices/{officeId}/checkin'],
  ['POST', '/appointments/offices/{officeId}/call-next'],
  ['POST', '/appointments/{id}/served'],
  ['GET', '/appointments/offices/{officeId}/display'],
  ['GET', '/appointments/offices/{officeId}/day'],
  ['POST', '/appointments/offices/{officeId}/closures'],
  ['POST', '/appointments/waitlist'],
  ['GET', '/appointments/waitlist'],
];

/**
 * Every route of the citizens' API: public at the gateway (a citizen has no staff account), throttled, and
 * each (but the code and the sign-in) checked by the function against the citizen's own session.
 */
export const CITIZEN_ROUTES: readonly ['GET' | 'POST', string][] = [
  ['POST', '/citizen/code'],
  ['POST', '/citizen/session'],
  ['POST', '/citizen/session/end'],
  ['GET', '/citizen/me'],
  ['GET', '/citizen/procedures'],
  ['GET', '/citizen/slots'],
  ['POST', '/citizen/bookings'],
  ['POST', '/citizen/bookings/{id}/cancel'],
  ['POST', '/citizen/bookings/{id}/reschedule'],
  ['GET', '/citizen/bookings/{id}/requirements'],
  ['POST', '/citizen/bookings/{id}/documents/{kind}'],
  ['POST', '/citizen/bookings/{id}/documents/{kind}/sent'],
  ['POST', '/citizen/bookings/{id}/pay'],
  ['POST', '/payments/webhook'],
];
/** The citizens' sign-in routes, tighter than the rest: each code is a message sent, and a guess is a try. */
export const CITIZEN_SIGN_IN_RATE = { rate: 5, burst: 20 } as const;

export interface ApplicationStackProps extends StackProps {
  readonly config: CompiledConfig;
  readonly metricsTable: dynamodb.ITableV2;
  /** The cases table, whose stream is the outbox of case events. */
  readonly casesTable: dynamodb.ITableV2;
  readonly citizensTable: dynamodb.ITableV2;
  readonly stream: kinesis.IStream;
  /** Queue ARN per department id, so queue figures roll up to departments. */
  readonly queueArns: Readonly<Record<string, string>>;
  /** The Connect instance whose agent workspace shows the agent panel (none: the panel stands alone). */
  readonly instanceArn?: string;
  /** The contact center's policy allowing only `connect:DeleteContactData` on its contacts (erasures). */
  readonly contactDataPolicyArn?: string;
  /**
   * The contact center's policy for sending one message through its outbound flow, and that flow: the
   * citizens' sign-in codes go by SMS or WhatsApp through it (without them, into the cases table's outbox).
   */
  readonly codeSender?: { readonly policyArn: string; readonly flowArn: string };
}

/**
 * What staff use: sign-in, the JWT-protected HTTP API, the dashboard's hosting, and the metrics aggregator
 * that feeds them from the event stream. The API's routes and the dashboard page are wired as they land.
 */
export class ApplicationStack extends Stack {
  readonly identity: StaffIdentity;
  readonly api: StaffApi;
  readonly dashboard: DashboardHosting;

  readonly aggregator: BundledFunction;
  readonly apiFunction: BundledFunction;
  readonly citizenApi: BundledFunction;
  readonly caseEvents: BundledFunction;
  readonly backOffice: BackOffice;

  constructor(scope: Construct, id: string, props: ApplicationStackProps) {
    super(scope, id, props);
    const queueDepartments = this.toJsonString(queueDepartmentPairs(props.queueArns));
    this.aggregator = new BundledFunction(this, 'metrics-aggregator', {
      name: 'metrics-aggregator',
      description: 'Contact records, agent, contact and case events into live and interval metrics',
      config: props.config,
      environment: {
        [ENV.METRICS_TABLE]: props.metricsTable.tableName,
        [ENV.QUEUE_DEPARTMENTS]: queueDepartments,
        ...(props.config.deployment.callbacks ? { [ENV.CITIZENS_TABLE]: props.citizensTable.tableName } : {}),
      },
      timeout: Duration.seconds(60),
      memorySize: 1024,
    });
    // Figures are updated in place. A shard's mark and the contacts' versions read, the runs written in transactions, exits put in batches.
    grantTable(this.aggregator, props.metricsTable, [
      'GetItem',
      'BatchGetItem',
      'PutItem',
      'UpdateItem',
      'BatchWriteItem',
    ]);
    // A callback contact's record ends the request for it: the pointer read, the number's request updated.
    if (props.config.deployment.callbacks)
      grantTable(this.aggregator, props.citizensTable, ['GetItem', 'UpdateItem']);
    new StreamConsumer(this, 'MetricsConsumer', { fn: this.aggregator.fn, stream: props.stream });
    new LoggedMessageAlarm(this, 'InvalidStreamRecords', {
      logGroup: this.aggregator.logGroup,
      message: 'invalid record skipped',
      metricName: 'InvalidStreamRecords',
      description: 'The aggregator skipped stream records that fail validation: they are not in the figures',
    });

    // Case events: from the cases table's stream (the outbox) onto the event stream.
    this.caseEvents = new BundledFunction(this, 'case-events', {
      name: 'case-events',
      description: 'Case created, appended and transitioned, from the cases table stream to the event stream',
      config: props.config,
      environment: { [ENV.EVENT_STREAM]: props.stream.streamName },
      timeout: Duration.seconds(30),
    });
    props.stream.grantWrite(this.caseEvents.fn);
    for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*'])
      Validations.of(this.caseEvents.role).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `${action} is what KMS requires to put a record on the encrypted stream; the statement is scoped to the stream's own key.`,
      });
    new StreamConsumer(this, 'CaseEventsConsumer', { fn: this.caseEvents.fn, stream: props.casesTable });
    this.dashboard = new DashboardHosting(this, 'Dashboard');
    const origin = `https://${this.dashboard.distribution.distributionDomainName}`;
    this.identity = new StaffIdentity(this, 'Identity', {
      // Each staff page signs in and back to itself.
      callbackUrls: STAFF_PAGES.map((page) => `${origin}/${page}/`),
      // Unique per account: the hosted sign-in's domain prefix is global within a region.
      domainPrefix: `ventanilla-${props.config.deployment.id}-${this.account}`,
      departments: props.config.deployment.departments.map((d) => d.id),
    });
    this.api = new StaffApi(this, 'Api', {
      userPool: this.identity.userPool,
      client: this.identity.dashboardClient,
      allowOrigins: [origin],
    });
    this.apiFunction = new BundledFunction(this, 'api', {
      name: 'api',
      description: 'Staff API: metrics, the case workbench and the back office',
      config: props.config,
      environment: {
        [ENV.METRICS_TABLE]: props.metricsTable.tableName,
        [ENV.CASES_TABLE]: props.casesTable.tableName,
        [ENV.CITIZENS_TABLE]: props.citizensTable.tableName,
        [ENV.QUEUE_DEPARTMENTS]: queueDepartments,
        [ENV.USER_POOL_ID]: this.identity.userPool.userPoolId,
      },
      timeout: Duration.seconds(10),
      // Staff traffic; a flood of it must not take the concurrency the phone lines' functions need.
      reservedConcurrency: 50,
    });
    // Staff accounts, on the pool and nothing else: the administrator's list, creation (with the role's and
    // departments' groups, undone if a group fails), disabling (with its sessions signed out), re-enabling and
    // resets; and every request's check that its account is still enabled.
    this.apiFunction.role.addToPolicy(
      new iam.PolicyStatement({
        actions: STAFF_POOL_ACTIONS.map((a) => `cognito-idp:${a}`),
        resources: [this.identity.userPool.userPoolArn],
      }),
    );
    // The workbench (reads, transitions, notes, merges that move cases and their topic guards) and the
    // back office's routes (the export's and import's batch writes); citizens are registered, linked and
    // merged in transactions of puts and updates: never deleted, never batch-written.
    grantTable(
      this.apiFunction,
      props.casesTable,
      [
        'GetItem',
        'BatchGetItem',
        'Query',
        'PutItem',
        'BatchWriteItem',
        'UpdateItem',
        'DeleteItem',
        'ConditionCheckItem',
      ],
      CASES_TABLE.indexes.map((i) => i.name),
    );
    // An erasure deletes the citizen's own records (identities, timeline, proofs, message texts) one by one.
    grantTable(
      this.apiFunction,
      props.citizensTable,
      ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
      CITIZENS_TABLE.indexes.map((i) => i.name),
    );
    if (props.instanceArn) {
      // An erasure asks Connect to delete the data it holds of the citizen's contacts: the contact center's
      // policy that allows that and nothing else.
      this.apiFunction.fn.addEnvironment(ENV.CONNECT_INSTANCE_ID, arnPart(props.instanceArn, 1));
      if (props.contactDataPolicyArn)
        this.apiFunction.role.addManagedPolicy(
          iam.ManagedPolicy.fromManagedPolicyArn(this, 'ContactDataErasure', props.contactDataPolicyArn),
        );
    }
    // The live view and the figures; the surge switches (read, and each change with its audit entry).
    grantTable(
      this.apiFunction,
      props.metricsTable,
      ['BatchGetItem', 'Query', 'PutItem'],
      ['byWaitingQueue'],
    );
    const integration = new HttpLambdaIntegration('Api', this.apiFunction.fn);
    for (const [method, path] of API_ROUTES)
      new apigw.HttpRoute(this, `route-${method}${path.replace(/[/{}]/g, '-')}`, {
        httpApi: this.api.api,
        routeKey: apigw.HttpRouteKey.with(path, apigw.HttpMethod[method]),
        integration,
        authorizer: {
          bind: () => ({ authorizerId: this.api.authorizer.authorizerId, authorizationType: 'JWT' }),
        },
      });
    this.citizenApi = this.citizenApiOn(props, origin);
    if (props.config.deployment.appointments) {
      const tasks = new BundledFunction(this, 'appointment-tasks', {
        name: 'appointment-tasks',
        description: 'Every minute: holds run out, reminders due, no-shows',
        config: props.config,
        environment: { [ENV.CASES_TABLE]: props.casesTable.tableName },
        timeout: Duration.seconds(50),
        // One run at a time is plenty; a late one finds the work still there.
        reservedConcurrency: 1,
      });
      // Holds by their end and the waitlists (the table), an office's day (the status index), a waitlisted day's
      // free places (their counts in one BatchGetItem), and each change one transaction.
      grantTable(
        tasks,
        props.casesTable,
        ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
        [INDEXES.byStatus.name],
      );
      new MinuteSchedule(this, 'AppointmentTasksSchedule', {
        fn: tasks.fn,
        description: 'Ventanilla appointments: holds run out, reminders, no-shows',
      });
    }
    if (props.config.deployment.surge.rule) {
      const surgeRule = new BundledFunction(this, 'surge-rule', {
        name: 'surge-rule',
        description: 'Every minute: departments into and out of surge by the deployment rule',
        config: props.config,
        environment: {
          [ENV.METRICS_TABLE]: props.metricsTable.tableName,
          [ENV.QUEUE_DEPARTMENTS]: queueDepartments,
        },
        timeout: Duration.seconds(30),
        reservedConcurrency: 1,
      });
      // The live view (queues waiting, agents, cases by status, the stream clocks) and the switches.
      grantTable(surgeRule, props.metricsTable, ['BatchGetItem', 'Query', 'PutItem'], ['byWaitingQueue']);
      new MinuteSchedule(this, 'SurgeRuleSchedule', {
        fn: surgeRule.fn,
        description: 'Ventanilla surge rule: departments into and out of surge',
      });
    }
    // Retention: what TTL and the exchange bucket's lifecycle cannot end, each night.
    const sweep = new BundledFunction(this, 'retention-sweep', {
      name: 'retention-sweep',
      description: 'Nightly: closed cases past their retention term ended; legal holds kept',
      config: props.config,
      environment: {
        [ENV.CASES_TABLE]: props.casesTable.tableName,
        [ENV.CITIZENS_TABLE]: props.citizensTable.tableName,
      },
      timeout: Duration.minutes(15),
      memorySize: 1024,
      reservedConcurrency: 1,
    });
    // Closed cases from the status index, each partition read and deleted item by item (the history given its
    // expiry when it outlives the case), the report put; for each held citizen, their records found as a
    // subject access finds them and the expiries set aside.
    grantTable(
      sweep,
      props.casesTable,
      ['BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
      CASES_TABLE.indexes.map((i) => i.name),
    );
    grantTable(
      sweep,
      props.citizensTable,
      ['BatchGetItem', 'Query', 'UpdateItem'],
      CITIZENS_TABLE.indexes.map((i) => i.name),
    );
    new DailySchedule(this, 'RetentionSchedule', {
      fn: sweep.fn,
      description: 'Ventanilla retention sweep',
      hour: 2,
      timeZone: props.config.deployment.timeZone,
    });
    // A run that fails (some case not ended, or the run itself) is retried by the schedule; each failure is seen.
    errorsAlarm(
      this,
      'RetentionSweepErrors',
      sweep.fn,
      'The retention sweep failed: it is retried, and the next night repeats nothing done; records past their term remain until it succeeds',
    );
    this.backOffice = new BackOffice(this, 'BackOffice', {
      config: props.config,
      casesTable: props.casesTable,
      citizensTable: props.citizensTable,
      accessLogs: this.dashboard.accessLogs,
    });
    new CfnOutput(this, 'ExchangeBucket', { value: this.backOffice.bucket.bucketName });
    const ccpUrl = softphoneUrl(props.config.deployment.connect);
    this.dashboard.publish({
      pages: [...STAFF_PAGES, 'citizen'],
      api: this.api.api.apiEndpoint,
      origin,
      ...(ccpUrl ? { ccpUrl } : {}),
      cognito: {
        domain: this.identity.signInDomain,
        clientId: this.identity.dashboardClient.userPoolClientId,
      },
    });
    if (props.instanceArn)
      new AgentWorkspaceApp(this, 'AgentWorkspace', {
        instanceArn: props.instanceArn,
        origin,
        name: `ventanilla-${props.config.deployment.id}-agent-panel`,
      });
    new CfnOutput(this, 'AgentPanelUrl', { value: `${origin}/agent/` });
    new CfnOutput(this, 'CitizenPageUrl', { value: `${origin}/citizen/` });
    new CfnOutput(this, 'AdminUrl', { value: `${origin}/admin/` });
    new CfnOutput(this, 'SupervisionUrl', { value: `${origin}/supervision/` });
    new CfnOutput(this, 'BackOfficeUrl', { value: `${origin}/backoffice/` });
    if (ccpUrl) new CfnOutput(this, 'AgentSoftphonePageUrl', { value: `${origin}/agent/softphone.html` });
    new CfnOutput(this, 'ApiUrl', { value: this.api.api.apiEndpoint });
    new CfnOutput(this, 'DashboardUrl', { value: origin });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
  }

  /**
   * The citizens' API: its own function and role (never the staff API's), its routes public at the gateway
   * and throttled, the sign-in routes tighter; the codes sent through the contact center's outbound flow.
   */
  private citizenApiOn(props: ApplicationStackProps, origin: string): BundledFunction {
    const { codeSender, instanceArn } = props;
    const uploads = new CitizenUploads(this, 'Uploads', {
      keepDays: props.config.deployment.retention.document.days,
      accessLogs: this.dashboard.accessLogs,
      origin,
    }).bucket;
    const fn = new BundledFunction(this, 'citizen-api', {
      name: 'citizen-api',
      description: "Citizens' API: sign-in by a code to the phone, their cases and bookings",
      config: props.config,
      environment: {
        [ENV.CASES_TABLE]: props.casesTable.tableName,
        [ENV.CITIZENS_TABLE]: props.citizensTable.tableName,
        [ENV.UPLOADS_BUCKET]: uploads.bucketName,
        [ENV.CITIZEN_PAGE_URL]: `${origin}/citizen/`,
        ...(codeSender && instanceArn
          ? {
              [ENV.CONNECT_INSTANCE_ID]: arnPart(instanceArn, 1),
              [ENV.OUTBOUND_FLOW_ID]: arnPart(codeSender.flowArn, 3),
              [ENV.MESSAGING_SOURCES]: messagingSourcesOf(props.config.deployment.messaging),
            }
          : {}),
      },
      timeout: Duration.seconds(10),
      // The public's traffic may never take the concurrency the phone lines' functions need.
      reservedConcurrency: 20,
    });
    if (codeSender)
      fn.role.addManagedPolicy(
        iam.ManagedPolicy.fromManagedPolicyArn(this, 'CodeSender', codeSender.policyArn),
      );
    // The citizen's cases and bookings by the citizen index; the free places of the slots; bookings, a case
    // opened for a booking's documents and fee, and its confirmation written in transactions; a case's
    // documents (their partition) and its payment request.
    grantTable(
      fn,
      props.casesTable,
      ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
      [INDEXES.byCitizen.name],
    );
    // The phone's record (a new number gets a provisional one), the sign-in's counts, codes, locks and
    // sessions, each message's text for the outbound flow.
    grantTable(fn, props.citizensTable, ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem']);
    // Its documents: the uploads it presigns (put), the first bytes it checks (get), the files it refuses or
    // replaces (delete), under the one prefix its keys use.
    fn.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
        resources: [uploads.arnForObjects('uploads/*')],
      }),
    );
    // Staff read the files through presigned GETs the staff API signs; an erasure removes a citizen's.
    this.apiFunction.fn.addEnvironment(ENV.UPLOADS_BUCKET, uploads.bucketName);
    this.apiFunction.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:DeleteObject'],
        resources: [uploads.arnForObjects('uploads/*')],
      }),
    );
    for (const role of [fn.role, this.apiFunction.role])
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(uploads.node.defaultChild as CfnElement)}.Arn>/uploads/*]`,
        reason:
          'A document file is named only when it is uploaded; the statement is limited to the uploads prefix of the uploads bucket.',
      });
    if (props.config.deployment.payments) this.payments(props, fn);
    const integration = new HttpLambdaIntegration('CitizenApi', fn.fn);
    for (const [method, path] of CITIZEN_ROUTES) {
      const route = new apigw.HttpRoute(this, `citizen-${method}${path.replace(/[/{}]/g, '-')}`, {
        httpApi: this.api.api,
        routeKey: apigw.HttpRouteKey.with(path, apigw.HttpMethod[method]),
        integration,
      });
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Citizens have no account: the code and sign-in routes are open by design (rate-limited per number and address, and throttled here), and every other route checks the session token the code sign-in issued.',
      });
    }
    const stage = this.api.api.defaultStage!.node.defaultChild as apigw.CfnStage;
    stage.routeSettings = {
      ...(stage.routeSettings as Record<string, unknown>),
      ...Object.fromEntries(
        ['POST /citizen/code', 'POST /citizen/session'].map((route) => [
          route,
          {
            ThrottlingRateLimit: CITIZEN_SIGN_IN_RATE.rate,
            ThrottlingBurstLimit: CITIZEN_SIGN_IN_RATE.burst,
          },
        ]),
      ),
    };
    return fn;
  }

  /**
   * Fees by link: the gateway's secret (its webhook secret generated here, to be given to the gateway; its API
   * key put in by hand), read by the citizens' API and by the nightly reconciliation, which asks the gateway
   * about every payment request still open and confirms the bookings its payments complete.
   */
  private payments(props: ApplicationStackProps, citizenApi: BundledFunction): void {
    const payments = props.config.deployment.payments!;
    const secret = new secretsmanager.Secret(this, 'PaymentGateway', {
      description:
        'Ventanilla payment gateway: apiKey (set by hand) and webhookSecret (give it to the gateway)',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ apiKey: '' }),
        generateStringKey: 'webhookSecret',
        excludePunctuation: true,
        passwordLength: 48,
      },
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The webhook secret and API key are shared with the payment gateway, which has no rotation hook: they are rotated by hand, with the gateway, and new function instances read the new values.',
    });
    const reconcile = new BundledFunction(this, 'payment-reconcile', {
      name: 'payment-reconcile',
      description:
        'Nightly: payment requests still open asked of the gateway; bookings their payments complete confirmed',
      config: props.config,
      environment: { [ENV.CASES_TABLE]: props.casesTable.tableName },
      timeout: Duration.minutes(5),
      reservedConcurrency: 1,
    });
    // The open requests (the status index), each request read and saved; a booking's documents read, and the
    // booking confirmed in one transaction.
    grantTable(
      reconcile,
      props.casesTable,
      ['GetItem', 'Query', 'PutItem', 'DeleteItem'],
      [INDEXES.byStatus.name],
    );
    for (const fn of [citizenApi, reconcile]) {
      fn.fn.addEnvironment(ENV.PAYMENT_SECRET_ARN, secret.secretArn);
      secret.grantRead(fn.role);
    }
    new DailySchedule(this, 'PaymentReconcileSchedule', {
      fn: reconcile.fn,
      description: 'Ventanilla payment reconciliation',
      hour: payments.reconcileHour,
      timeZone: props.config.deployment.timeZone,
    });
    errorsAlarm(
      this,
      'PaymentReconcileErrors',
      reconcile.fn,
      'The payment reconciliation failed: it is retried; a payment whose webhook was lost waits for the next run',
    );
    new CfnOutput(this, 'PaymentGatewaySecret', { value: secret.secretArn });
  }
}

/**
 * The instance's softphone (CCP) address: from the alias of an instance the stack creates, or the access URL
 * given for an existing one; none otherwise (the standalone page then says so, and the workspace still works).
 */
export function softphoneUrl(connect: Deployment['connect']): string | undefined {
  if ('createInstance' in connect) return `https://${connect.createInstance.alias}.my.connect.aws/ccp-v2/`;
  return connect.accessUrl ? `${connect.accessUrl}/ccp-v2/` : undefined;
}

/** The staff pages the application publishes, each under its folder. */
export const STAFF_PAGES = ['dashboard', 'agent', 'admin', 'supervision', 'backoffice', 'office'] as const;

/** The user-pool actions of the staff API's role: exactly the commands its staff directory sends. */
export const STAFF_POOL_ACTIONS = [
  'ListUsersInGroup',
  'AdminCreateUser',
  'AdminAddUserToGroup',
  'AdminDeleteUser',
  'AdminDisableUser',
  'AdminEnableUser',
  'AdminUserGlobalSignOut',
  'AdminGetUser',
  'AdminResetUserPassword',
];
