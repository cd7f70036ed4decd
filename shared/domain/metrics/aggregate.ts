import type { MetricsStore } from '../ports';
import { newestLiveEvent } from './clock';
import { effectsOf, type Effect, type MetricsSettings } from './effects';
import type { MetricEvent } from './model';
import { buildRuns, sequenceAfter } from './shard-runs';
import { CONTACT_VERSION_WINDOW_DAYS, pastVersionWindow } from './versions';

/** The version of a contact's record an event is, and until when that version is remembered. */
interface ContactVersion {
  readonly contactId: string;
  readonly version: string;
  readonly expiresAt: Date;
}

/** One stream record as the aggregator sees it: parsed to an event, not one we know, or unreadable. */
export type ParsedRecord =
  | { readonly status: 'event'; readonly id: string; readonly event: MetricEvent }
  | { readonly status: 'unknown'; readonly id: string; readonly shape: string }
  | { readonly status: 'invalid'; readonly id: string; readonly reason: string };

export interface BatchReport {
  readonly applied: number;
  /** Contact records whose newer version replaced an earlier one's counts. */
  readonly replaced: number;
  readonly duplicates: number;
  /** Contact records queued longer ago than the version window: not counted (see versions.ts). */
  readonly expired: number;
  readonly unknown: number;
  readonly invalid: number;
  /** The record to retry from, with why it failed: the stream redelivers it and everything after it. */
  readonly failures: readonly { readonly id: string; readonly reason: string }[];
}

const isAdditive = (e: Effect) => e.op === 'add' || e.op === 'caseStatus';

/**
 * The idempotent effects of a whole batch, one per thing they change: an agent's newest state (the first of
 * equal times, as a store applying them in order keeps), an interval's largest wait, a contact's first
 * entry into a queue and its earliest exit — and no entry for a contact that left in the same batch (a
 * contact that has left is never counted back into a queue, so the entry would change nothing the live view
 * shows). Applying these equals applying every one of them.
 */
export function coalesce(effects: readonly Effect[]): Effect[] {
  const kept = new Map<string, Effect>();
  for (const e of effects) {
    switch (e.op) {
      case 'agent': {
        const key = `agent|${e.agent}`;
        const current = kept.get(key) as typeof e | undefined;
        if (!current || current.at < e.at) kept.set(key, e);
        break;
      }
      case 'max': {
        const key = `max|${e.scope.dimension}|${e.scope.id}|${e.scope.channel}|${e.period}|${e.start}`;
        const current = kept.get(key) as typeof e | undefined;
        if (!current || current.value < e.value) kept.set(key, e);
        break;
      }
      case 'enqueue': {
        const key = `enqueue|${e.contactId}`;
        if (!kept.has(key)) kept.set(key, e);
        break;
      }
      case 'leave': {
        const key = `leave|${e.contactId}`;
        const current = kept.get(key) as typeof e | undefined;
        if (!current || e.at < current.at) kept.set(key, e);
        break;
      }
      default:
        break;
    }
  }
  return [...kept.values()].filter((e) => e.op !== 'enqueue' || !kept.has(`leave|${e.contactId}`));
}

/**
 * Applies a batch. Unknown kinds are counted and skipped; invalid records are counted and skipped (retrying
 * cannot fix them). First the batch's idempotent effects, coalesced (newest-wins, maxima, one-way queue exits:
 * writing them again on a retry changes nothing); then the counter additions exactly once: from a stream
 * shard, in runs after the shard's mark (see applyRuns), and the shard's clock; without one, each event on its
 * own with an applied marker, a few at a time (additions commute). The earliest record that fails is
 * reported, so the stream retries from it; records already applied are recognised on redelivery and not
 * counted twice.
 */
export async function aggregateBatch(
  records: readonly ParsedRecord[],
  deps: {
    store: MetricsStore;
    settings: MetricsSettings;
    concurrency?: number;
    /**
     * The stream shard the batch came from: its records are counted in runs, and with the wall clock its
     * clock is kept.
     */
    shard?: string;
    /** The wall clock; with it, contact records older than the version window are not counted. */
    now?: () => Date;
  },
): Promise<BatchReport> {
  let applied = 0;
  let replaced = 0;
  let duplicates = 0;
  let unknown = 0;
  let invalid = 0;
  let expired = 0;
  const events: { id: string; key: string; additions: Effect[]; version?: ContactVersion }[] = [];
  const idempotent: Effect[] = [];
  for (const record of records) {
    if (record.status === 'unknown') unknown++;
    else if (record.status === 'invalid') invalid++;
    else {
      const { event } = record;
      // With a wall clock: a record of a contact queued before the version window is not counted (Connect
      // sends none; one arriving would find its earlier versions forgotten).
      const { now } = deps;
      if (
        event.kind === 'contact-record' &&
        event.enqueuedAt &&
        now &&
        pastVersionWindow(event.enqueuedAt, now())
      ) {
        expired++;
        continue;
      }
      const effects = effectsOf(event, deps.settings);
      for (const e of effects) if (!isAdditive(e)) idempotent.push(e);
      const additions = effects.filter(isAdditive);
      events.push({
        id: record.id,
        key: `${event.kind}#${event.key}`,
        additions,
        // A contact record is one version of its contact's record: it replaces the earlier one's counts.
        ...(event.kind === 'contact-record' && event.enqueuedAt
          ? {
              version: {
                contactId: event.contactId,
                version: event.at,
                expiresAt: new Date(Date.parse(event.enqueuedAt) + CONTACT_VERSION_WINDOW_DAYS * 86_400_000),
              },
            }
          : {}),
      });
    }
  }
  const reasonOf = (error: unknown) =>
    (error as { code?: string; name?: string })?.code ?? (error as Error)?.name ?? 'Error';
  if (idempotent.length)
    try {
      await deps.store.applyIdempotent(coalesce(idempotent));
    } catch (error) {
      return {
        applied,
        replaced,
        duplicates,
        unknown,
        invalid,
        expired,
        failures: [{ id: events[0]!.id, reason: reasonOf(error) }],
      };
    }

  if (deps.shard) {
    const runs = await applyRuns(deps.shard, events, deps.store, reasonOf);
    applied += runs.applied;
    replaced += runs.replaced;
    duplicates += runs.duplicates;
    let failure = runs.failure;
    const newest = newestLiveEvent(
      records.flatMap((r) => (r.status === 'event' ? [{ kind: r.event.kind, at: r.event.at }] : [])),
    );
    // The batch is done when its clock is kept too (the live view measures waits against it); if that write
    // fails, the last record is retried (and recognised as applied) so that the clock is written again.
    if (!failure && newest && deps.now)
      try {
        await deps.store.recordClock({ shard: deps.shard, at: newest, receivedAt: deps.now().toISOString() });
      } catch (error) {
        failure = { id: records.at(-1)!.id, reason: reasonOf(error) };
      }
    return { applied, replaced, duplicates, unknown, invalid, expired, failures: failure ? [failure] : [] };
  }

  let failed = undefined as { index: number; id: string; reason: string } | undefined;
  const fail = (f: NonNullable<typeof failed>) => {
    if (!failed || f.index < failed.index) failed = f;
  };
  let next = 0;
  const worker = async () => {
    while (next < events.length && !failed) {
      const index = next++;
      const event = events[index]!;
      if (!event.additions.length) {
        applied++;
        continue;
      }
      try {
        if (event.version) {
          const { contactId, version, expiresAt } = event.version;
          const result = await deps.store.applyVersion(
            contactId,
            version,
            event.additions.filter((e) => e.op === 'add'),
            expiresAt,
          );
          if (result === 'applied') applied++;
          else if (result === 'replaced') replaced++;
          else duplicates++;
        } else if (await deps.store.applyOnce(event.key, event.additions)) applied++;
        else duplicates++;
      } catch (error) {
        fail({ index, id: event.id, reason: reasonOf(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, deps.concurrency ?? 1) }, worker));
  return {
    applied,
    replaced,
    duplicates,
    unknown,
    invalid,
    expired,
    failures: failed ? [{ id: failed.id, reason: failed.reason }] : [],
  };
}

/**
 * A shard's records in runs (see shard-runs.ts): those at or before the shard's mark were applied by an
 * earlier delivery and are duplicates; the rest are cut into runs written one after another, each moving the
 * mark. The first run that fails is reported by its first record, so the stream retries from there.
 */
async function applyRuns(
  shard: string,
  events: readonly { id: string; additions: Effect[]; version?: ContactVersion }[],
  store: MetricsStore,
  reasonOf: (error: unknown) => string,
): Promise<{
  applied: number;
  replaced: number;
  duplicates: number;
  failure?: { id: string; reason: string };
}> {
  let applied = 0;
  let replaced = 0;
  let duplicates = 0;
  const counting = events.filter((e) => {
    if (!e.additions.length) applied++;
    return e.additions.length > 0;
  });
  if (!counting.length) return { applied, replaced, duplicates };
  let mark: string | undefined;
  let runs;
  try {
    mark = await store.shardMark(shard);
    const pending = counting.filter((e) => sequenceAfter(e.id, mark));
    duplicates += counting.length - pending.length;
    const contacts = [...new Set(pending.flatMap((e) => (e.version ? [e.version.contactId] : [])))];
    const stored = contacts.length ? await store.appliedVersions(contacts) : new Map();
    runs = buildRuns(pending, stored, store.runLimit);
  } catch (error) {
    return { applied, replaced, duplicates, failure: { id: counting[0]!.id, reason: reasonOf(error) } };
  }
  for (const run of runs) {
    if (run.outcomes.every((o) => o === 'stale')) {
      duplicates += run.outcomes.length;
      continue;
    }
    let written: boolean;
    try {
      written = await store.applyRun({
        shard,
        ...(mark === undefined ? {} : { after: mark }),
        through: run.through,
        versions: run.versions,
        additions: run.additions,
      });
    } catch (error) {
      return { applied, replaced, duplicates, failure: { id: run.first, reason: reasonOf(error) } };
    }
    // Another reader moved the mark (or a version) meanwhile: the redelivery reads them again.
    if (!written)
      return { applied, replaced, duplicates, failure: { id: run.first, reason: 'ConcurrentWrite' } };
    mark = run.through;
    for (const o of run.outcomes)
      if (o === 'applied') applied++;
      else if (o === 'replaced') replaced++;
      else duplicates++;
  }
  return { applied, replaced, duplicates };
}
