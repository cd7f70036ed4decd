import { existsSync, readFileSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import * as z from 'zod/mini';
import { FileStaffStore, type StoredStaff } from '../shared/adapters/file/staff-store';
import type { StaffMember } from '../shared/domain/staff';

/**
 * The local staff accounts: none is in the repository. The first start puts every user of the deployment's
 * `users.json` in the staff store of this machine (`.ventanilla/<deployment>-staff.json`, readable by its
 * owner alone) with a generated password, keeps only its scrypt hash, and hands the plain passwords back once,
 * to be printed. Accounts an administrator creates on the admin page are added there. A user added to
 * `users.json` later gets a password on the next start; deleting the file starts the accounts again. Without a
 * file (tests), every start makes new ones, in memory.
 */

/** `<dir>/<deployment folder>-staff.json`. */
export function staffFileOf(configDir: string, dir: string): string {
  return join(dir, `${basename(resolve(configDir))}-staff.json`);
}

export interface DemoPasswords {
  readonly store: FileStaffStore;
  /** Every account with the hash of its password. */
  readonly users: readonly StoredStaff[];
  /** The passwords made on this start, by user name: printed once, kept nowhere. */
  readonly generated: ReadonlyMap<string, string>;
}

const oldHashes = z.record(z.string(), z.string().check(z.regex(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{128}$/)));

export function demoPasswords(users: readonly Omit<StaffMember, 'enabled'>[], file?: string): DemoPasswords {
  const store = new FileStaffStore(file);
  // The demo passwords of an earlier version (`<deployment>-passwords.json`, hashes only) carry over.
  const previous = file?.replace(/-staff\.json$/, '-passwords.json');
  if (file && previous && previous !== file && existsSync(previous) && !existsSync(file)) {
    const parsed = oldHashes.safeParse(JSON.parse(readFileSync(previous, 'utf8')));
    if (parsed.success)
      store.save(
        users
          .filter((u) => parsed.data[u.username])
          .map(({ departments, ...u }) => ({
            ...u,
            ...(departments?.length ? { departments: [...departments] } : {}),
            enabled: true,
            password: parsed.data[u.username]!,
          })),
      );
    rmSync(previous);
  }
  const generated = store.seed(users);
  return { store, users: store.accounts(), generated };
}
