import type { MetricsStore } from '../ports';
import { effectsOf, type MetricsSettings } from './effects';
import type { MetricEvent } from './model';

/** One stream record as the aggregator sees it: parsed to an event, not one we know, or unreadable. */
export type ParsedRecord =
  | { readonly status: 'event'; readonly id: string; readonly event: MetricEvent }
  | { readonly status: 'unknown'; readonly id: string; readonly shape: string }
  | { readonly status: 'invalid'; readonly id: string; readonly reason: string };

export interface BatchReport {
  readonly applied: number;
  readonly duplicates: number;
  readonly unknown: number;
  readonly invalid: number;
  /** The record to retry from, with why it failed: the stream redelivers it and everything after it. */
  readonly failures: readonly { readonly id: string; readonly reason: string }[];
}

/**
 * Applies a batch in stream order. Unknown kinds are counted and skipped; invalid records are counted and
 * skipped (retrying cannot fix them). The first record that fails to apply stops the batch and is reported,
 * so the stream retries from it; records already applied are recognised on redelivery and not counted twice.
 */
export async function aggregateBatch(
  records: readonly ParsedRecord[],
  deps: { store: MetricsStore; settings: MetricsSettings },
): Promise<BatchReport> {
  let applied = 0;
  let duplicates = 0;
  let unknown = 0;
  let invalid = 0;
  for (const record of records) {
    if (record.status === 'unknown') {
      unknown++;
      continue;
    }
    if (record.status === 'invalid') {
      invalid++;
      continue;
    }
    try {
      const fresh = await deps.store.applyOnce(
        `${record.event.kind}#${record.event.key}`,
        effectsOf(record.event, deps.settings),
      );
      if (fresh) applied++;
      else duplicates++;
    } catch (error) {
      const reason = (error as { code?: string; name?: string })?.code ?? (error as Error)?.name ?? 'Error';
      return { applied, duplicates, unknown, invalid, failures: [{ id: record.id, reason }] };
    }
  }
  return { applied, duplicates, unknown, invalid, failures: [] };
}
