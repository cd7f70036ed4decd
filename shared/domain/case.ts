import { ForbiddenError, IllegalTransitionError, ValidationError } from './errors';
import { cleanText } from './text';
import type { Ticket } from './ticket';

export const CASE_STATUSES = [
  'OPEN',
  'PENDING_RESPONSE',
  'PENDING_COMMUNICATION',
  'COMMUNICATED',
  'RESOLVED',
  'CANCELLED',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Where a contact came in. SMS and WhatsApp are Connect CHAT contacts with a subtype; WEB is the citizen's own page. */
export const CHANNELS = ['VOICE', 'CHAT', 'SMS', 'WHATSAPP', 'EMAIL', 'TASK', 'WEB'] as const;
export type Channel = (typeof CHANNELS)[number];

export const ACTOR_ROLES = [
  'citizen',
  'ivr',
  'agent',
  'backoffice',
  'supervisor',
  'admin',
  'system',
] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];
export interface Actor {
  readonly id: string;
  readonly role: ActorRole;
}

export interface Case {
  readonly ticket: Ticket;
  readonly citizenId: string;
  readonly topicId: string;
  readonly departmentId: string;
  readonly status: CaseStatus;
  /** Channel of the contact that opened the case. */
  readonly channel: Channel;
  readonly request?: string;
  readonly answer?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When the answer is due, from the topic's SLA in business days. */
  readonly dueAt: string;
  /** Optimistic-concurrency version; 1 on creation, +1 on every change. */
  readonly version: number;
  /** The back-office batch (export or import file) that made the latest change, if one did. */
  readonly lastBatch?: string;
  /** Kept after its citizen's erasure (`erasedAt`, on request `erasure`): read with a reason, never changed. */
  readonly blocked?: boolean;
  readonly erasedAt?: string;
  readonly erasure?: string;
}

export type AuditAction = 'CREATED' | 'TRANSITIONED' | 'REOPENED';
/** One entry of a case's append-only audit trail. `seq` equals the case version it produced. */
export interface AuditEvent {
  readonly ticket: Ticket;
  readonly seq: number;
  readonly at: string;
  readonly actor: Actor;
  readonly action: AuditAction;
  readonly from: CaseStatus | null;
  readonly to: CaseStatus;
  readonly reason?: string;
  /** A back-office batch or other correlation id. */
  readonly batchId?: string;
}

/** The legal forward moves. Reopening a closed case is separate: supervisor only, with a reason. */
const FORWARD: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  OPEN: ['PENDING_RESPONSE', 'RESOLVED', 'CANCELLED'],
  // "Needs more information" sends a case back to OPEN.
  PENDING_RESPONSE: ['PENDING_COMMUNICATION', 'OPEN', 'CANCELLED'],
  PENDING_COMMUNICATION: ['COMMUNICATED', 'CANCELLED'],
  COMMUNICATED: [],
  RESOLVED: [],
  CANCELLED: [],
};
const CLOSED: readonly CaseStatus[] = ['COMMUNICATED', 'RESOLVED', 'CANCELLED'];

export const isClosed = (status: CaseStatus): boolean => CLOSED.includes(status);
export const canTransition = (from: CaseStatus, to: CaseStatus): boolean => FORWARD[from].includes(to);
/** The forward moves a status allows (reopening a closed case is not among them). */
export const movesFrom = (status: CaseStatus): readonly CaseStatus[] => FORWARD[status];

export const MAX_TEXT = 2000;
function text(field: string, value: string | undefined, required: boolean): string | undefined {
  const trimmed = value === undefined ? undefined : cleanText(value);
  if (!trimmed) {
    if (required) throw new ValidationError(field, 'is required');
    return undefined;
  }
  if (trimmed.length > MAX_TEXT) throw new ValidationError(field, `must be at most ${MAX_TEXT} characters`);
  return trimmed;
}

export interface NewCaseInput {
  readonly ticket: Ticket;
  readonly citizenId: string;
  readonly topicId: string;
  readonly departmentId: string;
  readonly channel: Channel;
  readonly request?: string;
  readonly dueAt: string;
  readonly actor: Actor;
  readonly now: string;
}

export function openCase(input: NewCaseInput): { case: Case; audit: AuditEvent } {
  const request = text('request', input.request, false);
  const created: Case = {
    ticket: input.ticket,
    citizenId: input.citizenId,
    topicId: input.topicId,
    departmentId: input.departmentId,
    status: 'OPEN',
    channel: input.channel,
    ...(request ? { request } : {}),
    createdAt: input.now,
    updatedAt: input.now,
    dueAt: input.dueAt,
    version: 1,
  };
  const audit: AuditEvent = {
    ticket: input.ticket,
    seq: 1,
    at: input.now,
    actor: input.actor,
    action: 'CREATED',
    from: null,
    to: 'OPEN',
  };
  return { case: created, audit };
}

export interface TransitionInput {
  readonly to: CaseStatus;
  readonly actor: Actor;
  readonly now: string;
  readonly reason?: string;
  /** Required when moving to PENDING_COMMUNICATION. */
  readonly answer?: string;
  readonly batchId?: string;
}

/**
 * Applies one status change. Pure: returns the next case and its audit event, or throws a typed error
 * (IllegalTransitionError, ValidationError, ForbiddenError) and changes nothing.
 */
export function transitionCase(current: Case, input: TransitionInput): { case: Case; audit: AuditEvent } {
  const { to } = input;
  const reopening = isClosed(current.status) && to === 'OPEN';
  if (reopening) {
    if (input.actor.role !== 'supervisor' && input.actor.role !== 'admin')
      throw new ForbiddenError('reopen a case');
  } else if (!canTransition(current.status, to)) {
    throw new IllegalTransitionError(current.status, to);
  }
  const reasonRequired =
    reopening || to === 'CANCELLED' || (current.status === 'PENDING_RESPONSE' && to === 'OPEN');
  const reason = text('reason', input.reason, reasonRequired);
  const answer = to === 'PENDING_COMMUNICATION' ? text('answer', input.answer, true) : undefined;

  const next: Case = {
    ...current,
    status: to,
    ...(answer ? { answer } : {}),
    ...(input.batchId ? { lastBatch: input.batchId } : {}),
    updatedAt: input.now,
    version: current.version + 1,
  };
  const audit: AuditEvent = {
    ticket: current.ticket,
    seq: next.version,
    at: input.now,
    actor: input.actor,
    action: reopening ? 'REOPENED' : 'TRANSITIONED',
    from: current.status,
    to,
    ...(reason ? { reason } : {}),
    ...(input.batchId ? { batchId: input.batchId } : {}),
  };
  return { case: next, audit };
}
