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
} as const;

export type Env = Readonly<Record<string, string | undefined>>;

export function required(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}
