import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { compileConfig } from '../../shared/config/load';
import { join } from 'node:path';
import { freshTables } from './dynamo';

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

/** Fresh tables, the environment the functions read at cold start, and the three handlers loaded on it. */
export async function loadConnectHandlers(endpoint?: string) {
  const store = await freshTables();
  process.env.CITIZENS_TABLE = store.names.citizens;
  process.env.CASES_TABLE = store.names.cases;
  const configFile = join(mkdtempSync(join(tmpdir(), 'ventanilla-config-')), 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify(compileConfig(join(__dirname, '..', '..', 'config', 'city-hall'))),
  );
  process.env.CONFIG_FILE = configFile;
  process.env.DYNAMODB_ENDPOINT = endpoint ?? process.env.TEST_DYNAMO_ENDPOINT;
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  const lookup = (await import('../../lambdas/connect-lookup/handler')).handler as Handler;
  const createCase = (await import('../../lambdas/connect-case/handler')).handler as Handler;
  const status = (await import('../../lambdas/connect-case-status/handler')).handler as Handler;
  return { ...store, lookup, createCase, status };
}
