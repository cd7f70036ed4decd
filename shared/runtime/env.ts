/**
 * Environment variable names, shared by `infra/` (which sets them) and `lambdas/` (which read them), so a
 * rename breaks the compile rather than production.
 */
export const ENV = {
  CITIZENS_TABLE: 'CITIZENS_TABLE',
  CASES_TABLE: 'CASES_TABLE',
  METRICS_TABLE: 'METRICS_TABLE',
  /** The event stream case events are published to. */
  EVENT_STREAM: 'EVENT_STREAM',
  /** A Kinesis endpoint for local runs (kinesalite); unset in AWS. */
  KINESIS_ENDPOINT: 'KINESIS_ENDPOINT',
  /** JSON array of [queue ARN, department id] pairs, so queue figures roll up to departments. */
  QUEUE_DEPARTMENTS: 'QUEUE_DEPARTMENTS',
  /** The compiled deployment configuration; `config.json` next to the handler by default. */
  CONFIG_FILE: 'CONFIG_FILE',
  /** A DynamoDB endpoint for local runs; unset in AWS. */
  DYNAMODB_ENDPOINT: 'DYNAMODB_ENDPOINT',
  AWS_REGION: 'AWS_REGION',
  /** The back office's exchange bucket (exports, answer files, import reports). */
  EXCHANGE_BUCKET: 'EXCHANGE_BUCKET',
  /** The citizens' uploaded documents (private, encrypted). */
  UPLOADS_BUCKET: 'UPLOADS_BUCKET',
  /** The citizen's page, where the payment gateway sends the citizen back. */
  CITIZEN_PAGE_URL: 'CITIZEN_PAGE_URL',
  /** The secret holding the payment gateway's API key and webhook secret (Secrets Manager). */
  PAYMENT_SECRET_ARN: 'PAYMENT_SECRET_ARN',
  /** The Amazon Connect instance id, for outbound messages and tasks; unset locally. */
  CONNECT_INSTANCE_ID: 'CONNECT_INSTANCE_ID',
  /** The flow outbound SMS/WhatsApp messages run. */
  OUTBOUND_FLOW_ID: 'OUTBOUND_FLOW_ID',
  /** The flow follow-up tasks run. */
  FOLLOW_UP_FLOW_ID: 'FOLLOW_UP_FLOW_ID',
  /** JSON {"SMS"?: phone-number ARN, "WHATSAPP"?: phone-number ARN}: where messages leave from. */
  MESSAGING_SOURCES: 'MESSAGING_SOURCES',
  /** The staff user pool (AWS), whose groups are the roles. */
  USER_POOL_ID: 'USER_POOL_ID',
  /** Locally, the deployment's users file standing in for the user pool. */
  STAFF_FILE: 'STAFF_FILE',
} as const;

export type Env = Readonly<Record<string, string | undefined>>;

/** QUEUE_DEPARTMENTS's pairs from each department's queue ARN, as the runtime parses them. */
export const queueDepartmentPairs = (queueArns: Readonly<Record<string, string>>): [string, string][] =>
  Object.entries(queueArns).map(([department, arn]) => [arn, department]);

export function required(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

/** MESSAGING_SOURCES from the deployment's `messaging` numbers, by channel. */
export const messagingSourcesOf = (messaging: { sms?: string; whatsapp?: string } = {}): string =>
  JSON.stringify({
    ...(messaging.sms ? { SMS: messaging.sms } : {}),
    ...(messaging.whatsapp ? { WHATSAPP: messaging.whatsapp } : {}),
  });
