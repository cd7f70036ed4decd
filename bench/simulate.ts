import { loadConfig } from '../shared/config/load';
import { localTarget, simulate } from '../local/simulator/run';
import { startLocalBackEnd } from '../local/back-end';
import { progress, report, round, type BenchOptions } from './harness';

/** One working day on a fresh local back end, as fast as the machine allows; its figures as reported. */
async function day(contacts: number, agents: number) {
  const backEnd = await startLocalBackEnd({
    configDir: 'config/city-hall',
    port: 0,
    tablePrefix: `bench-sim-${contacts}-`,
    logLevel: 'CRITICAL',
  });
  try {
    let tenth = -1;
    const result = await simulate(localTarget(backEnd, loadConfig('config/city-hall')), {
      contacts,
      agents,
      hours: 8,
      speed: Infinity,
      seed: 10_000,
      settleMs: 60_000,
      // Callback contacts end too: the count may pass the contacts planned.
      onProgress: ({ ended, total }) => {
        if (Math.min(10, Math.floor((ended / total) * 10)) > tenth) {
          tenth = Math.min(10, Math.floor((ended / total) * 10));
          progress(`  ${contacts} contacts: ${tenth * 10}% of the day`);
        }
      },
    });
    const { mismatches, ...figures } = result;
    const label = contacts % 1000 === 0 ? `${contacts / 1000}k` : String(contacts);
    report({
      name: `simulate.${label}.contacts_per_s`,
      value: result.contactsPerSecond,
      unit: 'contacts/s',
      ...figures,
    });
    report({
      name: `simulate.${label}.lost`,
      value: result.lost,
      unit: 'contacts',
      metricsMatch: result.metricsMatch,
      mismatches: mismatches.slice(0, 5),
    });
    // The metrics kept pace when they settled in no more time than the contacts took to play.
    const played = result.seconds - result.settleSeconds;
    report({
      name: `simulate.${label}.settle_to_play`,
      value: round(result.settleSeconds / played, 2),
      unit: 'ratio',
      goal: '<= 1',
      playSeconds: round(played, 1),
      settleSeconds: result.settleSeconds,
    });
    return result;
  } finally {
    await backEnd.stop();
  }
}

/**
 * A working day of 10,000 contacts and 300 agents, as fast as the machine allows: flows with the production
 * functions on DynamoDB Local, routing, the stream to kinesalite, the aggregator, and the check that the
 * stored metrics equal the simulator's ground truth. With `--simulate-contacts N` (and `--simulate-agents`),
 * a larger day after it, and the ratio of their times against the ratio of their sizes.
 */
export async function run(options: BenchOptions = {}): Promise<void> {
  const small = await day(10_000, 300);
  const contacts = options.simulateContacts;
  if (!contacts || contacts <= 10_000) return;
  const large = await day(contacts, options.simulateAgents ?? Math.round((300 * contacts) / 10_000));
  report({
    name: `simulate.time_ratio_to_10k`,
    value: round(large.seconds / small.seconds, 2),
    unit: 'ratio',
    goal: `<= ${round((contacts / 10_000) * 1.1, 1)}`,
    contacts,
  });
}
