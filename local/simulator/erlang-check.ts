import type { LineEntry } from '../../shared/domain/catalogue';
import { seededRandom } from '../../shared/domain/random';
import { simulateDay, type PlannedAgent } from './routing';
import { erlangC } from './staffing';
import type { PlannedContact } from './traffic';

/** One queue as Erlang C models it, and how long the simulator's answers may be waited for. */
export interface ErlangCase {
  /** Contacts an hour (Poisson arrivals). */
  readonly perHour: number;
  /** Mean handle time in seconds (exponential; all talk, no hold nor after-contact work). */
  readonly handleSeconds: number;
  readonly agents: number;
  /** The service level's threshold, in seconds. */
  readonly targetSeconds: number;
}

/** Erlang C's service level (within the target, and within three times it) and average speed of answer. */
export function erlangExpected(c: ErlangCase): { serviceLevel: number; serviceLevel3: number; asa: number } {
  const erlangs = (c.perHour / 3600) * c.handleSeconds;
  const wait = erlangC(erlangs, c.agents);
  const within = (seconds: number) =>
    1 - wait * Math.exp(-((c.agents - erlangs) * seconds) / c.handleSeconds);
  return {
    serviceLevel: within(c.targetSeconds),
    serviceLevel3: within(3 * c.targetSeconds),
    asa: (wait * c.handleSeconds) / (c.agents - erlangs),
  };
}

/**
 * The simulator's routing on one queue of the case: `contacts` callers who never give up, served by the case's
 * agents from the start; the service level and average speed of answer it measures, after a warm-up of the
 * first tenth (the day starts with every agent free).
 */
export async function simulateErlangCase(
  c: ErlangCase,
  topic: LineEntry,
  seed: number,
  contacts: number,
): Promise<{ serviceLevel: number; serviceLevel3: number; asa: number; handled: number }> {
  const random = seededRandom(seed);
  const exp = (mean: number) => -Math.log(1 - random()) * mean;
  const queue = 'queue/erlang';
  let t = 0;
  const planned: PlannedContact[] = Array.from({ length: contacts }, (_, index) => {
    t += exp(3600 / c.perHour);
    return {
      index,
      contactId: `erlang-${seed}-${index}`,
      arrival: t,
      medium: 'voice',
      topic,
      language: 'es',
      wantsPerson: true,
      wantsLink: false,
      flowSeconds: 0,
      patienceSeconds: 1e9,
      talkSeconds: exp(c.handleSeconds),
      holdSeconds: 0,
      acceptsCallback: false,
      callbackAnswersOnAttempt: 1,
      afterContactSeconds: 0,
    };
  });
  const profile = { arn: 'arn:profile/erlang', name: 'erlang', queues: [queue] };
  const agents: PlannedAgent[] = Array.from({ length: c.agents }, (_, i) => ({
    agent: { arn: `arn:agent/erlang-${i}`, username: `erlang${i}`, profile },
    loginAt: 0,
    breakSeconds: 0,
  }));
  const outcomes = await simulateDay({
    start: Date.parse('2026-12-01T13:00:00Z'),
    hours: Math.ceil(t / 3600) + 1,
    contacts: planned,
    agents,
    runFlow: async () => ({ queue, attributes: {} }),
    emit: () => undefined,
  });
  const handled = outcomes.filter((o) => o.result === 'handled');
  const waits = handled.filter((o) => o.contact.index >= contacts / 10).map((o) => o.queueSeconds!);
  return {
    serviceLevel: waits.filter((w) => w <= c.targetSeconds).length / waits.length,
    serviceLevel3: waits.filter((w) => w <= 3 * c.targetSeconds).length / waits.length,
    asa: waits.reduce((a, b) => a + b, 0) / waits.length,
    handled: handled.length,
  };
}
