import { DomainError } from './errors';

/**
 * Appointments at an office, booked without ever overbooking: a slot (office × procedure × start) has a
 * number of places, and a citizen holds at most one active booking per procedure. Each change is one atomic
 * write in the store that checks both; a retry with the same key is the same booking.
 */
export const BOOKING_STATUSES = [
  'held',
  'booked',
  'reminded',
  'checked-in',
  'served',
  'cancelled',
  'no-show',
  'expired',
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

const MOVES: Readonly<Record<BookingStatus, readonly BookingStatus[]>> = {
  held: ['booked', 'cancelled', 'expired'],
  booked: ['reminded', 'checked-in', 'cancelled', 'no-show'],
  reminded: ['checked-in', 'cancelled', 'no-show'],
  'checked-in': ['served'],
  served: [],
  cancelled: [],
  'no-show': [],
  expired: [],
};
/** The statuses that take a place in their slot and count toward the citizen's limit. */
export const ACTIVE_BOOKING: readonly BookingStatus[] = ['held', 'booked', 'reminded', 'checked-in'];
export const isActiveBooking = (status: BookingStatus) => ACTIVE_BOOKING.includes(status);
export const bookingMoves = (from: BookingStatus): readonly BookingStatus[] => MOVES[from];

export interface SlotRef {
  readonly officeId: string;
  readonly topicId: string;
  /** The slot's start, an ISO instant. */
  readonly start: string;
}
export const slotKey = (s: SlotRef) => `${s.officeId}#${s.topicId}#${s.start}`;

/** Where a booking was asked for or changed from. */
export const BOOKING_CHANNELS = [
  'voice',
  'chat',
  'sms',
  'whatsapp',
  'agent',
  'api',
  'office',
  'system',
  /** The citizen's own page. */
  'web',
] as const;
export type BookingChannel = (typeof BOOKING_CHANNELS)[number];

/** One change of a booking: its audit, kept on the booking itself (written in the same transaction). */
export interface BookingEvent {
  readonly at: string;
  readonly status: BookingStatus;
  /** Who: a staff member's id, "citizen", or "system" (expiry, sweeps, closures). */
  readonly by: string;
  readonly channel: BookingChannel;
  /** A rescheduled booking's previous start. */
  readonly from?: string;
  readonly reason?: string;
}

/** Where the confirmation and reminders go: the citizen's messaging channel. */
export interface BookingContactPoint {
  readonly channel: 'SMS' | 'WHATSAPP';
  /** E.164. */
  readonly to: string;
}

export interface Booking {
  readonly id: string;
  /** What the citizen keys or shows at the office. */
  readonly code: string;
  readonly citizenId: string;
  readonly slot: SlotRef;
  readonly status: BookingStatus;
  /** A held booking's place is kept until this instant, then returned. */
  readonly holdUntil?: string;
  readonly language: 'es' | 'en';
  readonly notify?: BookingContactPoint;
  /** The case the booking belongs to, when there is one. */
  readonly ticket?: string;
  /** A place offered from the waitlist: held for the citizen's yes, never booked without it. */
  readonly offered?: boolean;
  /** Reminders sent so far (the deployment's remindHoursBefore, earliest first). */
  readonly reminders?: number;
  /** At the office: the queue number it was given at check-in, and when it was called to a desk. */
  readonly queueNumber?: string;
  readonly calledAt?: string;
  readonly desk?: string;
  readonly history: readonly BookingEvent[];
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

/** The places of a slot: its capacity, plus the deployment's explicit overbooking percentage (0 by default). */
export function placesOf(capacity: number, overbookingPercent = 0): number {
  if (!Number.isInteger(capacity) || capacity < 0)
    throw new RangeError('capacity must be a whole number ≥ 0');
  return Math.floor((capacity * (100 + overbookingPercent)) / 100);
}

/** A booking's id from its idempotency key (the contact or request id): the same key is the same booking. */
export function bookingIdOf(key: string): string {
  if (!/^[A-Za-z0-9_-]{8,128}$/.test(key))
    throw new RangeError('an idempotency key is 8 to 128 of A-Z a-z 0-9 _ -');
  return `bk-${key}`;
}

const CODE_LETTERS = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** A six-character booking code from the booking's id (FNV-1a): no 0/O or 1/I to mistake on the phone. */
export function bookingCodeOf(id: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0;
  let code = '';
  for (let i = 0; i < 6; i++) {
    code += CODE_LETTERS[hash % CODE_LETTERS.length];
    hash = Math.floor(hash / CODE_LETTERS.length) ^ Math.imul(i + 1, 0x9e3779b1);
    hash >>>= 0;
  }
  return code;
}

export class SlotFullError extends DomainError {
  readonly code = 'SLOT_FULL';
  constructor() {
    super('the slot is full: choose another');
  }
}

export class BookingLimitError extends DomainError {
  readonly code = 'BOOKING_LIMIT';
  constructor(readonly bookingId: string) {
    super('the citizen already has an active booking for this procedure: change or cancel it');
  }
}

export class HoldExpiredError extends DomainError {
  readonly code = 'HOLD_EXPIRED';
  constructor() {
    super('the hold on this place expired: choose a slot again');
  }
}

export class NotTodayError extends DomainError {
  readonly code = 'NOT_TODAY';
  constructor(date: string) {
    super(`the booking is for ${date}, not today: it checks in on its day`);
  }
}

export class NoShowLimitError extends DomainError {
  readonly code = 'NO_SHOW_LIMIT';
  constructor() {
    super('missed appointments: this citizen books this procedure through a person for now');
  }
}

export class BookingStateError extends DomainError {
  readonly code = 'ILLEGAL_TRANSITION';
  constructor(from: BookingStatus, to: BookingStatus) {
    super(`a ${from} booking cannot become ${to}`);
  }
}

/** What a new booking needs; `holdUntil` makes it a hold, confirmed later, else it is booked at once. */
export interface NewBooking {
  /** The idempotency key: the contact or request id. */
  readonly key: string;
  readonly citizenId: string;
  readonly slot: SlotRef;
  readonly places: number;
  readonly now: string;
  readonly holdUntil?: string;
  readonly language: 'es' | 'en';
  readonly notify?: BookingContactPoint;
  readonly ticket?: string;
  readonly offered?: boolean;
  readonly by: string;
  readonly channel: BookingChannel;
}

/** A citizen waiting for a place on a fuller day: offered the first place freed there, in the order they came. */
export interface Waiter {
  readonly officeId: string;
  readonly topicId: string;
  readonly date: string;
  readonly citizenId: string;
  readonly at: string;
  readonly language: 'es' | 'en';
  readonly notify: BookingContactPoint;
  /** waiting; offered (a hold is theirs: `bookingId`); done (they took it, let it pass, or left). */
  readonly status: 'waiting' | 'offered' | 'done';
  readonly bookingId?: string;
}

/** A change of a booking's status, by whom and from where. */
export interface BookingChange {
  readonly now: string;
  readonly by: string;
  readonly channel: BookingChannel;
  readonly reason?: string;
}

/** Where bookings live: every method is one atomic write that keeps the slot counts and the limit true. */
export interface AppointmentStore {
  /** Books or holds a place (SlotFullError, BookingLimitError); the same key again returns the booking it made. */
  book(input: NewBooking): Promise<Booking>;
  /** A hold becomes a booking while it lasts (HoldExpiredError after). */
  confirm(bookingId: string, change: BookingChange): Promise<Booking>;
  /**
   * Moves a booking along its lifecycle; a move out of the active statuses (cancelled, expired, served,
   * no-show) frees the citizen's limit, and cancelled or expired also its place.
   */
  move(bookingId: string, to: BookingStatus, change: BookingChange): Promise<Booking>;
  /** Moves an active booking to another slot of the same procedure (SlotFullError leaves it where it was). */
  reschedule(bookingId: string, to: SlotRef, places: number, change: BookingChange): Promise<Booking>;
  /** At the office: a booking of today becomes checked-in with its queue number (a retry keeps the first). */
  checkIn(bookingId: string, queueNumber: string, change: BookingChange): Promise<Booking>;
  /** Calls a checked-in booking to a desk (its history says so); calling it again calls it again. */
  call(bookingId: string, desk: string, change: BookingChange): Promise<Booking>;
  /** The next queue number of an office's day, counted atomically (a number never given twice). */
  nextQueueNumber(officeId: string, date: string): Promise<number>;
  /** Marks slots closed: no place is taken in them any more (cancelling their bookings is the caller's). */
  closeSlots(slots: readonly SlotRef[]): Promise<void>;
  /** Puts a citizen on a day's waitlist (once: a second time keeps their place in the line). */
  addWaiter(waiter: Waiter): Promise<Waiter>;
  /** A day's waitlist for a procedure at an office, in the order they came. */
  waiters(officeId: string, topicId: string, date: string): Promise<readonly Waiter[]>;
  /** Saves a waiter's new status (only from the status it was read with: false if it changed meanwhile). */
  updateWaiter(waiter: Waiter, from: Waiter['status']): Promise<boolean>;
  /** The days with a waitlist, from a local date on. */
  waitlists(from: string): Promise<readonly { officeId: string; topicId: string; date: string }[]>;
  /** Counts a reminder (the `count`-th): a booked booking becomes reminded; a count already reached is kept. */
  remind(bookingId: string, count: number, change: BookingChange): Promise<Booking>;
  byId(bookingId: string): Promise<Booking | undefined>;
  /** A booking by the code the citizen shows, with the office's check of it. */
  byCode(code: string): Promise<Booking | undefined>;
  /** A citizen's bookings, newest first. */
  byCitizen(citizenId: string): Promise<readonly Booking[]>;
  /** An office's bookings of a local date, by start. */
  onDay(officeId: string, date: string): Promise<readonly Booking[]>;
  /** Holds whose time ran out by `now`, oldest first: what a sweep returns. */
  expiredHolds(now: string, limit: number): Promise<readonly string[]>;
  /** Places taken in a slot. */
  taken(slot: SlotRef): Promise<number>;
  /** Places taken in each of several slots, by slotKey (a closed slot shows as full). */
  takenMany(slots: readonly SlotRef[]): Promise<ReadonlyMap<string, number>>;
}
