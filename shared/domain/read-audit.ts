import type { Actor } from './case';

/** One staff read of a citizen's record: who, what, when, from where. */
export interface ReadEvent {
  readonly id: string;
  readonly at: string;
  readonly actor: Actor;
  readonly what: 'citizen' | 'case';
  readonly citizenId: string;
  readonly ticket?: string;
  /** The client's address. */
  readonly from?: string;
}

/** A staff member's reading on a local day: how many different citizens. */
export interface DayReading {
  readonly user: string;
  readonly citizens: number;
}

export interface ReadAudit {
  /** Records a read, and counts its citizen among the reader's citizens of the local day. */
  record(event: ReadEvent, day: string): Promise<void>;
  /** Who read a citizen, newest first. */
  readersOf(citizenId: string, limit?: number): Promise<readonly ReadEvent[]>;
  /** Every reader of a local day with their count of different citizens. */
  day(day: string): Promise<readonly DayReading[]>;
}

/** When a reader is unusual: far more citizens than the middle of their peers, and more than a working minimum. */
export interface UnusualRule {
  /** Times the median of the other readers of the day. */
  readonly factor: number;
  /** Never flagged at or below this many citizens in a day (a busy agent's day). */
  readonly floor: number;
}

export const DEFAULT_UNUSUAL: UnusualRule = { factor: 3, floor: 40 };

export interface ReadingReport {
  readonly date: string;
  readonly readers: readonly DayReading[];
  /** The readers who read far more citizens than their peers, most first. */
  readonly unusual: readonly (DayReading & { readonly peersMedian: number })[];
}

const median = (values: readonly number[]) => {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * The day's reading: each reader with the number of different citizens they opened, and those who read more
 * than `factor` times the median of the others and more than `floor` citizens — one account reading far more
 * citizens than its peers is what a daily review looks at first.
 */
export function readingReport(
  date: string,
  readers: readonly DayReading[],
  rule: UnusualRule = DEFAULT_UNUSUAL,
): ReadingReport {
  const unusual = readers
    .map((r) => ({
      ...r,
      peersMedian: median(readers.filter((o) => o.user !== r.user).map((o) => o.citizens)),
    }))
    .filter((r) => r.citizens > rule.floor && r.citizens > rule.factor * r.peersMedian)
    .sort((a, b) => b.citizens - a.citizens);
  return { date, readers: [...readers].sort((a, b) => b.citizens - a.citizens), unusual };
}
