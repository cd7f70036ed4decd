import { loadConfig } from '../../shared/config/load';
import { agentsNeeded, erlangC, serviceLevel } from '../../local/simulator/staffing';
import { planAgents, simulatedDay, staffForDay, UNDERSTAFFED_SHARE } from '../../local/simulator/run';
import { planDay } from '../../local/simulator/traffic';

/** Erlang C straight from its textbook form (factorials and a sum), to check the recurrence against. */
function erlangCByTheBook(a: number, n: number): number {
  let factorial = 1;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    if (k > 0) factorial *= k;
    sum += a ** k / factorial;
  }
  const top = (a ** n / (factorial * n)) * (n / (n - a));
  return top / (sum + top);
}

const config = loadConfig('config/city-hall');

describe('staffing by Erlang C', () => {
  it.each([
    [2, 3],
    [10, 11],
    [10, 13],
    [24.5, 30],
    [60, 70],
  ])('gives the probability of waiting of %p erlangs with %p agents as the textbook formula', (a, n) => {
    expect(erlangC(a, n)).toBeCloseTo(erlangCByTheBook(a, n), 10);
  });

  it('needs the fewest agents that reach the target, and one fewer does not', () => {
    // 360 contacts an hour, 4 minutes each (24 erlangs), 80 % within 20 s.
    const perSecond = 360 / 3600;
    const n = agentsNeeded(perSecond, 240, 0.8, 20);
    expect(serviceLevel(perSecond, 240, n, 20)).toBeGreaterThanOrEqual(0.8);
    expect(serviceLevel(perSecond, 240, n - 1, 20)).toBeLessThan(0.8);
    expect(n).toBeGreaterThan(24);
    expect(serviceLevel(perSecond, 240, 24, 20)).toBe(0); // no more agents than erlangs: the queue never empties
  });

  it('staffs each department for its busiest hour, and the understaffed morning holds back the late shift', () => {
    const { start } = simulatedDay(config, '2026-11-27');
    const contacts = planDay({
      contacts: 4000,
      hours: 8,
      seed: 2,
      runId: 's',
      catalogue: config.catalogue.onLines,
    });
    const normal = staffForDay(contacts, config, start);
    const short = staffForDay(contacts, config, start, 'understaffed-morning');
    for (const d of config.deployment.departments) {
      const n = normal.get(d.id)!;
      expect(n.later).toBe(0);
      expect(n.fromOpening).toBeGreaterThan(1);
      const s = short.get(d.id)!;
      expect(s.fromOpening + s.later).toBe(n.fromOpening);
      expect(s.fromOpening).toBe(Math.max(1, Math.round(n.fromOpening * UNDERSTAFFED_SHARE)));
    }
    const agents = planAgents(short, config, 8, 's', 2);
    const late = agents.filter((a) => a.loginAt > 0);
    expect(late.length).toBe([...short.values()].reduce((sum, s) => sum + s.later, 0));
    expect(Math.min(...late.map((a) => a.loginAt))).toBeGreaterThan(8 * 3600 * 0.4);
  });
});
