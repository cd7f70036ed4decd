import { DynamoHoldStore } from '../../shared/adapters/dynamodb/legal-holds';
import { DynamoRetentionStore } from '../../shared/adapters/dynamodb/retention-store';
import { DynamoSubjectStore } from '../../shared/adapters/dynamodb/subject-store';
import { sweepRetention } from '../../shared/domain/retention-sweep';
import { storeTables, type Runtime } from '../../shared/runtime/runtime';

/** Some cases could not be ended: the run is retried (it repeats nothing done), and alarmed if retries fail. */
export class RetentionIncompleteError extends Error {
  constructor(
    readonly failed: number,
    readonly firstFailure: string | undefined,
  ) {
    super(`${failed} record(s) could not be swept (${firstFailure ?? 'error'}); the run will be retried`);
    this.name = 'RetentionIncompleteError';
  }
}

/**
 * The daily retention sweep, started every night by EventBridge Scheduler: closed cases past their term are
 * ended unless a legal hold covers them, and records written since a hold have their expiry set aside. The
 * report is kept (`GET /admin/retention`) and logged, counts only.
 */
export function makeRetentionSweepHandler(
  runtime: Runtime,
  options: { progress?: (examined: number) => void } = {},
) {
  const { config, logger, clock, doc } = runtime;
  const tables = storeTables(runtime);
  const deps = {
    store: new DynamoRetentionStore(doc, tables.cases),
    holds: new DynamoHoldStore(doc, tables),
    subjects: new DynamoSubjectStore(doc, tables),
    schedule: config.deployment.retention,
    departments: config.deployment.departments.map((d) => d.id),
    clock,
    localDate: (at: Date) => config.calendar.local(at).date,
    ...(options.progress ? { progress: options.progress } : {}),
  };
  return async () => {
    const report = await sweepRetention(deps);
    const logged = {
      date: report.date,
      ...report.cases,
      recordsDeleted: report.recordsDeleted,
      holds: report.holds.active,
      expiriesSetAside: report.holds.expiriesSetAside,
      failures: report.failures,
    };
    if (report.failures) {
      logger.error('retention sweep incomplete', { ...logged, firstFailure: report.firstFailure });
      throw new RetentionIncompleteError(report.failures, report.firstFailure);
    }
    logger.info('retention sweep done', logged);
    return report;
  };
}
