import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import type { StaffDirectory, StaffMember } from '../../domain/staff';

const usersFile = z.object({
  users: z.array(
    z.object({
      username: z.string(),
      name: z.optional(z.string()),
      role: z.enum(['agent', 'supervisor', 'backoffice', 'admin']),
      departments: z.optional(z.array(z.string())),
    }),
  ),
});

/** Staff from a deployment's `users.json` (the local stand-in for Cognito); password hashes never leave it. */
export class FileStaffDirectory implements StaffDirectory {
  constructor(private readonly file: string) {}

  async list(): Promise<readonly StaffMember[]> {
    const { users } = usersFile.parse(JSON.parse(readFileSync(this.file, 'utf8')));
    return users
      .map(({ username, name, role, departments }) => ({
        username,
        ...(name ? { name } : {}),
        role,
        ...(departments?.length ? { departments } : {}),
        enabled: true,
      }))
      .sort((a, b) => a.username.localeCompare(b.username));
  }
}
