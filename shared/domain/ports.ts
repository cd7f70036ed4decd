import type { AuditEvent, Case, CaseStatus } from './case';
import type { Citizen } from './citizen';
import type { CaseContact, ContactRecord } from './contact';
import type { Identity } from './identity';
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
}

export interface CaseRepository {
  /** Creates a case with its first audit event (and first contact); TicketCollisionError if the ticket is taken. */
  create(created: Case, audit: AuditEvent, contact?: CaseContact): Promise<Case>;
  byTicket(ticket: Ticket): Promise<Case | undefined>;
  /** Saves a transition if the stored version is still `expectedVersion`; else VersionConflictError. */
  saveTransition(next: Case, audit: AuditEvent): Promise<Case>;
  audit(ticket: Ticket): Promise<readonly AuditEvent[]>;
  /** Links a contact to a case; the same contactId twice is one link. Returns false on a repeat. */
  appendContact(contact: CaseContact): Promise<boolean>;
  contacts(ticket: Ticket): Promise<readonly CaseContact[]>;
  byCitizen(citizenId: string, page?: PageRequest): Promise<Page<Case>>;
  byStatusAndDepartment(status: CaseStatus, departmentId: string, page?: PageRequest): Promise<Page<Case>>;
}

export interface Clock {
  now(): Date;
}
