import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import type { Role } from '../shared/adapters/http/api';
import { hashPassword, passwordMatches, type FileStaffStore } from '../shared/adapters/file/staff-store';

/**
 * Local sign-in, standing in for Cognito on this machine: the accounts of the local staff store (the users of
 * `config/<deployment>/users.json` and those an administrator created, with scrypt hashes of their passwords;
 * `passwords.ts`), and a signed session (HMAC-SHA256, expiring) in an HttpOnly cookie. A disabled account
 * cannot sign in, and its sessions are refused from the next request.
 */
const userSchema = z.strictObject({
  username: z.string().check(z.regex(/^[a-z][a-z0-9.-]{1,39}$/, 'must be a lower-case user name')),
  name: z.string().check(z.minLength(1)),
  role: z.enum(['agent', 'supervisor', 'backoffice', 'admin']),
  departments: z.optional(z.array(z.string())),
});
const usersSchema = z.strictObject({ users: z.array(userSchema) });
/** An account, with the scrypt hash of its password. */
export interface LocalUser {
  readonly username: string;
  readonly name?: string;
  readonly role: Role;
  readonly departments?: readonly string[];
  readonly password: string;
  readonly enabled?: boolean;
}

/** The deployment's staff, without passwords (none is in the repository). */
export function loadUsers(configDir: string): z.infer<typeof userSchema>[] {
  const file = join(configDir, 'users.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
  const parsed = usersSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.')} ${issue.message}`);
  }
  return parsed.data.users;
}

export interface SessionClaims {
  readonly sub: string;
  readonly name: string;
  readonly role: Role;
  readonly departments?: readonly string[];
  /** Seconds since the epoch. */
  readonly exp: number;
}

export const SESSION_COOKIE = 'ventanilla_session';
const SESSION_HOURS = 12;
/** Failed sign-ins allowed per user name within a minute. */
const MAX_TRACKED = 1000;
const ATTEMPTS_PER_MINUTE = 5;

export function localSessions(
  accounts: readonly LocalUser[] | FileStaffStore,
  secret = randomBytes(32),
  /** How many names' failures the limiter remembers (a test may make it small). */
  maxTracked = MAX_TRACKED,
) {
  // What an unknown name's password is checked against, so the answer takes as long as for a real one.
  let unknownHash: string | undefined;
  const find = (username: string): LocalUser | undefined =>
    Array.isArray(accounts)
      ? (accounts as readonly LocalUser[]).find((u) => u.username === username)
      : ((accounts as FileStaffStore).find(username) as LocalUser | undefined);
  const mac = (body: string) => createHmac('sha256', secret).update(body).digest('base64url');
  const failures = new Map<string, number[]>();
  const sign = (claims: Omit<SessionClaims, 'exp'>, now = Date.now()) => {
    const body = Buffer.from(
      JSON.stringify({ ...claims, exp: Math.floor(now / 1000) + SESSION_HOURS * 3600 }),
    ).toString('base64url');
    return `${body}.${mac(body)}`;
  };
  return {
    sign,
    verify(token: string | undefined, now = Date.now()): SessionClaims | undefined {
      if (!token) return undefined;
      const [body, signature] = token.split('.');
      if (!body || !signature) return undefined;
      const expected = Buffer.from(mac(body));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
      try {
        const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as SessionClaims;
        // A disabled account's session ends at its next request.
        if (find(claims.sub)?.enabled === false) return undefined;
        return claims.exp * 1000 > now ? claims : undefined;
      } catch {
        return undefined;
      }
    },
    /** A session for the user, or why not: unknown user and wrong password read the same. */
    signIn(
      username: string,
      password: string,
      now = Date.now(),
    ):
      | { token: string; user: Omit<LocalUser, 'password'> }
      | { error: 'INVALID_CREDENTIALS' | 'TOO_MANY_ATTEMPTS' } {
      // The limiter remembers at most MAX_TRACKED names, so a flood of made-up ones cannot fill the memory:
      // names whose failures are over a minute old are forgotten, and while it is still full a name it does
      // not know is refused (it fails closed; forgetting a real user's failures would reopen the door).
      if (failures.size >= maxTracked) {
        for (const [name, times] of failures)
          if (times.every((t) => now - t >= 60_000)) failures.delete(name);
        if (failures.size >= maxTracked && !failures.has(username)) return { error: 'TOO_MANY_ATTEMPTS' };
      }
      const recent = (failures.get(username) ?? []).filter((t) => now - t < 60_000);
      if (recent.length >= ATTEMPTS_PER_MINUTE) return { error: 'TOO_MANY_ATTEMPTS' };
      const user = find(username);
      // Hash even for an unknown name, so the answer takes as long either way.
      const ok = passwordMatches(
        password,
        user?.password ?? (unknownHash ??= hashPassword('', Buffer.alloc(16))),
      );
      if (!user || !ok || user.enabled === false) {
        failures.set(username, [...recent, now]);
        return { error: 'INVALID_CREDENTIALS' };
      }
      failures.delete(username);
      const { password: _password, enabled: _enabled, ...profile } = user;
      return {
        token: sign({
          sub: user.username,
          name: user.name ?? user.username,
          role: user.role,
          ...(user.departments ? { departments: user.departments } : {}),
        }),
        user: profile,
      };
    },
  };
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
