import { ConnectClient } from '@aws-sdk/client-connect';
import { join } from 'node:path';
import { ConnectTaskSink } from '../../shared/adapters/connect/outbound';
import { DynamoFollowUpStore } from '../../shared/adapters/dynamodb/follow-up-store';
import { readCompiledConfig } from '../../shared/config/compiled';
import { followUpDeps, runFollowUps } from '../../shared/domain/follow-up';
import { documentClientFromEnv } from '../../shared/runtime/dynamodb';
import { ENV, required } from '../../shared/runtime/env';
import { createLogger } from '../../shared/runtime/logger';

/**
 * The daily follow-up, started every morning by EventBridge Scheduler: for each department that works today,
 * overdue cases and unsettled self-service requests become Connect tasks on the department's queue, at most
 * once per case per day; a second run the same day creates nothing new.
 */
const env = process.env;
const config = readCompiledConfig(env[ENV.CONFIG_FILE] ?? join(__dirname, 'config.json'));
const logger = createLogger('follow-up');
const doc = documentClientFromEnv(env, { requestTimeoutMs: 5000 });
const queues = Object.fromEntries(
  (JSON.parse(env[ENV.QUEUE_DEPARTMENTS] ?? '[]') as [string, string][]).map(([arn, dept]) => [dept, arn]),
);
const sink = new ConnectTaskSink(new ConnectClient({}), {
  instanceId: required(env, ENV.CONNECT_INSTANCE_ID),
  flowId: required(env, ENV.FOLLOW_UP_FLOW_ID),
  queues,
});
const deps = followUpDeps(config, new DynamoFollowUpStore(doc, required(env, ENV.CASES_TABLE)), sink);

export const handler = async () => {
  const report = await runFollowUps(
    deps,
    config.deployment.departments.map((d) => d.id),
  );
  logger.info('follow-up done', { ...report, closedDepartments: report.closedDepartments.join(',') });
  return report;
};
