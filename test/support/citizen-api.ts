import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCitizenApiHandler } from '../../lambdas/citizen-api/function';
import { localUploads } from '../../local/uploads';
import { DynamoOutbox } from '../../shared/adapters/dynamodb/outbox';
import type { EligibilityCheck } from '../../shared/domain/eligibility';
import type { PaymentGateway } from '../../shared/domain/payments';
import type { Clock } from '../../shared/domain/ports';
import type { freshTables } from './dynamo';
import { runtimeOn } from './runtime';

export interface CitizenCallOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  /** The raw body as sent (a webhook's, signed as it is). */
  raw?: string;
  token?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** The caller's address, as API Gateway sees it. */
  from?: string;
}

const servers: Server[] = [];
afterAll(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/**
 * The citizens' API on a test's tables, called as API Gateway calls it (no authorizer: the route is public),
 * with its codes going to the local outbox and its documents to a folder served by a server of the test's own
 * (as the local back end serves them); and the codes sent, read back from the outbox by number.
 */
export function citizenApiOn(
  tables: Awaited<ReturnType<typeof freshTables>>,
  clock: Clock,
  ports: { eligibility?: EligibilityCheck; gateway?: PaymentGateway; webhookSecret?: string } = {},
) {
  const outbox = new DynamoOutbox(tables.doc, tables.names.cases, clock.now);
  let base = 'http://127.0.0.1:9';
  const uploads = localUploads(mkdtempSync(join(tmpdir(), 'ventanilla-test-uploads-')), () => base);
  const server = createServer((req, res) => void uploads.handle(req, res, new URL(req.url ?? '/', base)));
  servers.push(server);
  const listening = new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      resolve();
    }),
  );
  const handler = makeCitizenApiHandler(runtimeOn(tables, clock)('citizen-api'), {
    sender: outbox,
    files: uploads.files,
    returnUrl: () => 'http://127.0.0.1:9/citizen/',
    ...ports,
  });
  const call = async (path: string, options: CitizenCallOptions = {}) => {
    await listening;
    const response = (await handler({
      rawPath: path,
      queryStringParameters: options.query ?? {},
      headers: {
        ...options.headers,
        ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
      },
      ...(options.raw !== undefined
        ? { body: options.raw }
        : options.body !== undefined
          ? { body: JSON.stringify(options.body) }
          : {}),
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
  /** Signs in with the code just sent: the session's token. */
  const signedIn = async (phone: string) => {
    await call('/citizen/code', { method: 'POST', body: { phone, channel: 'SMS' } });
    const code = (await lastCode(phone))!;
    return (await call('/citizen/session', { method: 'POST', body: { phone, code } })).body.token as string;
  };
  return { call, lastCode, signedIn, outbox, uploads };
}
