import { CASE_STATUSES, isClosed, type Case, type CaseStatus } from './case';
import { forEachConcurrently } from './concurrency';
import { expiring, recordsHeld, type HoldStore } from './legal-hold';
import type { Clock } from './ports';
import { cutoffOf, endOfTerm, ttlOf, type RetentionSchedule } from './retention';
import { RETENTION_BY, RETENTION_KINDS, type RetentionKind } from './retention-kinds';
import type { SubjectRecord, SubjectStore } from './subject-access';

const CLOSED_STATUSES = CASE_STATUSES.filter(isClosed);

/** Where the sweep finds closed cases and ends them, and keeps its reports. */
export interface RetentionStore {
  /** Cases of a department in a (closed) status created before `createdBefore`, oldest first, by pages. */
  closedCases(
    status: CaseStatus,
    departmentId: string,
    createdBefore: string,
  ): AsyncIterable<readonly Case[]>;
  /**
   * Ends a case's record: its contacts and notes deleted; its audit events deleted, or given the expiry
   * `auditUntil` (epoch seconds) when the history outlives the case; the case item deleted last, and only if
   * still at its version. `retired: false` when the case changed meanwhile: the next run looks again.
   */
  retireCase(found: Case, auditUntil: number | undefined): Promise<{ retired: boolean; records: number }>;
  saveReport(report: RetentionReport): Promise<void>;
  /** The report of the run on a local date, if there was one. */
  report(date: string): Promise<RetentionReport | undefined>;
}

export interface RetentionReport {
  /** The local date of the run, and when it started and ended. */
  readonly date: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The schedule in force: each kind's term and how it is enforced. */
  readonly schedule: Readonly<Record<RetentionKind, { readonly days: number; readonly by: string }>>;
  readonly cases: {
    /** Closed cases old enough to look at (created before the term's start). */
    readonly examined: number;
    /** Ended: past their term since closure. */
    readonly retired: number;
    /** Past their term, kept by a legal hold. */
    readonly held: number;
    /** Past their term but changed while the sweep ran, or failed: left for the next run. */
    readonly deferred: number;
  };
  /** Records deleted with the cases (contacts, notes, audit events, the case items). */
  readonly recordsDeleted: number;
  readonly holds: {
    readonly active: number;
    /** Expiries set aside on records written since their hold (the hold took off those there before). */
    readonly expiriesSetAside: number;
  };
  readonly failures: number;
  readonly firstFailure?: string;
}

export interface SweepDeps {
  readonly store: RetentionStore;
  readonly holds: HoldStore;
  readonly subjects: SubjectStore;
  readonly schedule: RetentionSchedule;
  readonly departments: readonly string[];
  readonly clock: Clock;
  /** The deployment's local date of an instant. */
  readonly localDate: (at: Date) => string;
  /** Reports how many cases were examined so far. */
  readonly progress?: (examined: number) => void;
}

/**
 * The daily retention sweep, for the records whose end no TTL can know when they are written. A closed case
 * is ended once its term has passed since its closure (its history, when the schedule keeps that longer, goes
 * by TTL at its own term), unless a legal hold covers the case or its citizen. Every hold's records written
 * since the hold have their expiry set aside, so TTL removes nothing a hold covers. The run's report is kept;
 * a case that fails is counted and left for the next run, which repeats nothing already done.
 */
export async function sweepRetention(deps: SweepDeps): Promise<RetentionReport> {
  const { schedule, store, clock } = deps;
  const startedAt = clock.now();
  let failures = 0;
  let firstFailure: string | undefined;
  const fail = (error: unknown) => {
    failures++;
    firstFailure ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  };

  const holds = await deps.holds.active();
  const heldCitizens = new Set(holds.filter((h) => h.scope === 'citizen').map((h) => h.citizenId));
  const heldCases = new Set(holds.filter((h) => h.scope === 'case').map((h) => h.target));
  let expiriesSetAside = 0;
  const collected = new Map<string, readonly SubjectRecord[]>();
  for (const hold of holds)
    try {
      if (!collected.has(hold.citizenId))
        collected.set(hold.citizenId, (await deps.subjects.collect(hold.citizenId)) ?? []);
      expiriesSetAside += await deps.holds.keep(expiring(recordsHeld(hold, collected.get(hold.citizenId)!)));
    } catch (error) {
      fail(error);
    }

  const cutoff = cutoffOf(startedAt, schedule.case.days);
  const auditOutlives = schedule.auditEvent.days > schedule.case.days;
  let examined = 0;
  let retired = 0;
  let held = 0;
  let deferred = 0;
  let recordsDeleted = 0;
  for (const departmentId of deps.departments)
    for (const status of CLOSED_STATUSES)
      for await (const page of store.closedCases(status, departmentId, cutoff.toISOString()))
        await forEachConcurrently(page, 4, async (found) => {
          examined++;
          // Created before the cutoff, but closed after it: not yet.
          if (endOfTerm(found.updatedAt, schedule.case.days) > startedAt) return;
          if (heldCases.has(found.ticket) || heldCitizens.has(found.citizenId)) {
            held++;
            return;
          }
          try {
            const done = await store.retireCase(
              found,
              auditOutlives ? ttlOf(found.updatedAt, schedule.auditEvent.days) : undefined,
            );
            recordsDeleted += done.records;
            if (done.retired) retired++;
            else deferred++;
          } catch (error) {
            deferred++;
            fail(error);
          }
        }).then(() => deps.progress?.(examined));

  const report: RetentionReport = {
    date: deps.localDate(startedAt),
    startedAt: startedAt.toISOString(),
    finishedAt: clock.now().toISOString(),
    schedule: Object.fromEntries(
      RETENTION_KINDS.map((kind) => [kind, { days: schedule[kind].days, by: RETENTION_BY[kind] }]),
    ) as RetentionReport['schedule'],
    cases: { examined, retired, held, deferred },
    recordsDeleted,
    holds: { active: holds.length, expiriesSetAside },
    failures,
    ...(firstFailure ? { firstFailure } : {}),
  };
  await store.saveReport(report);
  return report;
}
