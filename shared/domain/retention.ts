import * as z from 'zod/mini';
import { localized } from './schema';

export { RETENTION_BY, RETENTION_KINDS, type RetentionKind } from './retention-kinds';

const term = (min: number) =>
  z.strictObject({
    days: z.number().check(z.int(), z.gte(min), z.lte(36_500)),
    /** The legal basis for keeping the record that long, shown to administrators and in the documentation. */
    basis: localized,
  });

/** Cross-field rules (the audit outlives its case, a document does not, aggregates outlive the detail) are
 * checked with the deployment, naming the field. */
export const retentionSchema = z.strictObject({
  /** Calls, chats and messages on a citizen's timeline, their contact guards. */
  contact: term(30),
  /** A closed case with its contacts and notes. */
  case: term(30),
  /** A case's history (who changed what, when); never shorter than the case. */
  auditEvent: term(30),
  /** The text of a proactive message (the outbound flow reads it for two days). */
  message: term(2),
  /** Bookings, their codes and waitlist entries. */
  appointment: term(30),
  /** Documents a citizen uploads for a case; never longer than the case. */
  document: term(1),
  /** Back-office export and answer files, and the batch records that copy their rows. */
  exportFile: term(1),
  /** Metrics detail: 15-minute interval counters and the contacts in queue of the live view. */
  metricsDetail: term(1),
  /** Daily figures, which hold no personal data; never shorter than the detail. */
  metricsAggregate: term(1),
});
export type RetentionSchedule = z.infer<typeof retentionSchema>;

const basis = (es: string, en: string) => ({ es, en });

/** The schedule of a deployment that gives none: the terms the city hall's example spells out. */
export const DEFAULT_RETENTION: RetentionSchedule = {
  contact: {
    days: 730,
    basis: basis('Atención al ciudadano: historial de contactos', 'Citizen service: contact history'),
  },
  case: { days: 1825, basis: basis('Expediente administrativo', 'Administrative file') },
  auditEvent: { days: 1825, basis: basis('Trazabilidad del expediente', 'Traceability of the file') },
  message: { days: 2, basis: basis('Entrega del mensaje', 'Delivery of the message') },
  appointment: { days: 365, basis: basis('Gestión de citas', 'Appointment management') },
  document: { days: 1825, basis: basis('Expediente administrativo', 'Administrative file') },
  exportFile: { days: 90, basis: basis('Intercambio con la dependencia', 'Exchange with the agency') },
  metricsDetail: { days: 400, basis: basis('Gestión del servicio', 'Service management') },
  metricsAggregate: { days: 3650, basis: basis('Estadística pública', 'Public statistics') },
};

const DAY_MS = 86_400_000;

/** The instant a record counted from `from` reaches the end of a term of `days`. */
export const endOfTerm = (from: string | Date, days: number): Date =>
  new Date(new Date(from).getTime() + days * DAY_MS);

/** The same, as DynamoDB's TTL attribute wants it (epoch seconds). */
export const ttlOf = (from: string | Date, days: number): number =>
  Math.floor(endOfTerm(from, days).getTime() / 1000);

/** The latest moment a record counted from it may have started and still be past its term now. */
export const cutoffOf = (now: Date, days: number): Date => new Date(now.getTime() - days * DAY_MS);
