import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod/mini';
import { NotFoundError, ValidationError } from '../../domain/errors';
import {
  STAFF_ROLES,
  type NewStaffMember,
  type StaffAccess,
  type StaffDirectory,
  type StaffMember,
} from '../../domain/staff';

/** The stored form of a password: `scrypt$<salt>$<hash>`. */
export function hashPassword(password: string, salt = randomBytes(16)): string {
  return `scrypt$${salt.toString('hex')}$${scryptSync(password, salt, 64).toString('hex')}`;
}

export function passwordMatches(password: string, stored: string): boolean {
  const [, salt, hash] = stored.split('$');
  const expected = Buffer.from(hash!, 'hex');
  const actual = scryptSync(password, Buffer.from(salt!, 'hex'), 64);
  return timingSafeEqual(actual, expected);
}

/** Twelve random bytes: 16 characters of letters, digits, `-` and `_` (96 bits). */
export const newPassword = (): string => randomBytes(12).toString('base64url');

const SCRYPT = /^scrypt\$[0-9a-f]{32}\$[0-9a-f]{128}$/;
const storedSchema = z.object({
  username: z.string(),
  name: z.optional(z.string()),
  email: z.optional(z.string()),
  role: z.enum(STAFF_ROLES),
  departments: z.optional(z.array(z.string())),
  enabled: z.boolean(),
  password: z.string().check(z.regex(SCRYPT, 'must be a scrypt hash')),
  createdAt: z.optional(z.string()),
});
/** An account as the store keeps it: the member and the scrypt hash of their password. */
export type StoredStaff = z.infer<typeof storedSchema>;
const fileSchema = z.object({ users: z.array(storedSchema) });

/**
 * Staff accounts in a file of this machine (readable by its owner alone), with salted scrypt hashes of their
 * passwords — the local stand-in for the user pool. Without a file, in memory. Read afresh at every call, so
 * the local server and a command joining it see the same accounts; written whole to a temporary file and
 * renamed, so a crash never leaves half a file.
 */
export class FileStaffStore implements StaffDirectory {
  private memory: StoredStaff[];

  constructor(
    private readonly file: string | undefined,
    initial: readonly StoredStaff[] = [],
    private readonly now: () => Date = () => new Date(),
  ) {
    this.memory = [...initial];
  }

  /** Every account, with hashes (for sign-in); a damaged file is an error that says what to do. */
  accounts(): StoredStaff[] {
    if (!this.file) return this.memory;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new Error(`${this.file} is not readable JSON: delete it to start the accounts again`, {
        cause: error,
      });
    }
    const parsed = fileSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`${this.file} is damaged: delete it to start the accounts again`);
    return parsed.data.users;
  }

  save(users: readonly StoredStaff[]): void {
    if (!this.file) {
      this.memory = [...users];
      return;
    }
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ users }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.file);
  }

  find(username: string): StoredStaff | undefined {
    return this.accounts().find((u) => u.username === username);
  }

  async list(): Promise<readonly StaffMember[]> {
    return this.accounts()
      .map(({ password: _password, createdAt: _createdAt, ...member }) => member)
      .sort((a, b) => a.username.localeCompare(b.username));
  }

  async create(member: NewStaffMember): Promise<StaffAccess> {
    const users = this.accounts();
    if (users.some((u) => u.username === member.username)) throw new ValidationError('username', 'is taken');
    if (users.some((u) => u.email === member.email))
      throw new ValidationError('email', 'already has an account');
    const temporaryPassword = newPassword();
    this.save([...users, stored(member, hashPassword(temporaryPassword), this.now().toISOString())]);
    return { temporaryPassword };
  }

  async setEnabled(username: string, enabled: boolean): Promise<void> {
    this.update(username, (u) => ({ ...u, enabled }));
  }

  async reset(username: string): Promise<StaffAccess> {
    const temporaryPassword = newPassword();
    this.update(username, (u) => ({ ...u, password: hashPassword(temporaryPassword) }));
    return { temporaryPassword };
  }

  /** Disabled accounts may not act; names the store does not hold (a script's own session) may. */
  async isEnabled(username: string): Promise<boolean> {
    return this.find(username)?.enabled !== false;
  }

  /**
   * Adds the accounts of `users` that the store does not hold yet, each with a new password, returned once
   * (to be printed) and kept nowhere but as its hash.
   */
  seed(users: readonly Omit<StaffMember, 'enabled'>[]): Map<string, string> {
    const existing = this.accounts();
    const generated = new Map<string, string>();
    const added: StoredStaff[] = [];
    for (const user of users) {
      if (existing.some((u) => u.username === user.username)) continue;
      const password = newPassword();
      generated.set(user.username, password);
      added.push(stored(user, hashPassword(password)));
    }
    if (added.length) this.save([...existing, ...added]);
    return generated;
  }

  private update(username: string, change: (u: StoredStaff) => StoredStaff) {
    const users = this.accounts();
    const index = users.findIndex((u) => u.username === username);
    if (index < 0) throw new NotFoundError('user');
    users[index] = change(users[index]!);
    this.save(users);
  }
}

/** An enabled account as the store keeps it. */
function stored(member: Omit<StaffMember, 'enabled'>, password: string, createdAt?: string): StoredStaff {
  const { departments, ...rest } = member;
  return {
    ...rest,
    ...(departments?.length ? { departments: [...departments] } : {}),
    enabled: true,
    password,
    ...(createdAt ? { createdAt } : {}),
  };
}
