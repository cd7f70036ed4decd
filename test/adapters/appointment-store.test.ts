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
  type NewBooking,
  HoldExpiredError,
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
const SOON = '2026-12-01T12:05:00.000Z';
const LATER = '2026-12-01T13:00:00.000Z';
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
/** A booking request as a channel makes it. */
const ask = (k: string, citizenId: string, slot: SlotRef, places: number, extra: Partial<NewBooking> = {}) =>
  store.book({
    key: key(k),
    citizenId,
    slot,
    places,
    now: NOW,
    language: 'es',
    by: 'citizen',
    channel: 'voice',
    ...extra,
  });
const change = (now = NOW) => ({ now, by: 'agent-1', channel: 'agent' as const });

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
      Array.from({ length: 200 }, (_, i) => ask(`a${i}`, `cit-${office}-${i}`, slot!, 10)),
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
      ask('x1', citizenId, first!, 5),
      ask('x2', citizenId, second!, 5),
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
      language: 'es',
      by: 'citizen',
      channel: 'voice',
    });
    expect(again).toEqual(winner);
    expect(again.code).toBe(bookingCodeOf(winner.id));
    expect((await store.taken(first!)) + (await store.taken(second!))).toBe(1);
  });

  it('cancelling frees the place and the limit; a move to a full slot changes nothing', async () => {
    const [a, b] = slots(2);
    const one = await ask('c1', `cit-${office}-1`, a!, 1);
    await expect(ask('c2', `cit-${office}-2`, a!, 1)).rejects.toBeInstanceOf(SlotFullError);
    const other = await ask('c3', `cit-${office}-2`, b!, 1);
    await expect(store.reschedule(one.id, b!, 1, change())).rejects.toBeInstanceOf(SlotFullError);
    expect((await store.byId(one.id))!.slot).toEqual(a);
    expect([await store.taken(a!), await store.taken(b!)]).toEqual([1, 1]);
    const cancelled = await store.move(other.id, 'cancelled', change());
    expect(cancelled).toMatchObject({ status: 'cancelled', version: 2 });
    const moved = await store.reschedule(one.id, b!, 1, change());
    expect(moved.slot).toEqual(b);
    expect([await store.taken(a!), await store.taken(b!)]).toEqual([0, 1]);
    // The history is on the booking: made by the citizen by phone, moved by an agent from the old start.
    expect((await store.byId(one.id))!.history).toEqual([
      { at: NOW, status: 'booked', by: 'citizen', channel: 'voice' },
      { at: NOW, status: 'booked', by: 'agent-1', channel: 'agent', from: a!.start },
    ]);
    // The freed limit: citizen 2 may book again.
    await ask('c4', `cit-${office}-2`, a!, 1);
    expect(placesOf(10, 20)).toBe(12);
  });

  it('a hold keeps a place until it runs out: confirmed in time it is booked, late it is refused, and a sweep returns it', async () => {
    const [slot] = slots(1);
    const kept = await ask('h1', `cit-${office}-1`, slot!, 2, { holdUntil: LATER });
    const lapsed = await ask('h2', `cit-${office}-2`, slot!, 2, { holdUntil: SOON });
    expect([kept.status, lapsed.status]).toEqual(['held', 'held']);
    // Both places held: a third citizen finds the slot full until a hold is returned.
    await expect(ask('h3', `cit-${office}-3`, slot!, 2)).rejects.toBeInstanceOf(SlotFullError);
    const AFTER = '2026-12-01T12:10:00.000Z';
    expect(await store.confirm(kept.id, change(AFTER))).toMatchObject({ status: 'booked', version: 2 });
    expect((await store.byId(kept.id))!.holdUntil).toBeUndefined();
    // Its time has run out, though no sweep has run yet: the condition itself refuses it.
    await expect(store.confirm(lapsed.id, change(AFTER))).rejects.toBeInstanceOf(HoldExpiredError);
    // Not yet run out: it cannot be expired.
    await expect(store.move(kept.id, 'expired', change(AFTER))).rejects.toMatchObject({
      code: 'ILLEGAL_TRANSITION',
    });
    const due = await store.expiredHolds(AFTER, 1000);
    expect(due).toContain(lapsed.id);
    expect(due).not.toContain(kept.id);
    await store.move(lapsed.id, 'expired', { now: AFTER, by: 'system', channel: 'system' });
    expect(await store.expiredHolds(AFTER, 1000)).not.toContain(lapsed.id);
    expect(await store.taken(slot!)).toBe(1);
    // The place and the citizen's limit are free again.
    await ask('h4', `cit-${office}-2`, slot!, 2);
  });

  it("finds a booking by its code, a citizen's bookings and an office's day", async () => {
    const [a, b] = slots(2);
    const first = await ask('f1', `cit-${office}-1`, a!, 3);
    const second = await ask('f2', `cit-${office}-2`, b!, 3, {
      notify: { channel: 'SMS', to: '+50760000001' },
    });
    expect((await store.byCode(first.code.toLowerCase()))?.id).toBe(first.id);
    expect(await store.byCode('ZZZZZZ')).toBeUndefined();
    expect((await store.byCitizen(`cit-${office}-2`)).map((x) => x.id)).toEqual([second.id]);
    const day = await store.onDay(a!.officeId, a!.start.slice(0, 10));
    expect(day.map((x) => x.id)).toEqual([first.id, second.id]);
    expect(day[1]!.notify).toEqual({ channel: 'SMS', to: '+50760000001' });
    const counts = await store.takenMany([a!, b!, { ...b!, start: '2026-12-03T08:00:00.000Z' }]);
    expect([...counts.values()]).toEqual([1, 1, 0]);
  });

  it('keeps every slot within its places and every citizen within one active booking, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            op: fc.constantFrom('book', 'hold', 'cancel', 'move', 'expire', 'confirm'),
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
                const picked = made[o.pick % Math.max(1, made.length)];
                if (o.op === 'book' || o.op === 'hold' || !picked) {
                  // Holds run out at once or in an hour: some expire, some are confirmed.
                  const holdUntil = o.op === 'hold' ? (o.pick % 2 ? LATER : NOW) : undefined;
                  const b = await ask(
                    `p${i + j}-${o.pick}`,
                    `cit-${office}-${o.citizen}`,
                    here[o.slot]!,
                    places,
                    {
                      ...(holdUntil ? { holdUntil } : {}),
                    },
                  );
                  made.push(b.id);
                } else if (o.op === 'cancel') await store.move(picked, 'cancelled', change());
                else if (o.op === 'expire') await store.move(picked, 'expired', change(SOON));
                else if (o.op === 'confirm') await store.confirm(picked, change(SOON));
                else await store.reschedule(picked, here[o.slot]!, places, change());
              }),
            ).then((results) => {
              for (const r of results)
                if (
                  r.status === 'rejected' &&
                  !(
                    r.reason instanceof SlotFullError ||
                    r.reason instanceof BookingLimitError ||
                    r.reason instanceof ConcurrentChangeError ||
                    r.reason instanceof HoldExpiredError ||
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
