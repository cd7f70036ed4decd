import { openCase, transitionCase, type Case, type CaseStatus, type Channel } from './case';
import type { BusinessCalendar } from './calendar';
import type { Catalogue } from './catalogue';
import { newCitizen, type Language } from './citizen';
import {
  ConcurrentChangeError,
  InvalidTicketError,
  TicketCollisionError,
  ValidationError,
  VersionConflictError,
} from './errors';
import type { Identity } from './identity';
import { statusMessage } from './messages';
import type { CaseRepository, Clock, ContactIntakeStore, IntakeOutcome, ScreenPopStore } from './ports';
import {
  contactsToPrune,
  emptySummary,
  openTicketOnTopic,
  screenPop,
  type ScreenPop,
  type ScreenPopSummary,
} from './screen-pop';
import { generateTicket, parseTicket, type RandomSource, type Ticket } from './ticket';
import {
  verifyCaller,
  type VerificationDeps,
  type VerificationOutcome,
  type VerificationStore,
} from './verification';

/** Use cases behind the functions Amazon Connect invokes while a citizen is on the line. */

export interface LookupResult {
  readonly summary?: ScreenPopSummary;
  readonly pop?: ScreenPop;
  /** When the caller keyed a document to prove who they are; without VERIFIED, nothing personal is told. */
  readonly verification?: VerificationOutcome;
}

/** Who is this? One read of the summary where the identity lands. */
export async function lookupCaller(
  deps: { screenPops: ScreenPopStore; clock: Clock },
  identity: Identity | undefined,
  currentContactId?: string,
): Promise<LookupResult> {
  if (!identity) return {};
  const summary = await deps.screenPops.summary(identity);
  return summary ? { summary, pop: screenPop(summary, deps.clock.now(), currentContactId) } : {};
}

/** The lookup of a caller who keys their document to prove who they are. */
export async function verifyAndLookUp(
  deps: { screenPops: ScreenPopStore; verification: VerificationDeps },
  phone: Identity | undefined,
  contactId: string,
  keyed: string,
): Promise<LookupResult> {
  const found = await lookupCaller(
    { screenPops: deps.screenPops, clock: deps.verification.clock },
    phone,
    contactId,
  );
  const verification = await verifyCaller(deps.verification, {
    ...(phone ? { phone } : {}),
    ...(found.summary ? { summary: found.summary } : {}),
    contactId,
    keyed,
  });
  return { ...found, verification };
}

export interface IntakeDeps {
  readonly intake: ContactIntakeStore;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly newId: () => string;
  readonly calendar: BusinessCalendar;
  readonly catalogue: Catalogue;
}

export interface IntakeRequest {
  readonly identity: Identity;
  readonly contactId: string;
  readonly initialContactId: string;
  readonly channel: Channel;
  readonly topicId: string;
  readonly request?: string;
  readonly language?: Language;
}

const INTAKE_ATTEMPTS = 4;

/**
 * Takes a contact onto a case: appends it to the citizen's open case on the topic, or opens one (creating a
 * provisional citizen for an unknown identity). Idempotent on the contact chain: a retry returns the first
 * outcome and writes nothing. Concurrent contacts converge on one citizen and one open case per topic.
 */
export async function intakeContact(deps: IntakeDeps, req: IntakeRequest): Promise<IntakeOutcome> {
  const topic = deps.catalogue.get(req.topicId);
  if (!topic) throw new ValidationError('topic', `unknown topic "${req.topicId}"`);
  for (let attempt = 0; attempt < INTAKE_ATTEMPTS; attempt++) {
    const { summary: found, previous } = await deps.intake.begin(req.identity, req.initialContactId);
    if (previous) return previous;
    const now = deps.clock.now();
    const at = now.toISOString();
    const citizen = found
      ? undefined
      : newCitizen(
          {
            identities: [req.identity],
            provisional: true,
            ...(req.language ? { language: req.language } : {}),
          },
          deps.newId(),
          at,
        );
    const summary = found ?? emptySummary(citizen!);
    const existing = openTicketOnTopic(summary, topic.id);
    let created: { case: Case; audit: ReturnType<typeof openCase>['audit'] } | undefined;
    let ticket: Ticket;
    if (existing) ticket = existing;
    else {
      ticket = generateTicket(deps.random);
      created = openCase({
        ticket,
        citizenId: summary.citizenId,
        topicId: topic.id,
        departmentId: topic.department,
        channel: req.channel,
        ...(req.request !== undefined ? { request: req.request } : {}),
        dueAt: deps.calendar.dueAfterBusinessDays(topic.department, now, topic.slaBusinessDays).toISOString(),
        actor: { id: 'ivr', role: 'ivr' },
        now: at,
      });
    }
    const outcome: IntakeOutcome = { ticket, result: created ? 'created' : 'appended' };
    try {
      await deps.intake.commit({
        initialContactId: req.initialContactId,
        outcome,
        summary,
        ...(citizen ? { newCitizen: citizen } : {}),
        ...(created ? { created } : {}),
        link: {
          ticket,
          contactId: req.contactId,
          channel: req.channel,
          at,
          topicId: topic.id,
          departmentId: topic.department,
          ...(created ? { opening: true } : {}),
          ...(!created && req.request !== undefined ? { request: req.request } : {}),
        },
        contact: {
          contactId: req.contactId,
          initialContactId: req.initialContactId,
          citizenId: summary.citizenId,
          channel: req.channel,
          at,
          ticket,
          topicId: topic.id,
        },
        prune: contactsToPrune(summary, now),
      });
      return outcome;
    } catch (error) {
      if (!(error instanceof ConcurrentChangeError) && !(error instanceof TicketCollisionError)) throw error;
    }
  }
  throw new ConcurrentChangeError('case intake');
}

/**
 * NOT_FOUND stands for "no such case" and "not this caller's" alike: a caller learns nothing of a ticket that
 * is not theirs, not even that it exists. UNVERIFIED: the caller has not proved who they are on this contact.
 */
export type StatusOutcome = 'OK' | 'NOT_FOUND' | 'INVALID_TICKET' | 'UNVERIFIED';
export interface StatusResult {
  readonly outcome: StatusOutcome;
  readonly ticket?: Ticket;
  readonly status?: CaseStatus;
  readonly message?: string;
  readonly language: Language;
}

export interface StatusDeps {
  readonly screenPops: ScreenPopStore;
  readonly cases: CaseRepository;
  readonly clock: Clock;
  readonly verification: Pick<VerificationStore, 'verifiedCitizen'>;
}

/**
 * The ticket status line: only a caller who proved on this contact to be the citizen (`verifyCaller`) hears
 * anything of a case, and only of their own: any other ticket is NOT_FOUND, whether it exists or not. A case
 * whose answer is waiting is read to them and becomes COMMUNICATED, once, even under retries.
 */
export async function caseStatusForCaller(
  deps: StatusDeps,
  req: { ticket: string; identities: readonly Identity[]; language: Language; contactId: string },
): Promise<StatusResult> {
  let ticket: Ticket;
  try {
    ticket = parseTicket(req.ticket);
  } catch (error) {
    if (error instanceof InvalidTicketError) return { outcome: 'INVALID_TICKET', language: req.language };
    throw error;
  }
  const [verified, { case: found, summaries }] = await Promise.all([
    deps.verification.verifiedCitizen(req.contactId),
    deps.screenPops.caseWithSummaries(ticket, req.identities),
  ]);
  if (!verified) return { outcome: 'UNVERIFIED', language: req.language };
  const owner = summaries.find((s) => s.citizenId === verified);
  if (!found || !owner || found.citizenId !== verified)
    return { outcome: 'NOT_FOUND', language: owner?.language ?? req.language };
  const language = owner.language;

  let current = found;
  for (let attempt = 0; current.status === 'PENDING_COMMUNICATION' && attempt < 3; attempt++) {
    const { case: next, audit } = transitionCase(current, {
      to: 'COMMUNICATED',
      actor: { id: 'ivr', role: 'ivr' },
      now: deps.clock.now().toISOString(),
      reason: 'answer read on the ticket status line',
    });
    try {
      current = await deps.cases.saveTransition(next, audit, owner.identities);
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      // A retry of this same call (or an agent) changed it first: read what it is now (the same read as above).
      current = (await deps.screenPops.caseWithSummaries(ticket, req.identities)).case ?? current;
    }
  }
  return {
    outcome: 'OK',
    ticket,
    status: current.status,
    message: statusMessage(
      found.status === 'PENDING_COMMUNICATION' ? 'PENDING_COMMUNICATION' : current.status,
      language,
      current.answer,
    ),
    language,
  };
}
