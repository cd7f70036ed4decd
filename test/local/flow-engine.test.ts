import { QueueMap } from '../../shared/domain/departments';
import { TUESDAY_10AM } from '../support/business-hour';
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
import { newCitizen } from '../../shared/domain/citizen';
import { normalizeDocument, phoneIdentity } from '../../shared/domain/identity';
import { parseTicket } from '../../shared/domain/ticket';
import { answerCase, connectEvent, loadConnectHandlers } from '../support/connect';

const { deployment, catalogue, calendar } = loadConfig('config/city-hall');
const queue = (department: string) => `local:queue:${department}`;
const targets: FlowTargets = {
  functions: {
    lookup: 'local:fn:lookup',
    createCase: 'local:fn:case',
    status: 'local:fn:status',
    message: 'local:fn:message',
    consent: 'local:fn:consent',
  },
  queues: Object.fromEntries(deployment.departments.map((d) => [d.id, queue(d.id)])),
  generalDepartment: 'general-information',
  customerQueueFlow: 'local:flow:queue',
  statusLineFlow: 'local:flow:status',
  lexAliases: { es: 'local:lex', en: 'local:lex' },
};
const flows = {
  'local:flow:voice': inboundVoiceFlow(deployment, catalogue.onLines, targets).flow,
  'local:flow:text': inboundTextFlow(deployment, catalogue.onLines, targets).flow,
  'local:flow:status': statusLineFlow(deployment, targets).flow,
  'local:flow:queue': customerQueueFlow(deployment).flow,
};
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
    bot: botDefinition(deployment.languages, catalogue.onLines),
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

  describe('a caller whose number is on record', () => {
    /** Ana, on record with her phone and document, with a case whose answer waits to be told. */
    async function anaWithAnAnswer() {
      const caller = phone();
      const n = String(phones).padStart(4, '0');
      await new DynamoCitizenRepository(store.doc, store.names.citizens).create(
        newCitizen(
          {
            givenNames: 'Anabel',
            surnames: 'Quirós',
            identities: [phoneIdentity(caller, 'PA')],
            document: normalizeDocument('CEDULA', `8-${n}-77`),
            language: 'es',
          },
          `ana-${n}`,
          TUESDAY_10AM.toISOString(),
        ),
      );
      const made = await quiet(() =>
        store.createCase(
          connectEvent('voice-inbound-docs', { phone: caller, parameters: { topic: 'payment-plan' } }),
        ),
      );
      const ticket = parseTicket(made.ticket!);
      const cases = new DynamoCaseRepository(store.doc, store.names);
      const citizens = new DynamoCitizenRepository(store.doc, store.names.citizens);
      const deps = { cases, citizens, clock: { now: () => TUESDAY_10AM } };
      await answerCase(deps, ticket, 'Su plan de pagos fue aprobado.');
      return { caller, ticket, document: `8${n}77`, cases };
    }
    // Her name, that she has a request open and on what (topic names alone are the public menu), the answer.
    const PERSONAL = ['Anabel', 'Quirós', 'abierta sobre', 'aprobado'];
    const heard = (transcript: readonly string[]) =>
      transcript.filter((line) => line.startsWith('<')).join('\n');

    it('hears no name, topic or answer without proving who they are, on the phone and in writing', async () => {
      const { caller, ticket, cases } = await anaWithAnAnswer();
      const call = await quiet(() =>
        runContact(
          withClock(TUESDAY_10AM),
          'local:flow:voice',
          { channel: 'VOICE', phone: caller, keys: ['2', '0'] },
          'v-1',
        ),
      );
      const sms = await quiet(() =>
        runContact(
          withClock(TUESDAY_10AM),
          'local:flow:text',
          { channel: 'CHAT', subtype: 'connect:SMS', phone: caller, says: ['arreglo de pago'] },
          'v-2',
        ),
      );
      const whatsapp = await quiet(() =>
        runContact(
          withClock(TUESDAY_10AM),
          'local:flow:text',
          { channel: 'CHAT', subtype: 'connect:WhatsApp', phone: caller, says: ['agente'] },
          'v-3',
        ),
      );
      // The ticket line, straight: it asks for the document before any ticket.
      const line = await quiet(() =>
        runContact(
          withClock(TUESDAY_10AM),
          'local:flow:status',
          { channel: 'VOICE', phone: caller, keys: ['', '', ''] },
          'v-4',
        ),
      );
      for (const contact of [call, sms, whatsapp, line])
        for (const secret of PERSONAL) expect(heard(contact.transcript)).not.toContain(secret);
      expect(call.transcript.join('\n')).toContain('primero confirme su identidad');
      expect(line.transcript.join('\n')).toContain('documento de identidad');
      expect(line.transcript.join('\n')).not.toContain('diez dígitos');
      for (const contact of [call, sms, whatsapp, line]) expect(contact.attributes.verified).not.toBe('true');
      expect((await cases.byTicket(ticket))?.status).toBe('PENDING_COMMUNICATION');
    });

    it('hears their name, their open case and its answer once they key the document on record', async () => {
      const { caller, ticket, document, cases } = await anaWithAnAnswer();
      const call = await quiet(() =>
        runContact(
          withClock(TUESDAY_10AM),
          'local:flow:voice',
          { channel: 'VOICE', phone: caller, keys: ['1', `${document}#`, '1', '0'] },
          'v-5',
        ),
      );
      const said = heard(call.transcript);
      expect(said).toContain('Gracias, Anabel');
      expect(said).toContain('solicitud abierta sobre Arreglo de pago');
      expect(said).toContain('Su plan de pagos fue aprobado.');
      // The agent's screen pop shows the caller verified; the answer was told, so the case is communicated.
      expect(call.attributes.verified).toBe('true');
      expect(call.end).toEqual({ kind: 'queued', queue: queue('general-information') });
      expect((await cases.byTicket(ticket))?.status).toBe('COMMUNICATED');
    });

    it('is sent to a person after three wrong documents, having heard nothing', async () => {
      const { caller, ticket, cases } = await anaWithAnAnswer();
      const call = await quiet(() =>
        runContact(
          withClock(TUESDAY_10AM),
          'local:flow:voice',
          { channel: 'VOICE', phone: caller, keys: ['1', '1111#', '2222#', '3333#'] },
          'v-6',
        ),
      );
      expect(call.transcript.filter((l) => l.includes('no coincide'))).toHaveLength(2);
      expect(heard(call.transcript)).toContain('Un agente le ayudará');
      for (const secret of PERSONAL) expect(heard(call.transcript)).not.toContain(secret);
      expect(call.end).toEqual({ kind: 'queued', queue: queue('general-information') });
      expect(call.attributes.verified).toBe('false');
      expect((await cases.byTicket(ticket))?.status).toBe('PENDING_COMMUNICATION');
    });

    it('on the ticket line, proves who they are, then keys the ticket and hears the answer', async () => {
      const { caller, ticket, document } = await anaWithAnAnswer();
      const line = await quiet(() =>
        runContact(
          withClock(TUESDAY_10AM),
          'local:flow:status',
          { channel: 'VOICE', phone: caller, keys: [`${document}#`, `${ticket}#`] },
          'v-7',
        ),
      );
      expect(heard(line.transcript)).toContain('Su plan de pagos fue aprobado.');
      expect(line.end).toEqual({ kind: 'disconnected' });
    });

    it('stores "Timeout" on silence at the document and the ticket, as Connect does, and asks again instead of looking it up', async () => {
      const { caller, document } = await anaWithAnAnswer();
      const asked: Record<string, string>[] = [];
      const watch = (name: string) => async (event: unknown) => {
        asked.push((event as { Details: { Parameters: Record<string, string> } }).Details.Parameters);
        return deps.functions[name]!(event);
      };
      const watched = {
        ...withClock(TUESDAY_10AM),
        functions: {
          ...deps.functions,
          'local:fn:status': watch('local:fn:status'),
          'local:fn:lookup': watch('local:fn:lookup'),
        },
      };
      const outcome = await quiet(() =>
        runContact(
          watched,
          'local:flow:status',
          { channel: 'VOICE', phone: caller, keys: ['', `${document}#`, '', '0000000000#'] },
          's-1',
        ),
      );
      expect(asked.map((p) => p.verifyDocument ?? p.ticket)).toEqual([document, '0000000000']);
      for (const wording of ['documento de identidad', 'diez dígitos']) {
        const prompts = outcome.transcript.filter((line) => line.includes(wording));
        expect(prompts.length).toBeGreaterThanOrEqual(2);
        expect(outcome.transcript[outcome.transcript.indexOf(prompts[0]!) + 1]).toBe('> (silence)');
      }
    });
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
