import { pageCsp } from '../web/csp';
import { departmentGroup } from '../shared/domain/staff';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { LiveEvents } from '../shared/adapters/http/live-events';
import { buildPage, type DashboardFile, type StaffPage } from '../web/build';
import { cookieValue, SESSION_COOKIE, type localSessions, type SessionClaims } from './session';
import { DESK_STATUSES, DeskError, type DeskStatus, type LocalDesk } from './desk';
import { PHONE_CHANNELS, PhoneError, type LocalPhone, type PhoneChannel } from './phone';

type ApiHandler = (event: unknown) => Promise<unknown>;

const MAX_BODY = 5 * 1024 * 1024;
const LIVE_ROLES = new Set(['supervisor', 'admin']);
/** Who takes contacts in the local routing (in Connect, whoever has a routing profile: agents and supervisors). */
const DESK_ROLES = new Set(['agent', 'supervisor']);

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
 * The local web server: the dashboard at /dashboard/, the agent panel at /agent/, the administration at
 * /admin/, the supervisors' case page at /supervision/, the back office at /backoffice/, the office's
 * appointments at /office/, the citizen's own page at /citizen/ (its public API at /api/citizen/, the payment
 * gateway's webhook at /api/payments/webhook, the documents' signed uploads at /local/uploads/), the caller's
 * page at /caller/ (with the local routing at /local/desk/ and the local telephone network at /local/phone/),
 * sign-in at /api/session (users of the config, a signed session cookie), the staff API behind it (the same
 * handler as API Gateway, given the claims a Cognito JWT would carry) and the live metrics as server-sent
 * events at /api/events.
 */
export function localHttpServer(deps: {
  sessions: ReturnType<typeof localSessions>;
  api: ApiHandler;
  /** The citizens' API (`/api/citizen/…`, and the payment gateway's `/api/payments/webhook`): public. */
  citizenApi?: ApiHandler;
  /** The citizens' documents: signed uploads and reads at `/local/uploads/<key>`. */
  uploads?: { handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> };
  live: LiveEvents;
  /** Where unexpected failures are said (the terminal by default). */
  log?: (line: string) => void;
  /** The local routing and telephone network (`/local/desk/…`, `/local/phone/…`). */
  desk?: LocalDesk;
  phone?: LocalPhone;
  /** The staff, for the departments whose queues each person serves. */
  staff?: { find(username: string): { readonly departments?: readonly string[] } | undefined };
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
    // A document's file, to or from a signed address (the signature, not a session, allows it).
    if (url.pathname.startsWith('/local/uploads/') && deps.uploads) return deps.uploads.handle(req, res, url);
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
    if (
      [
        '/',
        '/dashboard',
        '/agent',
        '/admin',
        '/supervision',
        '/backoffice',
        '/office',
        '/caller',
        '/citizen',
      ].includes(url.pathname)
    ) {
      const page = url.pathname === '/' ? '/dashboard/' : `${url.pathname}/`;
      res.writeHead(302, { location: page, ...SECURITY_HEADERS });
      return res.end();
    }
    const page = (
      ['dashboard', 'agent', 'admin', 'supervision', 'backoffice', 'office', 'caller', 'citizen'] as const
    ).find((p) => url.pathname.startsWith(`/${p}/`));
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
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const claims: SessionClaims | undefined =
      deps.sessions.verify(bearer || undefined) ??
      deps.sessions.verify(cookieValue(req.headers.cookie, SESSION_COOKIE));

    if (url.pathname.startsWith('/local/phone/') && deps.phone) return phoneRoute(req, res, url, deps.phone);
    if (url.pathname.startsWith('/local/desk/') && deps.desk) {
      if (!claims) return fail(res, 401, 'UNAUTHENTICATED', 'sign in first');
      if (!DESK_ROLES.has(claims.role))
        return fail(res, 403, 'FORBIDDEN', 'taking contacts requires one of: agent, supervisor');
      const departments = deps.staff?.find(claims.sub)?.departments;
      return deskRoute(req, res, url, deps.desk, {
        username: claims.sub,
        name: claims.name,
        ...(departments ? { departments } : {}),
      });
    }
    if (!url.pathname.startsWith('/api/')) return fail(res, 404, 'NOT_FOUND', 'no such page');
    if (
      (url.pathname.startsWith('/api/citizen/') || url.pathname === '/api/payments/webhook') &&
      deps.citizenApi
    )
      return forward(deps.citizenApi, req, res, url, requestId);

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
    return forward(deps.api, req, res, url, requestId, {
      jwt: {
        claims: {
          sub: claims.sub,
          'cognito:groups': `[${[claims.role, ...(claims.departments ?? []).map(departmentGroup)].join(' ')}]`,
        },
      },
    });
  }

  /** A request to an API function, as API Gateway gives it (with the claims its authorizer would add). */
  async function forward(
    api: ApiHandler,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    requestId: string,
    authorizer?: unknown,
  ) {
    const method = req.method ?? 'GET';
    const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
    const response = (await api({
      rawPath: url.pathname.slice('/api'.length),
      queryStringParameters: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
      ),
      ...(body !== undefined ? { body } : {}),
      requestContext: {
        requestId,
        http: { method, ...(req.socket.remoteAddress ? { sourceIp: req.socket.remoteAddress } : {}) },
        ...(authorizer ? { authorizer } : {}),
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

/** A server-sent events stream; `send` writes one event, and a ping keeps proxies and browsers from giving up. */
function eventStream(req: IncomingMessage, res: ServerResponse, onClose: () => void) {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...SECURITY_HEADERS,
  });
  const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
  ping.unref();
  req.on('close', () => {
    clearInterval(ping);
    onClose();
  });
  return (event: string, data: unknown, id?: number) =>
    res.write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readBody(req);
  if (!raw) return {};
  try {
    const body = JSON.parse(raw) as unknown;
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new PhoneError('INVALID_INPUT', 'body: must be a JSON object');
}

/** A desk or phone refusal as an HTTP answer; anything else is unexpected. */
function refuse(res: ServerResponse, error: unknown) {
  if (!(error instanceof DeskError) && !(error instanceof PhoneError)) throw error;
  const status = { NOT_SIGNED_IN: 409, NO_SUCH_CONTACT: 404, WRONG_STATE: 409, INVALID_INPUT: 400 }[
    error.code
  ];
  return fail(res, status, error.code, error.message);
}

const stringList = (value: unknown, field: string): string[] | undefined => {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new PhoneError('INVALID_INPUT', `${field}: must be a list of strings`);
  return value as string[];
};

/**
 * The local telephone network, open to anyone on this machine as a telephone is: place a contact, read what
 * it says (server-sent events, resumable with Last-Event-ID), press keys or write, hang up.
 */
async function phoneRoute(req: IncomingMessage, res: ServerResponse, url: URL, phone: LocalPhone) {
  const method = req.method ?? 'GET';
  const [, , , resource, id, action] = url.pathname.split('/');
  try {
    if (resource !== 'contacts') return fail(res, 404, 'NOT_FOUND', 'no such route');
    if (!id && method === 'POST') {
      const body = await jsonBody(req);
      const channel = String(body.channel ?? '') as PhoneChannel;
      if (!(channel in PHONE_CHANNELS))
        throw new PhoneError('INVALID_INPUT', 'channel: one of voice, status-line, sms, whatsapp, chat');
      if (body.from !== undefined && typeof body.from !== 'string')
        throw new PhoneError('INVALID_INPUT', 'from: must be a telephone number');
      const keys = stringList(body.keys, 'keys');
      const says = stringList(body.says, 'says');
      return sendJson(
        res,
        201,
        phone.place({
          channel,
          ...(typeof body.from === 'string' && body.from ? { from: body.from } : {}),
          ...(keys ? { keys } : {}),
          ...(says ? { says } : {}),
        }),
      );
    }
    if (!id) return fail(res, 404, 'NOT_FOUND', 'no such route');
    if (action === 'events' && method === 'GET') {
      const last = Number(req.headers['last-event-id'] ?? url.searchParams.get('from') ?? -1);
      let stop = () => undefined as unknown;
      const send = eventStream(req, res, () => stop());
      stop = phone.watch(id, Number.isInteger(last) ? last + 1 : 0, (event, index) =>
        send('phone', event, index),
      );
      return;
    }
    if (method !== 'POST') return fail(res, 404, 'NOT_FOUND', 'no such route');
    if (action === 'input') {
      const body = await jsonBody(req);
      if (typeof body.text !== 'string') throw new PhoneError('INVALID_INPUT', 'text: is required');
      phone.input(id, body.text);
      return sendJson(res, 202, { accepted: true });
    }
    if (action === 'hang-up') {
      phone.hangUp(id);
      return sendJson(res, 202, { accepted: true });
    }
    return fail(res, 404, 'NOT_FOUND', 'no such route');
  } catch (error) {
    return refuse(res, error);
  }
}

/** The signed-in person as an agent of the local routing: their view as events, and what they do. */
async function deskRoute(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  desk: LocalDesk,
  person: { username: string; name: string; departments?: readonly string[] },
) {
  const method = req.method ?? 'GET';
  const [, , , resource, id, action] = url.pathname.split('/');
  try {
    if (resource === 'events' && method === 'GET') {
      let stop = () => undefined as unknown;
      const send = eventStream(req, res, () => stop());
      stop = desk.watch(person, (view) => send('desk', view));
      return;
    }
    if (method !== 'POST') return fail(res, 404, 'NOT_FOUND', 'no such route');
    if (resource === 'status') {
      const body = await jsonBody(req);
      if (!(DESK_STATUSES as readonly unknown[]).includes(body.status))
        throw new DeskError('INVALID_INPUT', `status: one of ${DESK_STATUSES.join(', ')}`);
      return sendJson(res, 200, desk.setStatus(person, body.status as DeskStatus));
    }
    if (resource !== 'contacts' || !id) return fail(res, 404, 'NOT_FOUND', 'no such route');
    switch (action) {
      case 'accept':
        return sendJson(res, 200, desk.accept(person.username, id));
      case 'reject':
        return sendJson(res, 200, desk.reject(person.username, id));
      case 'hang-up':
        return sendJson(res, 200, desk.hangUp(person.username, id));
      case 'clear':
        return sendJson(res, 200, desk.clear(person.username, id));
      case 'messages': {
        const body = await jsonBody(req);
        if (typeof body.text !== 'string') throw new DeskError('INVALID_INPUT', 'text: is required');
        return sendJson(res, 200, desk.send(person.username, id, body.text));
      }
      default:
        return fail(res, 404, 'NOT_FOUND', 'no such route');
    }
  } catch (error) {
    return refuse(res, error);
  }
}

export const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
