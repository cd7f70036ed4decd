import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  ResourceInUseException,
} from '@aws-sdk/client-kinesis';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { createDocumentClient } from '../shared/adapters/dynamodb/client';
import { DynamoMetricsStore } from '../shared/adapters/dynamodb/metrics-store';
import { ensureTables, tableNames } from '../shared/adapters/dynamodb/setup';
import { liveEvents } from '../shared/adapters/http/live-events';
import { DynamoOutbox } from '../shared/adapters/dynamodb/outbox';
import { createKinesisClient, KinesisPublisher } from '../shared/adapters/kinesis/publisher';
import { loadConfig, type LoadedConfig } from '../shared/config/load';
import type { LogLevel } from '../shared/runtime/logger';
import { createRuntime } from '../shared/runtime/runtime';
import { makeApiHandler } from '../lambdas/api/function';
import { makeCitizenApiHandler } from '../lambdas/citizen-api/function';
import { makePaymentReconcileHandler } from '../lambdas/payment-reconcile/function';
import { makeCaseEventsHandler } from '../lambdas/case-events/function';
import { makeCaseNotifierHandler } from '../lambdas/case-notifier/function';
import { makeAppointmentTasksHandler } from '../lambdas/appointment-tasks/function';
import { makeConnectAppointmentsHandler } from '../lambdas/connect-appointments/function';
import { makeConnectCallbacksHandler } from '../lambdas/connect-callbacks/function';
import { makeSurgeRuleHandler } from '../lambdas/surge-rule/function';
import { RecordedCallbackContacts } from '../shared/adapters/connect/callback-contacts';
import { makeConnectCaseHandler } from '../lambdas/connect-case/function';
import { makeConnectCaseStatusHandler } from '../lambdas/connect-case-status/function';
import { makeConnectMessageHandler } from '../lambdas/connect-message/function';
import { makeConnectConsentHandler } from '../lambdas/connect-consent/function';
import { makeConnectLookupHandler } from '../lambdas/connect-lookup/function';
import { makeMetricsAggregatorHandler } from '../lambdas/metrics-aggregator/function';
import { localFlowEngine, localQueue, localQueues } from './contact-center';
import { localDesk } from './desk';
import { localPhone } from './phone';
import { startDynamoLocal, type DynamoLocal } from './dynamodb-local';
import { startKinesalite, type LocalKinesis } from './kinesalite';
import { closeServer, localHttpServer } from './http-server';
import { pollKinesis, pollTableStream } from './pollers';
import {
  contactEvent,
  contactRecord,
  LOCAL_ACCOUNT,
  LOCAL_INSTANCE,
  type RecordContact,
} from './simulator/connect-records';
import { demoPasswords } from './passwords';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { localUploads } from './uploads';
import { startFakeGateway } from './fake-gateway';
import { HostedCheckoutGateway } from '../shared/adapters/payments/hosted-checkout';
import type { FileStore } from '../shared/domain/documents';
import type { PaymentGateway } from '../shared/domain/payments';
import { startFakeAgency, type AgencyScript } from './fake-agency';
import { AgencyChecks } from '../shared/adapters/agency/agency-checks';
import type { StaffDirectory } from '../shared/domain/staff';
import { loadUsers, localSessions } from './session';

export interface LocalBackEndOptions {
  readonly configDir: string;
  /** Use this DynamoDB Local instead of starting one (tests share theirs). */
  readonly dynamoEndpoint?: string;
  readonly dynamoPort?: number;
  readonly dataDir?: string;
  /** HTTP port; 0 for a free one. */
  readonly port?: number;
  readonly tablePrefix?: string;
  /** The functions' log level (WARN by default). */
  readonly logLevel?: LogLevel;
  /** The staff store (accounts and password hashes); without one, in memory, with new passwords each start. */
  readonly passwordFile?: string;
  /**
   * The time the local telephone network's flows check opening hours against (the wall clock by default): a
   * test that needs a person reachable fixes it to a business hour, whatever day and hour it runs.
   */
  readonly flowsAt?: () => Date;
  /**
   * The time the functions run at (the wall clock by default): a test of today's appointments at the office
   * fixes it to a working morning, whatever day and hour it runs.
   */
  readonly functionsAt?: () => Date;
  /**
   * What the local fake agency answers for each document (`CEDULA#8123456`: yes, no, slow, down, flaky,
   * garbage), and for any other (yes by default: the demo's citizens owe nothing).
   */
  readonly agency?: { readonly script?: AgencyScript; readonly otherwise?: AgencyScript[string] };
}

export const EVENT_STREAM = 'ventanilla-events';

/** Time bounds of the local back end's DynamoDB clients: a busy two-core machine, not a data centre. */
const LOCAL_DYNAMO_BOUNDS = { requestTimeoutMs: 5000, connectionTimeoutMs: 3000 } as const;

/** The HTTP port is taken (another `npm start`, or another program). */
export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(
      `port ${port} is already in use (is another npm start running?): ` +
        'start this one with --port N, or --port 0 for a free one',
    );
    this.name = 'PortInUseError';
  }
}

/** Listens on 127.0.0.1:port; a taken port is a PortInUseError, not an unhandled 'error' event. */
export function listen(server: Server, port: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error);
    server.once('error', failed);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', failed);
      resolve((server.address() as { port: number }).port);
    });
  });
}

/** Fails fast, before anything starts, when the port is taken. */
async function assertPortFree(port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await listen(probe, port);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

/** Where a running local back end keeps its data: enough for another process to join it. */
export interface LocalEndpoints {
  readonly dynamoEndpoint: string;
  readonly kinesisEndpoint: string;
  readonly names: ReturnType<typeof tableNames>;
  readonly configDir: string;
}

export interface LocalFunctionOptions {
  /** Defaults to the deployment folder's configuration. */
  readonly config?: LoadedConfig;
  /** WARN unless said otherwise: the terminal shows what went wrong, not every request. */
  readonly logLevel?: LogLevel;
  /** The staff accounts (the user pool's stand-in); by default the deployment's users, in memory. */
  readonly staff?: StaffDirectory;
  /** The functions' clock (the wall clock by default). */
  readonly clock?: () => Date;
  /** Where every agency check is asked (the local fake agency); the deployment's addresses otherwise. */
  readonly agencyEndpoint?: string;
  /** The citizens' documents on this machine, the fake payment gateway and its webhook secret. */
  readonly files?: FileStore;
  readonly gateway?: PaymentGateway;
  readonly webhookSecret?: string;
  readonly returnUrl?: () => string;
}

/**
 * The production functions, composed by the same factories as in AWS with the parts of a local back end:
 * its tables and stream, the local staff store for the user pool, and the outbox for SMS/WhatsApp.
 */
export function localFunctions(local: LocalEndpoints, options: LocalFunctionOptions = {}) {
  const config = options.config ?? loadConfig(local.configDir);
  // DynamoDB Local shares this machine's cores with everything else (a browser, a simulation, tests): the
  // functions get its time bounds generous, where Lambda's are tight. A connection refused is still fast.
  const doc = createDocumentClient({ endpoint: local.dynamoEndpoint, ...LOCAL_DYNAMO_BOUNDS });
  const kinesis = createKinesisClient({ endpoint: local.kinesisEndpoint });
  const settings = {
    citizensTable: local.names.citizens,
    casesTable: local.names.cases,
    metricsTable: local.names.metrics,
    eventStream: EVENT_STREAM,
    dynamodbEndpoint: local.dynamoEndpoint,
    kinesisEndpoint: local.kinesisEndpoint,
    queueDepartments: localQueues(config.deployment).pairs,
  };
  const runtime = (service: string) =>
    createRuntime({
      service,
      config,
      doc,
      settings,
      logLevel: options.logLevel ?? 'WARN',
      ...(options.clock ? { clock: { now: options.clock } } : {}),
    });
  const callbackContacts = new RecordedCallbackContacts();
  const eligibility = new AgencyChecks(config.deployment.agencyChecks, {
    ...(options.agencyEndpoint ? { endpoint: options.agencyEndpoint } : {}),
    ...(options.clock ? { now: options.clock } : {}),
  });
  return {
    lookup: makeConnectLookupHandler(runtime('connect-lookup')),
    createCase: makeConnectCaseHandler(runtime('connect-case')),
    caseStatus: makeConnectCaseStatusHandler(runtime('connect-case-status')),
    message: makeConnectMessageHandler(runtime('connect-message')),
    consent: makeConnectConsentHandler(runtime('connect-consent')),
    ...(config.deployment.appointments
      ? {
          appointments: makeConnectAppointmentsHandler(runtime('connect-appointments')),
          appointmentTasks: makeAppointmentTasksHandler(runtime('appointment-tasks')),
        }
      : {}),
    ...(config.deployment.callbacks
      ? {
          callbacks: makeConnectCallbacksHandler(runtime('connect-callbacks'), {
            contacts: callbackContacts,
          }),
        }
      : {}),
    ...(config.deployment.surge.rule ? { surgeRule: makeSurgeRuleHandler(runtime('surge-rule')) } : {}),
    /** Locally, the callback contacts Connect would have been asked to stop. */
    callbackContacts,
    aggregator: makeMetricsAggregatorHandler(runtime('metrics-aggregator')),
    caseEvents: makeCaseEventsHandler(runtime('case-events'), {
      publisher: new KinesisPublisher(kinesis, EVENT_STREAM),
    }),
    caseNotifier: makeCaseNotifierHandler(runtime('case-notifier'), {
      sender: new DynamoOutbox(doc, local.names.cases),
    }),
    api: makeApiHandler(runtime('api'), {
      staff: options.staff ?? demoPasswords(loadUsers(local.configDir)).store,
      eligibility,
      ...(options.files ? { files: options.files } : {}),
    }),
    /** The citizens' page's API: its sign-in codes go to the outbox, as every SMS and WhatsApp does locally. */
    citizenApi: makeCitizenApiHandler(runtime('citizen-api'), {
      sender: new DynamoOutbox(doc, local.names.cases),
      eligibility,
      ...(options.files ? { files: options.files } : {}),
      ...(options.gateway ? { gateway: options.gateway } : {}),
      ...(options.webhookSecret ? { webhookSecret: options.webhookSecret } : {}),
      ...(options.returnUrl ? { returnUrl: options.returnUrl } : {}),
    }),
    /** Closes the functions' clients. */
    close() {
      doc.destroy();
      kinesis.destroy();
    },
  };
}

export type LocalFunctions = ReturnType<typeof localFunctions>;

/** Ends the contacts still waiting and the agents still logged in from an earlier process, on the stream. */
async function endGhosts(
  reader: Pick<DynamoMetricsStore, 'stillLive'>,
  emit: (payload: unknown, partitionKey: string) => void,
): Promise<{ contacts: number; agents: number }> {
  const { contacts, agents } = await reader.stillLive();
  const at = Date.now();
  for (const c of contacts) {
    const enqueuedAt = Date.parse(c.enqueuedAt);
    const record: RecordContact = {
      contactId: c.contactId,
      channel: c.channel === 'CHAT' ? 'CHAT' : 'VOICE',
      initiatedAt: enqueuedAt,
    };
    emit(
      contactEvent(record, 'DISCONNECTED', at, { queue: c.queue, disconnectReason: 'OTHER' }),
      c.contactId,
    );
    emit(
      contactRecord(record, {
        connectedToSystemAt: enqueuedAt,
        disconnectedAt: at,
        lastUpdateAt: at,
        disconnectReason: 'OTHER',
        queue: { arn: c.queue, enqueuedAt, dequeuedAt: at },
        attributes: {},
      }),
      c.contactId,
    );
  }
  for (const agent of agents)
    emit(
      {
        AWSAccountId: LOCAL_ACCOUNT,
        AgentARN: agent,
        EventId: `${agent.split('/').at(-1)}-ended-${at}`,
        EventTimestamp: new Date(at).toISOString(),
        EventType: 'LOGOUT',
        InstanceARN: LOCAL_INSTANCE,
        CurrentAgentSnapshot: { AgentStatus: { Name: 'Offline', Type: 'OFFLINE' }, Contacts: [] },
        PreviousAgentSnapshot: null,
        Version: '2019-05-25',
      },
      agent,
    );
  return { contacts: contacts.length, agents: agents.length };
}

/**
 * The whole back end on this machine: DynamoDB Local and kinesalite with the tables and stream of the CDK
 * stacks, the production functions in-process (composed as in AWS), pollers that feed them as Lambda's
 * event sources do, and an HTTP server for the staff API and the dashboard's live events. Nothing here runs
 * in AWS.
 */
export async function startLocalBackEnd(options: LocalBackEndOptions) {
  const config = loadConfig(options.configDir);
  await assertPortFree(options.port ?? 3000);
  const dynamo: DynamoLocal | undefined = options.dynamoEndpoint
    ? undefined
    : await startDynamoLocal({
        ...(options.dynamoPort ? { port: options.dynamoPort } : {}),
        ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      });
  const dynamoEndpoint = options.dynamoEndpoint ?? dynamo!.endpoint;
  let kinesis: LocalKinesis | undefined;
  const closers: (() => Promise<void> | void)[] = [];
  try {
    // With a data folder the stream is kept there too, and the pollers' checkpoints: a start after a crash
    // goes on from where the functions had got to, and nothing put on the stream is lost.
    kinesis = await startKinesalite(options.dataDir ? { path: join(options.dataDir, 'kinesis') } : {});
    const doc = createDocumentClient({ endpoint: dynamoEndpoint, ...LOCAL_DYNAMO_BOUNDS });
    const names = tableNames(options.tablePrefix ?? `${config.deployment.id}-`);
    await ensureTables(doc as unknown as DynamoDBClient, names);
    const kinesisClient = createKinesisClient({ endpoint: kinesis.endpoint });
    try {
      await kinesisClient.send(new CreateStreamCommand({ StreamName: EVENT_STREAM, ShardCount: 2 }));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await kinesisClient.send(new DescribeStreamSummaryCommand({ StreamName: EVENT_STREAM }));

    const local: LocalEndpoints = {
      dynamoEndpoint,
      kinesisEndpoint: kinesis.endpoint,
      names,
      configDir: options.configDir,
    };
    // Staff accounts: the deployment's users (each with a generated password, printed once) and those an
    // administrator creates; sign-in and the staff API read the same store.
    const passwords = demoPasswords(loadUsers(options.configDir), options.passwordFile);
    // Other agencies' checks go to a fake agency on this machine, through the real HTTP adapter.
    const agency = await startFakeAgency(options.agency?.script ?? {}, {
      otherwise: options.agency?.otherwise ?? 'yes',
    });
    closers.push(() => agency.stop());
    // The citizens' documents in a folder (the data folder's, or a temporary one), sent and read through
    // signed addresses of this server; fees paid on a fake gateway that signs its webhooks.
    let url = '';
    const uploads = localUploads(
      options.dataDir ? join(options.dataDir, 'uploads') : mkdtempSync(join(tmpdir(), 'ventanilla-uploads-')),
      () => url,
    );
    const webhookSecret = randomBytes(32).toString('hex');
    const apiKey = randomBytes(16).toString('hex');
    const gateway = await startFakeGateway({
      apiKey,
      webhookSecret,
      webhookUrl: () => `${url}/api/payments/webhook`,
      ...(options.functionsAt ? { now: options.functionsAt } : {}),
    });
    closers.push(() => gateway.stop());
    const checkout = new HostedCheckoutGateway({ endpoint: gateway.url, apiKey });
    const handlers = localFunctions(local, {
      agencyEndpoint: agency.url,
      files: uploads.files,
      gateway: checkout,
      webhookSecret,
      returnUrl: () => `${url}/citizen/`,
      config,
      staff: passwords.store,
      ...(options.logLevel ? { logLevel: options.logLevel } : {}),
      ...(options.functionsAt ? { clock: options.functionsAt } : {}),
    });
    closers.push(() => handlers.close());
    // The fees' reconciliation, nightly in AWS: here every 10 minutes, so a lost webhook is caught up while
    // the demo runs.
    const reconcile = makePaymentReconcileHandler(
      createRuntime({
        service: 'payment-reconcile',
        config,
        doc,
        settings: { citizensTable: names.citizens, casesTable: names.cases, queueDepartments: [] },
        logLevel: options.logLevel ?? 'WARN',
        ...(options.functionsAt ? { clock: { now: options.functionsAt } } : {}),
      }),
      { gateway: checkout },
    );
    const reconciling = setInterval(() => void reconcile().catch(() => undefined), 10 * 60_000);
    reconciling.unref();
    closers.push(() => clearInterval(reconciling));

    const reader = new DynamoMetricsStore(doc, names.metrics, { queues: localQueues(config.deployment) });
    const live = liveEvents({ reader, clock: { now: () => new Date() } });
    closers.push(() => live.close());
    const checkpointFile = (name: string) =>
      options.dataDir ? { checkpointFile: join(options.dataDir, `checkpoints-${name}.json`) } : {};
    const metricsPoller = pollKinesis(kinesisClient, EVENT_STREAM, handlers.aggregator, {
      ...checkpointFile('events'),
      batchSize: 500,
      afterBatch: () => void live.refresh().catch(() => undefined),
    });
    closers.push(() => metricsPoller.stop());
    const streams = new DynamoDBStreamsClient({
      endpoint: dynamoEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const { Table } = await doc.send(new DescribeTableCommand({ TableName: names.cases }));
    // One reader of the cases table's stream feeds both of its consumers (in AWS, two event source
    // mappings): each batch goes to each, and the earliest record either reports failed is retried for both
    // (both are idempotent).
    const caseStreamConsumers = [handlers.caseEvents, handlers.caseNotifier];
    const casesPoller = pollTableStream(
      streams,
      Table!.LatestStreamArn!,
      async (event) => {
        const results = [];
        for (const consume of caseStreamConsumers) results.push(await consume(event as never));
        const failed = new Set(results.flatMap((r) => r.batchItemFailures.map((f) => f.itemIdentifier)));
        const first = (event.Records as { dynamodb?: { SequenceNumber?: string } }[])
          .map((r) => String(r.dynamodb?.SequenceNumber))
          .find((id) => failed.has(id));
        return { batchItemFailures: first ? [{ itemIdentifier: first }] : [] };
      },
      { batchSize: 100, ...checkpointFile('cases') },
    );
    closers.push(() => casesPoller.stop());
    // The clocks EventBridge Scheduler starts every minute in AWS (the appointments' tasks, the surge rule):
    // here every 30 seconds, one run of each at a time.
    const everyHalfMinute = (name: string, run: () => Promise<unknown>) => {
      let running = Promise.resolve();
      const tick = setInterval(() => {
        running = running.then(() =>
          run().then(
            () => undefined,
            (error: unknown) => void process.stderr.write(`[${name}] failed: ${String(error)}\n`),
          ),
        );
      }, 30_000);
      tick.unref();
      closers.push(async () => {
        clearInterval(tick);
        await running;
      });
    };
    if (handlers.appointmentTasks) everyHalfMinute('appointments', handlers.appointmentTasks);
    if (handlers.surgeRule) everyHalfMinute('surge rule', handlers.surgeRule);

    // People as agents of the local routing, and the local telephone network that brings them contacts:
    // what either does goes to the stream as Connect's payloads, in order, a batch at a time.
    const publisher = new KinesisPublisher(kinesisClient, EVENT_STREAM);
    let pending: { partitionKey: string; data: unknown }[] = [];
    let sending = Promise.resolve();
    const emit = (data: unknown, partitionKey: string) => {
      pending.push({ partitionKey, data });
      if (pending.length > 1) return;
      sending = sending.then(async () => {
        const batch = pending;
        pending = [];
        await publisher.publish(batch).catch((error: unknown) => {
          process.stderr.write(
            `[desk] could not put ${batch.length} events on the stream: ${String(error)}\n`,
          );
        });
      });
    };
    const desk = localDesk({
      emit,
      queuesOf: (departments) =>
        config.deployment.departments
          .filter((d) => !departments?.length || departments.includes(d.id))
          .map((d) => localQueue(d.id)),
    });
    closers.push(async () => {
      desk.close();
      await sending;
    });
    // A start on kept data after a crash: the contacts and agents of the process that died are gone with it.
    // Once the aggregator has read what was on the stream, any still shown waiting or logged in are ended as
    // Connect would end them (a contact disconnected, with its record; an agent logged out): no ghosts.
    if (options.dataDir)
      void metricsPoller
        .caughtUp()
        .then(() => endGhosts(reader, emit))
        .then((ended) => {
          if (ended.contacts || ended.agents)
            process.stderr.write(
              `[start] ended what an earlier run left live: ${ended.contacts} contact(s) waiting, ${ended.agents} agent(s) logged in\n`,
            );
        })
        .catch((error: unknown) =>
          process.stderr.write(`[start] could not end what was left live: ${String(error)}\n`),
        );
    const phone = localPhone({
      engine: { ...localFlowEngine(config, handlers, options.flowsAt), queueMetrics: (q) => desk.figures(q) },
      desk,
      emit,
    });

    // Sign-in with the users of the config; scripts get a supervisor session of their own for this run.
    const sessions = localSessions(passwords.store);
    const token = sessions.sign({ sub: 'local-scripts', name: 'Local scripts', role: 'supervisor' });
    const server = localHttpServer({
      sessions,
      uploads,
      api: handlers.api,
      citizenApi: handlers.citizenApi,
      live,
      desk,
      phone,
      staff: passwords.store,
    });
    const port = await listen(server, options.port ?? 3000);
    url = `http://127.0.0.1:${port}`;
    closers.push(() => closeServer(server));

    return {
      url: `http://127.0.0.1:${port}`,
      port,
      local,
      metrics: reader,
      live,
      token,
      sessions,
      /** The demo passwords made on this start (printed once, kept nowhere), by user name. */
      newPasswords: passwords.generated,
      dynamoEndpoint,
      kinesisEndpoint: kinesis.endpoint,
      names,
      config,
      doc,
      kinesis: kinesisClient,
      handlers,
      desk,
      phone,
      agency,
      gateway,
      /** Runs the fees' reconciliation now. */
      reconcile,
      async stop() {
        for (const close of closers.reverse()) await close();
        kinesisClient.destroy();
        streams.destroy();
        doc.destroy();
        await kinesis?.stop();
        await dynamo?.stop();
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close();
    await kinesis?.stop();
    await dynamo?.stop();
    throw error;
  }
}
