import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { isClosed, type Case } from './case';
import type { CaseContact } from './contact';
import type { BusinessCalendar } from './calendar';
import type { Catalogue } from './catalogue';
import type { Deployment } from './deployment';
import { FOLLOW_UP_REQUESTS } from './follow-up';
import type { Language } from './citizen';
import type { MessagingConsent } from './consent';
import { MessagingUnavailableError, NotFoundError, VersionConflictError } from './errors';
import type { CaseRepository, CitizenRepository, Clock } from './ports';
import { changeCaseStatus } from './use-cases';

/** A message to a citizen on a messaging channel. `id` is stable, so a retry is the same message. */
export interface OutgoingMessage {
  readonly id: string;
  /** The case it is about; none for a booking without a case. */
  readonly ticket?: string;
  readonly channel: 'SMS' | 'WHATSAPP';
  /** E.164. */
  readonly to: string;
  readonly language: Language;
  readonly text: string;
}

/**
 * Message texts kept for a short time under the message's id, so that what leaves through Amazon Connect
 * carries only that opaque reference: Connect keeps a contact's attributes for 24 months and cannot erase
 * them, while a kept text is Ventanilla's to erase (and expires by itself). The outbound flow reads the text
 * back by its reference, for the number it goes to.
 */
export interface MessageTexts {
  keep(message: Pick<OutgoingMessage, 'id' | 'to' | 'text'>): Promise<void>;
  /** Message `id`'s text and the number it goes to, while it is kept. */
  read(id: string): Promise<{ readonly text: string; readonly to: string } | undefined>;
}

/**
 * How long a text is kept for its outbound contact to read when the schedule says nothing (its `message` term
 * is at least this): Connect starts the contact at once, or within the hour.
 */
export const MESSAGE_TEXT_HOURS = 48;

/**
 * The text an outbound contact says: the one kept under its reference — for the contact's number, when the
 * contact names one (a text kept for another number is not found). NotFound otherwise.
 */
export async function messageText(texts: MessageTexts, ref: string, to: string | undefined): Promise<string> {
  const kept = ref ? await texts.read(ref) : undefined;
  if (!kept || (to !== undefined && kept.to !== to)) throw new NotFoundError('message');
  return kept.text;
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

/** Counts the messages citizens set off themselves, per number and local day (an item that expires). */
export interface MessageQuota {
  /**
   * Counts message `id` to `to` on local `day` unless `cap` messages are counted there already (false then).
   * An id counted before is not counted again and is allowed: a retry is the same message.
   */
  take(to: string, day: string, id: string, cap: number): Promise<boolean>;
}

/** The deployment's limits on outbound messages (its `outbound` section). */
export interface OutboundRules {
  readonly perNumberPerDay: number;
  /** Countries a message may go to. */
  readonly countries: readonly CountryCode[];
  /** The deployment's local date of an instant. */
  readonly dayOf: (at: Date) => string;
}

/** The rules of a deployment's `outbound` section, days by its calendar. */
export function outboundRulesOf(
  deployment: Pick<Deployment, 'country' | 'outbound'>,
  calendar: Pick<BusinessCalendar, 'local'>,
): OutboundRules {
  return {
    perNumberPerDay: deployment.outbound.perNumberPerDay,
    countries: (deployment.outbound.countries as CountryCode[] | undefined) ?? [deployment.country],
    dayOf: (at) => calendar.local(at).date,
  };
}

/** The country of an E.164 number, when its numbering plan says (a +1 number may be US, CA, PR…). */
export function countryOfNumber(e164: string): CountryCode | undefined {
  return parsePhoneNumberFromString(e164)?.country;
}

export type Refusal = 'foreign-number' | 'opted-out' | 'daily-limit' | 'no-sender';

/**
 * Sends, or says why not: the number is outside the deployment's countries, its owner stopped proactive
 * messages (STOP, BAJA), a message the citizen set off would pass their number's daily limit, or there is no
 * sender for the channel. Other failures are thrown for a retry.
 */
export async function sendOrSkip(
  deps: {
    sender: MessageSender;
    outbound: OutboundRules;
    clock: Clock;
    consent: MessagingConsent;
    quota?: MessageQuota;
  },
  message: OutgoingMessage,
): Promise<Refusal | undefined> {
  const country = countryOfNumber(message.to);
  if (!country || !deps.outbound.countries.includes(country)) return 'foreign-number';
  if (await deps.consent.optedOut(message.to)) return 'opted-out';
  if (deps.quota) {
    const day = deps.outbound.dayOf(deps.clock.now());
    if (!(await deps.quota.take(message.to, day, message.id, deps.outbound.perNumberPerDay)))
      return 'daily-limit';
  }
  try {
    await deps.sender.send(message);
    return undefined;
  } catch (error) {
    if (error instanceof MessagingUnavailableError) return 'no-sender';
    throw error;
  }
}

export type CommunicateResult =
  | { readonly result: 'communicated'; readonly messageId: string }
  | {
      readonly result:
        'no-messaging-channel' | 'foreign-number' | 'opted-out' | 'not-pending' | 'changed-meanwhile';
    };

/**
 * Tells the citizen the answer of a case that reached PENDING_COMMUNICATION, on the messaging channel they
 * last used about it (SMS or WhatsApp), then marks it COMMUNICATED. Without such a channel, or when the number
 * stopped proactive messages, the case stays PENDING_COMMUNICATION for the ticket status line or an agent
 * (and the next day's follow-up). Safe to repeat: the message id is the case's ticket and version, and a case
 * already past PENDING_COMMUNICATION is left alone.
 */
export async function communicateAnswer(
  deps: {
    cases: CaseRepository;
    citizens: CitizenRepository;
    clock: Clock;
    sender: MessageSender;
    outbound: OutboundRules;
    consent: MessagingConsent;
  },
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
  // An answer is the administration's to give, not set off by the citizen: no daily limit.
  const refused = await sendOrSkip(
    { sender: deps.sender, outbound: deps.outbound, clock: deps.clock, consent: deps.consent },
    {
      id: messageId,
      ticket: current.ticket,
      channel: channel as 'SMS' | 'WHATSAPP',
      to: phone,
      language: citizen.language,
      text: TEXT[citizen.language](current.ticket, current.answer),
    },
  );
  if (refused === 'foreign-number' || refused === 'opted-out') return { result: refused };
  if (refused) return { result: 'no-messaging-channel' };
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
  | {
      readonly result:
        | 'not-requested'
        | 'no-link'
        | 'no-phone'
        | 'changed-meanwhile'
        | 'no-sender'
        | 'foreign-number'
        | 'opted-out'
        | 'daily-limit';
    };

/** What texting a link needs. */
type LinkDeps = {
  cases: CaseRepository;
  citizens: CitizenRepository;
  clock: Clock;
  sender: MessageSender;
  catalogue: Catalogue;
  outbound: OutboundRules;
  quota: MessageQuota;
  consent: MessagingConsent;
};

/**
 * Texts the link of a case's topic to the citizen's phone, once per message id: a message the citizen set off,
 * so counted against their number's daily limit.
 */
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
  const refused = await sendOrSkip(deps, {
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
  return refused ? { result: refused } : { result: 'sent', messageId, channel };
}

/**
 * Self-service's "send me the link": texts the topic's link to the caller's phone (WhatsApp if they wrote
 * from WhatsApp, SMS otherwise) and resolves the request. Without a link or a phone, to a number abroad, one
 * that stopped proactive messages or one past its daily limit, it stays OPEN, and the daily follow-up hands
 * it to a person. Safe to repeat: the message id is the ticket's, and only an untouched OPEN request is
 * resolved.
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
