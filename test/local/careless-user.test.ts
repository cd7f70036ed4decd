import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localHttpServer } from '../../local/http-server';
import { readRunningBackEnd, runningBackEnds, writeRunningBackEnd } from '../../local/running';
import { listen, PortInUseError, startLocalBackEnd } from '../../local/back-end';
import { demoPasswords } from '../../local/passwords';
import { hashPassword } from '../../shared/adapters/file/staff-store';
import { loadUsers, localSessions } from '../../local/session';

const endpoints = {
  dynamoEndpoint: 'http://127.0.0.1:1',
  kinesisEndpoint: 'http://127.0.0.1:2',
  names: { citizens: 'c', cases: 'k', metrics: 'm' },
  configDir: 'config/city-hall',
};

describe('local mode and a careless user', () => {
  it('says in one line that the port is taken, before starting anything', async () => {
    const other = createServer();
    const port = await listen(other, 0);
    try {
      const started = Date.now();
      const error = await startLocalBackEnd({ configDir: 'config/city-hall', port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toBe(
        `port ${port} is already in use (is another npm start running?): start this one with --port N, or --port 0 for a free one`,
      );
      expect(Date.now() - started).toBeLessThan(1000); // no DynamoDB Local was started to find out
    } finally {
      other.close();
    }
  });

  it('keeps one discovery file per port, and asks which to join when several run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ventanilla-running-'));
    expect(readRunningBackEnd(undefined, dir)).toBeUndefined();
    const forgetA = writeRunningBackEnd(
      { ...endpoints, pid: process.pid, port: 3000, url: 'http://127.0.0.1:3000' },
      dir,
    );
    expect(readRunningBackEnd(undefined, dir)?.port).toBe(3000);
    const forgetB = writeRunningBackEnd(
      { ...endpoints, pid: process.pid, port: 3001, url: 'http://127.0.0.1:3001' },
      dir,
    );
    // A dead process's file does not count.
    writeRunningBackEnd(
      { ...endpoints, pid: 2 ** 22 + 12345, port: 3002, url: 'http://127.0.0.1:3002' },
      dir,
    );
    expect(runningBackEnds(dir).map((s) => s.port)).toEqual([3000, 3001]);
    expect(() => readRunningBackEnd(undefined, dir)).toThrow(
      '2 local contact centers are running (ports 3000, 3001): say which to join with --port N',
    );
    expect(readRunningBackEnd(3001, dir)?.url).toBe('http://127.0.0.1:3001');
    expect(() => readRunningBackEnd(3005, dir)).toThrow(
      'no local contact center is running on port 3005 (running: 3000, 3001)',
    );
    forgetA();
    expect(readRunningBackEnd(undefined, dir)?.port).toBe(3001);
    forgetB();
    expect(runningBackEnds(dir)).toEqual([]);
  });

  it('logs an unexpected 500 in the terminal with its request id, and never the error text', async () => {
    const lines: string[] = [];
    const sessions = localSessions([]);
    const token = sessions.sign({ sub: 's', name: 'S', role: 'supervisor' });
    const server = localHttpServer({
      sessions,
      api: async () => {
        throw Object.assign(new Error('secret +50761234567'), { name: 'TypeError' });
      },
      live: { handle: () => undefined, refresh: async () => undefined, close: () => undefined },
      log: (line) => lines.push(line),
    });
    const port = await listen(server, 0);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/cases/AB-123?x=1`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(500);
      const body = (await res.json()) as { code: string; requestId: string };
      expect(body.code).toBe('INTERNAL');
      expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(lines).toEqual([`[api] 500 GET /api/cases/AB-123 request ${body.requestId} TypeError\n`]);
    } finally {
      server.close();
    }
  });
});

describe('local mode on a developer’s laptop', () => {
  const sessions = localSessions(demoPasswords(loadUsers('config/city-hall')).users);
  const token = sessions.sign({ sub: 's', name: 'S', role: 'supervisor' });
  let port: number;
  let server: ReturnType<typeof localHttpServer>;
  const reached: string[] = [];
  beforeAll(async () => {
    server = localHttpServer({
      sessions,
      api: async (event) => {
        reached.push(String((event as { rawPath: string }).rawPath));
        return { statusCode: 200, headers: {}, body: '{}' };
      },
      live: { handle: () => undefined, refresh: async () => undefined, close: () => undefined },
      log: () => undefined,
    });
    port = await listen(server, 0);
  });
  afterAll(() => server.close());

  /** A raw request, so that the Host and Origin headers are exactly what a browser elsewhere would send. */
  const send = (headers: Record<string, string>, method = 'GET', body?: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/api/cases', method, headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(body);
    });
  const auth = { authorization: `Bearer ${token}` };

  it('answers only to its own loopback name and port (DNS rebinding)', async () => {
    expect(await send({ ...auth, host: `127.0.0.1:${port}` })).toBe(200);
    expect(await send({ ...auth, host: `localhost:${port}` })).toBe(200);
    expect(await send({ ...auth, host: `attacker.example:${port}` })).toBe(421);
    expect(await send({ ...auth, host: '127.0.0.1:80' })).toBe(421);
  });

  it('refuses a change from another origin or not sent as JSON (CSRF)', async () => {
    const host = { ...auth, host: `127.0.0.1:${port}` };
    const json = { ...host, 'content-type': 'application/json' };
    expect(await send(json, 'POST', '{}')).toBe(200);
    expect(await send({ ...json, origin: `http://127.0.0.1:${port}` }, 'POST', '{}')).toBe(200);
    expect(await send({ ...json, origin: 'http://attacker.example' }, 'POST', '{}')).toBe(403);
    expect(await send({ ...host, 'content-type': 'text/csv' }, 'POST', 'ticket,answer')).toBe(200);
    expect(await send({ ...host, 'content-type': 'text/plain' }, 'POST', '{}')).toBe(415);
    expect(await send({ ...host, 'content-type': 'application/x-www-form-urlencoded' }, 'POST', 'a=1')).toBe(
      415,
    );
    expect(reached).toEqual(['/cases', '/cases', '/cases', '/cases', '/cases']);
  });

  it('remembers a bounded number of failed sign-ins, and refuses new names while it is full', () => {
    const passwords = demoPasswords(loadUsers('config/city-hall'));
    // The limiter's bound made small (1,000 by default), so the flood that fills it is short.
    const limited = localSessions(passwords.users, undefined, 100);
    const now = Date.now();
    for (let i = 0; i < 100; i++)
      expect(limited.signIn(`nobody-${i}`, 'x', now)).toEqual({ error: 'INVALID_CREDENTIALS' });
    expect(limited.signIn('supervisora', 'wrong', now)).toEqual({ error: 'TOO_MANY_ATTEMPTS' });
    // A minute later the old failures are forgotten, and the real user may try again.
    const password = passwords.generated.get('supervisora')!;
    expect('token' in limited.signIn('supervisora', password, now + 61_000)).toBe(true);
  });

  it('keeps no password in the repository: the first start makes them, later starts keep them', () => {
    expect(readFileSync('config/city-hall/users.json', 'utf8')).not.toMatch(/password|scrypt/i);
    const file = join(mkdtempSync(join(tmpdir(), 'passwords-')), 'city-hall-staff.json');
    const users = loadUsers('config/city-hall');
    const first = demoPasswords(users, file);
    expect([...first.generated.keys()].sort()).toEqual(users.map((u) => u.username).sort());
    const passwords = [...first.generated.values()];
    expect(new Set(passwords).size).toBe(users.length);
    for (const password of passwords) expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    // Only the hashes are kept, readable by the owner alone.
    const kept = readFileSync(file, 'utf8');
    for (const password of passwords) expect(kept).not.toContain(password);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // The next start makes none and still signs the same people in.
    const second = demoPasswords(users, file);
    expect(second.generated.size).toBe(0);
    const sessions = localSessions(second.users);
    expect('token' in sessions.signIn('admin', first.generated.get('admin')!)).toBe(true);
    expect(sessions.signIn('admin', 'ventanilla-demo')).toEqual({ error: 'INVALID_CREDENTIALS' });
    // A user added to the file gets a password of their own on the next start.
    const third = demoPasswords([...users, { username: 'nueva', name: 'Nueva', role: 'agent' }], file);
    expect([...third.generated.keys()]).toEqual(['nueva']);
  });

  it('carries the demo passwords of an earlier version over, and removes their old file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'passwords-'));
    const users = loadUsers('config/city-hall');
    const old = join(dir, 'city-hall-passwords.json');
    writeFileSync(old, JSON.stringify({ agente: hashPassword('la-de-siempre') }));
    const opened = demoPasswords(users, join(dir, 'city-hall-staff.json'));
    expect(opened.generated.has('agente')).toBe(false);
    expect(opened.generated.size).toBe(users.length - 1);
    expect('token' in localSessions(opened.store).signIn('agente', 'la-de-siempre')).toBe(true);
    expect(existsSync(old)).toBe(false);
  });

  it('refuses a disabled account: no sign-in, and its open session ends at its next request', async () => {
    const { store, generated } = demoPasswords(loadUsers('config/city-hall'));
    const sessions = localSessions(store);
    const signed = sessions.signIn('agente', generated.get('agente')!);
    if (!('token' in signed)) throw new Error('the demo agent should sign in');
    expect(sessions.verify(signed.token)?.sub).toBe('agente');
    await store.setEnabled('agente', false);
    expect(sessions.verify(signed.token)).toBeUndefined();
    expect(sessions.signIn('agente', generated.get('agente')!)).toEqual({ error: 'INVALID_CREDENTIALS' });
    await store.setEnabled('agente', true);
    expect(sessions.verify(signed.token)?.sub).toBe('agente');
  });
});
