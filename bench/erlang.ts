import { loadConfig } from '../shared/config/load';
import { erlangExpected, simulateErlangCase, type ErlangCase } from '../local/simulator/erlang-check';
import { progress, report, round } from './harness';

const REPLICATIONS = 6;
const CONTACTS = 150_000;

/**
 * The simulator against Erlang C: exponential arrivals and handle times, callers who never give up, six seeded
 * replications of 150,000 contacts each on one queue; the service level and the average speed of answer against
 * the formulas'.
 */
export async function run(): Promise<void> {
  const topic = loadConfig('config/city-hall').catalogue.onLines[0]!;
  for (const c of [
    { perHour: 300, handleSeconds: 180, agents: 20, targetSeconds: 20 },
    { perHour: 160, handleSeconds: 180, agents: 10, targetSeconds: 20 },
  ] satisfies ErlangCase[]) {
    const expected = erlangExpected(c);
    const runs: Awaited<ReturnType<typeof simulateErlangCase>>[] = [];
    for (let seed = 1; seed <= REPLICATIONS; seed++) {
      progress(`erlang ${c.perHour}/h on ${c.agents} agents: replication ${seed} of ${REPLICATIONS}…`);
      runs.push(await simulateErlangCase(c, topic, seed, CONTACTS));
    }
    const mean = (key: 'serviceLevel' | 'serviceLevel3' | 'asa') =>
      runs.reduce((a, r) => a + r[key], 0) / runs.length;
    const occupancy = ((c.perHour / 3600) * c.handleSeconds) / c.agents;
    report({
      name: `erlang.${c.agents}_agents.service_level_error`,
      value: round(mean('serviceLevel') - expected.serviceLevel, 4),
      unit: 'fraction',
      goal: '|x| <= 0.02',
      simulated: round(mean('serviceLevel'), 4),
      erlang_c: round(expected.serviceLevel, 4),
      occupancy: round(occupancy, 2),
      contacts: REPLICATIONS * CONTACTS,
    });
    report({
      name: `erlang.${c.agents}_agents.asa_relative_error`,
      value: round((mean('asa') - expected.asa) / expected.asa, 4),
      unit: 'fraction',
      goal: '|x| <= 0.02',
      simulated_s: round(mean('asa'), 2),
      erlang_c_s: round(expected.asa, 2),
      replications_s: runs.map((r) => round(r.asa, 2)),
    });
  }
}
