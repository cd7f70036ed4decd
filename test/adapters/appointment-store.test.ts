import fc from 'fast-check';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoAppointmentStore } from '../../shared/adapters/dynamodb/appointment-store';
import {
  BookingLimitError,
  bookingCodeOf,
  isActiveBooking,
  placesOf,
  SlotFullError,
  type Booking,
  type SlotRef,
} from '../../shared/domain/appointments';
import { ConcurrentChangeError } from '../../shared/domain/errors';
import { freshTables, testDynamoEndpoint } from '../support/dynamo';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client';

let store: DynamoAppointmentStore;
let tables: Awaited<ReturnType<typeof freshTables>>;
beforeAll(async () => {
  tables = await freshTables();
  // 200 requests at once through one client (in AWS, 200 functions each with its own): bounds generous
  // enough for DynamoDB Local to accept them all on two cores.
  const doc = createDocumentClient({
    endpoint: testDynamoEndpoint(),
    connectionTimeoutMs: 15_000,
    requestTimeoutMs: 15_000,
  });
  store = new DynamoAppointmentStore(doc, tables.names.cases);
});

const NOW = '2026-12-01T12:00:00.000Z';
let office = 0;
/** Slots of an office of their own, so that the tests' bookings never meet. */
const slots = (n: number): SlotRef[] => {
  office++;
  return Array.from({ length: n }, (_, i) => ({
    officeId: `office-${office}`,
    topicId: 'lost-plate',
    start: `2026-12-02T${String(13 + i).padStart(2, '0')}:00:00.000Z`,
  }));
};
const key = (s: string) => `req-${s}-${office}`.padEnd(12, '0');

async function items(prefix: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await tables.doc.send(
      new ScanCommand({
        TableName: tables.names.cases,
        FilterExpression: 'begins_with(pk, :p)',
        ExpressionAttributeValues: { ':p': prefix },
        ExclusiveStartKey: start,
      }),
    );
    out.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

describe('appointments never overbooked', () => {
  it('200 citizens at once for a slot of 10: exactly 10 bookings, 190 "slot full", nothing else written', async () => {
    const [slot] = slots(1);
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        store.book({ key: key(`a${i}`), citizenId: `cit-${office}-${i}`, slot: slot!, places: 10, now: NOW }),
      ),
    );
    const booked = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(booked).toHaveLength(10);
    expect(refused).toHaveLength(190);
    for (const r of refused) expect(r.reason).toBeInstanceOf(SlotFullError);
    expect(await store.taken(slot!)).toBe(10);
    const written = (await items('BOOKING#')).filter((b) => (b.slot as SlotRef).officeId === slot!.officeId);
    expect(written).toHaveLength(10);
    expect((await items(`APPTACTIVE#cit-${office}-`)).length).toBe(10);
  }, 60_000);

  it('one citizen booking one procedure twice at once gets one; a retry with the same key is the same booking', async () => {
    const [first, second] = slots(2);
    const citizenId = `cit-${office}-solo`;
    const both = await Promise.allSettled([
      store.book({ key: key('x1'), citizenId, slot: first!, places: 5, now: NOW }),
      store.book({ key: key('x2'), citizenId, slot: second!, places: 5, now: NOW }),
    ]);
    const made = both.filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<Booking>[];
    expect(made).toHaveLength(1);
    const refused = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(BookingLimitError);
    expect((refused.reason as BookingLimitError).bookingId).toBe(made[0]!.value.id);
    expect((await store.taken(first!)) + (await store.taken(second!))).toBe(1);
    // The same request again (a retried contact): the same booking, no second place taken.
    const winner = made[0]!.value;
    const again = await store.book({
      key: winner.id.slice(3),
      citizenId,
      slot: winner.slot,
      places: 5,
      now: NOW,
    });
    expect(again).toEqual(winner);
    expect(again.code).toBe(bookingCodeOf(winner.id));
    expect((await store.taken(first!)) + (await store.taken(second!))).toBe(1);
  });

  it('cancelling frees the place and the limit; a move to a full slot changes nothing', async () => {
    const [a, b] = slots(2);
    const one = await store.book({
      key: key('c1'),
      citizenId: `cit-${office}-1`,
      slot: a!,
      places: 1,
      now: NOW,
    });
    await expect(
      store.book({ key: key('c2'), citizenId: `cit-${office}-2`, slot: a!, places: 1, now: NOW }),
    ).rejects.toBeInstanceOf(SlotFullError);
    const other = await store.book({
      key: key('c3'),
      citizenId: `cit-${office}-2`,
      slot: b!,
      places: 1,
      now: NOW,
    });
    await expect(store.reschedule(one.id, b!, 1, NOW)).rejects.toBeInstanceOf(SlotFullError);
    expect((await store.byId(one.id))!.slot).toEqual(a);
    expect([await store.taken(a!), await store.taken(b!)]).toEqual([1, 1]);
    const cancelled = await store.cancel(other.id, NOW);
    expect(cancelled).toMatchObject({ status: 'cancelled', version: 2 });
    const moved = await store.reschedule(one.id, b!, 1, NOW);
    expect(moved.slot).toEqual(b);
    expect([await store.taken(a!), await store.taken(b!)]).toEqual([0, 1]);
    // The freed limit: citizen 2 may book again.
    await store.book({ key: key('c4'), citizenId: `cit-${office}-2`, slot: a!, places: 1, now: NOW });
    expect(placesOf(10, 20)).toBe(12);
  });

  it('keeps every slot within its places and every citizen within one active booking, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            op: fc.constantFrom('book', 'book', 'cancel', 'move'),
            citizen: fc.integer({ min: 0, max: 5 }),
            slot: fc.integer({ min: 0, max: 2 }),
            pick: fc.nat(),
          }),
          { minLength: 5, maxLength: 30 },
        ),
        async (ops) => {
          const here = slots(3);
          const places = 2;
          const made: string[] = [];
          // In concurrent groups of five: what each group does at once, in any order.
          for (let i = 0; i < ops.length; i += 5)
            await Promise.allSettled(
              ops.slice(i, i + 5).map(async (o, j) => {
                if (o.op === 'book' || made.length === 0) {
                  const b = await store.book({
                    key: key(`p${i + j}-${o.pick}`),
                    citizenId: `cit-${office}-${o.citizen}`,
                    slot: here[o.slot]!,
                    places,
                    now: NOW,
                  });
                  made.push(b.id);
                } else if (o.op === 'cancel') await store.cancel(made[o.pick % made.length]!, NOW);
                else await store.reschedule(made[o.pick % made.length]!, here[o.slot]!, places, NOW);
              }),
            ).then((results) => {
              for (const r of results)
                if (
                  r.status === 'rejected' &&
                  !(
                    r.reason instanceof SlotFullError ||
                    r.reason instanceof BookingLimitError ||
                    r.reason instanceof ConcurrentChangeError ||
                    r.reason?.code === 'ILLEGAL_TRANSITION'
                  )
                )
                  throw r.reason;
            });
          const bookings = (await Promise.all([...new Set(made)].map((id) => store.byId(id)))).filter(
            (b): b is Booking => b !== undefined,
          );
          const active = bookings.filter((b) => isActiveBooking(b.status));
          for (const [s, slot] of here.entries()) {
            const inSlot = active.filter((b) => b.slot.start === slot.start).length;
            expect(inSlot).toBeLessThanOrEqual(places);
            // The count kept with the slot is the truth about it.
            expect(await store.taken(here[s]!)).toBe(inSlot);
          }
          const perCitizen = new Map<string, number>();
          for (const b of active) perCitizen.set(b.citizenId, (perCitizen.get(b.citizenId) ?? 0) + 1);
          for (const n of perCitizen.values()) expect(n).toBe(1);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
