import type { CountryCode } from 'libphonenumber-js/min';
import { getCountries } from 'libphonenumber-js/min';
import { WEEKDAYS } from './calendar';
import { LANGUAGES, type Language } from './citizen';
import { ConfigError } from './errors';
import * as z from 'zod/mini';
import { parseConfig } from './schema';

const hhmm = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time "HH:MM"'));
const span = z
  .strictObject({ open: hhmm, close: hhmm })
  .check(z.refine((s) => s.open < s.close, { message: 'close must be after open', path: ['close'] }));
const weeklyHours = z.strictObject(
  Object.fromEntries(WEEKDAYS.map((d) => [d, z.optional(z.array(span))])) as Record<
    (typeof WEEKDAYS)[number],
    z.ZodMiniOptional<z.ZodMiniArray<typeof span>>
  >,
);
const localized = z.strictObject({
  es: z.string().check(z.minLength(1)),
  en: z.string().check(z.minLength(1)),
});
const slug = z
  .string()
  .check(z.regex(/^[a-z][a-z0-9-]{1,39}$/, 'must be a lower-case slug like "civil-registry"'));
const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date "YYYY-MM-DD"'));

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
const countries = new Set<string>(getCountries());

export const departmentSchema = z.strictObject({
  id: slug,
  name: localized,
  hours: weeklyHours,
});

export const deploymentSchema = z.strictObject({
  /** Short id of the administration, used in resource names. */
  id: slug,
  name: localized,
  country: z
    .string()
    .check(z.refine((c) => countries.has(c), 'must be an ISO country code libphonenumber knows')),
  timeZone: z.string().check(z.refine(validTimeZone, 'must be an IANA time zone like "America/Panama"')),
  languages: z.array(z.enum(LANGUAGES)).check(z.minLength(1)),
  defaultLanguage: z.enum(LANGUAGES),
  departments: z.array(departmentSchema).check(z.minLength(1)),
  holidays: z.array(z.strictObject({ date: isoDate, name: localized })),
  /** Seconds within which an answered or abandoned contact counts toward the service level. */
  serviceLevelSeconds: z.number().check(z.int(), z.gte(5), z.lte(600)),
  /** How long personal data is kept, in days, before TTL removes it. */
  retentionDays: z.number().check(z.int(), z.gte(30)),
  connect: z.union([
    z.strictObject({ createInstance: z.strictObject({ alias: slug }) }),
    z.strictObject({
      instanceArn: z
        .string()
        .check(z.regex(/^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}$/)),
    }),
  ]),
  /**
   * Numbers already claimed in the instance (claiming is a manual step) and the flow each one starts.
   * CloudFormation cannot associate a number with a flow, so a custom resource does.
   */
  phoneNumbers: z.optional(
    z.array(
      z.strictObject({
        arn: z
          .string()
          .check(
            z.regex(
              /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:phone-number\/[0-9a-f-]{36}$/,
              'must be a Connect phone-number ARN',
            ),
          ),
        flow: z.enum(['inbound-voice', 'status-line', 'inbound-text']),
      }),
    ),
  ),
});

export type Department = z.infer<typeof departmentSchema>;
export type Deployment = Omit<z.infer<typeof deploymentSchema>, 'country'> & { country: CountryCode };

export function parseDeployment(raw: unknown, source = 'deployment'): Deployment {
  const deployment = parseConfig(deploymentSchema, raw, source) as Deployment;
  const ids = new Set<string>();
  deployment.departments.forEach((d, i) => {
    if (ids.has(d.id)) throw new ConfigError(source, `departments.${i}.id`, `duplicate department "${d.id}"`);
    ids.add(d.id);
  });
  if (!deployment.languages.includes(deployment.defaultLanguage))
    throw new ConfigError(source, 'defaultLanguage', 'must be one of languages');
  return deployment;
}

export type { Language };
