import * as z from 'zod/mini';
import type { Actor } from '../../domain/case';
import { departmentsOfGroups } from '../../domain/staff';
import { DomainError, ValidationError } from '../../domain/errors';
import { parseInput } from '../../domain/schema';

/**
 * The staff roles; a route names which of them may call it. `public` is every caller of the citizens' API,
 * whose routes check the citizen's own session themselves.
 */
export type Role = 'agent' | 'supervisor' | 'backoffice' | 'admin' | 'public';

export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The raw body, decoded from base64 when API Gateway encoded it. */
  readonly body?: string;
  readonly roles: ReadonlySet<Role>;
  readonly user: string;
  /** Departments a back-office user works for: their `department-<id>` groups. */
  readonly departments: readonly string[];
  /** Values of the route's `{name}` segments. */
  readonly params: Readonly<Record<string, string>>;
  /** Where the request came from (the client's address, as API Gateway saw it). */
  readonly from?: string;
}
export interface ApiResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}
export interface Route {
  readonly method: 'GET' | 'POST';
  /** A path, with `{name}` for a segment that is a parameter: `/cases/{ticket}`. */
  readonly path: string;
  readonly roles: readonly Role[];
  /** The status of a success (200 unless said). */
  readonly status?: number;
  readonly handle: (request: ApiRequest) => Promise<unknown>;
}

/** An answer that is a document, not JSON: its type, and the file name a browser saves it under. */
export class DocumentBody {
  constructor(
    readonly body: string,
    readonly contentType: string,
    readonly fileName: string,
  ) {}
}

/** An answer with the version of what it shows, sent as its `ETag` for the next change's `If-Match`. */
export class Versioned {
  constructor(
    readonly body: unknown,
    readonly version: number,
  ) {}
}

/** A change that must say which version it was made on (`If-Match`), and did not. */
export class PreconditionRequiredError extends DomainError {
  readonly code = 'PRECONDITION_REQUIRED';
  constructor(what: string) {
    super(`If-Match: the ${what} version you read (its ETag, e.g. "3") is required to change it`);
  }
}

/** If-Match: "3", W/"3" or 3: the version a change was made on. */
export function ifMatch(request: ApiRequest, what: string): number {
  const header = request.headers['if-match'];
  if (header === undefined) throw new PreconditionRequiredError(what);
  const version = Number(header.trim().replace(/^W\//, '').replace(/"/g, ''));
  if (!Number.isInteger(version) || version < 1)
    throw new ValidationError('If-Match', `must be the ${what} version, e.g. "3"`);
  return version;
}

/** API Gateway HTTP API (payload 2.0) with a JWT authorizer; the same shape the local server builds. */
const httpApiEvent = z.object({
  rawPath: z.string(),
  queryStringParameters: z.optional(z.nullable(z.record(z.string(), z.string()))),
  headers: z.optional(z.nullable(z.record(z.string(), z.string()))),
  body: z.optional(z.nullable(z.string())),
  isBase64Encoded: z.optional(z.boolean()),
  requestContext: z.object({
    http: z.object({ method: z.string(), sourceIp: z.optional(z.string()) }),
    authorizer: z.optional(
      z.object({
        jwt: z.object({ claims: z.record(z.string(), z.union([z.string(), z.array(z.string())])) }),
      }),
    ),
  }),
});

const ROLES = new Set<Role>(['agent', 'supervisor', 'backoffice', 'admin']);

/** Cognito puts the groups in `cognito:groups`; through API Gateway an array claim arrives as "[a b]". */
function groupsOf(claim: string | string[] | undefined): string[] {
  return (Array.isArray(claim) ? claim : (claim ?? '').replace(/^\[|\]$/g, '').split(/[\s,]+/)).filter(
    Boolean,
  );
}

export function parseApiEvent(raw: unknown): ApiRequest {
  const event = parseInput(httpApiEvent, raw);
  const claims = event.requestContext.authorizer?.jwt.claims ?? {};
  const sub = claims.sub;
  const groups = groupsOf(claims['cognito:groups']);
  const body =
    event.body == null
      ? undefined
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path: event.rawPath.replace(/\/+$/, '') || '/',
    query: event.queryStringParameters ?? {},
    headers: Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    ...(body !== undefined ? { body } : {}),
    roles: new Set(groups.filter((g): g is Role => ROLES.has(g as Role))),
    user: typeof sub === 'string' ? sub : 'unknown',
    // Only from groups, which an administrator sets: never from an attribute a user could write.
    departments: departmentsOfGroups(groups),
    params: {},
    ...(event.requestContext.http.sourceIp ? { from: event.requestContext.http.sourceIp } : {}),
  };
}

const STATUS: Record<string, number> = {
  TICKET_COLLISION: 503,
  CONCURRENT_CHANGE: 409,
  INVALID_INPUT: 400,
  INVALID_TICKET: 400,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  BLOCKED: 403,
  HELD: 409,
  VERSION_CONFLICT: 409,
  ILLEGAL_TRANSITION: 409,
  OPEN_CASE_EXISTS: 409,
  IDENTITY_TAKEN: 409,
  MERGE_CONFLICT: 409,
  PRECONDITION_REQUIRED: 428,
  SLOT_FULL: 409,
  BOOKING_LIMIT: 409,
  HOLD_EXPIRED: 409,
  NOT_TODAY: 409,
  NO_SHOW_LIMIT: 409,
  NOT_ELIGIBLE: 409,
  ELIGIBILITY_UNKNOWN: 409,
  TOO_MANY_REQUESTS: 429,
  WRONG_CODE: 401,
  BAD_SIGNATURE: 401,
  UNSUPPORTED_FILE: 400,
  DOCUMENT_STATE: 409,
  SIGNED_OUT: 401,
};

const json = (statusCode: number, body: unknown): ApiResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

/** The longest path parameter and query value accepted: ids, tickets and searches are far shorter. */
const MAX_PARAM = 128;
const MAX_QUERY_VALUE = 256;

/** A route's parameters from a path, or undefined when the path is not the route's. */
function paramsOf(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (w.startsWith('{') && w.endsWith('}')) {
      if (!got[i]) return undefined;
      const name = w.slice(1, -1);
      let value: string;
      try {
        value = decodeURIComponent(got[i]!);
      } catch {
        throw new ValidationError(name, 'is not valid percent-encoding');
      }
      if (value.length > MAX_PARAM)
        throw new ValidationError(name, `must be at most ${MAX_PARAM} characters`);
      params[name] = value;
    } else if (w !== got[i]) return undefined;
  }
  return params;
}

/**
 * Routes a request: unknown path 404, wrong method 405, a role the route does not allow 403, then the route.
 * Domain errors become `{code, message}` with their status (a validation error names its field); anything
 * else is rethrown for the platform to log and answer 500 without detail.
 */
export async function route(routes: readonly Route[], request: ApiRequest): Promise<ApiResponse> {
  let matches: { r: Route; params: Record<string, string> | undefined }[];
  try {
    for (const [name, value] of Object.entries(request.query))
      if (value.length > MAX_QUERY_VALUE)
        throw new ValidationError(name, `must be at most ${MAX_QUERY_VALUE} characters`);
    matches = routes.map((r) => ({ r, params: paramsOf(r.path, request.path) }));
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return json(400, { code: error.code, message: error.message, field: error.field });
  }
  const onPath = matches
    .filter((m) => m.params !== undefined)
    // A fixed segment beats a parameter: /cases/export before /cases/{ticket}.
    .sort((a, b) => a.r.path.split('{').length - b.r.path.split('{').length);
  if (onPath.length === 0) return json(404, { code: 'NOT_FOUND', message: 'no such route' });
  const found = onPath.find((m) => m.r.method === request.method);
  if (!found)
    return json(405, {
      code: 'METHOD_NOT_ALLOWED',
      message: `use ${[...new Set(onPath.map((m) => m.r.method))].join(' or ')}`,
    });
  const match = found.r;
  if (!match.roles.some((role) => request.roles.has(role)))
    return json(403, { code: 'FORBIDDEN', message: `requires one of: ${match.roles.join(', ')}` });
  try {
    const result = await match.handle({ ...request, params: found.params! });
    if (result instanceof DocumentBody)
      return {
        statusCode: match.status ?? 200,
        headers: {
          'content-type': result.contentType,
          'content-disposition': `attachment; filename="${result.fileName}"`,
          'cache-control': 'no-store',
        },
        body: result.body,
      };
    if (!(result instanceof Versioned)) return json(match.status ?? 200, result);
    const answer = json(match.status ?? 200, result.body);
    return { ...answer, headers: { ...answer.headers, etag: `"${result.version}"` } };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const answer = json(STATUS[error.code] ?? 400, {
      code: error.code,
      message: error.message,
      ...(error instanceof ValidationError ? { field: error.field } : {}),
      // What a client needs to say it in its own words (an agency's reason).
      ...(error as { detail?: object }).detail,
    });
    // A refusal for now (too many requests) says when to come back.
    const retryAfter = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
    if (retryAfter !== undefined) answer.headers['retry-after'] = String(retryAfter);
    return answer;
  }
}

const RANK = ['admin', 'supervisor', 'agent', 'backoffice'] as const;

/** The user a request acts as, with the role they act with: their highest. */
/** The request's JSON body; none, or not JSON, is an INVALID_INPUT naming `body`. */
export function jsonBody(request: ApiRequest): unknown {
  if (!request.body) throw new ValidationError('body', 'a JSON body is required');
  try {
    return JSON.parse(request.body);
  } catch {
    throw new ValidationError('body', 'must be JSON');
  }
}

export function actorOf(request: ApiRequest): Actor {
  return { id: request.user, role: RANK.find((r) => request.roles.has(r)) ?? 'agent' };
}
