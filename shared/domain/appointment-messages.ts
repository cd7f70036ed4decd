import type { OfficeSchedule } from './appointment-schedule';
import type { Booking } from './appointments';
import type { Catalogue } from './catalogue';
import type { Language } from './citizen';
import type { MessagingConsent } from './consent';
import { sendOrSkip, type MessageSender, type OutboundRules, type Refusal } from './messaging';
import type { Clock } from './ports';

/** A booking in the citizen's words. */
export interface BookingWords {
  readonly what: string;
  readonly office: string;
  readonly address: string;
  readonly when: string;
  readonly code: string;
  /** The documents to bring, from the catalogue. */
  readonly bring: string;
}

/** The procedure, office, address and local time of a booking, with its code and the documents to bring. */
export function describeBooking(
  booking: Pick<Booking, 'slot' | 'code' | 'language'>,
  deps: { readonly catalogue: Catalogue; readonly schedule: OfficeSchedule; readonly timeZone: string },
  language: Language = booking.language,
): BookingWords {
  const topic = deps.catalogue.get(booking.slot.topicId);
  const office = deps.schedule.offices.find((o) => o.id === booking.slot.officeId);
  const when = new Intl.DateTimeFormat(language === 'es' ? 'es-PA' : 'en-US', {
    timeZone: deps.timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: 'numeric',
    minute: '2-digit',
  }).format(new Date(booking.slot.start));
  return {
    what: topic?.name[language] ?? booking.slot.topicId,
    office: office?.name[language] ?? booking.slot.officeId,
    address: office?.address[language] ?? '',
    when,
    code: booking.code,
    bring: (topic?.requirements[language] ?? []).join(', '),
  };
}

const TEXT: Record<
  Language,
  Record<BookingNews, (b: BookingWords & { reason?: string; until?: string }) => string>
> = {
  es: {
    confirmed: (b) =>
      `Cita confirmada: ${b.what}, ${b.when}, ${b.office} (${b.address}). Código ${b.code}.` +
      (b.bring ? ` Traiga: ${b.bring}.` : '') +
      ' Para cambiarla o cancelarla, escríbanos o llame.',
    moved: (b) =>
      `Su cita ${b.code} cambió: ${b.what}, ${b.when}, ${b.office} (${b.address}).` +
      (b.bring ? ` Traiga: ${b.bring}.` : ''),
    cancelled: (b) => `Su cita ${b.code} (${b.what}, ${b.when}) quedó cancelada.`,
    offer: (b) =>
      `Se liberó un cupo: ${b.what}, ${b.when}, ${b.office} (${b.address}). Responda 1 o CONFIRMAR antes de las ${b.until} para reservarlo; si no, se ofrecerá a la siguiente persona en espera. Responda 2 para dejarlo pasar.`,
    closure: (b) =>
      `Disculpe: su cita ${b.code} (${b.what}, ${b.when}, ${b.office}) quedó cancelada porque la oficina no atenderá` +
      (b.reason ? ` (${b.reason})` : '') +
      '. Para pedir otra cita, responda a este mensaje o llame a nuestra línea.',
    reminder: (b) =>
      `Recordatorio: su cita de ${b.what} es el ${b.when}, en ${b.office} (${b.address}). Código ${b.code}.` +
      (b.bring ? ` Traiga: ${b.bring}.` : '') +
      ' Responda 1 o CONFIRMAR para mantenerla, 2 o CANCELAR para cancelarla y liberar el cupo.',
  },
  en: {
    confirmed: (b) =>
      `Appointment confirmed: ${b.what}, ${b.when}, ${b.office} (${b.address}). Code ${b.code}.` +
      (b.bring ? ` Bring: ${b.bring}.` : '') +
      ' To change or cancel it, message or call us.',
    moved: (b) =>
      `Your appointment ${b.code} has changed: ${b.what}, ${b.when}, ${b.office} (${b.address}).` +
      (b.bring ? ` Bring: ${b.bring}.` : ''),
    cancelled: (b) => `Your appointment ${b.code} (${b.what}, ${b.when}) is cancelled.`,
    offer: (b) =>
      `A place has freed up: ${b.what}, ${b.when}, ${b.office} (${b.address}). Reply 1 or CONFIRM by ${b.until} to book it; otherwise it goes to the next person waiting. Reply 2 to let it pass.`,
    closure: (b) =>
      `We are sorry: your appointment ${b.code} (${b.what}, ${b.when}, ${b.office}) is cancelled because the office will be closed` +
      (b.reason ? ` (${b.reason})` : '') +
      '. To book another, reply to this message or call our line.',
    reminder: (b) =>
      `Reminder: your ${b.what} appointment is on ${b.when}, at ${b.office} (${b.address}). Code ${b.code}.` +
      (b.bring ? ` Bring: ${b.bring}.` : '') +
      ' Reply 1 or CONFIRM to keep it, 2 or CANCEL to cancel it and free the place.',
  },
};

/** The reason a closure gives the bookings it cancels: "closure: <the supervisor's reason>". */
export const CLOSURE = 'closure: ';

/** What a change of a booking tells the citizen. */
export type BookingNews = 'confirmed' | 'moved' | 'cancelled' | 'reminder' | 'closure' | 'offer';

/**
 * The news in a booking's change: booked (at once, or a hold confirmed), moved to another slot, cancelled after
 * it was confirmed (a hold dropped or run out was never announced), or a reminder due. Nothing for the others.
 */
export function bookingNewsOf(next: Booking, previous?: Booking): BookingNews | undefined {
  if (next.status === 'held' && next.offered && !previous) return 'offer';
  if ((next.reminders ?? 0) > (previous?.reminders ?? 0) && next.status === 'reminded') return 'reminder';
  if (
    next.status === 'booked' &&
    previous &&
    previous.status !== 'held' &&
    previous.slot.start !== next.slot.start
  )
    return 'moved';
  if (next.status === 'booked' && previous?.status !== 'booked') return 'confirmed';
  if (
    next.status === 'cancelled' &&
    previous &&
    previous.status !== 'held' &&
    previous.status !== 'cancelled'
  )
    return next.history.at(-1)?.reason?.startsWith(CLOSURE) ? 'closure' : 'cancelled';
  return undefined;
}

export type BookingToldResult = 'sent' | 'no-contact-point' | Refusal;

/**
 * Tells the citizen the news of a booking's change by their messaging channel, once per version (the
 * message id is the booking's id and version: a redelivered change sends nothing twice). A number that stopped
 * proactive messages is told nothing, reminders included: the booking stands as it is.
 */
export async function tellBookingChange(
  deps: {
    readonly sender: MessageSender;
    readonly outbound: OutboundRules;
    readonly clock: Clock;
    readonly consent: MessagingConsent;
    readonly catalogue: Catalogue;
    readonly schedule: OfficeSchedule;
    readonly timeZone: string;
  },
  next: Booking,
  previous?: Booking,
): Promise<BookingToldResult | undefined> {
  const news = bookingNewsOf(next, previous);
  if (!news) return undefined;
  if (!next.notify) return 'no-contact-point';
  const refused = await sendOrSkip(deps, {
    id: `appt-${next.id}-v${next.version}`,
    ...(next.ticket ? { ticket: next.ticket } : {}),
    channel: next.notify.channel,
    to: next.notify.to,
    language: next.language,
    text: TEXT[next.language][news]({
      ...describeBooking(next, deps),
      reason: next.history.at(-1)?.reason?.slice(CLOSURE.length),
      until:
        next.holdUntil &&
        new Intl.DateTimeFormat(next.language === 'es' ? 'es-PA' : 'en-US', {
          timeZone: deps.timeZone,
          weekday: 'long',
          hour: 'numeric',
          minute: '2-digit',
        }).format(new Date(next.holdUntil)),
    }),
  });
  return refused ?? 'sent';
}
