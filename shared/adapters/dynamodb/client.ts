import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface DynamoClientOptions {
  readonly region?: string;
  /** A local endpoint (DynamoDB Local); absent in AWS. */
  readonly endpoint?: string;
  /** Per-attempt timeout; the whole call is bounded by attempts × this. */
  readonly requestTimeoutMs?: number;
  readonly connectionTimeoutMs?: number;
  readonly maxAttempts?: number;
}

/**
 * A document client with explicit time bounds. The defaults suit a Connect-invoked function, which must
 * answer within its flow's time limit even when DynamoDB is slow: 3 attempts of at most 500 ms each.
 */
export function createDocumentClient(options: DynamoClientOptions = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: options.region ?? 'us-east-1',
    ...(options.endpoint
      ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: options.connectionTimeoutMs ?? 300,
      requestTimeout: options.requestTimeoutMs ?? 500,
      // Without this a slow request only logs a warning and keeps waiting; with it, it fails and is retried.
      throwOnRequestTimeout: true,
    }),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
