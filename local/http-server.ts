import { pageCsp } from '../web/csp';
import { departmentGroup } from '../shared/domain/staff';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { LiveEvents } from '../shared/adapters/http/live-events';
import { buildPage, type DashboardFile, type StaffPage } from '../web/build';
import { cookieValue, SESSION_COOKIE, type localSessions, type SessionClaims } from './session';

type ApiHandler = (event: unknown) => Promise<unknown>;

const MAX_BODY = 5 * 1024 * 1024;
const LIVE_ROLES = new Set(['supervisor', 'admin']);

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};
const PAGE_HEADERS = {
  ...SECURITY_HEADERS,
  'content-security-policy': pageCsp(),
  'cache-control': 'no-cache',
};

function fail(res: ServerResponse, status: number, code: string, message: string, requestId?: string) {
  if (res.headersSent) return res.end();
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS });
  res.end(JSON.stringify({ code, message, ...(requestId ? { requestId } : {}) }));
}

/**
 * An unexpected failure, said in the terminal where `npm start` runs: the request id (also in the answer, for
 * the person who saw the error), the route and the kind of error — never the body or the error's message,
 * which may carry personal data.
 */
function reportFailure(
  log: (line: string) => void,
  req: IncomingMessage,
  requestId: string,
  status: number,
  error?: unknown,
) {
  const path = (req.url ?? '/').split('?')[0];
  const kind = error
    ? ` ${(error as Error)?.name ?? 'Error'}${(error as { code?: string })?.code ? ` ${(error as { code?: string }).code}` : ''}`
    : '';
  log(`[api] ${status} ${req.method ?? 'GET'} ${path} request ${requestId}${kind}\n`);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw Object.assign(new Error('body too large'), { status: 413 });
    chunks.push(chunk);
  }
  return chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined;
}

const sessionCookie = (value: string, maxAge: number) =>
  `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}`;

/**
 * The local web server: the dashboard at /dashboard/, the agent panel at /agent/, sign-in at /api/session (users of the config, a
 * signed session cookie), the staff API behind it (the same handler as API Gateway, given the claims a
 * Cognito JWT would carry) and the live metrics as server-sent events at /api/events.
 */
export function localHttpServer(deps: {
  sessions: ReturnType<typeof localSessions>;
  api: ApiHandler;
  live: LiveEvents;
  /** Where unexpected failures are said (the terminal by default). */
  log?: (line: string) => void;
}): Server {
  const log = deps.log ?? ((line: string) => void process.stderr.write(line));
  // Each page is built on its first request.
  const built = new Map<StaffPage, Map<string, DashboardFile>>();
  const files = (page: StaffPage) => {
    let found = built.get(page);
    if (!found) built.set(page, (found = new Map(buildPage(page).map((f) => [f.path, f]))));
    return found;
  };

  async function serve(req: IncomingMessage, res: ServerResponse, requestId: string) {
    const url = new URL(req.url ?? '/', 'http://local');
    const method = req.method ?? 'GET';
    // Only this machine's own names for this server: a page on another site whose name resolves here (DNS
    // rebinding) is refused.
    const port = (server.address() as { port: number } | null)?.port;
    const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
    if (!hosts.has(req.headers.host ?? ''))
      return fail(res, 421, 'WRONG_HOST', `this server answers only to http://127.0.0.1:${port}`);
    // A change comes from this server's own page as JSON (or a CSV file): a form or a page of another origin
    // cannot post here in a signed-in supervisor's name (CSRF).
    if (method !== 'GET' && method !== 'HEAD') {
      const origin = req.headers.origin;
      if (origin !== undefined && !hosts.has(origin.replace(/^http:\/\//, '')))
        return fail(res, 403, 'CROSS_ORIGIN', 'requests from another origin are refused');
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      // Neither is a type a form of another site can send without the browser asking first (CORS).
      if (method !== 'DELETE' && type !== 'application/json' && type !== 'text/csv')
        return fail(
          res,
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          'send the body as application/json (or text/csv for a file)',
        );
    }
    if (url.pathname === '/' || url.pathname === '/dashboard' || url.pathname === '/agent') {
      const page = url.pathname === '/agent' ? '/agent/' : '/dashboard/';
      res.writeHead(302, { location: page, ...SECURITY_HEADERS });
      return res.end();
    }
    const page = (['dashboard', 'agent'] as const).find((p) => url.pathname.startsWith(`/${p}/`));
    if (page) {
      const name = url.pathname.slice(page.length + 2) || 'index.html';
      if (name === 'config.json') {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...PAGE_HEADERS });
        return res.end(JSON.stringify({ mode: 'local', api: '/api' }));
      }
      const file = files(page).get(name);
      if (!file || method !== 'GET') return fail(res, 404, 'NOT_FOUND', 'no such page');
      res.writeHead(200, { 'content-type': file.contentType, ...PAGE_HEADERS });
      return res.end(file.body);
    }
    if (!url.pathname.startsWith('/api/')) return fail(res, 404, 'NOT_FOUND', 'no such page');

    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const claims: SessionClaims | undefined =
      deps.sessions.verify(bearer || undefined) ??
      deps.sessions.verify(cookieValue(req.headers.cookie, SESSION_COOKIE));

    if (url.pathname === '/api/session') {
      if (method === 'POST') {
        let body: { username?: unknown; password?: unknown };
        try {
          body = JSON.parse((await readBody(req)) ?? '{}') as typeof body;
        } catch {
          return fail(res, 400, 'INVALID_INPUT', 'the body must be JSON {"username", "password"}');
        }
        if (typeof body.username !== 'string' || typeof body.password !== 'string')
          return fail(res, 400, 'INVALID_INPUT', 'username and password are required');
        const result = deps.sessions.signIn(body.username, body.password);
        if ('error' in result)
          return result.error === 'TOO_MANY_ATTEMPTS'
            ? fail(res, 429, result.error, 'too many failed attempts; wait a minute')
            : fail(res, 401, result.error, 'wrong user name or password');
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'set-cookie': sessionCookie(result.token, 12 * 3600),
          ...SECURITY_HEADERS,
        });
        return res.end(JSON.stringify({ user: result.user }));
      }
      if (method === 'DELETE') {
        res.writeHead(204, { 'set-cookie': sessionCookie('', 0), ...SECURITY_HEADERS });
        return res.end();
      }
      if (!claims) return fail(res, 401, 'UNAUTHENTICATED', 'sign in first');
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS });
      return res.end(
        JSON.stringify({ user: { username: claims.sub, name: claims.name, role: claims.role } }),
      );
    }
    if (!claims) return fail(res, 401, 'UNAUTHENTICATED', 'sign in first');
    if (url.pathname === '/api/events') {
      if (!LIVE_ROLES.has(claims.role))
        return fail(res, 403, 'FORBIDDEN', 'requires one of: supervisor, admin');
      return deps.live.handle(req, res);
    }
    const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
    const response = (await deps.api({
      rawPath: url.pathname.slice('/api'.length),
      queryStringParameters: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
      ),
      ...(body !== undefined ? { body } : {}),
      requestContext: {
        requestId,
        http: { method },
        authorizer: {
          jwt: {
            claims: {
              sub: claims.sub,
              'cognito:groups': `[${[claims.role, ...(claims.departments ?? []).map(departmentGroup)].join(' ')}]`,
            },
          },
        },
      },
    })) as { statusCode: number; headers: Record<string, string>; body: string };
    if (response.statusCode >= 500) reportFailure(log, req, requestId, response.statusCode);
    res.writeHead(response.statusCode, {
      ...SECURITY_HEADERS,
      'x-request-id': requestId,
      ...response.headers,
    });
    res.end(response.body);
  }

  const server: Server = createServer((req, res) => {
    const requestId = randomUUID();
    void serve(req, res, requestId).catch((error: unknown) => {
      const status = (error as { status?: number }).status;
      if (status === 413) return fail(res, 413, 'TOO_LARGE', 'the body is larger than 5 MB');
      reportFailure(log, req, requestId, 500, error);
      fail(res, 500, 'INTERNAL', `internal error (request ${requestId})`, requestId);
    });
  });
  return server;
}

export const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
