import { QueueMap } from '../../shared/domain/departments';
import {
  inboundTextFlow,
  inboundVoiceFlow,
  statusLineFlow,
  customerQueueFlow,
  type FlowTargets,
} from '../../infra/flows/contact-flows';
import { readFileSync } from 'node:fs';
import { DEPLOY_ONLY_BLOCK_TYPES, ENGINE_BLOCK_TYPES } from '../../infra/flows/flow-language';
import { botDefinition } from '../../infra/flows/lex-bot';
import { runContact, type FlowEngineDeps } from '../../local/flow-engine';
import { DynamoCaseRepository } from '../../shared/adapters/dynamodb/case-repository';
import { DynamoCitizenRepository } from '../../shared/adapters/dynamodb/citizen-repository';
import { loadConfig } from '../../shared/config/load';
import { phoneIdentity } from '../../shared/domain/identity';
import { loadConnectHandlers } from '../support/connect';

const { deployment, catalogue, calendar } = loadConfig('config/city-hall');
const queue = (department: string) => `local:queue:${department}`;
const targets: FlowTargets = {
  functions: { lookup: 'local:fn:lookup', createCase: 'local:fn:case', status: 'local:fn:status' },
  queues: Object.fromEntries(deployment.departments.map((d) => [d.id, queue(d.id)])),
  generalDepartment: 'general-information',
  customerQueueFlow: 'local:flow:queue',
  statusLineFlow: 'local:flow:status',
  lexAliases: { es: 'local:lex', en: 'local:lex' },
};
const flows = {
  'local:flow:voice': inboundVoiceFlow(deployment, catalogue.entries, targets).flow,
  'local:flow:text': inboundTextFlow(deployment, catalogue.entries, targets).flow,
  'local:flow:status': statusLineFlow(deployment, targets).flow,
  'local:flow:queue': customerQueueFlow(deployment).flow,
};
const TUESDAY_10AM = new Date('2026-11-24T15:00:00Z'); // Panama, UTC-5
const TUESDAY_5PM = new Date('2026-11-24T22:00:00Z'); // Treasury closes at 16:00

let deps: FlowEngineDeps;
let store: Awaited<ReturnType<typeof loadConnectHandlers>>;
let phones = 0;
const phone = () => `+50769${String(++phones).padStart(6, '0')}`;
const withClock = (now: Date) => ({ ...deps, now: () => now });
const quiet = <T>(work: () => Promise<T>) => {
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  return work().finally(() => spy.mockRestore());
};

beforeAll(async () => {
  store = await loadConnectHandlers();
  deps = {
    flows,
    functions: {
      'local:fn:lookup': store.lookup,
      'local:fn:case': store.createCase,
      'local:fn:status': store.status,
    },
    queues: new QueueMap(deployment.departments.map((d) => [queue(d.id), d.id])),
    calendar,
    bot: botDefinition(deployment.languages, catalogue.entries),
    now: () => TUESDAY_10AM,
  };
});

describe('the local flow engine running the generated flows', () => {
  it('takes a caller through language, menu and sub-menu to a case, a ticket read twice and the department queue', async () => {
    const caller = phone();
    const outcome = await quiet(() =>
      runContact(
        withClock(TUESDAY_10AM),
        'local:flow:voice',
        { channel: 'VOICE', phone: caller, keys: ['1', '1', '3'] },
        'call-1',
      ),
    );
    expect(outcome.end).toEqual({ kind: 'queued', queue: queue('tax') });
    const ticket = outcome.attributes.ticket!;
    expect(ticket).toMatch(/^\d{10}$/);
    const readBack = outcome.transcript.find((line) => line.includes('ticket es'))!;
    expect(readBack.split(outcome.attributes.ticketSpoken!).length - 1).toBe(2);
    const cases = new DynamoCaseRepository(store.doc, store.names);
    expect(await cases.byTicket(ticket as never)).toMatchObject({
      topicId: 'payment-plan',
      channel: 'VOICE',
      status: 'OPEN',
    });
  });

  it('still takes a caller who keys a wrong digit three times to a person', async () => {
    const outcome = await quiet(() =>
      runContact(
        withClock(TUESDAY_10AM),
        'local:flow:voice',
        { channel: 'VOICE', phone: phone(), keys: ['1', '7', '7', '7'] },
        'call-2',
      ),
    );
    expect(outcome.transcript.filter((line) => line.includes('no es válida'))).toHaveLength(2);
    expect(outcome.end).toEqual({ kind: 'queued', queue: queue('general-information') });
  });

  it('after hours takes the request as a case and promises a next-business-day follow-up', async () => {
    const outcome = await quiet(() =>
      runContact(
        withClock(TUESDAY_5PM),
        'local:flow:voice',
        { channel: 'VOICE', phone: phone(), keys: ['1', '1', '3'] },
        'call-3',
      ),
    );
    expect(outcome.end).toEqual({ kind: 'disconnected' });
    expect(outcome.attributes.ticket).toMatch(/^\d{10}$/);
    expect(outcome.transcript.some((line) => line.includes('próximo día hábil'))).toBe(true);
  });

  it('on a closed Sunday asks a caller to call back and a writer to write again, never the other way', async () => {
    const SUNDAY_8PM = new Date('2026-11-30T01:00:00Z');
    const sms = await quiet(() =>
      runContact(
        withClock(SUNDAY_8PM),
        'local:flow:text',
        { channel: 'CHAT', subtype: 'connect:SMS', phone: phone(), says: ['agente'] },
        'sms-closed',
      ),
    );
    expect(sms.end).toEqual({ kind: 'disconnected' });
    const written = sms.transcript.join('\n');
    expect(written).toContain('Escríbanos de nuevo en horario de atención');
    expect(written).not.toMatch(/llame|llamar|call/i);
    const call = await quiet(() =>
      runContact(
        withClock(SUNDAY_8PM),
        'local:flow:voice',
        { channel: 'VOICE', phone: phone(), keys: ['2', '0'] },
        'call-closed',
      ),
    );
    expect(call.end).toEqual({ kind: 'disconnected' });
    expect(call.transcript.join('\n')).toContain('Please call during opening hours');
  });

  it('puts a voice call, an SMS and a WhatsApp message from one phone on one topic on one case', async () => {
    const caller = phone();
    const voice = await quiet(() =>
      runContact(
        withClock(TUESDAY_10AM),
        'local:flow:voice',
        { channel: 'VOICE', phone: caller, keys: ['1', '2', '2'] },
        'm-voice',
      ),
    );
    const sms = await quiet(() =>
      runContact(
        withClock(TUESDAY_10AM),
        'local:flow:text',
        { channel: 'CHAT', subtype: 'connect:SMS', phone: caller, says: ['traspaso'] },
        'm-sms',
      ),
    );
    const whatsapp = await quiet(() =>
      runContact(
        withClock(TUESDAY_10AM),
        'local:flow:text',
        { channel: 'CHAT', subtype: 'connect:WhatsApp', phone: caller, says: ['2-2'] },
        'm-wa',
      ),
    );
    expect(new Set([voice.attributes.ticket, sms.attributes.ticket, whatsapp.attributes.ticket]).size).toBe(
      1,
    );
    const cases = new DynamoCaseRepository(store.doc, store.names);
    const contacts = await cases.contacts(voice.attributes.ticket as never);
    expect(contacts.map((c) => c.channel)).toEqual(['VOICE', 'SMS', 'WHATSAPP']);
    const citizen = await new DynamoCitizenRepository(store.doc, store.names.citizens).byIdentity(
      phoneIdentity(caller, 'PA'),
    );
    expect((await cases.byCitizen(citizen!.id)).items).toHaveLength(1);
  });

  it('answers a self-service question without a person and says goodbye', async () => {
    const outcome = await quiet(() =>
      runContact(
        withClock(TUESDAY_10AM),
        'local:flow:voice',
        { channel: 'VOICE', phone: phone(), keys: ['1', '4', '1', '3'] },
        'call-5',
      ),
    );
    expect(outcome.transcript.some((line) => line.includes('Atendemos de lunes a viernes'))).toBe(true);
    expect(outcome.end).toEqual({ kind: 'disconnected' });
  });

  it('runs exactly the block types the validator lets a local flow use: one list', () => {
    // The engine's own dispatch, read from its source: one `case` per block type it runs.
    const source = readFileSync('local/flow-engine.ts', 'utf8');
    const blocks = new Set<string>([...ENGINE_BLOCK_TYPES, ...DEPLOY_ONLY_BLOCK_TYPES]);
    const cases = [...source.matchAll(/case '([A-Za-z]+)':/g)].map((m) => m[1]!).filter((t) => blocks.has(t));
    expect(cases.sort()).toEqual([...ENGINE_BLOCK_TYPES].sort());
    expect(
      ENGINE_BLOCK_TYPES.filter((t) => (DEPLOY_ONLY_BLOCK_TYPES as readonly string[]).includes(t)),
    ).toEqual([]);
  });

  it('names a block type it does not run', async () => {
    const broken = {
      ...flows['local:flow:queue'],
      StartAction: 'x',
      Actions: [{ Identifier: 'x', Type: 'ShowView', Parameters: {}, Transitions: {} }],
    };
    await expect(
      runContact({ ...deps, flows: { broken } }, 'broken', { channel: 'VOICE' }, 'c'),
    ).rejects.toThrow('action "x" has block type ShowView, which the local flow engine does not run');
  });

  it('stores "Timeout" on silence at the ticket line, as Connect does, and asks again instead of looking it up', async () => {
    const asked: string[] = [];
    const watched = {
      ...deps,
      functions: {
        ...deps.functions,
        'local:fn:status': async (event: unknown) => {
          asked.push((event as { Details: { Parameters: { ticket: string } } }).Details.Parameters.ticket);
          return deps.functions['local:fn:status']!(event);
        },
      },
    };
    const outcome = await quiet(() =>
      runContact(
        watched,
        'local:flow:status',
        { channel: 'VOICE', phone: phone(), keys: ['', '0000000000#'] },
        's-1',
      ),
    );
    expect(asked[0]).toBe('0000000000');
    expect(asked).not.toContain('Timeout');
    const prompts = outcome.transcript.filter((line) => line.includes('diez dígitos'));
    expect(prompts.length).toBeGreaterThanOrEqual(2);
    expect(outcome.transcript[outcome.transcript.indexOf(prompts[0]!) + 1]).toBe('> (silence)');
  });

  it('names the action and the path of a reference Connect does not provide, and plays SSML as text', async () => {
    const flow = (text: Record<string, string>) => ({
      Version: '2019-10-30',
      StartAction: 'say',
      Actions: [
        {
          Identifier: 'say',
          Type: 'MessageParticipant',
          Parameters: text,
          Transitions: { NextAction: 'end', Errors: [] },
        },
        { Identifier: 'end', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} },
      ],
    });
    await expect(
      runContact(
        { ...deps, flows: { f: flow({ Text: 'Hola $.Attributes.name, $.Caller.Name' }) } },
        'f',
        { channel: 'VOICE' },
        'r-1',
      ),
    ).rejects.toThrow(
      'action "say" (MessageParticipant) refers to $.Caller.Name, which Connect does not provide',
    );
    const known = await runContact(
      { ...deps, flows: { f: flow({ Text: '$.ContactId $.CustomerEndpoint.Address $.Attributes.unset.' }) } },
      'f',
      { channel: 'VOICE', phone: '+50760001234' },
      'r-2',
    );
    expect(known.transcript[0]).toBe('< r-2 +50760001234 .');
    const ssml = await runContact(
      {
        ...deps,
        flows: { f: flow({ SSML: '<speak>Gracias <break time="1s"/> por llamar, $.ContactId.</speak>' }) },
      },
      'f',
      { channel: 'VOICE' },
      'r-3',
    );
    expect(ssml.transcript[0]).toBe('< Gracias por llamar, r-3.');
  });
});
