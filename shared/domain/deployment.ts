import type { CountryCode } from 'libphonenumber-js/min';
import { getCountries } from 'libphonenumber-js/min';
import { WEEKDAYS } from './week';
import { LANGUAGES, type Language } from './citizen';
import { ConfigError } from './errors';
import * as z from 'zod/mini';
import { localized, parseConfig } from './schema';
import { DEFAULT_RETENTION, retentionSchema } from './retention';

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

/** Amber and red levels of a figure on the dashboard. */
const band = z.strictObject({ amber: z.number().check(z.gte(0)), red: z.number().check(z.gte(0)) });
const higherIsWorse = band.check(
  z.refine((b) => b.amber < b.red, { message: 'red must be above amber', path: ['red'] }),
);
const lowerIsWorse = band.check(
  z.refine((b) => b.red < b.amber && b.amber <= 1, {
    message: 'red must be below amber, both fractions (0.8 = 80 %)',
    path: ['red'],
  }),
);
export const dashboardSchema = z.strictObject({
  /** The service level the administration aims at, as a fraction (0.8 = 80 % within serviceLevelSeconds). */
  serviceLevelTarget: z.number().check(z.gt(0), z.lte(1)),
  thresholds: z.strictObject({
    waiting: higherIsWorse,
    oldestWaitSeconds: higherIsWorse,
    serviceLevel: lowerIsWorse,
    abandonmentRate: higherIsWorse,
    averageSpeedOfAnswerSeconds: higherIsWorse,
  }),
});
export type DashboardSettings = z.infer<typeof dashboardSchema>;

export const DEFAULT_DASHBOARD: DashboardSettings = {
  serviceLevelTarget: 0.8,
  thresholds: {
    waiting: { amber: 5, red: 15 },
    oldestWaitSeconds: { amber: 60, red: 180 },
    serviceLevel: { amber: 0.8, red: 0.6 },
    abandonmentRate: { amber: 0.05, red: 0.1 },
    averageSpeedOfAnswerSeconds: { amber: 30, red: 90 },
  },
};

export /** One procedure an office books: slots of `slotMinutes` from opening, `capacity` citizens each. */
const officeServiceSchema = z.strictObject({
  topic: slug,
  slotMinutes: z.number().check(z.int(), z.gte(5), z.lte(240)),
  capacity: z.number().check(z.int(), z.gte(1), z.lte(1000)),
});
export const officeSchema = z.strictObject({
  id: slug,
  name: localized,
  address: localized,
  /** Opening hours; the deployment's holidays close every office. */
  hours: weeklyHours,
  services: z.array(officeServiceSchema).check(z.minLength(1)),
});
/**
 * Appointments at the offices. Day D opens for booking at `release.time` (local) `release.daysAhead` days
 * before it; a hold keeps a place `holdMinutes` while the citizen confirms (`waitlistHoldMinutes` for a place
 * offered from a day's waitlist); `overbookingPercent` adds places
 * above capacity on purpose (0: none); a citizen has at most one active booking per procedure; reminders go
 * `remindHoursBefore` each slot.
 */
export const appointmentsSchema = z.strictObject({
  release: z._default(
    z.strictObject({
      time: hhmm,
      daysAhead: z.number().check(z.int(), z.gte(1), z.lte(365)),
    }),
    { time: '07:00', daysAhead: 30 },
  ),
  holdMinutes: z._default(z.number().check(z.int(), z.gte(1), z.lte(30)), 5),
  /** How long a place freed and offered to the first citizen waiting is kept for their yes. */
  waitlistHoldMinutes: z._default(z.number().check(z.int(), z.gte(10), z.lte(1440)), 120),
  overbookingPercent: z._default(z.number().check(z.int(), z.gte(0), z.lte(50)), 0),
  remindHoursBefore: z._default(
    z.array(z.number().check(z.int(), z.gte(1), z.lte(168))).check(z.maxLength(3)),
    [24, 2],
  ),
  /**
   * Repeated no-shows: a citizen with `count` or more missed appointments for a procedure in the last `days`
   * books it through a person (an agent or the office), not on the lines. Absent: no such rule.
   */
  noShowLimit: z.optional(
    z.strictObject({
      count: z.number().check(z.int(), z.gte(1), z.lte(10)),
      days: z.number().check(z.int(), z.gte(1), z.lte(365)),
    }),
  ),
  offices: z.array(officeSchema).check(z.minLength(1)),
});
export type Office = z.infer<typeof officeSchema>;
export type AppointmentSettings = z.infer<typeof appointmentsSchema>;

/**
 * Queued callbacks on the voice line: offered when the department's queue holds more than `contactsInQueue`
 * contacts or its oldest has waited more than `oldestContactSeconds` (Connect's near-real-time queue metrics);
 * the callback contact waits `initialDelaySeconds` before it is routed, and an unanswered call is tried again
 * after `retryDelaySeconds`, `maxAttempts` times in all (Connect's CreateCallbackContact parameters).
 */
export const callbacksSchema = z.strictObject({
  offerWhen: z.strictObject({
    contactsInQueue: z.number().check(z.int(), z.gte(0)),
    oldestContactSeconds: z.number().check(z.int(), z.gte(0)),
  }),
  initialDelaySeconds: z._default(z.number().check(z.int(), z.gte(1), z.lte(259_200)), 5),
  maxAttempts: z._default(z.number().check(z.int(), z.gte(1), z.lte(10)), 3),
  retryDelaySeconds: z._default(z.number().check(z.int(), z.gte(1), z.lte(259_200)), 600),
});
export type CallbackSettings = z.infer<typeof callbacksSchema>;

/** A queue's load by the rule: more than `contactsInQueue` waiting, or the oldest waiting more than `oldestContactSeconds`. */
const queueLoad = z.strictObject({
  contactsInQueue: z.number().check(z.int(), z.gte(0)),
  oldestContactSeconds: z.number().check(z.int(), z.gte(0)),
});
/**
 * Surge mode switched by rule, per department: on once its queue is over `on` for `onMinutes` running; off
 * once it is under `off` (lower: hysteresis) for `offMinutes` running. A supervisor may always switch by hand.
 */
export const surgeSchema = z.strictObject({
  rule: z.optional(
    z
      .strictObject({
        on: queueLoad,
        onMinutes: z.number().check(z.int(), z.gte(1), z.lte(120)),
        off: queueLoad,
        offMinutes: z.number().check(z.int(), z.gte(1), z.lte(240)),
      })
      .check(
        z.refine(
          (r) =>
            r.off.contactsInQueue < r.on.contactsInQueue &&
            r.off.oldestContactSeconds < r.on.oldestContactSeconds,
          { message: 'the off levels must be below the on levels (hysteresis)', path: ['off'] },
        ),
      ),
  ),
});
export type SurgeSettings = z.infer<typeof surgeSchema>;

const phoneNumberArn = z
  .string()
  .check(
    z.regex(
      /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:phone-number\/[0-9a-f-]{36}$/,
      'must be a Connect phone-number ARN',
    ),
  );

/**
 * Another agency's eligibility check (a tax clearance, a plate available), asked over HTTP before a booking
 * of a procedure that needs it is confirmed: bounded, retried, its answers kept a while (docs/fees-and-eligibility.md).
 */
const agencyCheckSchema = z.strictObject({
  name: localized,
  endpoint: z.string().check(z.regex(/^https:\/\/\S+$/, 'must be an https address')),
  timeoutMs: z._default(z.number().check(z.int(), z.gte(100), z.lte(5000)), 1500),
  retries: z._default(z.number().check(z.int(), z.gte(0), z.lte(3)), 1),
  backoffMs: z._default(z.number().check(z.int(), z.gte(0), z.lte(2000)), 200),
  cacheSeconds: z._default(z.number().check(z.int(), z.gte(0), z.lte(86_400)), 3600),
});

const deploymentSchema = z.strictObject({
  /** Short id of the administration, used in resource names. */
  id: slug,
  name: localized,
  country: z
    .string()
    .check(z.refine((c) => countries.has(c), 'must be an ISO country code libphonenumber knows')),
  timeZone: z.string().check(z.refine(validTimeZone, 'must be an IANA time zone like "America/Panama"')),
  languages: z.array(z.enum(LANGUAGES)).check(z.minLength(1)),
  defaultLanguage: z.enum(LANGUAGES),
  /** The national document a number is taken to be when no type is given (a caller keying it, a search). */
  defaultDocumentType: z._default(
    z.string().check(z.regex(/^[A-Z_]{2,16}$/, 'must be 2 to 16 capital letters, like "CEDULA" or "DNI"')),
    'CEDULA',
  ),
  departments: z.array(departmentSchema).check(z.minLength(1)),
  holidays: z.array(z.strictObject({ date: isoDate, name: localized })),
  /** Seconds within which an answered or abandoned contact counts toward the service level. */
  serviceLevelSeconds: z.number().check(z.int(), z.gte(5), z.lte(600)),
  /** Service-level target and the amber/red levels of the supervisors' dashboard. */
  dashboard: z.optional(dashboardSchema),
  /** How long each kind of record is kept, and why (docs/retention.md). */
  retention: z._default(retentionSchema, DEFAULT_RETENTION),
  connect: z.union([
    z.strictObject({ createInstance: z.strictObject({ alias: slug }) }),
    z.strictObject({
      instanceArn: z
        .string()
        .check(z.regex(/^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}$/)),
      /** The instance's access URL, for the standalone agent page's softphone (an alias URL cannot be derived). */
      accessUrl: z.optional(
        z
          .string()
          .check(
            z.regex(
              /^https:\/\/[a-z0-9-]+\.(my\.connect\.aws|awsapps\.com\/connect)$/,
              'must be the instance URL, like https://city.my.connect.aws',
            ),
          ),
      ),
    }),
  ]),
  /**
   * Numbers already claimed in the instance (claiming is a manual step) and the flow each one starts.
   * CloudFormation cannot associate a number with a flow, so a custom resource does.
   */
  phoneNumbers: z.optional(
    z.array(
      z.strictObject({
        arn: phoneNumberArn,
        flow: z.enum(['inbound-voice', 'status-line', 'inbound-text']),
      }),
    ),
  ),
  /**
   * The numbers proactive messages (answers, requested links) leave from, by channel. A channel without one
   * sends nothing: its cases stay PENDING_COMMUNICATION for the status line or an agent.
   */
  messaging: z.optional(
    z.strictObject({ sms: z.optional(phoneNumberArn), whatsapp: z.optional(phoneNumberArn) }),
  ),
  /**
   * Who may hear personal data on the phone line: a caller whose number is on record proves to be the citizen
   * by keying the document on record (`document`); after `maxFailuresPerDay` wrong attempts from a number in a
   * local day, it goes to an agent. Unverified callers hear nothing personal.
   */
  callerVerification: z._default(
    z.strictObject({
      method: z._default(z.enum(['document']), 'document'),
      maxFailuresPerDay: z._default(z.number().check(z.int(), z.gte(1), z.lte(10)), 3),
    }),
    { method: 'document', maxFailuresPerDay: 3 },
  ),
  /**
   * Limits on what leaves for citizens' phones. Messages a citizen sets off themselves ("send me the link")
   * are at most `perNumberPerDay` to one number in a local day; no message goes to a number outside
   * `countries` (the deployment's own unless listed); more than `alarmPerHour` sent in an hour raises an alarm.
   */
  outbound: z._default(
    z.strictObject({
      perNumberPerDay: z._default(z.number().check(z.int(), z.gte(1), z.lte(50)), 3),
      countries: z.optional(
        z
          .array(
            z
              .string()
              .check(z.refine((c) => countries.has(c), 'must be an ISO country code libphonenumber knows')),
          )
          .check(z.minLength(1)),
      ),
      alarmPerHour: z._default(z.number().check(z.int(), z.gte(1)), 500),
    }),
    { perNumberPerDay: 3, alarmPerHour: 500 },
  ),
  /** Offices that book appointments, and how (none: no appointments). */
  appointments: z.optional(appointmentsSchema),
  /** Queued callbacks on the voice line (none: never offered). */
  callbacks: z.optional(callbacksSchema),
  /** Surge mode: what changes in it is fixed; when it switches itself on and off (none: only by hand). */
  surge: z._default(surgeSchema, {}),
  /** Other agencies' eligibility checks, by name; a catalogue entry's `eligibility` names those it needs. */
  agencyChecks: z._default(z.record(slug, agencyCheckSchema), {}),
  /**
   * The payment gateway's hosted checkout (its API key and webhook secret are kept in a secret the stack
   * makes), and the local hour of the nightly reconciliation. None: fees are not collected by link.
   */
  payments: z.optional(
    z.strictObject({
      endpoint: z.string().check(z.regex(/^https:\/\/\S+$/, 'must be an https address')),
      reconcileHour: z._default(z.number().check(z.int(), z.gte(0), z.lte(23)), 1),
    }),
  ),
});

export type AgencyCheckSettings = z.infer<typeof agencyCheckSchema>;

export type Department = z.infer<typeof departmentSchema>;
export type Deployment = Omit<z.infer<typeof deploymentSchema>, 'country'> & { country: CountryCode };

export function parseDeployment(raw: unknown, source = 'deployment'): Deployment {
  const deployment = parseConfig(deploymentSchema, raw, source) as Deployment;
  const ids = new Set<string>();
  deployment.departments.forEach((d, i) => {
    if (ids.has(d.id)) throw new ConfigError(source, `departments.${i}.id`, `duplicate department "${d.id}"`);
    ids.add(d.id);
  });
  const offices = new Set<string>();
  deployment.appointments?.offices.forEach((o, i) => {
    if (offices.has(o.id))
      throw new ConfigError(source, `appointments.offices.${i}.id`, `duplicate office "${o.id}"`);
    offices.add(o.id);
    const topics = new Set<string>();
    o.services.forEach((s, j) => {
      const field = `appointments.offices.${i}.services.${j}.topic`;
      if (topics.has(s.topic)) throw new ConfigError(source, field, `duplicate procedure "${s.topic}"`);
      topics.add(s.topic);
    });
  });
  const { retention } = deployment;
  if (retention.auditEvent.days < retention.case.days)
    throw new ConfigError(
      source,
      'retention.auditEvent.days',
      `must be at least the case’s (${retention.case.days})`,
    );
  if (retention.document.days > retention.case.days)
    throw new ConfigError(
      source,
      'retention.document.days',
      `must be at most the case’s (${retention.case.days})`,
    );
  if (retention.metricsAggregate.days < retention.metricsDetail.days)
    throw new ConfigError(
      source,
      'retention.metricsAggregate.days',
      `must be at least the detail’s (${retention.metricsDetail.days})`,
    );
  if (!deployment.languages.includes(deployment.defaultLanguage))
    throw new ConfigError(source, 'defaultLanguage', 'must be one of languages');
  return deployment;
}

export type { Language };
