import { loadConfig } from '../shared/config/load';
import { localTarget, simulate } from '../local/simulator/run';
import { startLocalBackEnd } from '../local/back-end';
import { progress, report } from './harness';

/**
 * A working day of 10,000 contacts and 300 agents, as fast as the machine allows: flows with the production
 * functions on DynamoDB Local, routing, the stream to kinesalite, the aggregator, and the check that the
 * stored metrics equal the simulator's ground truth.
 */
export async function run(): Promise<void> {
  const backEnd = await startLocalBackEnd({
    configDir: 'config/city-hall',
    port: 0,
    tablePrefix: 'bench-sim-',
    logLevel: 'CRITICAL',
  });
  try {
    let tenth = -1;
    const result = await simulate(localTarget(backEnd, loadConfig('config/city-hall')), {
      contacts: 10_000,
      agents: 300,
      hours: 8,
      speed: Infinity,
      seed: 10_000,
      settleMs: 60_000,
      onProgress: ({ ended, total }) => {
        if (Math.floor((ended / total) * 10) > tenth) {
          tenth = Math.floor((ended / total) * 10);
          progress(`  ${tenth * 10}% of the day`);
        }
      },
    });
    const { mismatches, ...figures } = result;
    report({
      name: 'simulate.10k.contacts_per_s',
      value: result.contactsPerSecond,
      unit: 'contacts/s',
      ...figures,
    });
    report({
      name: 'simulate.10k.lost',
      value: result.lost,
      unit: 'contacts',
      metricsMatch: result.metricsMatch,
      mismatches: mismatches.slice(0, 5),
    });
  } finally {
    await backEnd.stop();
  }
}
