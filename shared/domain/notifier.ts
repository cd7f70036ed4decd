import { isClosed, type Case } from './case';
import type { CaseContact } from './contact';
import {
  communicateAnswer,
  sendLinkToJoiningContact,
  sendRequestedLink,
  type CommunicateResult,
  type LinkResult,
  type MessageQuota,
  type MessageSender,
  type OutboundRules,
} from './messaging';
import type { MessagingConsent } from './consent';
import type { CaseRepository, CitizenRepository, Clock, ScreenPopRefresher } from './ports';
import type { Catalogue } from './catalogue';

/** One committed change of a case or of a contact's link to it, in the domain's terms. */
export type CaseChange =
  | { readonly kind: 'case'; readonly inserted: boolean; readonly next: Case; readonly previous?: Case }
  | { readonly kind: 'contact'; readonly inserted: boolean; readonly contact: CaseContact };

/** What a change asks of the notifier. */
export interface ChangeDuties {
  /** A back-office batch changed the case: its owner's screen pops must show the new status. */
  readonly showBatch: boolean;
  /** The citizen must be texted: the answer, the link they asked for, or the link for a contact joining a case. */
  readonly message?: 'answer' | 'requested-link' | 'joining-link';
}

/**
 * Which changes text a citizen: a case that has just reached PENDING_COMMUNICATION (its answer), a case just
 * opened with a request (the link), and a contact that joined an open case with a request (the link, to
 * them). A back-office batch's stamp on a case, new since the previous image, asks for the screen pops.
 */
export function dutiesOf(change: CaseChange): ChangeDuties {
  if (change.kind === 'contact')
    return {
      showBatch: false,
      ...(change.inserted && change.contact.request !== undefined
        ? { message: 'joining-link' as const }
        : {}),
    };
  const { next, previous, inserted } = change;
  const showBatch = next.lastBatch !== undefined && next.lastBatch !== previous?.lastBatch;
  if (next.status === 'PENDING_COMMUNICATION' && previous?.status !== next.status)
    return { showBatch, message: 'answer' };
  if (inserted && next.status === 'OPEN' && next.request !== undefined)
    return { showBatch, message: 'requested-link' };
  return { showBatch };
}

export interface NotifierDeps {
  readonly cases: CaseRepository;
  readonly citizens: CitizenRepository;
  readonly screenPops: ScreenPopRefresher;
  readonly sender: MessageSender;
  readonly catalogue: Catalogue;
  readonly clock: Clock;
  readonly outbound: OutboundRules;
  readonly quota: MessageQuota;
  /** Numbers that stopped proactive messages get none. */
  readonly consent: MessagingConsent;
}

/**
 * Carries out a change's duties. Messages go out from the case as it is now, not as the change shows it, so
 * a redelivered change finds the case already communicated and sends nothing twice.
 */
export async function notifyCaseChange(
  deps: NotifierDeps,
  change: CaseChange,
): Promise<CommunicateResult | LinkResult | undefined> {
  const duties = dutiesOf(change);
  if (duties.showBatch && change.kind === 'case') await showBatchChange(deps, change.next);
  if (!duties.message) return undefined;
  const ticket = change.kind === 'case' ? change.next.ticket : change.contact.ticket;
  const current = await deps.cases.byTicket(ticket);
  if (!current) return undefined;
  if (duties.message === 'answer') return communicateAnswer(deps, current);
  if (duties.message === 'requested-link') return sendRequestedLink(deps, current);
  return change.kind === 'contact' ? sendLinkToJoiningContact(deps, current, change.contact) : undefined;
}

/** Whether a notification went out (for the function's count of messages sent). */
export const wasSent = (outcome: CommunicateResult | LinkResult | undefined) =>
  outcome?.result === 'communicated' || outcome?.result === 'sent';

/**
 * After a back-office batch changed a case (it does not write screen pops itself), shows the new status on
 * the owner's screen pops. Safe to repeat and to run late: an older version never replaces a newer one, and
 * a case closed meanwhile is not brought back.
 */
async function showBatchChange(
  deps: { citizens: CitizenRepository; screenPops: ScreenPopRefresher },
  c: Case,
): Promise<number> {
  if (isClosed(c.status)) return 0;
  const owner = await deps.citizens.byId(c.citizenId);
  return owner ? deps.screenPops.showOpenCase(owner.identities, c) : 0;
}
