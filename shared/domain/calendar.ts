import type { Deployment } from './deployment';
import { ValidationError } from './errors';
import { WEEKDAYS, type OpeningSpan, type Weekday, type WeeklyHours } from './week';

const DAY_MS = 86_400_000;
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** An instant as given (an ISO date or date-time), as an ISO instant in UTC; a ValidationError naming `field` otherwise. */
export function parseInstant(raw: string, field: string): string {
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new ValidationError(field, 'must be an ISO date or date-time');
  return new Date(ms).toISOString();
}

/** A calendar date "YYYY-MM-DD" that exists (not 2026-02-30). */
export function isCalendarDate(raw: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(raw) && addDays(raw, 0) === raw;
}

/** Adds days to a local calendar date "YYYY-MM-DD". */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
function weekdayOf(date: string): Weekday {
  // getUTCDay: 0 = Sunday.
  return WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7]!;
}

/**
 * Department hours, holidays and business days in the deployment's time zone. All instants in and out
 * are `Date`s; calendar dates are local "YYYY-MM-DD" strings.
 */
export class BusinessCalendar {
  private formatter?: Intl.DateTimeFormat;

  constructor(
    readonly timeZone: string,
    private readonly hours: ReadonlyMap<string, WeeklyHours>,
    private readonly holidays: ReadonlySet<string>,
  ) {}

  /** Built on first use: loading a time zone's rules costs a cold start several milliseconds. */
  private get parts(): Intl.DateTimeFormat {
    return (this.formatter ??= new Intl.DateTimeFormat('en-US', {
      timeZone: this.timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }));
  }

  /** Local date and minutes since local midnight of an instant. */
  local(instant: Date): { date: string; minutes: number } {
    const p = Object.fromEntries(this.parts.formatToParts(instant).map((x) => [x.type, x.value]));
    return { date: `${p.year}-${p.month}-${p.day}`, minutes: Number(p.hour) * 60 + Number(p.minute) };
  }

  /** The instant at which the local clock shows `minutes` past midnight on `date`. */
  instantAt(date: string, minutes: number): Date {
    const naive = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
    let guess = naive - this.offsetMs(new Date(naive));
    guess = naive - this.offsetMs(new Date(guess));
    return new Date(guess);
  }

  private offsetMs(instant: Date): number {
    const p = Object.fromEntries(this.parts.formatToParts(instant).map((x) => [x.type, x.value]));
    const asUtc = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!);
    return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
  }

  isHoliday(date: string): boolean {
    return this.holidays.has(date);
  }

  private spans(departmentId: string, date: string): readonly OpeningSpan[] {
    const hours = this.hours.get(departmentId);
    if (!hours) throw new ValidationError('departmentId', `unknown department "${departmentId}"`);
    return this.isHoliday(date) ? [] : (hours[weekdayOf(date)] ?? []);
  }

  /** A business day for the department: not a holiday and it opens that weekday. */
  isBusinessDay(departmentId: string, date: string): boolean {
    return this.spans(departmentId, date).length > 0;
  }

  isOpen(departmentId: string, instant: Date): boolean {
    const { date, minutes } = this.local(instant);
    return this.spans(departmentId, date).some(
      (s) => minutes >= minutesOf(s.open) && minutes < minutesOf(s.close),
    );
  }

  /** The first business day strictly after the local date of `instant`. */
  nextBusinessDay(departmentId: string, instant: Date): string {
    return this.businessDayAfter(departmentId, this.local(instant).date);
  }

  private businessDayAfter(departmentId: string, date: string): string {
    let day = date;
    for (let i = 0; i < 366; i++) {
      day = addDays(day, 1);
      if (this.isBusinessDay(departmentId, day)) return day;
    }
    throw new ValidationError('hours', `department "${departmentId}" has no business day within a year`);
  }

  /** The next instant the department opens, or `instant` itself if open now. */
  nextOpening(departmentId: string, instant: Date): Date {
    if (this.isOpen(departmentId, instant)) return instant;
    const { date, minutes } = this.local(instant);
    const later = this.spans(departmentId, date).find((s) => minutesOf(s.open) > minutes);
    if (later) return this.instantAt(date, minutesOf(later.open));
    const day = this.businessDayAfter(departmentId, date);
    return this.instantAt(day, minutesOf(this.spans(departmentId, day)[0]!.open));
  }

  /**
   * The due instant of something that takes `days` business days from `instant`: the closing time of the
   * `days`-th business day after the local date (0 = the close of today if today is a business day).
   */
  dueAfterBusinessDays(departmentId: string, instant: Date, days: number): Date {
    let day = this.local(instant).date;
    if (days === 0 && !this.isBusinessDay(departmentId, day)) day = this.businessDayAfter(departmentId, day);
    for (let i = 0; i < days; i++) day = this.businessDayAfter(departmentId, day);
    const spans = this.spans(departmentId, day);
    return this.instantAt(day, minutesOf(spans[spans.length - 1]!.close));
  }
}

/** The business calendar of a deployment: its departments' hours and its holidays. */
export function calendarOf(
  deployment: Pick<Deployment, 'timeZone' | 'departments' | 'holidays'>,
): BusinessCalendar {
  return new BusinessCalendar(
    deployment.timeZone,
    new Map(deployment.departments.map((d) => [d.id, d.hours])),
    new Set(deployment.holidays.map((h) => h.date)),
  );
}

/**
 * The local date of an ISO instant, remembered per minute: the date changes only at a minute boundary, and
 * time-zone rules are costly to apply to every record of a large batch.
 */
export function localDateByMinute(calendar: Pick<BusinessCalendar, 'local'>): (at: string) => string {
  const dates = new Map<number, string>();
  return (at) => {
    const minute = Math.floor(Date.parse(at) / 60_000);
    let date = dates.get(minute);
    if (!date) {
      if (dates.size > 10_000) dates.clear();
      date = calendar.local(new Date(at)).date;
      dates.set(minute, date);
    }
    return date;
  };
}
