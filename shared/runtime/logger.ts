import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One logger per function. Callers pass only masked identities and ids: never a raw event, phone number,
 * document or name (see maskIdentity).
 */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName });
}
export type { Logger };
