import { DynamoFollowUpStore } from '../../shared/adapters/dynamodb/follow-up-store';
import { followUpDeps, runFollowUps, type FollowUpSink } from '../../shared/domain/follow-up';
import { need, type Runtime } from '../../shared/runtime/runtime';

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
    logger.info('follow-up done', { ...report, closedDepartments: report.closedDepartments.join(',') });
    return report;
  };
}
