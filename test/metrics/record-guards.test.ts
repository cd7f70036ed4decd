import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import {
  contactEventSchema,
  contactRecordSchema,
  isContactEventShape,
  isContactRecordShape,
} from '../../shared/adapters/connect/stream-records';
import { morning } from '../support/morning';

/* eslint-disable @typescript-eslint/no-explicit-any -- mutating raw payloads */
const base = [
  JSON.parse(readFileSync('test/fixtures/stream/ctr-voice-transferred-with-agent.json', 'utf8')),
  JSON.parse(readFileSync('test/fixtures/stream/contact-event-disconnected-docs.json', 'utf8')),
  JSON.parse(readFileSync('test/fixtures/stream/contact-event-connected-to-agent-docs-2021.json', 'utf8')),
  ...morning(10, 2).payloads.filter((p: any) => !('AgentARN' in p)),
];

const paths = [
  ['ContactId'],
  ['Channel'],
  ['LastUpdateTimestamp'],
  ['NextContactId'],
  ['Queue'],
  ['Queue', 'ARN'],
  ['Queue', 'Duration'],
  ['Queue', 'EnqueueTimestamp'],
  ['Agent'],
  ['Agent', 'ConnectedToAgentTimestamp'],
  ['Agent', 'AgentInteractionDuration'],
  ['id'],
  ['time'],
  ['detail'],
  ['detail', 'eventType'],
  ['detail', 'contactId'],
  ['detail', 'channel'],
  ['detail', 'queueInfo'],
  ['detail', 'queueInfo', 'queueArn'],
  ['detail', 'queueInfo', 'EnqueueTimestamp'],
  ['detail', 'disconnectTimestamp'],
];
const values = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
);

describe('hot-path record guards', () => {
  it('accept and reject exactly what the zod schemas accept and reject', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...base),
        fc.array(fc.tuple(fc.constantFrom(...paths), values), { maxLength: 3 }),
        (payload, edits) => {
          const p = structuredClone(payload);
          for (const [path, value] of edits) {
            let at = p;
            for (const key of path.slice(0, -1)) at = at && typeof at === 'object' ? at[key] : undefined;
            if (at && typeof at === 'object') {
              if (value === undefined) delete at[path.at(-1)!];
              else at[path.at(-1)!] = value;
            }
          }
          expect(isContactRecordShape(p)).toBe(contactRecordSchema.safeParse(p).success);
          expect(isContactEventShape(p)).toBe(contactEventSchema.safeParse(p).success);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
