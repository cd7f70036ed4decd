import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import * as z from 'zod/mini';
import { hashPassword, type LocalUser } from './session';

/**
 * The demo users' passwords: none is in the repository. The first start generates one per user of the
 * deployment's `users.json`, keeps only its scrypt hash in a file of this machine (readable by its owner
 * alone), and hands the plain passwords back once, to be printed. A user added later gets one on the next
 * start; deleting the file makes new ones for everybody. Without a file (tests), every start makes new ones.
 */
const hashesSchema = z.record(
  z.string(),
  z.string().check(z.regex(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{128}$/, 'must be a scrypt hash')),
);

/** `<dir>/<deployment folder>-passwords.json`. */
export function passwordFileOf(configDir: string, dir: string): string {
  return join(dir, `${basename(resolve(configDir))}-passwords.json`);
}

/** Twelve random bytes: 16 characters of letters, digits, `-` and `_` (96 bits). */
export const newPassword = (): string => randomBytes(12).toString('base64url');

export interface DemoPasswords {
  /** Every user with the hash of their password. */
  readonly users: readonly LocalUser[];
  /** The passwords made on this start, by user name: printed once, kept nowhere. */
  readonly generated: ReadonlyMap<string, string>;
}

export function demoPasswords(users: readonly Omit<LocalUser, 'password'>[], file?: string): DemoPasswords {
  let hashes: unknown = {};
  if (file)
    try {
      hashes = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new Error(`${file} is not readable JSON: delete it to make new demo passwords`, {
          cause: error,
        });
    }
  const parsed = hashesSchema.safeParse(hashes);
  if (!parsed.success) throw new Error(`${file} is damaged: delete it to make new demo passwords`);
  const stored: Record<string, string> = { ...parsed.data };
  const generated = new Map<string, string>();
  for (const user of users) {
    if (stored[user.username]) continue;
    const password = newPassword();
    generated.set(user.username, password);
    stored[user.username] = hashPassword(password);
  }
  if (file && generated.size) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return { users: users.map((user) => ({ ...user, password: stored[user.username]! })), generated };
}
