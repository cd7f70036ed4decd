import type { OfficeSchedule } from './appointment-schedule';
import {
  BookingLimitError,
  BookingStateError,
  NotTodayError,
  SlotFullError,
  slotKey,
  type AppointmentStore,
  type Booking,
  type BookingChange,
  type BookingChannel,
  type BookingContactPoint,
  type Waiter,
} from './appointments';
import type { Catalogue } from './catalogue';
import type { Language } from './citizen';
import { CLOSURE, describeBooking } from './appointment-messages';
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
  readonly offered?: boolean;
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

  /** The deployment's time zone, in which offices keep their hours. */
  get timeZone(): string {
    return this.deps.timeZone;
  }

  /** The book's clock. */
  now(): Date {
    return this.deps.clock.now();
  }

  /** The procedures, for what each booking of one needs. */
  get catalogue(): Catalogue {
    return this.deps.catalogue;
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

  /**
   * Holds a place while the citizen confirms (the phone line, the text channels), or, with `until`, while a
   * procedure's documents and fee are seen to (the citizen's page).
   */
  hold(request: BookingRequest, until?: Date): Promise<Booking> {
    const end =
      until ?? new Date(this.deps.clock.now().getTime() + this.deps.schedule.settings.holdMinutes * 60_000);
    return this.place(request, end.toISOString());
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

  /**
   * At the office: a booking of today, found by its code or its citizen, checks in and gets a queue number
   * (the procedure's letter at the office, then the day's count: "A-007"). A booking of another office or
   * another day is refused naming why; checking in twice keeps the first number.
   */
  async checkIn(
    officeId: string,
    find: { code?: string; citizenId?: string },
    change: Omit<BookingChange, 'now'>,
  ): Promise<Booking> {
    const now = this.deps.clock.now();
    const today = this.deps.schedule.localDate(now);
    let booking: Booking | undefined;
    if (find.code) booking = await this.deps.store.byCode(find.code);
    else if (find.citizenId)
      booking = (await this.deps.store.byCitizen(find.citizenId))
        .filter(
          (b) => b.slot.officeId === officeId && ['booked', 'reminded', 'checked-in'].includes(b.status),
        )
        .sort(
          (a, b) =>
            Math.abs(Date.parse(a.slot.start) - now.getTime()) -
            Math.abs(Date.parse(b.slot.start) - now.getTime()),
        )[0];
    if (!booking) throw new NotFoundError('booking');
    if (booking.slot.officeId !== officeId)
      throw new ValidationError('code', 'is a booking at another office');
    const day = this.deps.schedule.localDate(new Date(booking.slot.start));
    if (day !== today) throw new NotTodayError(day);
    if (booking.status === 'checked-in' || booking.status === 'served') return booking;
    const office = this.deps.schedule.offices.find((o) => o.id === officeId)!;
    const letter = String.fromCharCode(
      65 + office.services.findIndex((s) => s.topic === booking.slot.topicId),
    );
    const n = await this.deps.store.nextQueueNumber(officeId, today);
    return this.deps.store.checkIn(booking.id, `${letter}-${String(n).padStart(3, '0')}`, this.at(change));
  }

  /** Calls the next citizen checked in at the office (by their slot, then arrival) to a desk. */
  async callNext(officeId: string, desk: string, change: Omit<BookingChange, 'now'>): Promise<Booking> {
    const today = this.deps.schedule.localDate(this.deps.clock.now());
    const checkedInAt = (b: Booking) =>
      [...b.history].reverse().find((e) => e.status === 'checked-in' && !e.reason)?.at ?? b.updatedAt;
    const waiting = (await this.deps.store.onDay(officeId, today))
      .filter((b) => b.status === 'checked-in' && !b.calledAt)
      .sort(
        (a, b) => a.slot.start.localeCompare(b.slot.start) || checkedInAt(a).localeCompare(checkedInAt(b)),
      );
    if (!waiting[0]) throw new NotFoundError('citizen waiting');
    return this.deps.store.call(waiting[0].id, desk, this.at(change));
  }

  /** Attended at the desk: the booking is served. */
  serve(bookingId: string, change: Omit<BookingChange, 'now'>): Promise<Booking> {
    return this.deps.store.move(bookingId, 'served', this.at(change));
  }

  /** The office's call display: the last tickets called today, newest first (nothing personal). */
  async called(
    officeId: string,
    limit = 8,
  ): Promise<{ queueNumber: string; desk: string; calledAt: string }[]> {
    const today = this.deps.schedule.localDate(this.deps.clock.now());
    return (await this.deps.store.onDay(officeId, today))
      .filter((b) => b.calledAt && b.queueNumber)
      .sort((a, b) => b.calledAt!.localeCompare(a.calledAt!))
      .slice(0, limit)
      .map((b) => ({ queueNumber: b.queueNumber!, desk: b.desk ?? '', calledAt: b.calledAt! }));
  }

  /** An office's day in figures: places, booked, checked in, served, no-shows, cancelled, free; booking rate. */
  async dayFigures(officeId: string, date: string) {
    const schedule = this.deps.schedule;
    const office = schedule.offices.find((o) => o.id === officeId);
    if (!office) throw new NotFoundError(`office "${officeId}"`);
    const slots = office.services.flatMap((s) => schedule.slotsOn(officeId, s.topic, date));
    const [taken, day] = await Promise.all([
      this.deps.store.takenMany(slots),
      this.deps.store.onDay(officeId, date),
    ]);
    let places = 0;
    let free = 0;
    for (const slot of slots) {
      const p = schedule.service(officeId, slot.topicId).places;
      const t = taken.get(slotKey(slot)) ?? 0;
      // A closed slot offers nothing.
      if (t !== Number.MAX_SAFE_INTEGER) {
        places += p;
        free += Math.max(0, p - t);
      }
    }
    const count = (...statuses: Booking['status'][]) => day.filter((b) => statuses.includes(b.status)).length;
    const booked = count('booked', 'reminded', 'checked-in', 'served', 'no-show');
    return {
      officeId,
      date,
      places,
      booked,
      held: count('held'),
      checkedIn: count('checked-in', 'served'),
      served: count('served'),
      noShow: count('no-show'),
      cancelled: count('cancelled'),
      free,
      bookingRate: places ? Number((booked / places).toFixed(3)) : 0,
    };
  }

  /**
   * Closes an office's day, or the part of it from `from` to `to` (local "HH:MM"): its slots take no one, and
   * every active booking in it is cancelled with the reason (the notifier tells each citizen, with how to book
   * again). Run again, it finds the slots closed and the bookings cancelled, and does the rest.
   */
  async close(
    request: { officeId: string; date: string; from?: string; to?: string; reason: string },
    change: Omit<BookingChange, 'now' | 'reason'>,
  ): Promise<{ slotsClosed: number; cancelled: number }> {
    const schedule = this.deps.schedule;
    const office = schedule.offices.find((o) => o.id === request.officeId);
    if (!office) throw new NotFoundError(`office "${request.officeId}"`);
    const within = (start: string) => {
      const local = new Intl.DateTimeFormat('en-GB', {
        timeZone: this.deps.timeZone,
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(start));
      return (!request.from || local >= request.from) && (!request.to || local < request.to);
    };
    const slots = office.services
      .flatMap((s) => schedule.slotsOn(request.officeId, s.topic, request.date))
      .filter((s) => within(s.start));
    await this.deps.store.closeSlots(slots);
    const starts = new Set(slots.map(slotKey));
    let cancelled = 0;
    for (const b of await this.deps.store.onDay(request.officeId, request.date)) {
      if (!['held', 'booked', 'reminded'].includes(b.status) || !starts.has(slotKey(b.slot))) continue;
      try {
        await this.deps.store.move(b.id, 'cancelled', {
          ...this.at(change),
          reason: `${CLOSURE}${request.reason}`,
        });
        cancelled++;
      } catch (error) {
        if (!(error instanceof BookingStateError || error instanceof ConcurrentChangeError)) throw error;
      }
    }
    return { slotsClosed: slots.length, cancelled };
  }

  /**
   * Puts a citizen on the waitlist of a fuller day (a released day still to come): the first place freed there
   * is offered to the first waiting, as a hold of their own; they say yes or let it pass.
   */
  async joinWaitlist(request: {
    citizenId: string;
    officeId: string;
    topicId: string;
    date: string;
    language: Language;
    notify: BookingContactPoint;
  }): Promise<Waiter> {
    const now = this.deps.clock.now();
    const schedule = this.deps.schedule;
    if (schedule.slotsOn(request.officeId, request.topicId, request.date).length === 0)
      throw new ValidationError('date', 'the office does not open that day');
    if (request.date < schedule.localDate(now)) throw new ValidationError('date', 'has passed');
    if (request.date > schedule.releasedThrough(now))
      throw new ValidationError(
        'date',
        `opens for booking at ${schedule.releaseOf(request.date).toISOString()}`,
      );
    return this.deps.store.addWaiter({ ...request, at: now.toISOString(), status: 'waiting' });
  }

  /**
   * Offers the places freed on days with a waitlist, each to the first citizen waiting, as a hold kept
   * `waitlistHoldMinutes` for their yes (the notifier tells them); an offer taken or let pass ends their turn.
   */
  async offerFreedPlaces(): Promise<{ offered: number; passed: number }> {
    const { store, schedule } = this.deps;
    const now = this.deps.clock.now();
    let offered = 0;
    let passed = 0;
    for (const day of await store.waitlists(schedule.localDate(now))) {
      const waiters = await store.waiters(day.officeId, day.topicId, day.date);
      for (const w of waiters.filter((x) => x.status === 'offered')) {
        const booking = w.bookingId ? await store.byId(w.bookingId) : undefined;
        if (booking?.status === 'held') continue;
        if (booking?.status !== 'booked' && booking?.status !== 'reminded') passed++;
        await store.updateWaiter({ ...w, status: 'done' }, 'offered');
      }
      let waiting = waiters.filter((x) => x.status === 'waiting');
      if (!waiting.length) continue;
      const free = await this.freeSlots(day.officeId, day.topicId, { from: day.date, days: 1 });
      for (const slot of free)
        for (let n = 0; n < slot.free && waiting.length; n++) {
          const w = waiting[0]!;
          waiting = waiting.slice(1);
          try {
            const held = await this.place(
              {
                key: `wait-${day.date}-${w.citizenId}`,
                citizenId: w.citizenId,
                officeId: day.officeId,
                topicId: day.topicId,
                start: slot.start,
                by: 'system',
                channel: 'system',
                language: w.language,
                notify: w.notify,
                offered: true,
              },
              new Date(now.getTime() + schedule.settings.waitlistHoldMinutes * 60_000).toISOString(),
            );
            if (await store.updateWaiter({ ...w, status: 'offered', bookingId: held.id }, 'waiting'))
              offered++;
          } catch (error) {
            // Booked meanwhile for the procedure (their own way), or the time taken: their turn ends, or the
            // next run tries again.
            if (error instanceof BookingLimitError)
              await store.updateWaiter({ ...w, status: 'done' }, 'waiting');
            else if (!(error instanceof SlotFullError || error instanceof ValidationError)) throw error;
          }
        }
    }
    return { offered, passed };
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
      ...(request.offered ? { offered: true } : {}),
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
