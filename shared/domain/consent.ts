import type { Clock } from './ports';

/**
 * A number's consent to proactive messages (answers, links, booking news and reminders). A citizen stops them
 * by writing STOP, BAJA or NO MÁS MENSAJES (or their English equivalents) on SMS or WhatsApp, and starts them
 * again with START or ALTA. Each change is kept with its time and channel. Nothing else is asked of the
 * citizen: writing to the administration again, or calling, is always open to them.
 */
export type ConsentChannel = 'SMS' | 'WHATSAPP';

/** One change of a number's consent, as the citizen made it. */
export interface ConsentChange {
  readonly optedOut: boolean;
  readonly channel: ConsentChannel;
  /** ISO instant. */
  readonly at: string;
}

/** A number's consent as it stands, and how it came to be (oldest change first). */
export interface ConsentState {
  readonly optedOut: boolean;
  readonly changes: readonly ConsentChange[];
}

/** Where consent is kept: by number, without keeping the number itself in the clear. */
export interface MessagingConsent {
  /** Records a change; a change to the state the number is already in records nothing. The state after. */
  change(to: string, change: ConsentChange): Promise<ConsentState>;
  /** Whether proactive messages to the number are stopped (false for a number never heard of). */
  optedOut(to: string): Promise<boolean>;
}

/**
 * The words that stop and restart proactive messages, in every language of the text channels: a citizen who
 * writes "STOP" in a Spanish conversation means it all the same. Matched as a whole message, accents and case
 * aside, by the text bot.
 */
export const OPT_OUT_WORDS: readonly string[] = [
  'stop',
  'baja',
  'no más mensajes',
  'no mas mensajes',
  'darme de baja',
  'unsubscribe',
  'stop messages',
  'no more messages',
];
export const OPT_IN_WORDS: readonly string[] = ['start', 'alta', 'darme de alta', 'unstop', 'subscribe'];

/** The change a citizen's keyword makes now. */
export async function changeConsent(
  deps: { consent: MessagingConsent; clock: Clock },
  to: string,
  channel: ConsentChannel,
  optedOut: boolean,
): Promise<ConsentState> {
  return deps.consent.change(to, { optedOut, channel, at: deps.clock.now().toISOString() });
}
