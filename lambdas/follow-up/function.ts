import { DynamoFollowUpStore } from '../../shared/adapters/dynamodb/follow-up-store';
import { followUpDeps, runFollowUps, type FollowUpSink } from '../../shared/domain/follow-up';
import { need, type Runtime } from '../../shared/runtime/runtime';

/** Some follow-up tasks could not be started: the run is retried, and alarmed when the retries fail too. */
export class FollowUpIncompleteError extends Error {
  constructor(
    readonly failed: number,
    readonly firstFailure: string | undefined,
  ) {
    super(
      `${failed} follow-up task(s) could not be started (${firstFailure ?? 'error'}); the run will be retried`,
    );
    this.name = 'FollowUpIncompleteError';
  }
}

/**
 * The daily follow-up, started every morning by EventBridge Scheduler: for each department that works today,
 * overdue cases and unsettled self-service requests become Connect tasks on the department's queue, at most
 * once per case per day; a second run the same day creates nothing new.
 */
export function makeFollowUpHandler(runtime: Runtime, ports: { sink: FollowUpSink }) {
  const { config, logger } = runtime;
  const store = new DynamoFollowUpStore(runtime.doc, need(runtime.settings, 'casesTable'));
  const deps = followUpDeps(config, store, ports.sink, runtime.clock.now);
  const departments = config.deployment.departments.map((d) => d.id);
  return async () => {
    const report = await runFollowUps(deps, departments);
    const logged = { ...report, closedDepartments: report.closedDepartments.join(',') };
    if (report.failed) {
      // The run fails so that the schedule retries it (the tasks created are remembered and skipped) and,
      // after its retries, the dead-letter queue and the error alarm say so.
      logger.error('follow-up incomplete', logged);
      throw new FollowUpIncompleteError(report.failed, report.firstFailure);
    }
    logger.info('follow-up done', logged);
    return report;
  };
}
