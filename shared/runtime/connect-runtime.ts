import { parseConnectEvent, type ConnectInvocation } from '../adapters/connect/event';
import { stringMap, type ConnectOutcome, type StringMap } from '../adapters/connect/response';
import { DomainError } from '../domain/errors';
import { withDeadline } from './deadline';
import type { Runtime } from './runtime';

/** Expected results a flow branches on; anything else is unexpected and throws. */
const OUTCOME_OF: Record<string, ConnectOutcome> = {
  INVALID_INPUT: 'INVALID_INPUT',
  INVALID_TICKET: 'INVALID_TICKET',
  NOT_FOUND: 'NOT_FOUND',
  SLOT_FULL: 'SLOT_FULL',
  BOOKING_LIMIT: 'BOOKING_LIMIT',
  HOLD_EXPIRED: 'HOLD_EXPIRED',
  UNVERIFIED: 'UNVERIFIED',
  NO_SHOW_LIMIT: 'NO_SHOW_LIMIT',
};

/** Answer well inside the flows' InvocationTimeLimitSeconds (4 s: `INVOKE_TIME_LIMIT_SECONDS` of the flow builder). */
export const CONNECT_BUDGET_MS = 2000;

/**
 * Wraps a use case as a Connect flow function: parse → run within the time budget → STRING_MAP. Expected
 * domain errors become an `outcome` the flow branches on; unexpected ones are logged (type and code only)
 * and rethrown, so the flow's error branch takes the caller to a person.
 */
export function connectHandler(
  runtime: Pick<Runtime, 'logger'>,
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
