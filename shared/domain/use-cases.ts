import { openCase, transitionCase, type Actor, type Case, type Channel, type TransitionInput } from './case';
import type { BusinessCalendar } from './calendar';
import type { Catalogue } from './catalogue';
import { newCitizen, type Citizen, type NewCitizenInput } from './citizen';
import {
  IdentityTakenError,
  BlockedError,
  NotFoundError,
  TicketCollisionError,
  ValidationError,
  VersionConflictError,
} from './errors';
import type { Identity } from './identity';
import type { CaseContact } from './contact';
import type { CaseRepository, CitizenRepository, Clock } from './ports';
import { generateTicket, type RandomSource, type Ticket } from './ticket';

export interface CoreDeps {
  readonly citizens: CitizenRepository;
  readonly cases: CaseRepository;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly newId: () => string;
  readonly calendar: BusinessCalendar;
  readonly catalogue: Catalogue;
}

const MAX_TICKET_DRAWS = 5;

/**
 * The citizen an identity reaches, creating a provisional one keyed by it when there is none. Safe under
 * concurrency: when two contacts race to create the same identity, both end with the one citizen.
 */
export async function citizenForIdentity(
  deps: Pick<CoreDeps, 'citizens' | 'clock' | 'newId'>,
  identity: Identity,
  extra: Omit<NewCitizenInput, 'identities'> = {},
): Promise<{ citizen: Citizen; created: boolean }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await deps.citizens.byIdentity(identity);
    if (existing) return { citizen: existing, created: false };
    const citizen = newCitizen(
      { ...extra, identities: [identity] },
      deps.newId(),
      deps.clock.now().toISOString(),
    );
    try {
      return { citizen: await deps.citizens.create(citizen), created: true };
    } catch (error) {
      if (!(error instanceof IdentityTakenError)) throw error;
      // Someone registered it first: read theirs on the next turn.
    }
  }
  throw new NotFoundError('citizen for identity');
}

export interface OpenCaseRequest {
  readonly citizenId: string;
  readonly topicId: string;
  readonly channel: Channel;
  readonly request?: string;
  readonly actor: Actor;
  readonly contactId?: string;
}

/** Opens a case on a catalogue topic, due after the topic's SLA in business days; redraws a taken ticket. */
export async function openCaseOnTopic(deps: CoreDeps, req: OpenCaseRequest): Promise<Case> {
  const topic = deps.catalogue.get(req.topicId);
  if (!topic) throw new ValidationError('topicId', `unknown topic "${req.topicId}"`);
  const citizen = await deps.citizens.byId(req.citizenId);
  if (!citizen) throw new NotFoundError('citizen');
  const now = deps.clock.now();
  const dueAt = deps.calendar
    .dueAfterBusinessDays(topic.department, now, topic.slaBusinessDays)
    .toISOString();
  for (let draw = 0; draw < MAX_TICKET_DRAWS; draw++) {
    const ticket = generateTicket(deps.random);
    const { case: created, audit } = openCase({
      ticket,
      citizenId: req.citizenId,
      topicId: topic.id,
      departmentId: topic.department,
      channel: req.channel,
      ...(req.request !== undefined ? { request: req.request } : {}),
      dueAt,
      actor: req.actor,
      now: now.toISOString(),
    });
    const contact: CaseContact | undefined = req.contactId
      ? {
          ticket,
          contactId: req.contactId,
          channel: req.channel,
          at: created.createdAt,
          topicId: topic.id,
          departmentId: topic.department,
          opening: true,
        }
      : undefined;
    try {
      return await deps.cases.create(created, audit, citizen.identities, contact);
    } catch (error) {
      if (!(error instanceof TicketCollisionError)) throw error;
    }
  }
  throw new TicketCollisionError();
}

/**
 * Moves a case to a new status. With `expectedVersion` (an agent's If-Match) the change applies only to
 * that version; without it, to the version just read. Concurrent changes: one wins, the others get
 * VersionConflictError and nothing is written for them.
 */
export async function changeCaseStatus(
  deps: Pick<CoreDeps, 'cases' | 'citizens' | 'clock'>,
  ticket: Ticket,
  input: Omit<TransitionInput, 'now'>,
  expectedVersion?: number,
): Promise<Case> {
  const current = await deps.cases.byTicket(ticket);
  if (!current) throw new NotFoundError('case');
  if (current.blocked) throw new BlockedError('case');
  if (expectedVersion !== undefined && current.version !== expectedVersion)
    throw new VersionConflictError('case', expectedVersion);
  const { case: next, audit } = transitionCase(current, { ...input, now: deps.clock.now().toISOString() });
  const owner = await deps.citizens.byId(current.citizenId);
  return deps.cases.saveTransition(next, audit, owner?.identities ?? []);
}
