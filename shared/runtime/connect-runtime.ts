import { randomInt, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClientFromEnv } from './dynamodb';
import type { StoreTables } from '../adapters/dynamodb/case-repository';
import { parseConnectEvent, type ConnectInvocation } from '../adapters/connect/event';
import { stringMap, type ConnectOutcome, type StringMap } from '../adapters/connect/response';
import { readCompiledConfig } from '../config/compiled';
import type { LoadedConfig } from '../config/load';
import { DomainError } from '../domain/errors';
import type { Clock } from '../domain/ports';
import { withDeadline } from './deadline';
import { ENV, required, type Env } from './env';
import { createLogger, type Logger } from './logger';

/** What every Connect-invoked function composes from, built once at cold start. */
export interface ConnectRuntime {
  readonly config: LoadedConfig;
  readonly doc: DynamoDBDocumentClient;
  readonly tables: StoreTables;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Uniform in [0, 1) from the operating system's CSPRNG: tickets must not be guessable. */
  readonly random: () => number;
  readonly newId: () => string;
}

export function connectRuntime(env: Env, service: string, baseDir: string): ConnectRuntime {
  return {
    config: readCompiledConfig(env[ENV.CONFIG_FILE] ?? join(baseDir, 'config.json')),
    doc: documentClientFromEnv(env),
    tables: { citizens: required(env, ENV.CITIZENS_TABLE), cases: required(env, ENV.CASES_TABLE) },
    logger: createLogger(service),
    clock: { now: () => new Date() },
    random: () => randomInt(0, 2 ** 47) / 2 ** 47,
    newId: randomUUID,
  };
}

/** Expected results a flow branches on; anything else is unexpected and throws. */
const OUTCOME_OF: Record<string, ConnectOutcome> = {
  INVALID_INPUT: 'INVALID_INPUT',
  INVALID_TICKET: 'INVALID_TICKET',
  NOT_FOUND: 'NOT_FOUND',
};

/** Answer well inside the flow's InvocationTimeLimitSeconds (3 s in our flows). */
export const CONNECT_BUDGET_MS = 2000;

/**
 * Wraps a use case as a Connect flow function: parse → run within the time budget → STRING_MAP. Expected
 * domain errors become an `outcome` the flow branches on; unexpected ones are logged (type and code only)
 * and rethrown, so the flow's error branch takes the caller to a person.
 */
export function connectHandler(
  runtime: Pick<ConnectRuntime, 'logger'>,
  run: (invocation: ConnectInvocation) => Promise<StringMap>,
  budgetMs = CONNECT_BUDGET_MS,
): (event: unknown) => Promise<StringMap> {
  const { logger } = runtime;
  return async (event) => {
    const started = Date.now();
    // Keys a previous invocation appended (such as its masked caller) must not leak into this one.
    logger.resetKeys();
    let contactId: string | undefined;
    try {
      const invocation = parseConnectEvent(event);
      contactId = invocation.contactId;
      const result = await withDeadline(run(invocation), budgetMs);
      logger.info('answered', {
        contactId,
        channel: invocation.channel,
        outcome: result.outcome,
        ms: Date.now() - started,
      });
      return result;
    } catch (error) {
      const outcome = error instanceof DomainError ? OUTCOME_OF[error.code] : undefined;
      if (outcome) {
        const field = (error as { field?: string }).field;
        logger.info('answered', {
          contactId,
          outcome,
          code: (error as DomainError).code,
          field,
          ms: Date.now() - started,
        });
        return stringMap(outcome, { reason: (error as DomainError).code, field });
      }
      logger.error('failed', {
        contactId,
        errorType: (error as { name?: string } | undefined)?.name ?? typeof error,
        code: error instanceof DomainError ? error.code : undefined,
        ms: Date.now() - started,
      });
      throw error;
    }
  };
}
