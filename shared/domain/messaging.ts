import { isClosed, type Case } from './case';
import type { CaseContact } from './contact';
import type { Catalogue } from './catalogue';
import { FOLLOW_UP_REQUESTS } from './follow-up';
import type { Language } from './citizen';
import { MessagingUnavailableError, NotFoundError, VersionConflictError } from './errors';
import type { CaseRepository, CitizenRepository, Clock } from './ports';
import { changeCaseStatus } from './use-cases';

/** A message to a citizen on a messaging channel. `id` is stable, so a retry is the same message. */
export interface OutgoingMessage {
  readonly id: string;
  readonly ticket: string;
  readonly channel: 'SMS' | 'WHATSAPP';
  /** E.164. */
  readonly to: string;
  readonly language: Language;
  readonly text: string;
}

/** Sends messages: Connect's outbound chat or End User Messaging in AWS, a recorded outbox locally. */
export interface MessageSender {
  /** Sends once per message id: a second call with the same id sends nothing. */
  send(message: OutgoingMessage): Promise<void>;
}

const TEXT: Record<Language, (ticket: string, answer: string) => string> = {
  es: (ticket, answer) => `Respuesta a su trámite ${ticket}: ${answer}`,
  en: (ticket, answer) => `Answer to your request ${ticket}: ${answer}`,
};

const LINK_TEXT: Record<Language, (topic: string, link: string, ticket: string) => string> = {
  es: (topic, link, ticket) => `${topic}: ${link} (trámite ${ticket})`,
  en: (topic, link, ticket) => `${topic}: ${link} (request ${ticket})`,
};

/** Sends, or says there is no sender for the channel (false); other failures are thrown for a retry. */
async function sendOrSkip(sender: MessageSender, message: OutgoingMessage): Promise<boolean> {
  try {
    await sender.send(message);
    return true;
  } catch (error) {
    if (error instanceof MessagingUnavailableError) return false;
    throw error;
  }
}

export type CommunicateResult =
  | { readonly result: 'communicated'; readonly messageId: string }
  | { readonly result: 'no-messaging-channel' | 'not-pending' | 'changed-meanwhile' };

/**
 * Tells the citizen the answer of a case that reached PENDING_COMMUNICATION, on the messaging channel they
 * last used about it (SMS or WhatsApp), then marks it COMMUNICATED. Without such a channel the case stays
 * PENDING_COMMUNICATION for the ticket status line or an agent. Safe to repeat: the message id is the
 * case's ticket and version, and a case already past PENDING_COMMUNICATION is left alone.
 */
export async function communicateAnswer(
  deps: { cases: CaseRepository; citizens: CitizenRepository; clock: Clock; sender: MessageSender },
  current: Case,
): Promise<CommunicateResult> {
  if (current.status !== 'PENDING_COMMUNICATION' || !current.answer) return { result: 'not-pending' };
  const contacts = await deps.cases.contacts(current.ticket);
  const last = [...contacts].reverse().find((c) => c.channel === 'SMS' || c.channel === 'WHATSAPP');
  const channel =
    last?.channel ??
    (current.channel === 'SMS' || current.channel === 'WHATSAPP' ? current.channel : undefined);
  const citizen = await deps.citizens.byId(current.citizenId);
  if (!citizen) throw new NotFoundError('citizen');
  const phone = citizen.identities.find((i) => i.kind === 'PHONE')?.value;
  if (!channel || !phone) return { result: 'no-messaging-channel' };
  const messageId = `${current.ticket}#${current.version}`;
  const sent = await sendOrSkip(deps.sender, {
    id: messageId,
    ticket: current.ticket,
    channel: channel as 'SMS' | 'WHATSAPP',
    to: phone,
    language: citizen.language,
    text: TEXT[citizen.language](current.ticket, current.answer),
  });
  if (!sent) return { result: 'no-messaging-channel' };
  try {
    await changeCaseStatus(
      deps,
      current.ticket,
      { to: 'COMMUNICATED', actor: { id: 'notifier', role: 'system' }, reason: `sent by ${channel}` },
      current.version,
    );
  } catch (error) {
    if (error instanceof VersionConflictError) return { result: 'changed-meanwhile' };
    throw error;
  }
  return { result: 'communicated', messageId };
}

export type LinkResult =
  | { readonly result: 'sent'; readonly messageId: string }
  | { readonly result: 'not-requested' | 'no-link' | 'no-phone' | 'no-sender' | 'changed-meanwhile' };

/** What texting a link needs. */
type LinkDeps = {
  cases: CaseRepository;
  citizens: CitizenRepository;
  clock: Clock;
  sender: MessageSender;
  catalogue: Catalogue;
};

/** Texts the link of a case's topic to the citizen's phone, once per message id. */
async function textLink(
  deps: LinkDeps,
  current: Case,
  messageId: string,
  via: Case['channel'],
): Promise<LinkResult & { channel?: 'SMS' | 'WHATSAPP' }> {
  const link = deps.catalogue.get(current.topicId)?.link;
  if (!link) return { result: 'no-link' };
  const citizen = await deps.citizens.byId(current.citizenId);
  if (!citizen) throw new NotFoundError('citizen');
  const phone = citizen.identities.find((i) => i.kind === 'PHONE')?.value;
  if (!phone) return { result: 'no-phone' };
  const channel = via === 'WHATSAPP' ? 'WHATSAPP' : 'SMS';
  const sent = await sendOrSkip(deps.sender, {
    id: messageId,
    ticket: current.ticket,
    channel,
    to: phone,
    language: citizen.language,
    text: LINK_TEXT[citizen.language](
      deps.catalogue.name(current.topicId, citizen.language),
      link,
      current.ticket,
    ),
  });
  return sent ? { result: 'sent', messageId, channel } : { result: 'no-sender' };
}

/**
 * Self-service's "send me the link": texts the topic's link to the caller's phone (WhatsApp if they wrote
 * from WhatsApp, SMS otherwise) and resolves the request. Without a link or a phone it stays OPEN, and the
 * daily follow-up hands it to a person. Safe to repeat: the message id is the ticket's, and only an
 * untouched OPEN request is resolved.
 */
export async function sendRequestedLink(deps: LinkDeps, current: Case): Promise<LinkResult> {
  if (current.status !== 'OPEN' || !current.request || !FOLLOW_UP_REQUESTS.includes(current.request))
    return { result: 'not-requested' };
  const texted = await textLink(deps, current, `${current.ticket}#link`, current.channel);
  if (texted.result !== 'sent') return texted;
  try {
    await changeCaseStatus(
      deps,
      current.ticket,
      {
        to: 'RESOLVED',
        actor: { id: 'notifier', role: 'system' },
        reason: `link sent by ${texted.channel ?? 'SMS'}`,
      },
      current.version,
    );
  } catch (error) {
    if (error instanceof VersionConflictError) return { result: 'changed-meanwhile' };
    throw error;
  }
  return { result: 'sent', messageId: texted.messageId };
}

/**
 * A caller who asks for the link while they already have an open case on the topic joins that case: the link
 * is texted to them all the same, and the case, open for its own reason, is left as it is.
 */
export async function sendLinkToJoiningContact(
  deps: LinkDeps,
  current: Case,
  joining: CaseContact,
): Promise<LinkResult> {
  if (!joining.request || !FOLLOW_UP_REQUESTS.includes(joining.request) || isClosed(current.status))
    return { result: 'not-requested' };
  const texted = await textLink(
    deps,
    current,
    `${current.ticket}#link#${joining.contactId}`,
    joining.channel,
  );
  return texted.result === 'sent' ? { result: 'sent', messageId: texted.messageId } : texted;
}
