import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoAppointmentStore } from '../shared/adapters/dynamodb/appointment-store';
import { createDocumentClient } from '../shared/adapters/dynamodb/client';
import { ensureTables, tableNames } from '../shared/adapters/dynamodb/setup';
import { loadConfig } from '../shared/config/load';
import { OfficeSchedule } from '../shared/domain/appointment-schedule';
import { SlotFullError } from '../shared/domain/appointments';
import { seededRandom } from '../shared/domain/random';
import { startDynamoLocal } from '../local/dynamodb-local';
import { nextReleasedDay } from '../local/simulate-appointments';
import { playAppointmentDay } from '../local/simulator/appointment-day';
import { percentile, progress, report, round } from './harness';

const SAMPLES = 300;
const WARMUP = 300;
const SPIKE = 1600;
const CONCURRENCY = 32;

/** `n` calls of `fn`, `concurrency` at a time; the seconds it took. */
async function atOnce(n: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++);
    }),
  );
  return (performance.now() - started) / 1000;
}

/**
 * Appointments on DynamoDB Local, against floors measured in the same run: one booking (the read of the slot
 * and the transaction that takes its place, the citizen's limit and the code) against one conditional write;
 * the release-time spike (1,600 bookings at 32 at once over one office's day) against the conditional-write
 * ceiling at the same concurrency; and the whole spike as citizens make it (free slots, hold, confirm).
 */
export async function run(): Promise<void> {
  const config = loadConfig('config/city-hall');
  const schedule = new OfficeSchedule(config.deployment.appointments!, config.deployment);
  const dynamo = await startDynamoLocal();
  const doc = createDocumentClient({
    endpoint: dynamo.endpoint,
    requestTimeoutMs: 15_000,
    connectionTimeoutMs: 15_000,
  });
  try {
    const names = tableNames('bench-appt-');
    await ensureTables(doc as unknown as DynamoDBClient, names);
    const store = new DynamoAppointmentStore(doc, names.cases, (start) =>
      schedule.localDate(new Date(start)),
    );
    const date = nextReleasedDay(schedule, 'plate-centre', 'plate-renewal', new Date());
    const slots = schedule.slotsOn('plate-centre', 'plate-renewal', date);
    const conditional = (i: number, tag: string) =>
      doc.send(
        new PutCommand({
          TableName: names.cases,
          Item: { pk: `BENCH#${tag}#${i}`, sk: 'X', n: i },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    const booking = (i: number, tag: string, slot = slots[i % slots.length]!, places = 100_000) =>
      store.book({
        key: `bench-${tag}-${i}`,
        citizenId: `bench-${tag}-${i}`,
        slot,
        places,
        now: new Date().toISOString(),
        language: 'es',
        by: 'citizen',
        channel: 'voice',
      });

    progress('one conditional write, then one booking, one at a time…');
    // Both warmed up (DynamoDB Local's JVM compiles as it goes), then measured in turns, so that neither
    // gains from running later; a counter keeps every key new.
    let n = 0;
    const wide = { officeId: 'bench', topicId: 'plate-renewal', start: slots[0]!.start };
    const floor: number[] = [];
    const one: number[] = [];
    const timed = async (out: number[], fn: () => Promise<unknown>) => {
      const t0 = performance.now();
      await fn();
      out.push(performance.now() - t0);
    };
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      await timed(floor, () => conditional(n++, 'floor'));
      // A slot of its own with room for every sample: the booking as it is, without contention.
      await timed(one, () => booking(n++, 'one', wide));
    }
    floor.splice(0, WARMUP);
    one.splice(0, WARMUP);
    const floorP50 = percentile(floor, 50);
    const bookP50 = percentile(one, 50);
    report({
      name: 'appointments.book.p50_ratio_to_conditional_write',
      value: round(floorP50 / bookP50, 2),
      unit: 'ratio',
      goal: '>= 0.5',
      book_p50_ms: round(bookP50, 2),
      book_p99_ms: round(percentile(one, 99), 2),
      conditional_write_p50_ms: round(floorP50, 2),
      samples: SAMPLES,
    });

    progress(`the ceiling: ${SPIKE} conditional writes, ${CONCURRENCY} at once…`);
    const ceilingSeconds = await atOnce(SPIKE, CONCURRENCY, (i) => conditional(i, 'ceiling'));
    const ceiling = SPIKE / ceilingSeconds;
    // And of three-item conditional transactions (a booking's shape) at the same concurrency: what DynamoDB
    // Local itself allows a booking that is one atomic write.
    const transactions =
      SPIKE /
      (await atOnce(SPIKE, CONCURRENCY, (i) =>
        doc.send(
          new TransactWriteCommand({
            TransactItems: [0, 1, 2].map((j) => ({
              Put: {
                TableName: names.cases,
                Item: { pk: `BENCHTX#${i}#${j}`, sk: 'X' },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
          }),
        ),
      ));
    progress(`the spike: ${SPIKE} bookings over ${slots.length} slots of ${date}, ${CONCURRENCY} at once…`);
    const random = seededRandom(7);
    const { places } = schedule.service('plate-centre', 'plate-renewal');
    let booked = 0;
    let full = 0;
    const spikeSeconds = await atOnce(SPIKE, CONCURRENCY, async (i) => {
      // Citizens crowd the morning: most pick among the first dozen slots.
      const slot = slots[Math.floor(random() ** 2 * slots.length)]!;
      try {
        await booking(i, 'spike', slot, places);
        booked++;
      } catch (error) {
        if (!(error instanceof SlotFullError)) throw error;
        full++;
      }
    });
    const taken = await store.takenMany(slots);
    const overbooked = [...taken.values()].filter((n) => n > places).length;
    report({
      name: 'appointments.spike.bookings_per_s',
      value: round(booked / spikeSeconds, 1),
      unit: 'bookings/s',
      ratio_to_conditional_write_ceiling: round(booked / spikeSeconds / ceiling, 2),
      goal: 'ratio >= 0.5',
      conditional_writes_per_s: round(ceiling, 1),
      transactions_3_items_per_s: round(transactions, 1),
      ratio_to_transaction_ceiling: round(booked / spikeSeconds / transactions, 2),
      attempts: SPIKE,
      booked,
      slot_full: full,
      overbooked_slots: overbooked,
      places_taken: [...taken.values()].reduce((a, b) => a + b, 0),
      concurrency: CONCURRENCY,
    });

    progress('the spike as citizens make it: free slots, hold, confirm…');
    const day = await playAppointmentDay(doc, names.cases, config, {
      officeId: 'plate-centre',
      topicId: 'lost-plate',
      date,
      attempts: SPIKE,
      spike: SPIKE,
      concurrency: CONCURRENCY,
      seed: 1,
      abandonShare: 0.05,
      repeatShare: 0.02,
      run: 'bench',
    });
    report({
      name: 'appointments.spike.citizen_attempts_per_s',
      value: day.spike.perSecond,
      unit: 'attempts/s',
      answered: day.answered,
      attempts: day.attempts,
      booked: day.booked,
      slot_full: day.slotFull,
      day_full: day.dayFull,
      overbooked_slots: day.overbookedSlots,
      count_mismatches: day.countMismatches,
      attempt_p50_ms: day.attemptMs.p50,
      attempt_p99_ms: day.attemptMs.p99,
    });
  } finally {
    doc.destroy();
    await dynamo.stop();
  }
}
