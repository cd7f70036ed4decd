import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client';
import { loadConfig } from '../../shared/config/load';
import { createRuntime } from '../../shared/runtime/runtime';
import { makeConnectCaseHandler } from '../../lambdas/connect-case/function';
import { makeConnectCaseStatusHandler } from '../../lambdas/connect-case-status/function';
import { makeConnectCallbacksHandler } from '../../lambdas/connect-callbacks/function';
import { RecordedCallbackContacts } from '../../shared/adapters/connect/callback-contacts';
import { makeConnectLookupHandler } from '../../lambdas/connect-lookup/function';
import { freshTables, testDynamoEndpoint } from './dynamo';
import type { Ticket } from '../../shared/domain/ticket';
import { changeCaseStatus } from '../../shared/domain/use-cases';

const CONFIG = loadConfig(join(__dirname, '..', '..', 'config', 'city-hall'));

export type Fixture =
  | 'voice-inbound-docs'
  | 'voice-transferred-api'
  | 'chat-web-captured'
  | 'chat-sms'
  | 'chat-whatsapp'
  | 'task'
  | 'email';

/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are raw Connect JSON */
export function fixture(name: Fixture): any {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'connect', `${name}.json`), 'utf8'));
}

export interface EventOptions {
  readonly phone?: string | null;
  readonly contactId?: string;
  readonly initialContactId?: string;
  readonly parameters?: Record<string, string>;
}

let counter = 0;
/** A fixture with a fresh contact id (unless given), the caller's phone and the flow's parameters. */
export function connectEvent(name: Fixture, options: EventOptions = {}): any {
  const event = fixture(name);
  const data = event.Details.ContactData;
  data.ContactId = options.contactId ?? `${name}-${process.pid}-${++counter}-${Date.now()}`;
  data.InitialContactId = options.initialContactId ?? data.ContactId;
  if (options.phone === null) data.CustomerEndpoint = null;
  else if (options.phone) data.CustomerEndpoint = { Address: options.phone, Type: 'TELEPHONE_NUMBER' };
  event.Details.Parameters = { ...(options.parameters ?? {}) };
  return event;
}

export type Handler = (event: unknown) => Promise<Record<string, string>>;

/**
 * Fresh tables and the three Connect functions composed on them as at a cold start in Lambda: their own
 * document client with Lambda's time bounds, on the run's DynamoDB Local or the given endpoint.
 */
export async function loadConnectHandlers(endpoint?: string) {
  const store = await freshTables();
  const runtime = (service: string) =>
    createRuntime({
      service,
      config: CONFIG,
      doc: createDocumentClient({ endpoint: endpoint ?? testDynamoEndpoint() }),
      settings: {
        citizensTable: store.names.citizens,
        casesTable: store.names.cases,
        metricsTable: store.names.metrics,
      },
      logLevel: 'INFO',
    });
  const lookup: Handler = makeConnectLookupHandler(runtime('connect-lookup'));
  const createCase: Handler = makeConnectCaseHandler(runtime('connect-case'));
  const status: Handler = makeConnectCaseStatusHandler(runtime('connect-case-status'));
  const callbackContacts = new RecordedCallbackContacts();
  const callbacks: Handler = makeConnectCallbacksHandler(runtime('connect-callbacks'), {
    contacts: callbackContacts,
  });
  return { ...store, lookup, createCase, status, callbacks, callbackContacts };
}

/** Takes a case to PENDING_COMMUNICATION with its answer, as the back office's export and import do. */
export async function answerCase(
  deps: Parameters<typeof changeCaseStatus>[0],
  ticket: Ticket,
  answer: string,
): Promise<void> {
  await changeCaseStatus(deps, ticket, {
    to: 'PENDING_RESPONSE',
    actor: { id: 'export', role: 'backoffice' },
  });
  await changeCaseStatus(deps, ticket, {
    to: 'PENDING_COMMUNICATION',
    actor: { id: 'import', role: 'backoffice' },
    answer,
  });
}
