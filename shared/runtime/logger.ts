import { Logger } from '@aws-lambda-powertools/logger';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'CRITICAL' | 'SILENT';

/**
 * One logger per function. Callers pass only masked identities and ids: never a raw event, phone number,
 * document or name (see maskIdentity). Without a level, Powertools takes it from the Lambda environment.
 */
export function createLogger(serviceName: string, logLevel?: LogLevel): Logger {
  return new Logger({ serviceName, ...(logLevel ? { logLevel } : {}) });
}
export type { Logger };
