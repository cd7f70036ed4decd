import {
  ACTOR_ROLES,
  CASE_STATUSES,
  CHANNELS,
  type AuditEvent,
  type Case,
  type CaseStatus,
} from '../../domain/case';
import type { CaseContact } from '../../domain/contact';
import * as z from 'zod/mini';
import type { Ticket } from '../../domain/ticket';

/** Key builders of the cases table. See docs/access-patterns.md. */
export const caseKeys = {
  case: (ticket: string) => ({ pk: `CASE#${ticket}`, sk: 'CASE' }),
  audit: (ticket: string, seq: number) => ({
    pk: `CASE#${ticket}`,
    sk: `AUDIT#${String(seq).padStart(8, '0')}`,
  }),
  auditPrefix: 'AUDIT#',
  contact: (ticket: string, contactId: string) => ({ pk: `CASE#${ticket}`, sk: `CONTACT#${contactId}` }),
  contactPrefix: 'CONTACT#',
  note: (ticket: string, at: string, id: string) => ({ pk: `CASE#${ticket}`, sk: `NOTE#${at}#${id}` }),
  notePrefix: 'NOTE#',
  citizenPartition: (citizenId: string) => `CIT#${citizenId}`,
  statusPartition: (status: CaseStatus, departmentId: string) => `STATUS#${status}#${departmentId}`,
  /** Holds the one open case of a citizen on a topic. */
  openTopic: (citizenId: string, topicId: string) => ({
    pk: `OPENTOPIC#${citizenId}#${topicId}`,
    sk: 'OPENTOPIC',
  }),
  /** The outcome of a contact chain's case intake, for retries. */
  intake: (initialContactId: string) => ({ pk: `INTAKE#${initialContactId}`, sk: 'INTAKE' }),
};

const caseSchema = z.object({
  ticket: z.string(),
  citizenId: z.string(),
  topicId: z.string(),
  departmentId: z.string(),
  status: z.enum(CASE_STATUSES),
  channel: z.enum(CHANNELS),
  request: z.optional(z.string()),
  answer: z.optional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  dueAt: z.string(),
  version: z.number(),
  lastBatch: z.optional(z.string()),
  blocked: z.optional(z.boolean()),
  erasedAt: z.optional(z.string()),
  erasure: z.optional(z.string()),
});
const auditSchema = z.object({
  ticket: z.string(),
  seq: z.number(),
  at: z.string(),
  actor: z.object({ id: z.string(), role: z.enum(ACTOR_ROLES) }),
  action: z.enum(['CREATED', 'TRANSITIONED', 'REOPENED']),
  from: z.nullable(z.enum(CASE_STATUSES)),
  to: z.enum(CASE_STATUSES),
  reason: z.optional(z.string()),
  batchId: z.optional(z.string()),
});
const caseContactSchema = z.object({
  ticket: z.string(),
  contactId: z.string(),
  channel: z.enum(CHANNELS),
  at: z.string(),
  request: z.optional(z.string()),
});

export function caseItem(c: Case): Record<string, unknown> {
  const sortByTime = `${c.createdAt}#${c.ticket}`;
  return {
    ...caseKeys.case(c.ticket),
    type: 'CASE',
    ...c,
    gsi1pk: caseKeys.citizenPartition(c.citizenId),
    gsi1sk: sortByTime,
    gsi2pk: caseKeys.statusPartition(c.status, c.departmentId),
    gsi2sk: sortByTime,
  };
}
export const auditItem = (a: AuditEvent): Record<string, unknown> => ({
  ...caseKeys.audit(a.ticket, a.seq),
  type: 'AUDIT',
  ...a,
});
export const caseContactItem = (c: CaseContact): Record<string, unknown> => ({
  ...caseKeys.contact(c.ticket, c.contactId),
  type: 'CASE_CONTACT',
  ...c,
});

export const caseFromItem = (item: Record<string, unknown>): Case => caseSchema.parse(item) as Case;
export const auditFromItem = (item: Record<string, unknown>): AuditEvent =>
  auditSchema.parse(item) as AuditEvent;
export const caseContactFromItem = (item: Record<string, unknown>): CaseContact =>
  ({ ...caseContactSchema.parse(item) }) as CaseContact & { ticket: Ticket };
