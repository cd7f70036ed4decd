import { createDocumentClient, type DynamoClientOptions } from '../adapters/dynamodb/client';
import { ENV, type Env } from './env';

/** A function's document client: the region from its environment, and a local endpoint when one is set. */
export function documentClientFromEnv(
  env: Env,
  options: Omit<DynamoClientOptions, 'region' | 'endpoint'> = {},
) {
  const region = env[ENV.AWS_REGION];
  const endpoint = env[ENV.DYNAMODB_ENDPOINT];
  return createDocumentClient({
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...options,
  });
}
