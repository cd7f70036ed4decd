import type { AppointmentBook, FreeSlot } from './appointment-book';
import { describeBooking } from './appointment-messages';
import {
  BookingStateError,
  isActiveBooking,
  NoShowLimitError,
  type Booking,
  type BookingChannel,
  type BookingContactPoint,
} from './appointments';
import type { Channel } from './case';
import type { Catalogue } from './catalogue';
import type { Citizen, Language } from './citizen';
import { DomainError, NotFoundError, ValidationError } from './errors';
import type { Identity } from './identity';

/**
 * Appointments on the citizens' own lines — the phone (keys) and the text channels (numbered replies): the
 * next free slots read out, a hold on the one chosen, the citizen's yes, the booking code. A booking is told,
 * moved or cancelled only for a caller who has proved on this contact who they are, or who writes by SMS or
 * WhatsApp from the very number its messages go to (which has been sent its details already). Nothing
 * personal is said to anyone else.
 */

/** How many free slots a line offers at once (keys 1 to 3). */
export const LINE_SLOTS = 3;

/** Who is on the line: the citizen proved on this contact, or the one their number reaches (unproved). */
export interface LineCaller {
  readonly verifiedCitizenId?: string;
  readonly identity?: Identity;
  readonly contactId: string;
  readonly channel: Channel;
  readonly language: Language;
}

export interface LineDeps {
  readonly book: AppointmentBook;
  readonly schedule: AppointmentBook['schedule'];
  readonly catalogue: Catalogue;
  readonly timeZone: string;
  readonly citizenById: (id: string) => Promise<Citizen | undefined>;
  readonly citizenByIdentity: (identity: Identity) => Promise<Citizen | undefined>;
  /** The citizen a number reaches, made (provisional) when there is none: a booking needs a citizen. */
  readonly citizenForIdentity: (identity: Identity, language: Language) => Promise<Citizen>;
}

const CHANNEL: Record<Channel, BookingChannel> = {
  VOICE: 'voice',
  CHAT: 'chat',
  SMS: 'sms',
  WHATSAPP: 'whatsapp',
  EMAIL: 'api',
  TASK: 'system',
  WEB: 'web',
};

/** A slot as the flow carries it in a contact attribute: office and start, nothing personal. */
export const lineSlot = (officeId: string, start: string) => `${officeId}|${start}`;
function parseLineSlot(raw: string | undefined): { officeId: string; start: string } {
  const [officeId, start] = (raw ?? '').split('|');
  if (!officeId || !start) throw new ValidationError('slot', 'choose one of the times offered');
  return { officeId, start };
}

/** A caller who has not shown the booking is theirs. */
export class UnprovedCallerError extends DomainError {
  readonly code = 'UNVERIFIED';
  constructor() {
    super('the caller has not proved the booking is theirs');
  }
}

/** Whether the caller may hear, move or cancel a booking: proved on this contact, or writing from its number. */
function manageable(caller: LineCaller, booking: Booking): boolean {
  if (caller.verifiedCitizenId) return caller.verifiedCitizenId === booking.citizenId;
  return (
    (caller.channel === 'SMS' || caller.channel === 'WHATSAPP') &&
    caller.identity?.kind === 'PHONE' &&
    booking.notify?.to === caller.identity.value
  );
}

/** A booking code as it is spoken: its characters one by one. */
export const spokenCode = (code: string) => code.split('').join(' ');

interface Words {
  readonly press: (n: number) => string;
  readonly slot: (when: string, office: string, n: number) => string;
  readonly offer: (lines: string) => string;
  readonly none: string;
  readonly existing: (what: string, when: string, office: string, code: string) => string;
  readonly chosen: (when: string, office: string) => string;
  readonly confirmed: (when: string, office: string, code: string, sent: boolean) => string;
  readonly moved: (when: string, office: string, code: string) => string;
  readonly cancelled: (code: string) => string;
  readonly kept: (when: string, office: string, code: string) => string;
}

const WORDS: Record<'voice' | 'text', Record<Language, Words>> = {
  voice: {
    es: {
      press: (n) => `pulse ${n}`,
      slot: (when, office, n) => `Para el ${when}, en ${office}, pulse ${n}.`,
      offer: (lines) => `${lines} Para hablar con una persona, pulse 0.`,
      none: 'No quedan citas libres para este trámite en los próximos días.',
      existing: (what, when, office, code) =>
        `Tiene una cita de ${what} el ${when}, en ${office}; su código es ${code}. Para cambiarla, pulse 1. Para cancelarla, pulse 2. Para conservarla, pulse 3.`,
      chosen: (when, office) =>
        `Ha elegido el ${when}, en ${office}. Para confirmar, pulse 1. Para elegir otra hora, pulse 2.`,
      confirmed: (when, office, code, sent) =>
        `Su cita quedó confirmada para el ${when}, en ${office}. Su código es ${code}. Repito: ${code}.` +
        (sent ? ' Le enviamos los detalles y los documentos que debe traer por mensaje.' : ''),
      moved: (when, office, code) => `Su cita ${code} quedó para el ${when}, en ${office}.`,
      cancelled: (code) => `Su cita ${code} quedó cancelada.`,
      kept: (when, office, code) => `Gracias. Le esperamos el ${when}, en ${office}. Su código es ${code}.`,
    },
    en: {
      press: (n) => `press ${n}`,
      slot: (when, office, n) => `For ${when}, at ${office}, press ${n}.`,
      offer: (lines) => `${lines} To speak to a person, press 0.`,
      none: 'There are no free appointments for this procedure in the coming days.',
      existing: (what, when, office, code) =>
        `You have a ${what} appointment on ${when}, at ${office}; your code is ${code}. To change it, press 1. To cancel it, press 2. To keep it, press 3.`,
      chosen: (when, office) =>
        `You chose ${when}, at ${office}. To confirm, press 1. To choose another time, press 2.`,
      confirmed: (when, office, code, sent) =>
        `Your appointment is confirmed for ${when}, at ${office}. Your code is ${code}. Again: ${code}.` +
        (sent ? ' We are sending you the details and the documents to bring by message.' : ''),
      moved: (when, office, code) => `Your appointment ${code} is now on ${when}, at ${office}.`,
      cancelled: (code) => `Your appointment ${code} is cancelled.`,
      kept: (when, office, code) =>
        `Thank you. We expect you on ${when}, at ${office}. Your code is ${code}.`,
    },
  },
  text: {
    es: {
      press: (n) => `escriba ${n}`,
      slot: (when, office, n) => `${n}. ${when}, ${office}`,
      offer: (lines) =>
        `Citas libres:\n${lines}\nEscriba el número de la que prefiera, o 0 para hablar con una persona.`,
      none: 'No quedan citas libres para este trámite en los próximos días.',
      existing: (what, when, office, code) =>
        `Tiene una cita de ${what} el ${when}, en ${office} (código ${code}).\n1. Cambiarla\n2. Cancelarla\n3. Conservarla`,
      chosen: (when, office) => `Eligió: ${when}, ${office}.\n1. Confirmar\n2. Elegir otra hora`,
      confirmed: (when, office, code, sent) =>
        `Cita confirmada: ${when}, ${office}. Código ${code}.` +
        (sent ? ' Le enviamos los detalles y los documentos que debe traer.' : ''),
      moved: (when, office, code) => `Su cita ${code} quedó para el ${when}, en ${office}.`,
      cancelled: (code) => `Su cita ${code} quedó cancelada.`,
      kept: (when, office, code) => `Gracias. Le esperamos el ${when}, en ${office}. Su código es ${code}.`,
    },
    en: {
      press: (n) => `reply ${n}`,
      slot: (when, office, n) => `${n}. ${when}, ${office}`,
      offer: (lines) =>
        `Free appointments:\n${lines}\nReply with the number you prefer, or 0 to talk to a person.`,
      none: 'There are no free appointments for this procedure in the coming days.',
      existing: (what, when, office, code) =>
        `You have a ${what} appointment on ${when}, at ${office} (code ${code}).\n1. Change it\n2. Cancel it\n3. Keep it`,
      chosen: (when, office) => `You chose: ${when}, ${office}.\n1. Confirm\n2. Choose another time`,
      confirmed: (when, office, code, sent) =>
        `Appointment confirmed: ${when}, ${office}. Code ${code}.` +
        (sent ? ' We are sending you the details and the documents to bring.' : ''),
      moved: (when, office, code) => `Your appointment ${code} is now on ${when}, at ${office}.`,
      cancelled: (code) => `Your appointment ${code} is cancelled.`,
      kept: (when, office, code) =>
        `Thank you. We expect you on ${when}, at ${office}. Your code is ${code}.`,
    },
  },
};

const wordsOf = (caller: LineCaller) => WORDS[caller.channel === 'VOICE' ? 'voice' : 'text'][caller.language];
const codeFor = (caller: LineCaller, code: string) => (caller.channel === 'VOICE' ? spokenCode(code) : code);

/** What the line says about the caller's booking for the procedure, and the next free slots. */
export interface LineOptions {
  /** none: no booking; hidden: one exists, but the caller has not proved who they are; shown: told. */
  readonly existing: 'none' | 'hidden' | 'shown';
  /** The booking in words, with the choices (shown only). */
  readonly existingPrompt?: string;
  readonly slots: readonly string[];
  readonly slotsPrompt: string;
}

export class AppointmentLine {
  constructor(private readonly deps: LineDeps) {}

  /** The caller's booking for the procedure (told only to a proved caller) and the next free slots. */
  async options(caller: LineCaller, topicId: string): Promise<LineOptions> {
    const words = wordsOf(caller);
    const [active, free] = await Promise.all([this.active(caller, topicId), this.nextFree(topicId)]);
    const slots = free.map((f) => lineSlot(f.officeId, f.start));
    const lines = free.map((f, i) => {
      const d = this.words({ officeId: f.officeId, topicId, start: f.start }, caller.language);
      return words.slot(d.when, d.office, i + 1);
    });
    const slotsPrompt = lines.length
      ? words.offer(lines.join(caller.channel === 'VOICE' ? ' ' : '\n'))
      : words.none;
    if (!active) return { existing: 'none', slots, slotsPrompt };
    if (!manageable(caller, active)) return { existing: 'hidden', slots, slotsPrompt };
    const d = describeBooking(active, this.deps, caller.language);
    return {
      existing: 'shown',
      existingPrompt: words.existing(d.what, d.when, d.office, codeFor(caller, active.code)),
      slots,
      slotsPrompt,
    };
  }

  /**
   * The caller chose a slot: a proved caller with a booking for the procedure has it moved there; anyone else
   * gets a hold on it while they confirm (BookingLimitError if they have a booking they have not proved).
   */
  async pick(
    caller: LineCaller,
    topicId: string,
    rawSlot: string | undefined,
  ): Promise<{ result: 'held' | 'moved'; booking: Booking; prompt: string }> {
    const { officeId, start } = parseLineSlot(rawSlot);
    const words = wordsOf(caller);
    const by = { by: 'citizen', channel: CHANNEL[caller.channel] };
    const active = await this.active(caller, topicId);
    if (active && active.status !== 'held' && manageable(caller, active)) {
      if (active.slot.officeId !== officeId) {
        // Another office: a new booking there, the old one cancelled once the new one is confirmed is more
        // than a line can promise; a person does it.
        throw new ValidationError('slot', 'a booking moves within its office: choose a time there');
      }
      const moved = await this.deps.book.reschedule(active.id, start, by);
      const d = describeBooking(moved, this.deps, caller.language);
      return {
        result: 'moved',
        booking: moved,
        prompt: words.moved(d.when, d.office, codeFor(caller, moved.code)),
      };
    }
    const citizen = await this.citizen(caller);
    this.checkNoShows(await this.deps.book.store.byCitizen(citizen.id), topicId);
    // One hold per contact and slot, so that a retried invocation is the same hold; a hold on it let go earlier
    // on this contact (another time chosen, then this one again) is followed by a new one.
    const base = `${caller.contactId}-${Math.floor(Date.parse(start) / 60_000)}`;
    let held: Booking | undefined;
    for (let n = 0; n < 5 && !(held && isActiveBooking(held.status)); n++)
      held = await this.deps.book.hold({
        key: n ? `${base}-${n}` : base,
        citizenId: citizen.id,
        officeId,
        topicId,
        start,
        ...by,
        language: caller.language,
        ...this.notifyOf(caller, citizen),
      });
    if (!held || !isActiveBooking(held.status)) throw new ValidationError('slot', 'chosen too many times');
    const d = describeBooking(held, this.deps, caller.language);
    return { result: 'held', booking: held, prompt: words.chosen(d.when, d.office) };
  }

  /** The caller's yes to their hold. */
  async confirm(
    caller: LineCaller,
    bookingId: string | undefined,
  ): Promise<{ booking: Booking; prompt: string }> {
    const booking = await this.own(caller, bookingId);
    const confirmed = await this.deps.book.confirm(booking.id, {
      by: 'citizen',
      channel: CHANNEL[caller.channel],
    });
    const d = describeBooking(confirmed, this.deps, caller.language);
    return {
      booking: confirmed,
      prompt: wordsOf(caller).confirmed(
        d.when,
        d.office,
        codeFor(caller, confirmed.code),
        !!confirmed.notify,
      ),
    };
  }

  /** The caller let go of their hold (to choose another time): its place is free at once. */
  async release(caller: LineCaller, bookingId: string | undefined): Promise<void> {
    const booking = await this.own(caller, bookingId);
    if (booking.status !== 'held') return;
    try {
      await this.deps.book.cancel(booking.id, { by: 'citizen', channel: CHANNEL[caller.channel] });
    } catch (error) {
      // Run out meanwhile: returned already, or by the next sweep.
      if (!(error instanceof BookingStateError)) throw error;
    }
  }

  /** A proved caller cancels their booking for the procedure. */
  async cancel(caller: LineCaller, topicId: string): Promise<{ booking: Booking; prompt: string }> {
    const active = await this.active(caller, topicId);
    if (!active) throw new NotFoundError('booking');
    if (!manageable(caller, active)) throw new UnprovedCallerError();
    const cancelled = await this.deps.book.cancel(active.id, {
      by: 'citizen',
      channel: CHANNEL[caller.channel],
    });
    return { booking: cancelled, prompt: wordsOf(caller).cancelled(codeFor(caller, cancelled.code)) };
  }

  /**
   * A reply to a reminder or an offer, by SMS or WhatsApp from the number it went to: "keep" confirms an
   * offered hold or keeps a booking, "cancel" cancels it (its place is free at once). The soonest such booking
   * of that number; NotFoundError when there is none.
   */
  async reply(caller: LineCaller, answer: 'keep' | 'cancel'): Promise<{ booking: Booking; prompt: string }> {
    const citizen = caller.identity ? await this.deps.citizenByIdentity(caller.identity) : undefined;
    const now = this.deps.book.now().toISOString();
    const pending = citizen
      ? (await this.deps.book.store.byCitizen(citizen.id))
          .filter(
            (b) =>
              ['held', 'booked', 'reminded'].includes(b.status) &&
              b.slot.start > now &&
              manageable(caller, b),
          )
          .sort((a, b) => a.slot.start.localeCompare(b.slot.start))[0]
      : undefined;
    if (!pending) throw new NotFoundError('booking');
    const words = wordsOf(caller);
    const by = { by: 'citizen', channel: CHANNEL[caller.channel] };
    if (answer === 'cancel') {
      const cancelled = await this.deps.book.cancel(pending.id, by);
      return { booking: cancelled, prompt: words.cancelled(codeFor(caller, cancelled.code)) };
    }
    const kept = pending.status === 'held' ? await this.deps.book.confirm(pending.id, by) : pending;
    const d = describeBooking(kept, this.deps, caller.language);
    return { booking: kept, prompt: words.kept(d.when, d.office, codeFor(caller, kept.code)) };
  }

  /** Repeated no-shows for the procedure (the deployment's noShowLimit): a person books it, not the line. */
  private checkNoShows(bookings: readonly Booking[], topicId: string) {
    const limit = this.deps.book.schedule.settings.noShowLimit;
    if (!limit) return;
    const since = new Date(this.deps.book.now().getTime() - limit.days * 86_400_000).toISOString();
    const missed = bookings.filter(
      (b) => b.slot.topicId === topicId && b.status === 'no-show' && b.slot.start >= since,
    ).length;
    if (missed >= limit.count) throw new NoShowLimitError();
  }

  /** The next free slots at every office that books the procedure, soonest first. */
  private async nextFree(topicId: string): Promise<(FreeSlot & { officeId: string })[]> {
    const offices = this.deps.book.schedule.officesFor(topicId);
    if (offices.length === 0) throw new ValidationError('topic', `"${topicId}" is not booked at any office`);
    const lists = await Promise.all(
      offices.map(async (o) =>
        (await this.deps.book.freeSlots(o.id, topicId, { days: 14, limit: LINE_SLOTS })).map((f) => ({
          ...f,
          officeId: o.id,
        })),
      ),
    );
    return lists
      .flat()
      .sort((a, b) => a.start.localeCompare(b.start))
      .slice(0, LINE_SLOTS);
  }

  private words(slot: Booking['slot'], language: Language) {
    return describeBooking({ slot, code: '', language }, this.deps, language);
  }

  /** The active booking of the caller's citizen for the procedure, if any. */
  private async active(caller: LineCaller, topicId: string): Promise<Booking | undefined> {
    const citizenId =
      caller.verifiedCitizenId ??
      (caller.identity ? (await this.deps.citizenByIdentity(caller.identity))?.id : undefined);
    if (!citizenId) return undefined;
    return (await this.deps.book.store.byCitizen(citizenId)).find(
      (b) => b.slot.topicId === topicId && isActiveBooking(b.status),
    );
  }

  private async citizen(caller: LineCaller): Promise<Citizen> {
    if (caller.verifiedCitizenId) {
      const found = await this.deps.citizenById(caller.verifiedCitizenId);
      if (found) return found;
    }
    if (!caller.identity) throw new ValidationError('caller', 'no number identifies the caller');
    return this.deps.citizenForIdentity(caller.identity, caller.language);
  }

  /** Where the confirmation goes: the number the caller is on (SMS for a call), unless they declined it. */
  private notifyOf(caller: LineCaller, citizen: Citizen): { notify?: BookingContactPoint } {
    if (caller.identity?.kind !== 'PHONE') return {};
    const channel = caller.channel === 'WHATSAPP' ? 'WHATSAPP' : 'SMS';
    if (citizen.consents[channel === 'SMS' ? 'sms' : 'whatsapp'] === false) return {};
    if (caller.channel === 'CHAT' || caller.channel === 'EMAIL') return {};
    return { notify: { channel, to: caller.identity.value } };
  }

  /** A booking made on this contact, and only such: a flow cannot confirm another contact's hold. */
  private async own(caller: LineCaller, bookingId: string | undefined): Promise<Booking> {
    if (!bookingId || !bookingId.startsWith(`bk-${caller.contactId}-`))
      throw new ValidationError('booking', 'is not a hold made on this contact');
    const booking = await this.deps.book.store.byId(bookingId);
    if (!booking) throw new NotFoundError('booking');
    return booking;
  }
}
