import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import {
  BOOKING_STATUSES,
  BookingLimitError,
  BookingStateError,
  bookingCodeOf,
  bookingIdOf,
  isActiveBooking,
  SlotFullError,
  slotKey,
  type AppointmentStore,
  type Booking,
  type SlotRef,
} from '../../domain/appointments';
import { ConcurrentChangeError, NotFoundError } from '../../domain/errors';
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
};

const bookingSchema = z.object({
  id: z.string(),
  code: z.string(),
  citizenId: z.string(),
  slot: z.object({ officeId: z.string(), topicId: z.string(), start: z.string() }),
  status: z.enum(BOOKING_STATUSES),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
const ACTIVE = [':held', ':booked', ':reminded', ':checked'];
const activeValues = {
  ':held': 'held',
  ':booked': 'booked',
  ':reminded': 'reminded',
  ':checked': 'checked-in',
};

/**
 * Bookings on DynamoDB. A slot's item counts its places taken; a booking is written in one transaction with the
 * slot's count (only below its places) and the citizen's active-booking guard (only if absent), so no
 * interleaving of bookings, cancellations and moves can put more in a slot than its places or give a citizen
 * two active bookings for one procedure. Transactions that collide are retried; a condition that fails is the
 * answer.
 */
export class DynamoAppointmentStore implements AppointmentStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async book(input: {
    key: string;
    citizenId: string;
    slot: SlotRef;
    places: number;
    now: string;
  }): Promise<Booking> {
    const id = bookingIdOf(input.key);
    const booking: Booking = {
      id,
      code: bookingCodeOf(id),
      citizenId: input.citizenId,
      slot: input.slot,
      status: 'booked',
      createdAt: input.now,
      updatedAt: input.now,
      version: 1,
    };
    // A full slot answers at once, without a transaction that would only contend for it.
    if ((await this.taken(input.slot)) >= input.places) {
      const existing = await this.byId(id);
      if (existing) return existing;
      throw new SlotFullError();
    }
    try {
      await transactWrite(
        this.doc,
        [
          this.take(input.slot, input.places),
          {
            Put: {
              TableName: this.table,
              Item: { ...appointmentKeys.active(input.citizenId, input.slot.topicId), bookingId: id },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: this.table,
              Item: { ...appointmentKeys.booking(id), type: 'BOOKING', ...booking },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
        20,
      );
      return booking;
    } catch (error) {
      if (!(error instanceof TransactionCancelled)) throw error;
      // A retry of a booking already made (whatever the slot holds now) is that booking.
      const existing = await this.byId(id);
      if (existing) return existing;
      const failed = error.failedCondition();
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

  async cancel(bookingId: string, now: string): Promise<Booking> {
    const current = await this.current(bookingId);
    if (!isActiveBooking(current.status)) throw new BookingStateError(current.status, 'cancelled');
    const next: Booking = { ...current, status: 'cancelled', updatedAt: now, version: current.version + 1 };
    await this.write(current, next, [
      this.give(current.slot),
      {
        Delete: {
          TableName: this.table,
          Key: appointmentKeys.active(current.citizenId, current.slot.topicId),
          ConditionExpression: 'bookingId = :id',
          ExpressionAttributeValues: { ':id': current.id },
        },
      },
    ]);
    return next;
  }

  async reschedule(bookingId: string, to: SlotRef, places: number, now: string): Promise<Booking> {
    const current = await this.current(bookingId);
    if (!isActiveBooking(current.status)) throw new BookingStateError(current.status, current.status);
    if (to.topicId !== current.slot.topicId) throw new RangeError('a booking moves within its procedure');
    if (slotKey(to) === slotKey(current.slot)) return current;
    const next: Booking = { ...current, slot: to, updatedAt: now, version: current.version + 1 };
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
    return Item ? (bookingSchema.parse(Item) as Booking) : undefined;
  }

  async taken(slot: SlotRef): Promise<number> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: appointmentKeys.slot(slot), ConsistentRead: true }),
    );
    return Number(Item?.taken ?? 0);
  }

  private async current(bookingId: string): Promise<Booking> {
    const found = await this.byId(bookingId);
    if (!found) throw new NotFoundError('booking');
    return found;
  }

  /** A place taken in the slot, only while some are left. */
  private take(slot: SlotRef, places: number) {
    return {
      Update: {
        TableName: this.table,
        Key: appointmentKeys.slot(slot),
        UpdateExpression: 'SET taken = if_not_exists(taken, :zero) + :one',
        ConditionExpression: 'attribute_not_exists(taken) OR taken < :places',
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

  /** The booking's change (only at the version read, still active) with the slot writes, all or nothing. */
  private async write(current: Booking, next: Booking, others: Parameters<typeof transactWrite>[1]) {
    // The booking last: a failed condition of the others keeps its index. The booking's own condition failing
    // means someone changed it since it was read.
    const items: Parameters<typeof transactWrite>[1] = [
      ...others,
      {
        Put: {
          TableName: this.table,
          Item: { ...appointmentKeys.booking(next.id), type: 'BOOKING', ...next },
          ConditionExpression: `version = :v AND #s IN (${ACTIVE.join(', ')})`,
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':v': current.version, ...activeValues },
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
