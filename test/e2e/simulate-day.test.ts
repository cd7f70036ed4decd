import { randomUUID } from 'node:crypto';
import { localTarget, simulate } from '../../local/simulator/run';
import { dropTables } from '../../shared/adapters/dynamodb/setup';
import { DynamoOutbox } from '../../shared/adapters/dynamodb/outbox';
import { dynamoClient, testDynamoEndpoint } from '../support/dynamo';
import { startLocalBackEnd } from '../../local/back-end';
import { loadConfig } from '../../shared/config/load';

type Stack = Awaited<ReturnType<typeof startLocalBackEnd>>;
let backEnd: Stack;

beforeAll(async () => {
  backEnd = await startLocalBackEnd({
    configDir: 'config/city-hall',
    dynamoEndpoint: testDynamoEndpoint(),
    logLevel: 'CRITICAL',
    tablePrefix: `s${randomUUID().slice(0, 8)}-`,
    port: 0,
  });
}, 60_000);
afterAll(async () => {
  await backEnd?.stop();
  // DynamoDB Local keeps everything in memory: hand it back for the suites after this one.
  if (backEnd) await dropTables(dynamoClient(), backEnd.names);
});

describe('npm run simulate on the local back end', () => {
  it('plays 1,400 contacts with 42 agents: none lost, the stored metrics equal the ground truth', async () => {
    const config = loadConfig('config/city-hall');
    const report = await simulate(localTarget(backEnd, config), {
      contacts: 1400,
      agents: 42,
      hours: 3,
      speed: Infinity,
      seed: 11,
      settleMs: 30_000,
    });
    expect(report.mismatches).toEqual([]);
    expect(report).toMatchObject({ contacts: 1400, agents: 42, lost: 0, metricsMatch: true });
    // Queued: the callers on the line and the callback contacts (when the queue was long, some took one).
    const { callbacks } = report;
    const legs = callbacks.handled + callbacks.failed;
    expect(report.handled + report.abandoned + legs).toBe(report.offered);
    expect(report.offered - legs + report.selfService + callbacks.requested).toBe(report.contacts);
    expect(callbacks.requested).toBe(legs);
    expect(callbacks.offered).toBeGreaterThanOrEqual(callbacks.requested);
    expect(report.abandoned).toBeGreaterThan(0);
    expect(report.casesCreated).toBeGreaterThan(350);
    expect(report.casesAppended).toBeGreaterThan(35);
    expect(report.serviceLevel).toBeGreaterThan(0);
    expect(report.serviceLevel).toBeLessThan(1);
    // The cases are real: every one created is counted through the cases table's stream, open — or resolved
    // when the caller asked self-service for the link, which was texted to them (one message each).
    const counted = async () => {
      const live = await backEnd.metrics.live(new Date());
      const sum = (status: 'OPEN' | 'RESOLVED') =>
        Object.values(live.cases).reduce((n, byStatus) => n + (byStatus[status] ?? 0), 0);
      return { open: sum('OPEN'), resolved: sum('RESOLVED') };
    };
    let cases = await counted();
    for (let i = 0; i < 100 && cases.open + cases.resolved !== report.casesCreated; i++) {
      await new Promise((r) => setTimeout(r, 100));
      cases = await counted();
    }
    expect(cases.open + cases.resolved).toBe(report.casesCreated);
    expect(cases.resolved).toBeGreaterThan(0);
    const links = (await new DynamoOutbox(backEnd.doc, backEnd.names.cases).list(1000)).filter((m) =>
      m.id.endsWith('#link'),
    );
    expect(links).toHaveLength(cases.resolved);
  }, 300_000);
});
