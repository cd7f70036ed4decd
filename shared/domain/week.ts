/** Weekday keys, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** An opening span in local time, "HH:MM" to "HH:MM" (close after open, same day). */
export interface OpeningSpan {
  readonly open: string;
  readonly close: string;
}
export type WeeklyHours = Partial<Record<Weekday, readonly OpeningSpan[]>>;
