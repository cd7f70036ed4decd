import type { Actor } from './case';
import { NotFoundError } from './errors';
import type { Clock } from './ports';
import { requiredReason } from './text';

/** What a subject-access export groups a citizen's records by. */
export const SUBJECT_KINDS = [
  'profile',
  'identity',
  'contact',
  'merge',
  'link',
  'case',
  'audit',
  'case-contact',
  'note',
  'open-topic',
  'intake',
  'booking',
  'booking-guard',
  'booking-code',
  'waiter',
  'rectification',
  'document',
  'payment',
  'message',
  'consent',
  'callback',
  'verification',
  'message-count',
  'sign-in',
  'sent',
  'task',
  'batch',
  'read',
  'privacy',
] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** One record held about a citizen, as stored: where it is, and every field of it. */
export interface SubjectRecord {
  readonly kind: SubjectKind;
  /** The store it lives in (a table's role: citizens, cases). */
  readonly store: string;
  readonly key: { readonly pk: string; readonly sk: string };
  readonly data: Readonly<Record<string, unknown>>;
}

/** Finds everything held about a citizen: their own records, and those of citizens merged into them. */
export interface SubjectStore {
  /** Every record about the citizen; undefined for a citizen never registered. */
  collect(citizenId: string): Promise<readonly SubjectRecord[] | undefined>;
}

/** The accountable trail of what staff did with a citizen's data as a whole (no personal data in it). */
export interface PrivacyEvent {
  readonly id: string;
  readonly at: string;
  readonly actor: Actor;
  readonly action: 'subject-access' | 'erasure' | 'rectification' | 'blocked-read' | 'hold' | 'hold-released';
  readonly citizenId: string;
  readonly reason: string;
  /** How many records the action concerned. */
  readonly records: number;
}

export interface PrivacyLog {
  record(event: PrivacyEvent): Promise<void>;
  /** A citizen's events, oldest first. */
  of(citizenId: string): Promise<readonly PrivacyEvent[]>;
}

export interface SubjectExport {
  readonly citizenId: string;
  readonly producedAt: string;
  readonly producedBy: Actor;
  readonly reason: string;
  /** Counts per kind, for the reader's overview. */
  readonly counts: Readonly<Partial<Record<SubjectKind, number>>>;
  readonly records: readonly SubjectRecord[];
}

/**
 * A citizen's subject access: everything held about them, in one request, for the reason the staff member
 * gives (a request's reference, a legal basis). The export is recorded in the citizen's privacy log — who,
 * when, why, how many records — and only then handed over.
 */
export async function subjectAccess(
  deps: { subjects: SubjectStore; privacy: PrivacyLog; clock: Clock; newId: () => string },
  citizenId: string,
  actor: Actor,
  reason: unknown,
): Promise<SubjectExport> {
  const why = requiredReason(reason, 'is required: the request or legal basis this export answers');
  const records = await deps.subjects.collect(citizenId);
  if (!records) throw new NotFoundError('citizen');
  const at = deps.clock.now().toISOString();
  await deps.privacy.record({
    id: deps.newId(),
    at,
    actor,
    action: 'subject-access',
    citizenId,
    reason: why,
    records: records.length,
  });
  const counts: Partial<Record<SubjectKind, number>> = {};
  for (const r of records) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
  const tickets = ticketsOf(records);
  const order = (k: SubjectKind) => SUBJECT_KINDS.indexOf(k);
  return {
    citizenId,
    producedAt: at,
    producedBy: actor,
    reason: why,
    counts,
    records: [...records]
      .map((r) => (r.kind === 'batch' ? onlyTheirs(r, tickets) : r))
      .sort(
        (a, b) =>
          order(a.kind) - order(b.kind) ||
          a.key.pk.localeCompare(b.key.pk) ||
          a.key.sk.localeCompare(b.key.sk),
      ),
  };
}

/** The tickets of a citizen's cases, among their records. */
export function ticketsOf(records: readonly SubjectRecord[]): ReadonlySet<string> {
  return new Set(records.filter((r) => r.kind === 'case').map((r) => String(r.data.ticket)));
}

type Rowed = { readonly ticket?: unknown };

/** A back-office batch record holds many citizens' rows and audit events: a citizen sees only theirs. */
function onlyTheirs(record: SubjectRecord, tickets: ReadonlySet<string>): SubjectRecord {
  const theirs = (list: unknown) =>
    ((list as Rowed[] | undefined) ?? []).filter((r) => tickets.has(String(r.ticket)));
  return {
    ...record,
    data: { ...record.data, rows: theirs(record.data.rows), audits: theirs(record.data.audits) },
  };
}
