import type { OfficeSchedule } from './appointment-schedule';
import {
  BookingStateError,
  SlotFullError,
  slotKey,
  type AppointmentStore,
  type Booking,
  type BookingChange,
  type BookingChannel,
  type BookingContactPoint,
} from './appointments';
import type { Catalogue } from './catalogue';
import type { Language } from './citizen';
import { describeBooking } from './appointment-messages';
import { ConcurrentChangeError, NotFoundError, ValidationError } from './errors';
import type { Clock } from './ports';

/** A free slot as a channel offers it: its start and the places left. */
export interface FreeSlot {
  readonly start: string;
  readonly free: number;
}

/** Who asks for a booking, from where, and where its messages go. */
export interface BookingRequest {
  /** The idempotency key: the contact or request id. */
  readonly key: string;
  readonly citizenId: string;
  readonly officeId: string;
  readonly topicId: string;
  readonly start: string;
  readonly by: string;
  readonly channel: BookingChannel;
  readonly language: Language;
  readonly notify?: BookingContactPoint;
  readonly ticket?: string;
}

/**
 * Booking, holding, confirming, moving and cancelling appointments for every channel: the schedule says which
 * slots exist and how many places each has, and the store makes each change one atomic write. The citizen is
 * told by the notifier, from the booking's change on the table's stream (`appointment-messages.ts`).
 */
export class AppointmentBook {
  constructor(
    private readonly deps: {
      readonly store: AppointmentStore;
      readonly schedule: OfficeSchedule;
      readonly catalogue: Catalogue;
      readonly clock: Clock;
      readonly timeZone: string;
    },
  ) {}

  get schedule(): OfficeSchedule {
    return this.deps.schedule;
  }

  /** The book's clock. */
  now(): Date {
    return this.deps.clock.now();
  }

  /** Where the bookings are, to read them. */
  get store(): AppointmentStore {
    return this.deps.store;
  }

  /** Free slots of an office for a procedure, soonest first: at most `limit`, over the next `days` dates. */
  async freeSlots(
    officeId: string,
    topicId: string,
    options: { from?: string; days?: number; limit?: number } = {},
  ): Promise<FreeSlot[]> {
    const { places } = this.deps.schedule.service(officeId, topicId);
    const slots = this.deps.schedule.upcoming(
      officeId,
      topicId,
      this.deps.clock.now(),
      options.days ?? 7,
      options.from,
    );
    const taken = await this.deps.store.takenMany(slots);
    const free: FreeSlot[] = [];
    for (const slot of slots) {
      const left = places - (taken.get(slotKey(slot)) ?? 0);
      if (left > 0) free.push({ start: slot.start, free: left });
      if (free.length >= (options.limit ?? 50)) break;
    }
    return free;
  }

  /** Books at once (staff, the API): booked, and the confirmation sent. */
  book(request: BookingRequest): Promise<Booking> {
    return this.place(request);
  }

  /** Holds a place while the citizen confirms (the phone line, the text channels). */
  hold(request: BookingRequest): Promise<Booking> {
    const until = new Date(
      this.deps.clock.now().getTime() + this.deps.schedule.settings.holdMinutes * 60_000,
    );
    return this.place(request, until.toISOString());
  }

  /** The citizen's yes: the hold becomes a booking, and the confirmation is sent. */
  confirm(bookingId: string, change: Omit<BookingChange, 'now'>): Promise<Booking> {
    return this.deps.store.confirm(bookingId, this.at(change));
  }

  cancel(bookingId: string, change: Omit<BookingChange, 'now'>): Promise<Booking> {
    return this.deps.store.move(bookingId, 'cancelled', this.at(change));
  }

  /** Moves a booking to another start of the same office and procedure; the new time is confirmed. */
  async reschedule(bookingId: string, start: string, change: Omit<BookingChange, 'now'>): Promise<Booking> {
    const current = await this.deps.store.byId(bookingId);
    if (!current) throw new NotFoundError('booking');
    const now = this.deps.clock.now();
    const slot = this.deps.schedule.bookable(current.slot.officeId, current.slot.topicId, start, now);
    return this.deps.store.reschedule(bookingId, slot, slot.places, { ...change, now: now.toISOString() });
  }

  /** Returns the places of holds that ran out (at most `limit`); how many it returned. */
  async sweep(limit = 100): Promise<number> {
    const now = this.deps.clock.now().toISOString();
    let returned = 0;
    for (const id of await this.deps.store.expiredHolds(now, limit)) {
      try {
        await this.deps.store.move(id, 'expired', { now, by: 'system', channel: 'system' });
        returned++;
      } catch (error) {
        // Confirmed or cancelled a moment ago, or swept by another run: nothing to return.
        if (!(error instanceof BookingStateError || error instanceof ConcurrentChangeError)) throw error;
      }
    }
    return returned;
  }

  private async place(request: BookingRequest, holdUntil?: string): Promise<Booking> {
    if (!this.deps.catalogue.get(request.topicId))
      throw new ValidationError('topicId', `unknown procedure "${request.topicId}"`);
    const now = this.deps.clock.now();
    const slot = this.deps.schedule.bookable(request.officeId, request.topicId, request.start, now);
    const input = {
      key: request.key,
      citizenId: request.citizenId,
      slot: { officeId: slot.officeId, topicId: slot.topicId, start: slot.start },
      places: slot.places,
      now: now.toISOString(),
      language: request.language,
      by: request.by,
      channel: request.channel,
      ...(holdUntil ? { holdUntil } : {}),
      ...(request.notify ? { notify: request.notify } : {}),
      ...(request.ticket ? { ticket: request.ticket } : {}),
    };
    try {
      return await this.deps.store.book(input);
    } catch (error) {
      // Full, but perhaps of holds that ran out and no sweep has returned yet: return them, and try once more.
      if (!(error instanceof SlotFullError) || (await this.sweep()) === 0) throw error;
      return this.deps.store.book(input);
    }
  }

  private at(change: Omit<BookingChange, 'now'>): BookingChange {
    return { ...change, now: this.deps.clock.now().toISOString() };
  }

  /** The words of a booking for the citizen: procedure, office, local time, code, documents to bring. */
  describe(booking: Booking, language: Language = booking.language) {
    return describeBooking(booking, this.deps, language);
  }
}
