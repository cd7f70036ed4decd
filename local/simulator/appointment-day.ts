import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAppointmentStore } from '../../shared/adapters/dynamodb/appointment-store';
import { AppointmentBook } from '../../shared/domain/appointment-book';
import { OfficeSchedule } from '../../shared/domain/appointment-schedule';
import { BookingLimitError, isActiveBooking, SlotFullError, slotKey } from '../../shared/domain/appointments';
import type { LoadedConfig } from '../../shared/config/load';
import { seededRandom } from '../../shared/domain/random';

export interface AppointmentDayOptions {
  readonly officeId: string;
  readonly topicId: string;
  /** The office's local date booked. */
  readonly date: string;
  /** Booking attempts in all. */
  readonly attempts: number;
  /** Attempts in the first minute after the day's release. */
  readonly spike: number;
  /** Attempts under way at once. */
  readonly concurrency: number;
  readonly seed: number;
  /** Share of citizens who let their hold run out instead of confirming. */
  readonly abandonShare: number;
  /** Share of attempts that are a second try by a citizen who already booked (refused by the limit). */
  readonly repeatShare: number;
  /** The run's prefix for keys and citizens (several runs on one table never meet). */
  readonly run: string;
  readonly onProgress?: (done: number, total: number) => void;
}

/** What a day of booking came to: every attempt's answer, and the check of every slot against its places. */
export interface AppointmentDayReport {
  readonly attempts: number;
  readonly answered: number;
  readonly booked: number;
  readonly abandoned: number;
  readonly slotFull: number;
  readonly dayFull: number;
  readonly limitRefused: number;
  readonly holdsReturned: number;
  readonly places: number;
  readonly activeAtEnd: number;
  readonly overbookedSlots: number;
  /** Slots whose kept count differs from the active bookings found in them. */
  readonly countMismatches: number;
  readonly spike: { readonly attempts: number; readonly seconds: number; readonly perSecond: number };
  readonly seconds: number;
  readonly attemptMs: { readonly p50: number; readonly p99: number };
}

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

/**
 * One office's day of bookings as it would come: a spike of attempts in the first minute after the day is
 * released, the rest spread over the days until it. Each citizen looks at the free slots, holds one of the
 * first few (another if it filled meanwhile), then confirms it or lets the hold run out; some try a second
 * booking. Simulated time, as fast as the machine allows, on the real store.
 */
export async function playAppointmentDay(
  doc: DynamoDBDocumentClient,
  casesTable: string,
  config: LoadedConfig,
  options: AppointmentDayOptions,
): Promise<AppointmentDayReport> {
  const { deployment, catalogue } = config;
  if (!deployment.appointments) throw new Error('the deployment books no appointments');
  const schedule = new OfficeSchedule(deployment.appointments, deployment);
  const store = new DynamoAppointmentStore(doc, casesTable, (start) => schedule.localDate(new Date(start)));
  const release = schedule.releaseOf(options.date).getTime();
  const dayStart = Date.parse(schedule.slotsOn(options.officeId, options.topicId, options.date)[0]!.start);
  const random = seededRandom(options.seed);
  // Arrival instants: the spike within a minute of the release, the rest until the evening before.
  const arrivals = Array.from({ length: options.attempts }, (_, i) =>
    i < options.spike
      ? release + random() * 60_000
      : release + 60_000 + random() * Math.max(60_000, dayStart - release - 86_400_000),
  ).sort((a, b) => a - b);
  const bookAt = (at: number) =>
    new AppointmentBook({
      store,
      schedule,
      catalogue,
      clock: { now: () => new Date(at) },
      timeZone: deployment.timeZone,
    });
  const counts = { booked: 0, abandoned: 0, slotFull: 0, dayFull: 0, limitRefused: 0 };
  const times: number[] = [];
  const bookedBy: string[] = [];
  let spikeEnded = 0;
  let done = 0;
  const startedAt = Date.now();

  const attempt = async (i: number) => {
    const at = arrivals[i]!;
    const book = bookAt(at);
    const repeat = bookedBy.length > 0 && random() < options.repeatShare;
    const citizenId = repeat ? bookedBy[Math.floor(random() * bookedBy.length)]! : `${options.run}-cit-${i}`;
    const abandon = random() < options.abandonShare;
    for (let tries = 0; tries < 3; tries++) {
      const free = await book.freeSlots(options.officeId, options.topicId, {
        from: options.date,
        days: 1,
        limit: 5,
      });
      if (free.length === 0) return void counts.dayFull++;
      const slot = free[Math.floor(random() * free.length)]!;
      try {
        const held = await book.hold({
          key: `${options.run}-${i}-${tries}`,
          citizenId,
          officeId: options.officeId,
          topicId: options.topicId,
          start: slot.start,
          by: 'citizen',
          channel: 'whatsapp',
          language: 'es',
        });
        if (abandon) return void counts.abandoned++;
        // The citizen's yes, half a minute later: well within the hold.
        await bookAt(at + 30_000).confirm(held.id, { by: 'citizen', channel: 'whatsapp' });
        counts.booked++;
        bookedBy.push(citizenId);
        return;
      } catch (error) {
        if (error instanceof BookingLimitError) return void counts.limitRefused++;
        if (!(error instanceof SlotFullError)) throw error;
      }
    }
    counts.slotFull++;
  };

  // In waves of arrivals a few minutes apart at most, one wave after another, so that simulated time stays
  // true: no attempt's clock passes the hold of another still under way (its sweep would take it back).
  const window = (schedule.settings.holdMinutes - 1) * 60_000;
  for (let first = 0; first < options.attempts;) {
    let end = first + 1;
    while (end < options.attempts && arrivals[end]! - arrivals[first]! < window) end++;
    let next = first;
    const worker = async () => {
      while (next < end) {
        const i = next++;
        const t0 = performance.now();
        await attempt(i);
        times.push(performance.now() - t0);
        done++;
        if (i < options.spike) spikeEnded = Math.max(spikeEnded, Date.now());
        options.onProgress?.(done, options.attempts);
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, end - first) }, worker));
    // Between waves, the scheduled sweep returns the places of holds that ran out.
    await bookAt(arrivals[end - 1]!).sweep(500);
    first = end;
  }
  const seconds = (Date.now() - startedAt) / 1000;
  // Whatever holds remain run out by the day: the last sweep, after the slots' day has come.
  while ((await bookAt(dayStart).sweep(500)) > 0);

  // The check: every slot within its places, and the count kept with it equal to the active bookings in it.
  const { places } = schedule.service(options.officeId, options.topicId);
  const slots = schedule.slotsOn(options.officeId, options.topicId, options.date);
  const taken = await store.takenMany(slots);
  // Every active booking of the day counts against the places, this run's or not.
  const day = await store.onDay(options.officeId, options.date);
  const active = day.filter((b) => b.slot.topicId === options.topicId && isActiveBooking(b.status));
  const inSlot = new Map<string, number>();
  for (const b of active) inSlot.set(slotKey(b.slot), (inSlot.get(slotKey(b.slot)) ?? 0) + 1);
  let overbookedSlots = 0;
  let countMismatches = 0;
  for (const slot of slots) {
    const n = inSlot.get(slotKey(slot)) ?? 0;
    if (n > places) overbookedSlots++;
    if ((taken.get(slotKey(slot)) ?? 0) !== n) countMismatches++;
  }
  const spikeSeconds = (spikeEnded - startedAt) / 1000;
  const answered = counts.booked + counts.abandoned + counts.slotFull + counts.dayFull + counts.limitRefused;
  return {
    attempts: options.attempts,
    answered,
    ...counts,
    places: places * slots.length,
    activeAtEnd: active.filter((b) => b.id.startsWith(`bk-${options.run}-`)).length,
    // Returned by the sweeps between waves or by a booking that found its slot full: expired, all of them.
    holdsReturned: day.filter((b) => b.status === 'expired' && b.id.startsWith(`bk-${options.run}-`)).length,
    overbookedSlots,
    countMismatches,
    spike: {
      attempts: options.spike,
      seconds: Number(spikeSeconds.toFixed(2)),
      perSecond: Number((options.spike / spikeSeconds).toFixed(1)),
    },
    seconds: Number(seconds.toFixed(2)),
    attemptMs: {
      p50: Number(percentile(times, 50).toFixed(1)),
      p99: Number(percentile(times, 99).toFixed(1)),
    },
  };
}
