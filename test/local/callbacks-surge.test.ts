import { QueueMap } from '../../shared/domain/departments';
import { TUESDAY_10AM } from '../support/business-hour';
import {
  inboundVoiceFlow,
  customerQueueFlow,
  statusLineFlow,
  type FlowTargets,
} from '../../infra/flows/contact-flows';
import { botDefinition } from '../../infra/flows/lex-bot';
import { runContact, type Caller, type FlowEngineDeps } from '../../local/flow-engine';
import { DynamoSurgeStore } from '../../shared/adapters/dynamodb/surge-store';
import { loadConfig } from '../../shared/config/load';
import { switchSurge } from '../../shared/domain/surge';
import { loadConnectHandlers } from '../support/connect';

const { deployment, catalogue, calendar } = loadConfig('config/city-hall');
const queue = (department: string) => `local:queue:${department}`;
const targets: FlowTargets = {
  functions: {
    message: 'local:fn:message',
    consent: 'local:fn:consent',
    lookup: 'local:fn:lookup',
    createCase: 'local:fn:case',
    status: 'local:fn:status',
    callbacks: 'local:fn:callbacks',
  },
  queues: Object.fromEntries(deployment.departments.map((d) => [d.id, queue(d.id)])),
  generalDepartment: 'general-information',
  customerQueueFlow: 'local:flow:queue',
  statusLineFlow: 'local:flow:status',
};
const flows = {
  'local:flow:voice': inboundVoiceFlow(deployment, catalogue.onLines, targets).flow,
  'local:flow:status': statusLineFlow(deployment, targets).flow,
  'local:flow:queue': customerQueueFlow(deployment).flow,
};
const LONG = { size: deployment.callbacks!.offerWhen.contactsInQueue + 4, oldestContactAge: 30 };
const OLD = { size: 1, oldestContactAge: deployment.callbacks!.offerWhen.oldestContactSeconds + 1 };
const CALM = { size: 1, oldestContactAge: 10 };
const PAYMENT_PLAN = ['1', '1', '3']; // Spanish, tax, payment plan (a person)
/** A number on record is offered to prove who it is first: 2 goes on without. */
const PAYMENT_PLAN_KNOWN = ['2', '1', '3'];
const PROPERTY_TAX = ['1', '1', '1']; // Spanish, tax, property tax (self-service)

let store: Awaited<ReturnType<typeof loadConnectHandlers>>;
let phones = 0;
let contacts = 0;
const phone = () => `+50768${String(++phones).padStart(6, '0')}`;
const engine = (load: { size: number; oldestContactAge: number }): FlowEngineDeps => ({
  flows,
  functions: {
    'local:fn:lookup': store.lookup,
    'local:fn:case': store.createCase,
    'local:fn:status': store.status,
    'local:fn:callbacks': store.callbacks,
  },
  queues: new QueueMap(deployment.departments.map((d) => [queue(d.id), d.id])),
  calendar,
  bot: botDefinition(deployment.languages, catalogue.onLines),
  now: () => TUESDAY_10AM,
  queueMetrics: () => load,
});
const call = async (load: { size: number; oldestContactAge: number }, caller: Omit<Caller, 'channel'>) => {
  const contactId = `cb-${process.pid}-${++contacts}`;
  // The functions log each answer: not in the test's output.
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return {
      contactId,
      ...(await runContact(engine(load), 'local:flow:voice', { channel: 'VOICE', ...caller }, contactId)),
    };
  } finally {
    spy.mockRestore();
  }
};
const said = (transcript: readonly string[], text: string) => transcript.some((line) => line.includes(text));

beforeAll(async () => {
  store = await loadConnectHandlers();
});

describe('queued callbacks on the voice line', () => {
  it('are offered when the queue is long or its oldest contact old, never when it is calm', async () => {
    for (const load of [LONG, OLD]) {
      const offered = await call(load, { phone: phone(), keys: [...PAYMENT_PLAN, '2'] });
      expect(said(offered.transcript, 'Para que le llamemos sin perder su turno')).toBe(true);
      expect(offered.attributes.callbackOffered).toBe('true');
      expect(offered.end).toEqual({ kind: 'queued', queue: queue('tax') });
      expect(offered.callback).toBeUndefined();
    }
    const calm = await call(CALM, { phone: phone(), keys: PAYMENT_PLAN });
    expect(said(calm.transcript, 'sin perder su turno')).toBe(false);
    expect(calm.attributes.callbackOffered).toBeUndefined();
    expect(calm.end).toEqual({ kind: 'queued', queue: queue('tax') });
  });

  it('create a callback contact in the department queue for the caller, who hears the last digits and may hang up', async () => {
    const caller = phone();
    const outcome = await call(LONG, { phone: caller, keys: [...PAYMENT_PLAN, '1', '1'] });
    expect(outcome.callback).toEqual({
      queue: queue('tax'),
      number: caller,
      initialDelaySeconds: deployment.callbacks!.initialDelaySeconds,
      maxAttempts: deployment.callbacks!.maxAttempts,
      retryDelaySeconds: deployment.callbacks!.retryDelaySeconds,
    });
    expect(outcome.end).toEqual({ kind: 'disconnected' });
    expect(outcome.attributes).toMatchObject({
      callbackRequested: 'true',
      ticket: expect.stringMatching(/^\d{10}$/),
    });
    expect(said(outcome.transcript, `terminado en ${caller.slice(-4).split('').join(' ')}`)).toBe(true);
    // Nothing personal kept on the contact: not the number, not its digits.
    expect(JSON.stringify(outcome.attributes)).not.toContain(caller.slice(-4));
  });

  it('call another number the caller keys, once it is a valid one', async () => {
    const other = '+50761234567';
    const outcome = await call(LONG, {
      phone: phone(),
      keys: [...PAYMENT_PLAN, '1', '2', '12', '61234567#'],
    });
    expect(said(outcome.transcript, 'Ese número no es válido')).toBe(true);
    expect(outcome.callback?.number).toBe(other);
  });

  it('keep one pending per number: a second request hears it is pending and keeps it or cancels it', async () => {
    const caller = phone();
    const first = await call(LONG, { phone: caller, keys: [...PAYMENT_PLAN, '1', '1'] });
    expect(first.callback).toBeDefined();

    const again = await call(LONG, { phone: caller, keys: [...PAYMENT_PLAN_KNOWN, '1'] });
    expect(said(again.transcript, 'Ya tiene una llamada de vuelta pendiente')).toBe(true);
    expect(again.callback).toBeUndefined();
    expect(again.end).toEqual({ kind: 'disconnected' });

    const cancelled = await call(LONG, { phone: caller, keys: [...PAYMENT_PLAN_KNOWN, '2'] });
    expect(said(cancelled.transcript, 'Cancelamos su llamada de vuelta')).toBe(true);
    expect(cancelled.end).toEqual({ kind: 'queued', queue: queue('tax') });
    // Connect is asked to stop the callback contact the first call created.
    expect(store.callbackContacts.cancelled).toContainEqual(
      expect.objectContaining({ previousContactId: first.contactId }),
    );
    // Cancelled: a new request is a new callback.
    const renewed = await call(LONG, { phone: caller, keys: [...PAYMENT_PLAN_KNOWN, '1', '1'] });
    expect(renewed.callback?.number).toBe(caller);
  });

  it('are requested once whatever two calls from one number do at the same moment', async () => {
    const caller = phone();
    const outcomes = await Promise.all(
      [1, 2, 3].map(() => call(LONG, { phone: caller, keys: [...PAYMENT_PLAN, '1', '1', '1'] })),
    );
    expect(outcomes.filter((o) => o.callback)).toHaveLength(1);
  });
});

describe('surge mode', () => {
  it('switched on changes what the next caller hears; switched off restores it', async () => {
    const departments = deployment.departments.map((d) => d.id);
    const surge = new DynamoSurgeStore(store.doc, store.names.metrics, departments);
    const supervisor = { id: 'sup-1', role: 'supervisor' as const };
    const before = await call(CALM, { phone: phone(), keys: PAYMENT_PLAN });
    expect(said(before.transcript, 'muchas llamadas')).toBe(false);

    const on = switchSurge(
      undefined,
      { scope: 'tax', on: true, reason: 'Vencimiento del impuesto', actor: supervisor, at: TUESDAY_10AM },
      departments,
    );
    await surge.put(on, true);
    // The queue is calm, yet the callback comes first; and a topic that needs no person gets its link by SMS.
    const during = await call(CALM, { phone: phone(), keys: [...PAYMENT_PLAN, '1', '1'] });
    expect(said(during.transcript, 'Estamos recibiendo muchas llamadas')).toBe(true);
    expect(during.callback?.queue).toBe(queue('tax'));
    const selfService = await call(CALM, { phone: phone(), keys: PROPERTY_TAX });
    expect(said(selfService.transcript, 'Le enviamos la respuesta y el enlace por mensaje de texto')).toBe(
      true,
    );
    expect(selfService.end).toEqual({ kind: 'disconnected' });
    // Another department is not in surge.
    const vehicles = await call(CALM, { phone: phone(), keys: ['1', '2', '2'] });
    expect(said(vehicles.transcript, 'muchas llamadas')).toBe(false);
    expect(vehicles.end).toEqual({ kind: 'queued', queue: queue('vehicles') });

    const [current] = (await surge.board()).filter((s) => s.scope === 'tax');
    await surge.put(
      switchSurge(
        current,
        { scope: 'tax', on: false, reason: 'Pasó el vencimiento', actor: supervisor, at: TUESDAY_10AM },
        departments,
      ),
      true,
    );
    const after = await call(CALM, { phone: phone(), keys: PAYMENT_PLAN });
    expect(said(after.transcript, 'muchas llamadas')).toBe(false);
    expect(after.end).toEqual({ kind: 'queued', queue: queue('tax') });
    expect(after.transcript).toEqual(
      before.transcript.map((line) =>
        line.replaceAll(before.attributes.ticketSpoken!, after.attributes.ticketSpoken!),
      ),
    );
  });
});
