import { DynamoMetricsStore } from '../../shared/adapters/dynamodb/metrics-store';
import { DynamoSurgeStore } from '../../shared/adapters/dynamodb/surge-store';
import { QueueMap } from '../../shared/domain/departments';
import { ConfigError } from '../../shared/domain/errors';
import { runSurgeRule } from '../../shared/domain/surge';
import { need, type Runtime } from '../../shared/runtime/runtime';

/**
 * The surge rule, started every minute by EventBridge Scheduler: each department's queues as the live view
 * has them now, against the deployment's levels (`surge.rule`); a department over them long enough goes into
 * surge, one the rule put there comes out once calm long enough. A supervisor's switch is left as it is.
 */
export function makeSurgeRuleHandler(runtime: Runtime) {
  const { deployment } = runtime.config;
  const rule = deployment.surge.rule;
  if (!rule) throw new ConfigError('deployment', 'surge.rule', 'the deployment has no surge rule');
  const table = need(runtime.settings, 'metricsTable');
  const metrics = new DynamoMetricsStore(runtime.doc, table, {
    queues: new QueueMap(runtime.settings.queueDepartments),
  });
  const departments = deployment.departments.map((d) => d.id);
  const store = new DynamoSurgeStore(runtime.doc, table, departments);
  return async () => {
    const live = await metrics.live(runtime.clock.now());
    const report = await runSurgeRule({ rule, store, live, departments });
    if (report.switchedOn.length || report.switchedOff.length)
      runtime.logger.info('surge switched', { ...report, at: live.at });
    return report;
  };
}
