import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { ConfigError, ValidationError } from './errors';

// Readable messages ("expected number, received string") instead of zod/mini's bare "Invalid input".
// The English locale alone: `z.locales` would bundle every language.
z.config(en());

/** A text in each language the project speaks. */
export const localized = z.strictObject({
  es: z.string().check(z.minLength(1)),
  en: z.string().check(z.minLength(1)),
});

/** The dotted path of a zod issue: "departments.2.hours.mon.0.open". */
export const issuePath = (path: readonly PropertyKey[]): string => path.map(String).join('.');

function firstIssue(error: z.core.$ZodError): { path: string; message: string } {
  const issue = error.issues[0]!;
  const path = issuePath(issue.path);
  // An unknown key is reported on its parent; name the key itself.
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    return { path: path ? `${path}.${key}` : key, message: 'is not a known field' };
  }
  return { path, message: issue.message };
}

/** Parses input at a boundary: the first problem becomes a ValidationError naming the field. */
export function parseInput<T>(schema: z.ZodMiniType<T>, raw: unknown): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const { path, message } = firstIssue(result.error);
  throw new ValidationError(path || 'input', message);
}

/** Parses a configuration document: the first problem becomes a ConfigError naming file and field. */
export function parseConfig<T>(schema: z.ZodMiniType<T>, raw: unknown, source: string): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const { path, message } = firstIssue(result.error);
  throw new ConfigError(source, path, message);
}
