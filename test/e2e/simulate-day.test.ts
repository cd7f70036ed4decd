import { randomUUID } from 'node:crypto';
import { simulate } from '../../infra/local/simulator/run';
import { dropTables } from '../../shared/adapters/dynamodb/setup';
import { dynamoClient } from '../support/dynamo';
import { EVENT_STREAM, startLocalStack } from '../../infra/local/stack';
import { loadConfig } from '../../shared/config/load';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'CRITICAL';
  stack = await startLocalStack({
    configDir: 'config/city-hall',
    dynamoEndpoint: process.env.TEST_DYNAMO_ENDPOINT!,
    tablePrefix: `s${randomUUID().slice(0, 8)}-`,
    port: 0,
  });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  // DynamoDB Local keeps everything in memory: hand it back for the suites after this one.
  if (stack) await dropTables(dynamoClient(), stack.names);
});

describe('npm run simulate on the local back end', () => {
  it('plays 2,000 contacts with 60 agents: none lost, the stored metrics equal the ground truth', async () => {
    const config = loadConfig('config/city-hall');
    const report = await simulate(
      {
        config,
        handlers: stack.handlers,
        kinesis: stack.kinesis,
        stream: EVENT_STREAM,
        metrics: stack.metrics,
      },
      {
        contacts: 2000,
        agents: 60,
        hours: 4,
        speed: Infinity,
        seed: 11,
        date: '2026-11-24',
        settleMs: 30_000,
      },
    );
    expect(report.mismatches).toEqual([]);
    expect(report).toMatchObject({ contacts: 2000, agents: 60, lost: 0, metricsMatch: true });
    expect(report.handled + report.abandoned).toBe(report.offered);
    expect(report.offered + report.selfService).toBe(report.contacts);
    expect(report.abandoned).toBeGreaterThan(0);
    expect(report.casesCreated).toBeGreaterThan(500);
    expect(report.casesAppended).toBeGreaterThan(50);
    expect(report.serviceLevel).toBeGreaterThan(0);
    expect(report.serviceLevel).toBeLessThan(1);
    // The cases are real: every one created is counted open, through the cases table's stream.
    const live = await stack.metrics.live(new Date());
    const open = Object.values(live.cases).reduce((n, byStatus) => n + (byStatus.OPEN ?? 0), 0);
    expect(open).toBe(report.casesCreated);
  }, 300_000);
});
