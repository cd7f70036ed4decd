import { placesOf, type SlotRef } from './appointments';
import { addDays, BusinessCalendar, isCalendarDate } from './calendar';
import type { AppointmentSettings, Deployment, Office } from './deployment';
import { NotFoundError, ValidationError } from './errors';

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** What an office books for a procedure: slot length, capacity and places (capacity plus any overbooking). */
export interface OfficeService {
  readonly office: Office;
  readonly topicId: string;
  readonly slotMinutes: number;
  readonly capacity: number;
  readonly places: number;
}

/**
 * The offices' capacity from the deployment: which slots exist (office hours, less the deployment's holidays,
 * slots that end by closing time), which days are released for booking, and how many places each slot has.
 */
export class OfficeSchedule {
  private readonly calendar: BusinessCalendar;
  private readonly services = new Map<string, OfficeService>();

  constructor(
    readonly settings: AppointmentSettings,
    deployment: Pick<Deployment, 'timeZone' | 'holidays'>,
  ) {
    this.calendar = new BusinessCalendar(
      deployment.timeZone,
      new Map(settings.offices.map((o) => [o.id, o.hours])),
      new Set(deployment.holidays.map((h) => h.date)),
    );
    for (const office of settings.offices)
      for (const s of office.services)
        this.services.set(`${office.id}#${s.topic}`, {
          office,
          topicId: s.topic,
          slotMinutes: s.slotMinutes,
          capacity: s.capacity,
          places: placesOf(s.capacity, settings.overbookingPercent),
        });
  }

  get offices(): readonly Office[] {
    return this.settings.offices;
  }

  /** The offices that book a procedure. */
  officesFor(topicId: string): readonly Office[] {
    return this.settings.offices.filter((o) => o.services.some((s) => s.topic === topicId));
  }

  /** The office's service for a procedure; NotFoundError when it does not book it. */
  service(officeId: string, topicId: string): OfficeService {
    const found = this.services.get(`${officeId}#${topicId}`);
    if (!found) throw new NotFoundError(`appointments for "${topicId}" at office "${officeId}"`);
    return found;
  }

  /** The office's local date of an instant. */
  localDate(at: Date): string {
    return this.calendar.local(at).date;
  }

  /** The last local date open for booking at `now`: day D opens at the release time, daysAhead days before. */
  releasedThrough(now: Date): string {
    const { date, minutes } = this.calendar.local(now);
    const { time, daysAhead } = this.settings.release;
    return addDays(date, minutes >= minutesOf(time) ? daysAhead : daysAhead - 1);
  }

  /** When day `date` opens (or opened) for booking. */
  releaseOf(date: string): Date {
    const { time, daysAhead } = this.settings.release;
    return this.calendar.instantAt(addDays(date, -daysAhead), minutesOf(time));
  }

  /** Every slot of the office for the procedure on a local date (none on a holiday or a closed weekday). */
  slotsOn(officeId: string, topicId: string, date: string): SlotRef[] {
    if (!isCalendarDate(date)) throw new ValidationError('date', 'must be a date "YYYY-MM-DD"');
    const service = this.service(officeId, topicId);
    if (!this.calendar.isBusinessDay(officeId, date)) return [];
    const day = new Date(`${date}T00:00:00Z`).getUTCDay();
    const weekday = (['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const)[day]!;
    const slots: SlotRef[] = [];
    for (const span of service.office.hours[weekday] ?? [])
      for (
        let m = minutesOf(span.open);
        m + service.slotMinutes <= minutesOf(span.close);
        m += service.slotMinutes
      )
        slots.push({ officeId, topicId, start: this.calendar.instantAt(date, m).toISOString() });
    return slots;
  }

  /**
   * Slots bookable at `now`, soonest first: released, not yet started, from the local date `from` (today by
   * default) for up to `days` dates.
   */
  upcoming(officeId: string, topicId: string, now: Date, days = 7, from?: string): SlotRef[] {
    const today = this.localDate(now);
    const last = this.releasedThrough(now);
    const out: SlotRef[] = [];
    let date = from && from > today ? from : today;
    for (let i = 0; i < days && date <= last; i++, date = addDays(date, 1))
      for (const slot of this.slotsOn(officeId, topicId, date))
        if (Date.parse(slot.start) > now.getTime()) out.push(slot);
    return out;
  }

  /**
   * The slot at `start`, if it is one of the office's for the procedure and bookable at `now`; a
   * ValidationError naming `start` otherwise (not a slot, past, or not yet released).
   */
  bookable(officeId: string, topicId: string, start: string, now: Date): SlotRef & { places: number } {
    const at = Date.parse(start);
    if (Number.isNaN(at)) throw new ValidationError('start', 'must be an ISO date-time');
    const { places } = this.service(officeId, topicId);
    const iso = new Date(at).toISOString();
    const date = this.localDate(new Date(at));
    if (!this.slotsOn(officeId, topicId, date).some((s) => s.start === iso))
      throw new ValidationError('start', 'is not a slot of this office for this procedure');
    if (at <= now.getTime()) throw new ValidationError('start', 'has already begun');
    if (date > this.releasedThrough(now))
      throw new ValidationError('start', `opens for booking at ${this.releaseOf(date).toISOString()}`);
    return { officeId, topicId, start: iso, places };
  }
}

/** The schedule of a deployment with appointments, or undefined. */
export function scheduleOf(deployment: Deployment): OfficeSchedule | undefined {
  return deployment.appointments && new OfficeSchedule(deployment.appointments, deployment);
}
