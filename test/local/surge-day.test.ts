import { DynamoSurgeStore } from '../../shared/adapters/dynamodb/surge-store';
import { loadConfig } from '../../shared/config/load';
import { departmentLoads, runSurgeRule, type QueueLoad } from '../../shared/domain/surge';
import { simulateDay } from '../../local/simulator/routing';
import { planAgents, spreadAgents } from '../../local/simulator/run';
import { planDay } from '../../local/simulator/traffic';
import { freshTables } from '../support/dynamo';

const config = loadConfig('config/city-hall');
const rule = config.deployment.surge.rule!;
const START = Date.parse('2026-11-24T13:00:00.000Z');
const departments = config.deployment.departments.map((d) => d.id);

describe('the automatic surge rule over a simulated day', () => {
  it('switches a department on after its queue stays over the levels, and off only once calm long enough', async () => {
    const { doc, names } = await freshTables();
    const store = new DynamoSurgeStore(doc, names.metrics, departments);
    // A morning peak on too few agents: the queues build up, then drain in the afternoon.
    const contacts = planDay({
      contacts: 1500,
      hours: 5,
      seed: 11,
      runId: 's',
      catalogue: config.catalogue.onLines,
    }).map((c) => ({ ...c, patienceSeconds: c.patienceSeconds * 4 }));
    const agents = planAgents(spreadAgents(14, config), config, 5, 's', 11);
    const minutes: { at: number; load: Map<string, QueueLoad>; on: Set<string> }[] = [];
    const switches: { at: number; department: string; on: boolean }[] = [];
    await simulateDay({
      start: START,
      hours: 5,
      contacts,
      agents,
      runFlow: async (c) =>
        c.topic.needsPerson || c.wantsPerson
          ? { queue: `queue/${c.topic.department}`, attributes: {} }
          : { attributes: {} },
      emit: () => undefined,
      every: {
        seconds: 60,
        run: async (at, queues) => {
          const live = {
            at: new Date(at).toISOString(),
            queues: departments.map((d) => {
              const q = queues(`queue/${d}`);
              return {
                queue: `queue/${d}`,
                department: d,
                waiting: q.size,
                callbacksWaiting: 0,
                oldestWaitSeconds: q.oldestContactAge,
              };
            }),
          };
          const report = await runSurgeRule({ rule, store, live, departments });
          for (const d of report.switchedOn) switches.push({ at, department: d, on: true });
          for (const d of report.switchedOff) switches.push({ at, department: d, on: false });
          const on = new Set((await store.board()).filter((s) => s.on).map((s) => s.scope));
          minutes.push({ at, load: departmentLoads(live, departments), on });
        },
      },
    });
    const over = (l: QueueLoad) =>
      l.contactsInQueue > rule.on.contactsInQueue || l.oldestContactSeconds > rule.on.oldestContactSeconds;
    const calm = (l: QueueLoad) =>
      l.contactsInQueue <= rule.off.contactsInQueue &&
      l.oldestContactSeconds <= rule.off.oldestContactSeconds;

    expect(switches.filter((s) => s.on).length).toBeGreaterThan(0);
    expect(switches.filter((s) => !s.on).length).toBeGreaterThan(0);
    for (const s of switches) {
      const i = minutes.findIndex((m) => m.at === s.at);
      const before = (n: number) =>
        minutes.slice(Math.max(0, i - n + 1), i + 1).map((m) => m.load.get(s.department)!);
      if (s.on) {
        // On only after `onMinutes` looks over the levels in a row.
        expect(
          before(rule.onMinutes + 1)
            .slice(-rule.onMinutes - 1)
            .slice(1)
            .every(over),
        ).toBe(true);
      } else {
        // Off only after `offMinutes` calm looks in a row.
        expect(
          before(rule.offMinutes + 1)
            .slice(1)
            .every(calm),
        ).toBe(true);
      }
    }
    // Hysteresis: while on, a look between the two levels never switches it off; no switch within a few minutes
    // of the one before for the same department.
    for (const d of departments) {
      const mine = switches.filter((s) => s.department === d);
      mine.slice(1).forEach((s, i) => expect(s.on).toBe(!mine[i]!.on));
      for (let i = 1; i < mine.length; i++)
        expect(mine[i]!.at - mine[i - 1]!.at).toBeGreaterThanOrEqual(rule.onMinutes * 60_000);
    }
    const between = minutes.filter((m, i) =>
      departments.some(
        (d) => i > 0 && minutes[i - 1]!.on.has(d) && !calm(m.load.get(d)!) && !over(m.load.get(d)!),
      ),
    );
    expect(between.length).toBeGreaterThan(0);
    for (const m of between)
      for (const d of departments)
        if (!calm(m.load.get(d)!) && !over(m.load.get(d)!) && minutes[minutes.indexOf(m) - 1]!.on.has(d))
          expect(m.on.has(d)).toBe(true);
    // Every change of state audited, with the rule as its author and the figures as its reason.
    const log = await store.log(new Date(START).toISOString(), new Date(START + 6 * 3600_000).toISOString());
    expect(log).toHaveLength(switches.length);
    expect(log.every((e) => e.by === 'rule' && String(e.reason).includes('waiting'))).toBe(true);
  });
});
