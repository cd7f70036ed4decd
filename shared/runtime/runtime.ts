import { randomInt, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { createDocumentClient } from '../adapters/dynamodb/client';
import type { StoreTables } from '../adapters/dynamodb/case-repository';
import { readCompiledConfig } from '../config/compiled';
import type { LoadedConfig } from '../config/load';
import type { Clock } from '../domain/ports';
import { ENV, type Env } from './env';
import { createLogger, type LogLevel, type Logger } from './logger';

/** What a function's environment says, parsed once; each field is the variable of the same name in `ENV`. */
export interface Settings {
  readonly citizensTable?: string;
  readonly casesTable?: string;
  readonly metricsTable?: string;
  readonly eventStream?: string;
  readonly exchangeBucket?: string;
  readonly uploadsBucket?: string;
  readonly citizenPageUrl?: string;
  readonly paymentSecretArn?: string;
  readonly connectInstanceId?: string;
  readonly outboundFlowId?: string;
  readonly followUpFlowId?: string;
  readonly userPoolId?: string;
  readonly staffFile?: string;
  readonly region?: string;
  readonly dynamodbEndpoint?: string;
  readonly kinesisEndpoint?: string;
  readonly configFile?: string;
  /** [queue ARN, department id] pairs, so queue figures roll up to departments. */
  readonly queueDepartments: readonly (readonly [queue: string, department: string])[];
  /** Where outbound SMS and WhatsApp messages leave from (phone-number ARNs). */
  readonly messagingSources: { readonly SMS?: string; readonly WHATSAPP?: string };
}

type TextSetting = Exclude<keyof Settings, 'queueDepartments' | 'messagingSources'>;

/** The environment variable behind each setting, for errors that name what to fix. */
const VARIABLE: Record<keyof Settings, string> = {
  citizensTable: ENV.CITIZENS_TABLE,
  casesTable: ENV.CASES_TABLE,
  metricsTable: ENV.METRICS_TABLE,
  eventStream: ENV.EVENT_STREAM,
  exchangeBucket: ENV.EXCHANGE_BUCKET,
  uploadsBucket: ENV.UPLOADS_BUCKET,
  citizenPageUrl: ENV.CITIZEN_PAGE_URL,
  paymentSecretArn: ENV.PAYMENT_SECRET_ARN,
  connectInstanceId: ENV.CONNECT_INSTANCE_ID,
  outboundFlowId: ENV.OUTBOUND_FLOW_ID,
  followUpFlowId: ENV.FOLLOW_UP_FLOW_ID,
  userPoolId: ENV.USER_POOL_ID,
  staffFile: ENV.STAFF_FILE,
  region: ENV.AWS_REGION,
  dynamodbEndpoint: ENV.DYNAMODB_ENDPOINT,
  kinesisEndpoint: ENV.KINESIS_ENDPOINT,
  configFile: ENV.CONFIG_FILE,
  queueDepartments: ENV.QUEUE_DEPARTMENTS,
  messagingSources: ENV.MESSAGING_SOURCES,
};

/** A function's environment is missing a variable it needs, or holds one it cannot use. */
export class SettingError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`environment variable ${variable} ${problem}`);
    this.name = 'SettingError';
  }
}

const queueDepartments = z.array(
  z.tuple([z.string().check(z.minLength(1)), z.string().check(z.minLength(1))]),
);
const messagingSources = z.strictObject({ SMS: z.optional(z.string()), WHATSAPP: z.optional(z.string()) });

function parseJson<T>(variable: string, text: string | undefined, schema: z.ZodMiniType<T>, empty: T): T {
  if (text === undefined || text === '') return empty;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SettingError(variable, 'is not valid JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new SettingError(variable, `has the wrong shape (${parsed.error.issues[0]?.message})`);
  return parsed.data;
}

/** Reads the settings from an environment: text as it is (empty counts as unset), JSON checked by shape. */
export function parseSettings(env: Env): Settings {
  const text = (key: TextSetting) => {
    const value = env[VARIABLE[key]];
    return value === '' ? undefined : value;
  };
  return {
    citizensTable: text('citizensTable'),
    casesTable: text('casesTable'),
    metricsTable: text('metricsTable'),
    eventStream: text('eventStream'),
    exchangeBucket: text('exchangeBucket'),
    uploadsBucket: text('uploadsBucket'),
    citizenPageUrl: text('citizenPageUrl'),
    paymentSecretArn: text('paymentSecretArn'),
    connectInstanceId: text('connectInstanceId'),
    outboundFlowId: text('outboundFlowId'),
    followUpFlowId: text('followUpFlowId'),
    userPoolId: text('userPoolId'),
    staffFile: text('staffFile'),
    region: text('region'),
    dynamodbEndpoint: text('dynamodbEndpoint'),
    kinesisEndpoint: text('kinesisEndpoint'),
    configFile: text('configFile'),
    queueDepartments: parseJson(VARIABLE.queueDepartments, env[ENV.QUEUE_DEPARTMENTS], queueDepartments, []),
    messagingSources: parseJson(VARIABLE.messagingSources, env[ENV.MESSAGING_SOURCES], messagingSources, {}),
  };
}

/** A setting a function cannot work without; building the function fails (at cold start) when it is unset. */
export function need<K extends TextSetting>(settings: Settings, key: K): string {
  const value = settings[key];
  if (!value) throw new SettingError(VARIABLE[key], 'is not set');
  return value;
}

/** Everything a function is composed from, built once at cold start (or by the local back end and tests). */
export interface Runtime {
  readonly service: string;
  readonly settings: Settings;
  readonly config: LoadedConfig;
  readonly doc: DynamoDBDocumentClient;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Uniform in [0, 1) from the operating system's CSPRNG: tickets must not be guessable. */
  readonly random: () => number;
  readonly newId: () => string;
}

/** The citizens and cases tables, which most functions read. */
export function storeTables(runtime: Pick<Runtime, 'settings'>): StoreTables {
  return { citizens: need(runtime.settings, 'citizensTable'), cases: need(runtime.settings, 'casesTable') };
}

export interface RuntimeParts {
  readonly service: string;
  readonly config: LoadedConfig;
  readonly doc: DynamoDBDocumentClient;
  readonly settings?: Partial<Settings>;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly newId?: () => string;
  /** Defaults to the Lambda/Powertools setting of the environment (INFO when none). */
  readonly logLevel?: LogLevel;
}

/** A runtime from parts already made: how the local back end, the tests and the benchmarks compose. */
export function createRuntime(parts: RuntimeParts): Runtime {
  return {
    service: parts.service,
    settings: { queueDepartments: [], messagingSources: {}, ...parts.settings },
    config: parts.config,
    doc: parts.doc,
    logger: createLogger(parts.service, parts.logLevel),
    clock: parts.clock ?? { now: () => new Date() },
    random: parts.random ?? (() => randomInt(0, 2 ** 47) / 2 ** 47),
    newId: parts.newId ?? randomUUID,
  };
}

export interface LoadOptions {
  readonly service: string;
  /** The folder of the function's bundle, where its `config.json` is unless CONFIG_FILE says otherwise. */
  readonly dir: string;
  /** Per-attempt DynamoDB timeout (500 ms by default, for functions a caller waits on). */
  readonly requestTimeoutMs?: number;
}

/** A Lambda function's runtime, from its environment: fails at cold start naming the variable at fault. */
export function loadRuntime(env: Env, options: LoadOptions): Runtime {
  const settings = parseSettings(env);
  return createRuntime({
    service: options.service,
    settings,
    config: readCompiledConfig(settings.configFile ?? join(options.dir, 'config.json')),
    doc: createDocumentClient({
      ...(settings.region ? { region: settings.region } : {}),
      ...(settings.dynamodbEndpoint ? { endpoint: settings.dynamodbEndpoint } : {}),
      ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    }),
  });
}
