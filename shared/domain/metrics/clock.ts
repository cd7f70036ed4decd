/**
 * The clock the live figures are measured against: the clock of the events they concern.
 *
 * Connect sends agent and contact events as things happen, so in production an event's time and the moment
 * it reaches the aggregator are seconds apart, and the live view is measured against the wall clock. A
 * simulated or replayed day carries its own clock: its events may be from last Friday, or from hours ahead
 * of now at a simulation's speed. Measuring their contacts' waits against the wall clock would mix two clocks
 * (a Friday enqueue time against Sunday's clock reads as a 59-hour wait); so when the events are not live,
 * the live view stands at the time of the latest events applied, and the dashboard shows the day they are
 * from.
 */

/** What the aggregator keeps per stream shard: the newest live event it applied, and when it applied it. */
export interface ShardClock {
  readonly shard: string;
  /** The newest agent or contact event time applied from this shard (ISO). */
  readonly at: string;
  /** The wall clock when that batch was applied (ISO). */
  readonly receivedAt: string;
}

export interface EventClock {
  /** The instant the live figures are measured against. */
  readonly now: Date;
  /** True when the events are live (their times follow the wall clock); false for a simulated or replayed day. */
  readonly live: boolean;
}

/** Events this far from the moment they arrived are not live: a simulated or replayed day. */
export const LIVE_TOLERANCE_MS = 5 * 60_000;
/** Shards that received nothing for this long before the most recent one are idle, and do not hold the clock back. */
export const IDLE_SHARD_MS = 60_000;

/**
 * The events' clock from the shards' clocks. Live events → the wall clock. Otherwise the low watermark of
 * the active shards: every event up to it has been applied, so no contact still shown waiting had left
 * its queue before it (a wait measured against it never exceeds the wait the contact really had).
 */
export function eventClock(shards: readonly ShardClock[], wallNow: Date): EventClock {
  const active = activeShards(shards);
  if (!active.length) return { now: wallNow, live: true };
  const newest = active.reduce((a, b) => (Date.parse(a.receivedAt) >= Date.parse(b.receivedAt) ? a : b));
  if (Math.abs(Date.parse(newest.at) - Date.parse(newest.receivedAt)) <= LIVE_TOLERANCE_MS)
    return { now: wallNow, live: true };
  return { now: new Date(watermark(active)), live: false };
}

/** The shards that received something within IDLE_SHARD_MS of the most recent one. */
function activeShards(shards: readonly ShardClock[]): readonly ShardClock[] {
  if (!shards.length) return [];
  const latest = Math.max(...shards.map((s) => Date.parse(s.receivedAt)));
  return shards.filter((s) => latest - Date.parse(s.receivedAt) <= IDLE_SHARD_MS);
}

/** Up to when every event has been applied: the oldest of the active shards' clocks (ms; NaN with none). */
export function watermark(shards: readonly ShardClock[]): number {
  return Math.min(...activeShards(shards).map((s) => Date.parse(s.at)));
}

/** The newest agent or contact event time of a batch: the other kinds are not live (records come at the end, or later). */
export function newestLiveEvent(events: readonly { kind: string; at: string }[]): string | undefined {
  let newest: number | undefined;
  for (const e of events)
    if (e.kind === 'agent-event' || e.kind === 'contact-event') {
      const at = Date.parse(e.at);
      if (!Number.isNaN(at) && (newest === undefined || at > newest)) newest = at;
    }
  return newest === undefined ? undefined : new Date(newest).toISOString();
}
