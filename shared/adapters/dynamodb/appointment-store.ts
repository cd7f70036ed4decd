import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { ttlOf } from '../../domain/retention';
import {
  BOOKING_CHANNELS,
  BOOKING_STATUSES,
  BookingLimitError,
  bookingCodeOf,
  bookingIdOf,
  bookingMoves,
  BookingStateError,
  HoldExpiredError,
  isActiveBooking,
  SlotFullError,
  slotKey,
  type AppointmentStore,
  type Booking,
  type BookingChange,
  type BookingStatus,
  type NewBooking,
  type SlotRef,
  type Waiter,
} from '../../domain/appointments';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { ConcurrentChangeError, NotFoundError } from '../../domain/errors';
import { INDEXES } from './tables';
import { TransactionCancelled, transactWrite } from './transact';

/** Key builders of the appointment items, in the cases table. */
export const appointmentKeys = {
  slot: (slot: SlotRef) => ({ pk: `SLOT#${slotKey(slot)}`, sk: 'SLOT' }),
  booking: (id: string) => ({ pk: `BOOKING#${id}`, sk: 'BOOKING' }),
  /** One active booking per citizen and procedure. */
  active: (citizenId: string, topicId: string) => ({
    pk: `APPTACTIVE#${citizenId}#${topicId}`,
    sk: 'ACTIVE',
  }),
  /** The booking a code names: one booking per code. */
  code: (code: string) => ({ pk: `BOOKINGCODE#${code}`, sk: 'CODE' }),
  /** Holds by the instant they run out: one partition, swept oldest first. */
  hold: (holdUntil: string, id: string) => ({ pk: 'HOLDS', sk: `${holdUntil}#${id}` }),
  /** A day's waitlist for a procedure at an office, in the order they came. */
  waitlist: (officeId: string, topicId: string, date: string) => `WAIT#${officeId}#${topicId}#${date}`,
  /** byCitizen: a citizen's bookings; byStatus: an office's day. */
  citizenPartition: (citizenId: string) => `APPT#${citizenId}`,
  /** A citizen's waitlist entries on the byCitizen index (found for a subject access or an erasure). */
  waiterPartition: (citizenId: string) => `WAITER#${citizenId}`,
  dayPartition: (officeId: string, date: string) => `APPTDAY#${officeId}#${date}`,
};

const bookingSchema = z.object({
  id: z.string(),
  code: z.string(),
  citizenId: z.string(),
  slot: z.object({ officeId: z.string(), topicId: z.string(), start: z.string() }),
  status: z.enum(BOOKING_STATUSES),
  holdUntil: z.optional(z.string()),
  language: z.enum(['es', 'en']),
  notify: z.optional(z.object({ channel: z.enum(['SMS', 'WHATSAPP']), to: z.string() })),
  ticket: z.optional(z.string()),
  offered: z.optional(z.boolean()),
  reminders: z.optional(z.number()),
  queueNumber: z.optional(z.string()),
  calledAt: z.optional(z.string()),
  desk: z.optional(z.string()),
  history: z.array(
    z.object({
      at: z.string(),
      status: z.enum(BOOKING_STATUSES),
      by: z.string(),
      channel: z.enum(BOOKING_CHANNELS),
      from: z.optional(z.string()),
      reason: z.optional(z.string()),
    }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
const waiterSchema = z.object({
  officeId: z.string(),
  topicId: z.string(),
  date: z.string(),
  citizenId: z.string(),
  at: z.string(),
  language: z.enum(['es', 'en']),
  notify: z.object({ channel: z.enum(['SMS', 'WHATSAPP']), to: z.string() }),
  status: z.enum(['waiting', 'offered', 'done']),
  bookingId: z.optional(z.string()),
});

/** A booking's item as the store wrote it (a table item, or a stream record's image). */
export const bookingFromItem = (item: Record<string, unknown>): Booking =>
  bookingSchema.parse(item) as Booking;

const ACTIVE = [':held', ':booked', ':reminded', ':checked'];
const activeValues = {
  ':held': 'held',
  ':booked': 'booked',
  ':reminded': 'reminded',
  ':checked': 'checked-in',
};
/** Codes tried for one booking when its first collides with another booking's. */
const CODE_TRIES = 4;

type Items = Parameters<typeof transactWrite>[1];

/**
 * Bookings on DynamoDB. A slot's item counts its places taken; a booking is written in one transaction with the
 * slot's count (only below its places) and the citizen's active-booking guard (only if absent), so no
 * interleaving of bookings, cancellations, moves and expiries can put more in a slot than its places or give a
 * citizen two active bookings for one procedure. Each booking carries its own history, written with it.
 * Transactions that collide are retried; a condition that fails is the answer.
 */
export class DynamoAppointmentStore implements AppointmentStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    /** The office's local date of a slot start (the day an office lists). */
    private readonly localDate: (start: string) => string = (start) => start.slice(0, 10),
    /** Days a booking, its code and a waitlist entry are kept after their day (the schedule's `appointment`). */
    private readonly keepDays?: number,
  ) {}

  /** The TTL of a record about the appointment day starting at `start` (none when no term is given). */
  private ttl(start: string): { expiresAt?: number } {
    return this.keepDays === undefined ? {} : { expiresAt: ttlOf(start, this.keepDays) };
  }

  async book(input: NewBooking): Promise<Booking> {
    const id = bookingIdOf(input.key);
    const status: BookingStatus = input.holdUntil ? 'held' : 'booked';
    const booking = (code: string): Booking => ({
      id,
      code,
      citizenId: input.citizenId,
      slot: input.slot,
      status,
      ...(input.holdUntil ? { holdUntil: input.holdUntil } : {}),
      language: input.language,
      ...(input.notify ? { notify: input.notify } : {}),
      ...(input.ticket ? { ticket: input.ticket } : {}),
      ...(input.offered ? { offered: true } : {}),
      history: [{ at: input.now, status, by: input.by, channel: input.channel }],
      createdAt: input.now,
      updatedAt: input.now,
      version: 1,
    });
    for (let attempt = 0; ; attempt++) {
      const made = booking(bookingCodeOf(attempt === 0 ? id : `${id}#${attempt}`));
      try {
        await transactWrite(
          this.doc,
          [
            this.take(input.slot, input.places),
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...appointmentKeys.active(input.citizenId, input.slot.topicId),
                  bookingId: id,
                  // Never outlives the booking: a booking left active past its term frees the procedure.
                  ...this.ttl(input.slot.start),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: this.item(made),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { ...appointmentKeys.code(made.code), bookingId: id, ...this.ttl(made.slot.start) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...(made.holdUntil
              ? [
                  {
                    Put: {
                      TableName: this.table,
                      Item: { ...appointmentKeys.hold(made.holdUntil, id), bookingId: id },
                    },
                  },
                ]
              : []),
          ],
          20,
        );
        return made;
      } catch (error) {
        if (!(error instanceof TransactionCancelled)) throw error;
        // A retry of a booking already made (whatever the slot holds now) is that booking.
        const existing = await this.byId(id);
        if (existing) return existing;
        const failed = error.failedCondition();
        // Another booking has this code: the same booking under the next code.
        if (failed === 3 && attempt + 1 < CODE_TRIES) continue;
        // Still contended after every retry: the slot's count decides.
        if (failed === 0 || (failed < 0 && (await this.taken(input.slot)) >= input.places))
          throw new SlotFullError();
        if (failed === 1) {
          const guard = await this.doc.send(
            new GetCommand({
              TableName: this.table,
              Key: appointmentKeys.active(input.citizenId, input.slot.topicId),
              ConsistentRead: true,
            }),
          );
          throw new BookingLimitError(String(guard.Item?.bookingId ?? ''));
        }
        throw error;
      }
    }
  }

  async confirm(bookingId: string, change: BookingChange): Promise<Booking> {
    const current = await this.current(bookingId);
    // A confirmation retried is the confirmation made.
    if (current.status === 'booked') return current;
    if (current.status !== 'held') throw new BookingStateError(current.status, 'booked');
    if (!current.holdUntil || current.holdUntil <= change.now) throw new HoldExpiredError();
    const { holdUntil, ...rest } = current;
    const next = this.next(rest, 'booked', change);
    try {
      // The hold's time checked in the condition: a sweep that has not run yet does not make it good.
      await this.write(current, next, [this.unhold(holdUntil, current.id)], {
        condition: 'holdUntil > :now',
        values: { ':now': change.now },
      });
    } catch (error) {
      if (error instanceof ConcurrentChangeError) {
        const now = await this.current(bookingId);
        if (now.status === 'held' || now.status === 'expired') throw new HoldExpiredError();
      }
      throw error;
    }
    return next;
  }

  async move(bookingId: string, to: BookingStatus, change: BookingChange): Promise<Booking> {
    const current = await this.current(bookingId);
    if (!bookingMoves(current.status).includes(to)) throw new BookingStateError(current.status, to);
    if (to === 'expired' && (!current.holdUntil || current.holdUntil > change.now))
      throw new BookingStateError(current.status, to);
    const { holdUntil, ...rest } = current;
    const next = this.next(to === 'expired' || to === 'cancelled' ? rest : current, to, change);
    const others: Items = [];
    if (to === 'cancelled' || to === 'expired') others.push(this.give(current.slot));
    if (!isActiveBooking(to))
      others.push({
        Delete: {
          TableName: this.table,
          Key: appointmentKeys.active(current.citizenId, current.slot.topicId),
          ConditionExpression: 'bookingId = :id',
          ExpressionAttributeValues: { ':id': current.id },
        },
      });
    if (holdUntil && current.status === 'held') others.push(this.unhold(holdUntil, current.id));
    await this.write(
      current,
      next,
      others,
      to === 'expired' ? { condition: 'holdUntil <= :now', values: { ':now': change.now } } : undefined,
    );
    return next;
  }

  async checkIn(bookingId: string, queueNumber: string, change: BookingChange): Promise<Booking> {
    const current = await this.current(bookingId);
    if (current.status === 'checked-in' || current.status === 'served') return current;
    if (current.status !== 'booked' && current.status !== 'reminded')
      throw new BookingStateError(current.status, 'checked-in');
    const next: Booking = { ...this.next(current, 'checked-in', change), queueNumber };
    await this.write(current, next, []);
    return next;
  }

  async call(bookingId: string, desk: string, change: BookingChange): Promise<Booking> {
    const current = await this.current(bookingId);
    if (current.status !== 'checked-in') throw new BookingStateError(current.status, 'checked-in');
    const next: Booking = {
      ...this.next(current, 'checked-in', { ...change, reason: `called to desk ${desk}` }),
      calledAt: change.now,
      desk,
    };
    await this.write(current, next, []);
    return next;
  }

  async nextQueueNumber(officeId: string, date: string): Promise<number> {
    const { Attributes } = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `APPTQUEUE#${officeId}#${date}`, sk: 'QUEUE' },
        UpdateExpression: 'ADD n :one',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.n ?? 1);
  }

  async closeSlots(slots: readonly SlotRef[]): Promise<void> {
    for (const slot of slots)
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: appointmentKeys.slot(slot),
          UpdateExpression: 'SET closed = :t',
          ExpressionAttributeValues: { ':t': true },
        }),
      );
  }

  async addWaiter(waiter: Waiter): Promise<Waiter> {
    const already = (await this.waiters(waiter.officeId, waiter.topicId, waiter.date)).find(
      (w) => w.citizenId === waiter.citizenId && w.status !== 'done',
    );
    if (already) return already;
    await transactWrite(this.doc, [
      {
        Put: {
          TableName: this.table,
          Item: this.waiterItem(waiter),
        },
      },
      {
        Put: {
          TableName: this.table,
          // The days with a waitlist, and nothing personal.
          Item: {
            pk: 'WAITLISTS',
            sk: `${waiter.date}#${waiter.officeId}#${waiter.topicId}`,
            officeId: waiter.officeId,
            topicId: waiter.topicId,
            date: waiter.date,
          },
        },
      },
    ]);
    return waiter;
  }

  async waiters(officeId: string, topicId: string, date: string): Promise<readonly Waiter[]> {
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': appointmentKeys.waitlist(officeId, topicId, date) },
        ConsistentRead: true,
      }),
    );
    return (page.Items ?? []).map((i) => waiterSchema.parse(i) as Waiter);
  }

  async updateWaiter(waiter: Waiter, from: Waiter['status']): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: this.waiterItem(waiter),
          ConditionExpression: '#s = :from',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':from': from },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async waitlists(from: string): Promise<readonly { officeId: string; topicId: string; date: string }[]> {
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p AND sk >= :from',
        ExpressionAttributeValues: { ':p': 'WAITLISTS', ':from': from },
      }),
    );
    return (page.Items ?? []).map((i) => ({
      officeId: String(i.officeId),
      topicId: String(i.topicId),
      date: String(i.date),
    }));
  }

  async remind(bookingId: string, count: number, change: BookingChange): Promise<Booking> {
    const current = await this.current(bookingId);
    if ((current.reminders ?? 0) >= count) return current;
    if (current.status !== 'booked' && current.status !== 'reminded')
      throw new BookingStateError(current.status, 'reminded');
    const next: Booking = { ...this.next(current, 'reminded', change), reminders: count };
    await this.write(current, next, []);
    return next;
  }

  async reschedule(bookingId: string, to: SlotRef, places: number, change: BookingChange): Promise<Booking> {
    const current = await this.current(bookingId);
    if (!['booked', 'reminded'].includes(current.status))
      throw new BookingStateError(current.status, current.status);
    if (to.topicId !== current.slot.topicId) throw new RangeError('a booking moves within its procedure');
    if (slotKey(to) === slotKey(current.slot)) return current;
    // At its new time, the reminders start again.
    const { reminders: _sent, ...unreminded } = current;
    const next: Booking = {
      ...this.next({ ...unreminded, version: current.version }, 'booked', change),
      slot: to,
      history: [
        ...current.history,
        {
          at: change.now,
          status: 'booked',
          by: change.by,
          channel: change.channel,
          from: current.slot.start,
        },
      ],
    };
    try {
      await this.write(current, next, [this.take(to, places), this.give(current.slot)]);
    } catch (error) {
      if (error instanceof TransactionCancelled && error.reasons[0]?.code === 'ConditionalCheckFailed')
        throw new SlotFullError();
      throw error;
    }
    return next;
  }

  async byId(bookingId: string): Promise<Booking | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: appointmentKeys.booking(bookingId),
        ConsistentRead: true,
      }),
    );
    return Item ? bookingFromItem(Item) : undefined;
  }

  async byCode(code: string): Promise<Booking | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: appointmentKeys.code(code.toUpperCase()) }),
    );
    return Item ? this.byId(String(Item.bookingId)) : undefined;
  }

  async byCitizen(citizenId: string): Promise<readonly Booking[]> {
    return this.queryIndex(INDEXES.byCitizen, appointmentKeys.citizenPartition(citizenId), false);
  }

  async onDay(officeId: string, date: string): Promise<readonly Booking[]> {
    return this.queryIndex(INDEXES.byStatus, appointmentKeys.dayPartition(officeId, date), true);
  }

  async expiredHolds(now: string, limit: number): Promise<readonly string[]> {
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p AND sk < :now',
        ExpressionAttributeValues: { ':p': 'HOLDS', ':now': now },
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map((i) => String(i.bookingId));
  }

  async taken(slot: SlotRef): Promise<number> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: appointmentKeys.slot(slot), ConsistentRead: true }),
    );
    return Number(Item?.taken ?? 0);
  }

  async takenMany(slots: readonly SlotRef[]): Promise<ReadonlyMap<string, number>> {
    const out = new Map<string, number>(slots.map((s) => [slotKey(s), 0]));
    for (let i = 0; i < slots.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = slots
        .slice(i, i + 100)
        .map((s) => appointmentKeys.slot(s));
      for (let round = 0; keys?.length && round < 8; round++) {
        const answer: BatchGetCommandOutput = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys } } }),
        );
        // A closed slot shows as full.
        for (const item of answer.Responses?.[this.table] ?? [])
          out.set(
            String(item.pk).slice('SLOT#'.length),
            item.closed ? Number.MAX_SAFE_INTEGER : Number(item.taken ?? 0),
          );
        keys = answer.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return out;
  }

  private async queryIndex(
    index: { name: string; partitionKey: string },
    partition: string,
    forward: boolean,
  ) {
    const out: Booking[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: index.name,
          KeyConditionExpression: '#p = :p',
          ExpressionAttributeNames: { '#p': index.partitionKey },
          ExpressionAttributeValues: { ':p': partition },
          ScanIndexForward: forward,
          ExclusiveStartKey: start,
        }),
      );
      out.push(...(page.Items ?? []).map((i) => bookingFromItem(i)));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  private async current(bookingId: string): Promise<Booking> {
    const found = await this.byId(bookingId);
    if (!found) throw new NotFoundError('booking');
    return found;
  }

  private next(current: Booking, status: BookingStatus, change: BookingChange): Booking {
    return {
      ...current,
      status,
      history: [
        ...current.history,
        {
          at: change.now,
          status,
          by: change.by,
          channel: change.channel,
          ...(change.reason ? { reason: change.reason } : {}),
        },
      ],
      updatedAt: change.now,
      version: current.version + 1,
    };
  }

  /** The booking's item, listed for its citizen and for its office's day. */
  /** A waitlist entry in its day's partition, on the citizen's index, kept for the appointment's term. */
  private waiterItem(waiter: Waiter) {
    return {
      pk: appointmentKeys.waitlist(waiter.officeId, waiter.topicId, waiter.date),
      sk: `${waiter.at}#${waiter.citizenId}`,
      type: 'WAITER',
      ...waiter,
      gsi1pk: appointmentKeys.waiterPartition(waiter.citizenId),
      gsi1sk: `${waiter.at}#${waiter.officeId}#${waiter.topicId}`,
      ...this.ttl(waiter.date),
    };
  }

  private item(b: Booking) {
    return {
      ...appointmentKeys.booking(b.id),
      type: 'BOOKING',
      ...b,
      gsi1pk: appointmentKeys.citizenPartition(b.citizenId),
      gsi1sk: `${b.createdAt}#${b.id}`,
      gsi2pk: appointmentKeys.dayPartition(b.slot.officeId, this.localDate(b.slot.start)),
      gsi2sk: `${b.slot.start}#${b.id}`,
      ...this.ttl(b.slot.start),
    };
  }

  /** A place taken in the slot, only while some are left. */
  private take(slot: SlotRef, places: number) {
    return {
      Update: {
        TableName: this.table,
        Key: appointmentKeys.slot(slot),
        UpdateExpression: 'SET taken = if_not_exists(taken, :zero) + :one',
        // A closed slot takes no one.
        ConditionExpression:
          'attribute_not_exists(closed) AND (attribute_not_exists(taken) OR taken < :places)',
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':places': places },
      },
    };
  }

  private give(slot: SlotRef) {
    return {
      Update: {
        TableName: this.table,
        Key: appointmentKeys.slot(slot),
        UpdateExpression: 'SET taken = taken - :one',
        ConditionExpression: 'taken >= :one',
        ExpressionAttributeValues: { ':one': 1 },
      },
    };
  }

  private unhold(holdUntil: string, id: string) {
    return { Delete: { TableName: this.table, Key: appointmentKeys.hold(holdUntil, id) } };
  }

  /**
   * The booking's change (only at the version read, still active, and any extra condition) with the other
   * writes, all or nothing.
   */
  private async write(
    current: Booking,
    next: Booking,
    others: Items,
    extra?: { condition: string; values: Record<string, string> },
  ) {
    // The booking last: a failed condition of the others keeps its index. The booking's own condition failing
    // means someone changed it since it was read.
    const items: Items = [
      ...others,
      {
        Put: {
          TableName: this.table,
          Item: this.item(next),
          ConditionExpression:
            `version = :v AND #s IN (${ACTIVE.join(', ')})` + (extra ? ` AND ${extra.condition}` : ''),
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':v': current.version, ...activeValues, ...extra?.values },
        },
      },
    ];
    try {
      await transactWrite(this.doc, items, 20);
    } catch (error) {
      // The booking's own condition first: changed by someone else since read, whatever else failed with it.
      if (
        error instanceof TransactionCancelled &&
        error.reasons[items.length - 1]?.code === 'ConditionalCheckFailed'
      )
        throw new ConcurrentChangeError('the booking');
      throw error;
    }
  }
}
