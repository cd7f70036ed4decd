import type { Effect } from './effects';
import { contributionDiff, isNewerVersion, type Addition } from './versions';

/** The version of a contact's record whose counts are in the figures, with those counts. */
export interface AppliedVersion {
  readonly version: string;
  readonly additions: readonly Addition[];
}

/** A contact's record in a newer version: its counts, until when they are remembered, what it replaces. */
export interface VersionWrite extends AppliedVersion {
  readonly contactId: string;
  readonly expiresAt: Date;
  /** The version stored when the run was built; none when the contact had none. */
  readonly replaces?: string;
}

/**
 * Consecutive records of one stream shard written at once: their counter additions summed per row, the
 * contact versions they leave, and the shard's mark moved from `after` to `through` (the sequence number of
 * the last record). Written only while the mark is still `after`, so a run is in the figures whole or not at
 * all, and a record at or before the mark is never counted again.
 */
export interface ShardRun {
  readonly shard: string;
  readonly after?: string;
  readonly through: string;
  readonly versions: readonly VersionWrite[];
  /** Counter additions (`add` and `caseStatus`), one per row. */
  readonly additions: readonly Effect[];
}

/** One record of a run as the batch sees it: its id (the sequence number), additions, contact version. */
export interface RunRecord {
  readonly id: string;
  readonly additions: readonly Effect[];
  readonly version?: { readonly contactId: string; readonly version: string; readonly expiresAt: Date };
}

export type RunOutcome = 'applied' | 'replaced' | 'stale';

/** A run as built, before the shard and its mark are known: which records it holds and what each did. */
export interface BuiltRun {
  readonly first: string;
  readonly through: string;
  readonly outcomes: readonly RunOutcome[];
  readonly versions: readonly VersionWrite[];
  readonly additions: readonly Effect[];
}

/** Whether Kinesis sequence number `a` comes after `b` (decimal strings without leading zeros). */
export function sequenceAfter(a: string, b: string | undefined): boolean {
  if (b === undefined) return true;
  return a.length !== b.length ? a.length > b.length : a > b;
}

const rowOf = (e: Effect) =>
  e.op === 'add'
    ? `${e.scope.dimension}|${e.scope.id}|${e.scope.channel}|${e.period}|${e.start}`
    : e.op === 'caseStatus'
      ? `case|${e.departmentId}|${e.status}`
      : undefined;

/** How many rows `effects` touch that `rows` does not hold yet. */
const newRowsOf = (effects: readonly Effect[], rows: ReadonlyMap<string, Effect>) =>
  new Set(effects.map(rowOf).filter((r) => r !== undefined && !rows.has(r))).size;

/** Additions summed into one per row (counters that sum to nothing left out). */
function sumRows(rows: ReadonlyMap<string, Effect>): Effect[] {
  const out: Effect[] = [];
  for (const e of rows.values())
    if (e.op === 'add') {
      const counters = Object.fromEntries(Object.entries(e.counters).filter(([, v]) => v !== 0));
      if (Object.keys(counters).length) out.push({ ...e, counters });
    } else if (e.op === 'caseStatus' && e.delta !== 0) out.push(e);
  return out;
}

function addInto(rows: Map<string, Effect>, e: Effect): void {
  const row = rowOf(e);
  if (!row) return;
  const current = rows.get(row);
  if (!current) rows.set(row, e.op === 'add' ? { ...e, counters: { ...e.counters } } : e);
  else if (current.op === 'add' && e.op === 'add') {
    const counters = { ...current.counters };
    for (const [name, value] of Object.entries(e.counters) as [keyof typeof counters, number][])
      counters[name] = (counters[name] ?? 0) + value;
    rows.set(row, { ...current, counters });
  } else if (current.op === 'caseStatus' && e.op === 'caseStatus')
    rows.set(row, { ...current, delta: current.delta + e.delta });
}

/**
 * Cuts a shard's pending records (in order, each after the shard's mark) into runs of at most `limit` writes
 * each (the mark, one per contact version, one per counter row). A contact's newer version adds the
 * difference from the one before it (stored, or earlier in the batch); one not newer is stale and adds
 * nothing. Pure: what the runs write follows from the records and the versions stored.
 */
export function buildRuns(
  records: readonly RunRecord[],
  stored: ReadonlyMap<string, AppliedVersion>,
  limit: number,
): BuiltRun[] {
  const runs: BuiltRun[] = [];
  // Each contact's newest version so far (the runs written, and the current one), and as the runs before the
  // current one leave it (what the current run's write replaces).
  const known = new Map(stored);
  const committed = new Map(stored);
  let rows = new Map<string, Effect>();
  let versions = new Map<string, VersionWrite>();
  let outcomes: RunOutcome[] = [];
  let first: string | undefined;
  let through: string | undefined;
  const close = () => {
    if (first === undefined || through === undefined) return;
    runs.push({ first, through, outcomes, versions: [...versions.values()], additions: sumRows(rows) });
    for (const v of versions.values()) committed.set(v.contactId, v);
    rows = new Map();
    versions = new Map();
    outcomes = [];
    first = through = undefined;
  };
  for (const record of records) {
    let contribution: readonly Effect[] = record.additions;
    let newer: Omit<VersionWrite, 'replaces'> | undefined;
    let outcome: RunOutcome = 'applied';
    if (record.version) {
      const { contactId, version, expiresAt } = record.version;
      const current = known.get(contactId);
      if (current && !isNewerVersion(version, current.version)) outcome = 'stale';
      else {
        const additions = record.additions.filter((e): e is Addition => e.op === 'add');
        // The difference is the same whether or not a run closes before it: `known` holds both.
        contribution = contributionDiff(current?.additions ?? [], additions);
        newer = { contactId, version, additions, expiresAt };
        if (current) outcome = 'replaced';
      }
    }
    if (outcome === 'stale') {
      // Nothing to write: it joins the run it falls in, so that it is reported with it.
      first ??= record.id;
      outcomes.push(outcome);
      continue;
    }
    const writes = 1 + versions.size + rows.size;
    const extra = newRowsOf(contribution, rows) + (newer && !versions.has(newer.contactId) ? 1 : 0);
    if (through !== undefined && writes + extra > limit) close();
    // A run holds at least one record: one that alone needs more writes than a run may hold cannot be written.
    if (through === undefined && 1 + (newer ? 1 : 0) + newRowsOf(contribution, new Map()) > limit)
      throw new Error(`record ${record.id} needs more writes than a run holds (${limit})`);
    first ??= record.id;
    through = record.id;
    for (const e of contribution) addInto(rows, e);
    if (newer) {
      const replaces = committed.get(newer.contactId)?.version;
      const write = { ...newer, ...(replaces ? { replaces } : {}) };
      versions.set(write.contactId, write);
      known.set(write.contactId, write);
    }
    outcomes.push(outcome);
  }
  if (through !== undefined) close();
  else if (first !== undefined)
    // Only stale records: nothing to write, but reported as such.
    runs.push({ first, through: first, outcomes, versions: [], additions: [] });
  return runs;
}
