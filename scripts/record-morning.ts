/**
 * Records the morning of traffic the metrics tests replay: `npx tsx scripts/record-morning.ts`.
 * Writes test/fixtures/stream/morning-600.json: the stream payloads in delivery order, the ground truth of
 * every contact, and each agent's final state. Deterministic: the same seed writes the same file.
 */
import { writeFileSync } from 'node:fs';
import { morning } from '../test/support/morning';

const day = morning(600, 7);
writeFileSync(
  'test/fixtures/stream/morning-600.json',
  `${JSON.stringify({
    note: 'A recorded morning: 600 contacts (voice and chat, four queues, answers, abandons, transfers, some still waiting), 20 agents (logins, breaks, logouts).',
    end: day.end.toISOString(),
    payloads: day.payloads,
    truth: day.truth.map((c) => ({ ...c, enqueuedAt: c.enqueuedAt.toISOString() })),
    agentStates: day.agentStates,
  })}\n`,
);
process.stdout.write(`recorded ${day.payloads.length} payloads, ${day.truth.length} contacts\n`);
