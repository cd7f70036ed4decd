import { INTERVAL_COUNTERS } from '../../shared/domain/metrics/effects';
import type { ContactOutcome } from './routing';
import { MEDIA } from './traffic';

/** Interval counters the simulator expects, keyed "queue|channel|15m start" and "department|channel|day". */
export type Expected = Map<string, Record<string, number>>;

const FIFTEEN_MIN = 15 * 60_000;

/**
 * The figures Connect's definitions give for the contacts the simulator played, computed from its own
 * ledger (not from the records it emitted): offered = contacts queued, in the interval they were queued in;
 * answered or abandoned; within the service level when they left the queue in less than the threshold;
 * speed of answer = seconds in queue of answered contacts; handle time = talk + hold + after-contact work.
 * Callbacks: offered and requested when the inbound call began; a callback contact is queued like any
 * other, handled once the citizen answered an agent's call, failed when every attempt went unanswered.
 */
export function expectedIntervals(
  outcomes: readonly ContactOutcome[],
  settings: {
    serviceLevelSeconds: number;
    departmentOf: (queue: string) => string | undefined;
    localDate: (at: Date) => string;
  },
): Expected {
  const out: Expected = new Map();
  const add = (key: string, counters: Record<string, number>) => {
    const row = out.get(key) ?? Object.fromEntries(INTERVAL_COUNTERS.map((c) => [c, 0]));
    for (const [name, value] of Object.entries(counters)) row[name] = (row[name] ?? 0) + value;
    out.set(key, row);
  };
  const addAt = (queue: string, channel: string, at: number, counters: Record<string, number>) => {
    const interval = new Date(Math.floor(at / FIFTEEN_MIN) * FIFTEEN_MIN).toISOString();
    add(`queue|${queue}|${channel}|15m|${interval}`, counters);
    const department = settings.departmentOf(queue);
    if (department)
      add(`department|${department}|${channel}|day|${settings.localDate(new Date(at))}`, counters);
  };
  for (const o of outcomes) {
    const channel = MEDIA[o.contact.medium].channel;
    // Offered a callback, or asked for one: counted when the call began, in the queue it was for.
    if (o.callbackOffered)
      addAt(o.callbackOffered.queue, channel, o.callbackOffered.at, {
        callbacksOffered: 1,
        callbacksRequested: o.callbackRequested ? 1 : 0,
      });
    if (!o.queue || o.enqueuedAt === undefined) continue;
    // A callback reached an agent whether or not the citizen answered the agent's call.
    const answered = o.result === 'handled' || o.result === 'callback-failed';
    addAt(o.queue, channel, o.enqueuedAt, {
      offered: 1,
      answered: answered ? 1 : 0,
      // A callback stopped before its turn is not abandoned (Connect leaves queued callbacks out).
      abandoned: answered || o.callback ? 0 : 1,
      withinServiceLevel: o.queueSeconds! < settings.serviceLevelSeconds ? 1 : 0,
      answerSecondsSum: answered ? o.queueSeconds! : 0,
      handled: answered ? 1 : 0,
      handleSecondsSum: answered ? o.handleSeconds! : 0,
      callbacksHandled: o.callback && o.result === 'handled' ? 1 : 0,
      callbacksFailed: o.result === 'callback-failed' ? 1 : 0,
    });
  }
  return out;
}

/** The differences between what was expected and what the store gained, one line each (empty: a match). */
export function differences(
  expected: Expected,
  gained: ReadonlyMap<string, Readonly<Record<string, number>>>,
): string[] {
  const lines: string[] = [];
  for (const [key, counters] of expected) {
    const got = gained.get(key) ?? {};
    for (const [name, value] of Object.entries(counters))
      if ((got[name] ?? 0) !== value)
        lines.push(`${key} ${name}: expected ${value}, stored ${got[name] ?? 0}`);
  }
  for (const [key, counters] of gained)
    if (!expected.has(key) && Object.values(counters).some((v) => v !== 0))
      lines.push(`${key}: stored figures the simulation did not produce`);
  return lines;
}
