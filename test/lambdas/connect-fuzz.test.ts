import fc from 'fast-check';
import { DomainError } from '../../shared/domain/errors';
import { generateTicket } from '../../shared/domain/ticket';
import { DeadlineExceededError } from '../../shared/runtime/deadline';
import { fixture, loadConnectHandlers, type Fixture, type Handler } from '../support/connect';
import { inconsistencies } from '../support/consistency';

/* eslint-disable @typescript-eslint/no-explicit-any -- the point is events of any shape */

const FIXTURES: Fixture[] = [
  'voice-inbound-docs',
  'voice-transferred-api',
  'chat-web-captured',
  'chat-sms',
  'chat-whatsapp',
  'task',
  'email',
];
const OUTCOMES = new Set(['OK', 'NOT_FOUND', 'INVALID_TICKET', 'UNVERIFIED', 'INVALID_INPUT']);

const oddText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\u202e+507',
    '٦٠٠٠١٢٣٤',
    '＋５０７６０００１２３４',
    'null',
    'undefined',
    '{}',
    '🙂'.repeat(50),
  ),
  fc.integer({ min: 1, max: 200_000 }).map((n) => 'x'.repeat(n)),
);
const phone = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('+50760001234', '+50760002345', '6000-3456', '+507 6000 4567') },
  fc.constantFrom(
    '+50760001234',
    '+50760002345',
    '6000-3456',
    '+507 6000 4567',
    '+1234567890',
    '+190011112222',
    'anonymous',
  ),
  fc.stringMatching(/^\+?[0-9 ()-]{0,24}$/),
  oddText,
);
const ticket = fc.oneof(
  fc.integer().map((seed) => generateTicket(() => ((seed >>> 0) % 1000) / 1000)),
  fc.stringMatching(/^[0-9 -]{0,14}$/),
  oddText,
);
const wellFormed = fc.record(
  {
    topic: fc.constantFrom('complaint', 'payment-plan', 'plate-renewal', 'birth-certificate'),
    ticket,
    request: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), oddText),
    language: fc.constantFrom('es', 'en', 'fr', ''),
    document: fc.constantFrom('8-123-456', '4 567 890', 'PE-1-2'),
  },
  { requiredKeys: ['topic'] },
);
const anyParameters = fc.dictionary(
  fc.constantFrom(
    'topic',
    'request',
    'ticket',
    'document',
    'documentType',
    'email',
    'language',
    'channelSubtype',
    'other',
  ),
  fc.oneof(
    fc.constantFrom(
      'complaint',
      'payment-plan',
      'plate-renewal',
      'es',
      'en',
      'CEDULA',
      '8-123-456',
      'a@b.co',
    ),
    ticket,
    oddText,
  ),
);
const parameters = fc.oneof({ weight: 3, arbitrary: wellFormed }, { weight: 1, arbitrary: anyParameters });
const wrongValue = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
  oddText,
);
const field = fc.constantFrom(
  'Details',
  'Details.ContactData',
  'Details.ContactData.ContactId',
  'Details.ContactData.InitialContactId',
  'Details.ContactData.Channel',
  'Details.ContactData.CustomerEndpoint',
  'Details.ContactData.CustomerEndpoint.Address',
  'Details.ContactData.Attributes',
  'Details.ContactData.LanguageCode',
  'Details.ContactData.SegmentAttributes',
  'Details.Parameters',
  'Name',
);

function set(target: any, path: string, value: unknown, remove: boolean) {
  const keys = path.split('.');
  let at = target;
  for (const key of keys.slice(0, -1)) {
    if (at == null || typeof at !== 'object') return;
    at = at[key];
  }
  if (at == null || typeof at !== 'object') return;
  if (remove) delete at[keys.at(-1)!];
  else at[keys.at(-1)!] = value;
}

const event = fc
  .record({
    base: fc.constantFrom(...FIXTURES),
    contactId: fc.oneof(fc.uuid(), fc.constantFrom('retry-1', 'retry-2', 'retry-3')),
    phone: fc.option(phone),
    parameters,
    mutations: fc.oneof(
      { weight: 2, arbitrary: fc.constant([]) },
      {
        weight: 1,
        arbitrary: fc.array(fc.record({ field, value: wrongValue, remove: fc.boolean() }), {
          minLength: 1,
          maxLength: 2,
        }),
      },
    ),
  })
  .map(({ base, contactId, phone, parameters, mutations }) => {
    const e = fixture(base);
    e.Details.ContactData.ContactId = contactId;
    e.Details.ContactData.InitialContactId = contactId;
    if (phone !== null) e.Details.ContactData.CustomerEndpoint = { Address: phone, Type: 'TELEPHONE_NUMBER' };
    e.Details.Parameters = parameters;
    for (const m of mutations) set(e, m.field, m.value, m.remove);
    return e;
  });

/** Generated events per run: each is one function call on DynamoDB Local. */
const RUNS = 3500;

describe('Connect functions under generated events', () => {
  it('answer a valid STRING_MAP with an outcome, or throw a typed error, and never leave a partial write', async () => {
    const store = await loadConnectHandlers();
    const handlers: Handler[] = [store.lookup, store.createCase, store.status];
    const silence = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let answered = 0;
    let thrown = 0;
    /** Case intakes that passed validation: answered OK, or stopped by a time limit on the way to the store. */
    let reachedStore = 0;
    const tally: Record<string, number> = {};
    try {
      await fc.assert(
        fc.asyncProperty(event, fc.nat(2), async (e, which) => {
          let result: unknown;
          try {
            result = await handlers[which]!(e);
          } catch (error) {
            thrown++;
            // A domain error, or the time limits at work: the function's own deadline, or the SDK giving up
            // on a DynamoDB Local slowed by the suites running beside this one.
            const timedOut =
              error instanceof DeadlineExceededError || (error as Error).name === 'TimeoutError';
            expect(error instanceof DomainError || timedOut).toBe(true);
            if (timedOut && which === 1) reachedStore++;
            return;
          }
          answered++;
          tally[
            (result as Record<string, string>).outcome + ((result as Record<string, string>).result ?? '')
          ] =
            (tally[
              (result as Record<string, string>).outcome + ((result as Record<string, string>).result ?? '')
            ] ?? 0) + 1;
          if (which === 1 && (result as Record<string, string>).outcome === 'OK') reachedStore++;
          expect(typeof result).toBe('object');
          const map = result as Record<string, unknown>;
          expect(Object.values(map).every((v) => typeof v === 'string')).toBe(true);
          expect(OUTCOMES.has(map.outcome as string)).toBe(true);
          expect(Buffer.byteLength(JSON.stringify(map))).toBeLessThan(32_000);
        }),
        { numRuns: RUNS },
      );
    } finally {
      silence.mockRestore();
    }
    expect(answered + thrown).toBe(RUNS);
    expect(answered).toBeGreaterThan(RUNS * 0.8);
    // The generated traffic reaches the store, not only the validators: a good part of the ~1,200 intakes
    // (however many a busy machine's time limits stopped there), both new cases and contacts appended.
    expect(reachedStore).toBeGreaterThan(RUNS * 0.08);
    expect(tally.OKcreated ?? 0).toBeGreaterThan(10);
    expect(tally.OKappended ?? 0).toBeGreaterThan(10);
    expect(await inconsistencies(store.doc, store.names)).toEqual([]);
  }, 300_000);
});
