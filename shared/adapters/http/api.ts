import * as z from 'zod/mini';
import { DomainError, ValidationError } from '../../domain/errors';
import { parseInput } from '../../domain/schema';

/** The staff roles; a route names which of them may call it. */
export type Role = 'agent' | 'supervisor' | 'backoffice' | 'admin';

export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly roles: ReadonlySet<Role>;
  readonly user: string;
}
export interface ApiResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}
export interface Route {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly roles: readonly Role[];
  readonly handle: (request: ApiRequest) => Promise<unknown>;
}

/** API Gateway HTTP API (payload 2.0) with a JWT authorizer; the same shape the local server builds. */
const httpApiEvent = z.object({
  rawPath: z.string(),
  queryStringParameters: z.optional(z.nullable(z.record(z.string(), z.string()))),
  requestContext: z.object({
    http: z.object({ method: z.string() }),
    authorizer: z.optional(
      z.object({
        jwt: z.object({ claims: z.record(z.string(), z.union([z.string(), z.array(z.string())])) }),
      }),
    ),
  }),
});

const ROLES = new Set<Role>(['agent', 'supervisor', 'backoffice', 'admin']);

/** Cognito puts the groups in `cognito:groups`; through API Gateway an array claim arrives as "[a b]". */
function rolesOf(claim: string | string[] | undefined): Set<Role> {
  const raw = Array.isArray(claim) ? claim : (claim ?? '').replace(/^\[|\]$/g, '').split(/[\s,]+/);
  return new Set(raw.filter((r): r is Role => ROLES.has(r as Role)));
}

export function parseApiEvent(raw: unknown): ApiRequest {
  const event = parseInput(httpApiEvent, raw);
  const claims = event.requestContext.authorizer?.jwt.claims ?? {};
  const sub = claims.sub;
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path: event.rawPath.replace(/\/+$/, '') || '/',
    query: event.queryStringParameters ?? {},
    roles: rolesOf(claims['cognito:groups']),
    user: typeof sub === 'string' ? sub : 'unknown',
  };
}

const STATUS: Record<string, number> = {
  INVALID_INPUT: 400,
  INVALID_TICKET: 400,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  VERSION_CONFLICT: 409,
  ILLEGAL_TRANSITION: 409,
  OPEN_CASE_EXISTS: 409,
  IDENTITY_TAKEN: 409,
};

const json = (statusCode: number, body: unknown): ApiResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

/**
 * Routes a request: unknown path 404, wrong method 405, a role the route does not allow 403, then the route.
 * Domain errors become `{code, message}` with their status (a validation error names its field); anything
 * else is rethrown for the platform to log and answer 500 without detail.
 */
export async function route(routes: readonly Route[], request: ApiRequest): Promise<ApiResponse> {
  const onPath = routes.filter((r) => r.path === request.path);
  if (onPath.length === 0) return json(404, { code: 'NOT_FOUND', message: 'no such route' });
  const match = onPath.find((r) => r.method === request.method);
  if (!match)
    return json(405, {
      code: 'METHOD_NOT_ALLOWED',
      message: `use ${onPath.map((r) => r.method).join(' or ')}`,
    });
  if (!match.roles.some((role) => request.roles.has(role)))
    return json(403, { code: 'FORBIDDEN', message: `requires one of: ${match.roles.join(', ')}` });
  try {
    return json(200, await match.handle(request));
  } catch (error) {
    if (error instanceof DomainError)
      return json(STATUS[error.code] ?? 400, {
        code: error.code,
        message: error.message,
        ...(error instanceof ValidationError ? { field: error.field } : {}),
      });
    throw error;
  }
}
