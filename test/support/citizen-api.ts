import { makeCitizenApiHandler } from '../../lambdas/citizen-api/function';
import { DynamoOutbox } from '../../shared/adapters/dynamodb/outbox';
import type { Clock } from '../../shared/domain/ports';
import type { EligibilityCheck } from '../../shared/domain/eligibility';
import type { freshTables } from './dynamo';
import { runtimeOn } from './runtime';

export interface CitizenCallOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  token?: string;
  query?: Record<string, string>;
  /** The caller's address, as API Gateway sees it. */
  from?: string;
}

/**
 * The citizens' API on a test's tables, called as API Gateway calls it (no authorizer: the route is public),
 * with its codes going to the local outbox; and the codes sent, read back from the outbox by number.
 */
export function citizenApiOn(
  tables: Awaited<ReturnType<typeof freshTables>>,
  clock: Clock,
  eligibility?: EligibilityCheck,
) {
  const outbox = new DynamoOutbox(tables.doc, tables.names.cases, clock.now);
  const handler = makeCitizenApiHandler(runtimeOn(tables, clock)('citizen-api'), {
    sender: outbox,
    ...(eligibility ? { eligibility } : {}),
  });
  const call = async (path: string, options: CitizenCallOptions = {}) => {
    const response = (await handler({
      rawPath: path,
      queryStringParameters: options.query ?? {},
      headers: options.token ? { Authorization: `Bearer ${options.token}` } : {},
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      requestContext: { http: { method: options.method ?? 'GET', sourceIp: options.from ?? '198.51.100.7' } },
    })) as { statusCode: number; headers: Record<string, string>; body: string };
    return {
      status: response.statusCode,
      headers: response.headers,
      body: JSON.parse(response.body) as any, // eslint-disable-line @typescript-eslint/no-explicit-any
    };
  };
  /** The last code sent to a number (the six digits of its message). */
  const lastCode = async (phone: string) => {
    const sent = (await outbox.list()).find((m) => m.to === phone && m.id.startsWith('code-'));
    return /\b(\d{6})\b/.exec(sent?.text ?? '')?.[1];
  };
  return { call, lastCode, outbox };
}
