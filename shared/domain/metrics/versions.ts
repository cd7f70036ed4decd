import type { Counter, Effect } from './effects';

/** A counter addition to one interval of one scope. */
export type Addition = Extract<Effect, { op: 'add' }>;

/**
 * How long a contact's applied version is remembered, from the time it was queued: Connect publishes a
 * contact's record again whenever the contact is updated, for as long as the record exists — 24 months from
 * the contact's initiation (Amazon Connect Administrator Guide, "Data model for Amazon Connect contact
 * records") — so 25 months (762 days) covers every version Connect can send, with a month to spare.
 */
export const CONTACT_VERSION_WINDOW_DAYS = 762;

/** Whether a version (a record's LastUpdateTimestamp) replaces the one already applied: strictly newer. */
export function isNewerVersion(next: string, applied: string | undefined): boolean {
  return applied === undefined || Date.parse(next) > Date.parse(applied);
}

/** Whether a contact queued at `queuedAt` is past the window in which its versions are recognised. */
export function pastVersionWindow(queuedAt: string, now: Date): boolean {
  return now.getTime() - Date.parse(queuedAt) > CONTACT_VERSION_WINDOW_DAYS * 86_400_000;
}

const where = (a: Addition) => `${a.scope.dimension}|${a.scope.id}|${a.scope.channel}|${a.period}|${a.start}`;

/**
 * The additions that turn what one version of a contact added into what another adds: for every interval
 * either touches, the new counters minus the old. A version that changes nothing yields nothing; one that
 * moves the contact to another queue or agent takes its counts out of the old intervals and into the new.
 */
export function contributionDiff(previous: readonly Addition[], next: readonly Addition[]): Addition[] {
  const out = new Map<string, { addition: Addition; counters: Partial<Record<Counter, number>> }>();
  const add = (a: Addition, sign: 1 | -1) => {
    const entry = out.get(where(a)) ?? { addition: a, counters: {} };
    for (const [name, value] of Object.entries(a.counters) as [Counter, number][])
      entry.counters[name] = (entry.counters[name] ?? 0) + sign * value;
    out.set(where(a), entry);
  };
  for (const a of previous) add(a, -1);
  for (const a of next) add(a, 1);
  const diff: Addition[] = [];
  for (const { addition, counters } of out.values()) {
    const changed = Object.fromEntries(Object.entries(counters).filter(([, v]) => v !== 0));
    if (Object.keys(changed).length)
      diff.push({
        op: 'add',
        scope: addition.scope,
        period: addition.period,
        start: addition.start,
        counters: changed,
      });
  }
  return diff;
}
