import type { AuditEvent, Case, CaseStatus } from './case';
import type { Citizen } from './citizen';
import type { CaseContact, ContactRecord, WrapUp } from './contact';
import type { Identity } from './identity';
import type { ShardClock } from './metrics/clock';
import type { Effect } from './metrics/effects';
import type { AppliedVersion, ShardRun } from './metrics/shard-runs';
import type { Addition } from './metrics/versions';
import type { ScreenPopSummary } from './screen-pop';
import type { Ticket } from './ticket';

/** One page of a paginated query; `cursor` is opaque and absent on the last page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly cursor?: string;
}
export interface PageRequest {
  readonly limit?: number;
  readonly cursor?: string;
}

export interface CitizenRepository {
  /**
   * Creates the citizen and claims every identity, all or nothing. Throws IdentityTakenError naming the
   * owner when any identity already belongs to someone.
   */
  create(citizen: Citizen): Promise<Citizen>;
  byId(id: string): Promise<Citizen | undefined>;
  byIdentity(identity: Identity): Promise<Citizen | undefined>;
  /** Citizens whose normalised surnames start with the normalised query, by surname then given names. */
  bySurname(query: string, page?: PageRequest): Promise<Page<Citizen>>;
  /** Records a contact in the timeline; the same contactId twice is one record. Returns false on a repeat. */
  appendContact(contact: ContactRecord): Promise<boolean>;
  /** The timeline, newest first. */
  contacts(citizenId: string, page?: PageRequest): Promise<Page<ContactRecord>>;
  /** Whose timeline holds a contact, and at which instant; undefined when no timeline does. */
  contactPlace(contactId: string): Promise<ContactPlace | undefined>;
  /** Sets the wrap-up of a contact on the timeline (replacing an earlier one); returns the contact. */
  attachWrapUp(place: ContactPlace, contactId: string, wrapUp: WrapUp): Promise<ContactRecord>;
}

export interface ContactPlace {
  readonly citizenId: string;
  readonly at: string;
}

export interface CaseRepository {
  /**
   * Creates a case with its first audit event (and first contact), and shows it on the screen-pop summary of
   * each of `owner`'s identities. TicketCollisionError if the ticket is taken; OpenCaseExistsError if the
   * citizen already has an open case on the topic (one open case per citizen and topic).
   */
  create(created: Case, audit: AuditEvent, owner: readonly Identity[], contact?: CaseContact): Promise<Case>;
  byTicket(ticket: Ticket): Promise<Case | undefined>;
  /**
   * Saves a transition if the stored version is still `next.version - 1` (else VersionConflictError), and
   * updates the screen-pop summary of each of `owner`'s identities in the same transaction.
   */
  saveTransition(next: Case, audit: AuditEvent, owner: readonly Identity[]): Promise<Case>;
  audit(ticket: Ticket): Promise<readonly AuditEvent[]>;
  /** Links a contact to a case; the same contactId twice is one link. Returns false on a repeat. */
  appendContact(contact: CaseContact): Promise<boolean>;
  contacts(ticket: Ticket): Promise<readonly CaseContact[]>;
  byCitizen(citizenId: string, page?: PageRequest): Promise<Page<Case>>;
  /** Oldest first; `from`/`to` bound the creation time. */
  byStatusAndDepartment(
    status: CaseStatus,
    departmentId: string,
    page?: PageRequest & { from?: string; to?: string },
  ): Promise<Page<Case>>;
}

export interface Clock {
  now(): Date;
}

/** What a contact's case intake recorded; a retry of the same contact chain gets it back unchanged. */
export interface IntakeOutcome {
  readonly ticket: Ticket;
  readonly result: 'created' | 'appended';
}

/** Everything one intake writes, all or nothing. */
export interface IntakePlan {
  readonly initialContactId: string;
  readonly outcome: IntakeOutcome;
  /** The summary as read (or a fresh one for a new citizen); the writes update every identity in it. */
  readonly summary: ScreenPopSummary;
  /** A provisional citizen created by this contact. */
  readonly newCitizen?: Citizen;
  /** The case this contact opens; absent when it appends to an open one. */
  readonly created?: { readonly case: Case; readonly audit: AuditEvent };
  readonly link: CaseContact;
  readonly contact: ContactRecord;
  /** Recent contacts to drop from the summary to keep it small. */
  readonly prune: readonly string[];
}

/** The storage side of taking a contact onto a case (the Connect case function). */
export interface ContactIntakeStore {
  /** One round trip: the summary where the identity lands and any outcome already recorded for the chain. */
  begin(
    identity: Identity,
    initialContactId: string,
  ): Promise<{ summary?: ScreenPopSummary; previous?: IntakeOutcome }>;
  /** Writes the plan atomically; ConcurrentChangeError when a concurrent write got there first. */
  commit(plan: IntakePlan): Promise<void>;
}

/** Reads behind the caller lookup and the ticket status line. */
export interface ScreenPopStore {
  /** One read: the summary where the identity lands. */
  summary(identity: Identity): Promise<ScreenPopSummary | undefined>;
  /** One round trip: a case and the summaries of the given identities. */
  caseWithSummaries(
    ticket: Ticket,
    identities: readonly Identity[],
  ): Promise<{ case?: Case; summaries: readonly ScreenPopSummary[] }>;
}

/**
 * Brings screen pops up to date after a change written without them (a back-office batch moves thousands of
 * cases; their screen pops follow from the cases table's stream).
 */
export interface ScreenPopRefresher {
  /**
   * Shows the case's status on each identity's summary, only where the case is still listed and at an older
   * version (a closed case is not brought back, a newer change is not overwritten). Returns how many changed.
   */
  showOpenCase(identities: readonly Identity[], c: Case): Promise<number>;
}

/** Where the aggregator keeps metrics. Each event's effects apply once, whatever the redeliveries. */
export interface MetricsStore {
  /**
   * Applies effects that are idempotent by nature (newest-wins agent states, maxima, queue entries and
   * exits): applying them again, in any order, changes nothing.
   */
  applyIdempotent(effects: readonly Effect[]): Promise<void>;
  /** Applies the effects of one event exactly once; false when an earlier delivery already applied it. */
  applyOnce(key: string, effects: readonly Effect[]): Promise<boolean>;
  /**
   * Applies one version of a contact's record: the first version seen adds its counters; a newer one
   * replaces that contribution (the difference, applied atomically and once); an older version, or the same
   * one again, changes nothing. The applied version is remembered until `expiresAt`.
   */
  applyVersion(
    contactId: string,
    version: string,
    additions: readonly Addition[],
    expiresAt: Date,
  ): Promise<'applied' | 'replaced' | 'stale'>;
  /** Keeps a shard's clock: the newest live event of its latest batch (the latest batch wins). */
  recordClock(clock: ShardClock): Promise<void>;
  /** A shard's mark: the sequence number of its last record whose counts are in the figures. */
  shardMark(shard: string): Promise<string | undefined>;
  /** The versions of these contacts' records whose counts are in the figures. */
  appliedVersions(contactIds: readonly string[]): Promise<ReadonlyMap<string, AppliedVersion>>;
  /** How many writes one run may hold, its mark included. */
  readonly runLimit: number;
  /**
   * Writes a run of a shard's records at once, only while the shard's mark is still the run's `after` (and
   * each contact's version still the one it replaces): false, with nothing written, when either has moved.
   */
  applyRun(run: ShardRun): Promise<boolean>;
}
