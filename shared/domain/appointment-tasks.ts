import type { AppointmentBook } from './appointment-book';
import { addDays } from './calendar';
import { BookingStateError, type Booking } from './appointments';
import { ConcurrentChangeError } from './errors';

/** What one run of the appointment tasks did. */
export interface AppointmentTasksReport {
  readonly holdsReturned: number;
  /** Places freed on a waitlisted day offered to the first waiting; offers let pass. */
  readonly offered: number;
  readonly offersPassed: number;
  readonly reminded: number;
  readonly noShows: number;
}

const HOUR_MS = 3_600_000;

/**
 * The appointments' clock, run every minute: holds that ran out return their places, and places freed on a day
 * with a waitlist are offered to the first waiting; a booking whose reminder
 * is due (the deployment's `remindHoursBefore`, earliest first) is counted reminded — the notifier sends it
 * from that change; a booking whose slot has closed with nobody checked in is a no-show. Safe to run twice
 * at once or late: every change is conditional, and a reminder count reached is kept.
 */
export async function runAppointmentTasks(book: AppointmentBook): Promise<AppointmentTasksReport> {
  const { schedule, store } = book;
  const now = book.now();
  const holdsReturned = await book.sweep(500);
  const { offered, passed: offersPassed } = await book.offerFreedPlaces();
  const hours = [...schedule.settings.remindHoursBefore].sort((a, b) => b - a);
  const horizon = Math.max(0, ...hours);
  const today = schedule.localDate(now);
  const last = schedule.localDate(new Date(now.getTime() + horizon * HOUR_MS));
  let reminded = 0;
  let noShows = 0;
  const change = { now: now.toISOString(), by: 'system', channel: 'system' as const };
  const quietly = async (work: () => Promise<unknown>) => {
    try {
      await work();
      return true;
    } catch (error) {
      // Changed meanwhile (checked in, cancelled, moved): the next run looks again.
      if (error instanceof BookingStateError || error instanceof ConcurrentChangeError) return false;
      throw error;
    }
  };
  for (const office of schedule.offices)
    for (let date = addDays(today, -1); date <= last; date = addDays(date, 1)) {
      const day: readonly Booking[] = await store.onDay(office.id, date);
      for (const b of day) {
        if (b.status !== 'booked' && b.status !== 'reminded') continue;
        const start = Date.parse(b.slot.start);
        const end = start + schedule.service(b.slot.officeId, b.slot.topicId).slotMinutes * 60_000;
        if (end <= now.getTime()) {
          if (await quietly(() => store.move(b.id, 'no-show', change))) noShows++;
          continue;
        }
        // Reminders due by now, and of those the ones due after it was booked (or moved): a booking made the
        // evening before gets the two-hour reminder only, one made an hour before none (its confirmation says it).
        const bookedAt = Date.parse(
          [...b.history].reverse().find((e) => e.status === 'booked')?.at ?? b.createdAt,
        );
        const dueAt = hours.map((h) => start - h * HOUR_MS).filter((at) => at <= now.getTime());
        const fresh = dueAt.filter((at) => at > bookedAt).length;
        if (start > now.getTime() && b.notify && fresh > 0 && dueAt.length > (b.reminders ?? 0))
          if (await quietly(() => store.remind(b.id, dueAt.length, change))) reminded++;
      }
    }
  return { holdsReturned, offered, offersPassed, reminded, noShows };
}
