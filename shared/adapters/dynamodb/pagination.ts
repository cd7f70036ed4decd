import { ValidationError } from '../../domain/errors';

export const DEFAULT_PAGE = 25;
export const MAX_PAGE = 100;

export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
    throw new ValidationError('limit', `must be a whole number from 1 to ${MAX_PAGE}`);
  return limit;
}

/** Opaque cursor: the query's LastEvaluatedKey (string attributes only), base64url JSON. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

export function decodeCursor(cursor: string | undefined): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      key &&
      typeof key === 'object' &&
      !Array.isArray(key) &&
      Object.values(key).every((v) => typeof v === 'string')
    )
      return key as Record<string, string>;
  } catch {
    // fall through
  }
  throw new ValidationError('cursor', 'is not a cursor this service issued');
}
