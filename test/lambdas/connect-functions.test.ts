import { DynamoCaseRepository } from '../../shared/adapters/dynamodb/case-repository';
import { DynamoCitizenRepository } from '../../shared/adapters/dynamodb/citizen-repository';
import { parseConnectEvent } from '../../shared/adapters/connect/event';
import { newCitizen } from '../../shared/domain/citizen';
import { normalizeDocument, phoneIdentity } from '../../shared/domain/identity';
import { parseTicket, speakTicket } from '../../shared/domain/ticket';
import {
  answerCase,
  connectEvent,
  fixture,
  loadConnectHandlers,
  type Fixture,
  type Handler,
} from '../support/connect';
import { inconsistencies } from '../support/consistency';

let lookup: Handler;
let createCase: Handler;
let status: Handler;
let citizens: DynamoCitizenRepository;
let cases: DynamoCaseRepository;
let store: Awaited<ReturnType<typeof loadConnectHandlers>>;
let phones = 0;
const newPhone = () => `+5076${String(100_000 + ++phones).padStart(7, '0')}`;
let contacts = 0;
const newContact = () => `verify-${process.pid}-${++contacts}`;

/** A citizen on record with a phone and a document (CEDULA 8-<n>-<n>), and the digits to key for it. */
async function citizenWithDocument(phone: string, extra: Partial<Parameters<typeof newCitizen>[0]> = {}) {
  const number = `8-${phones}-${contacts + 11}`;
  const citizen = newCitizen(
    {
      givenNames: 'Ana María',
      surnames: 'Pérez',
      identities: [phoneIdentity(phone, 'PA')],
      document: normalizeDocument('CEDULA', number),
      language: 'es',
      ...extra,
    },
    `with-doc-${phones}-${contacts}`,
    new Date().toISOString(),
  );
  await citizens.create(citizen);
  return { citizen, keyed: number.replace(/-/g, '') };
}
/** The caller keys a document on the contact (the flow's verification step). */
const verify = (phone: string, contactId: string, verifyDocument: string) =>
  lookup(connectEvent('voice-inbound-docs', { phone, contactId, parameters: { verifyDocument } }));

beforeAll(async () => {
  store = await loadConnectHandlers();
  ({ lookup, createCase, status } = store);
  citizens = new DynamoCitizenRepository(store.doc, store.names.citizens);
  cases = new DynamoCaseRepository(store.doc, store.names);
});

afterAll(async () => {
  expect(await inconsistencies(store.doc, store.names)).toEqual([]);
});

describe('Connect event parsing', () => {
  it.each([
    ['voice-inbound-docs', 'VOICE'],
    ['voice-transferred-api', 'VOICE'],
    ['chat-web-captured', 'CHAT'],
    ['chat-sms', 'SMS'],
    ['chat-whatsapp', 'WHATSAPP'],
    ['task', 'TASK'],
    ['email', 'EMAIL'],
  ] as [Fixture, string][])('reads %s as %s', (name, channel) => {
    expect(parseConnectEvent(fixture(name)).channel).toBe(channel);
  });

  it('keeps the chain of a transferred contact and tolerates a null queue and unknown fields', () => {
    const parsed = parseConnectEvent(fixture('voice-transferred-api'));
    expect(parsed.contactId).toBe('5ca32fbd-8f92-46af-92a5-6b0f970f0efe');
    expect(parsed.initialContactId).toBe('6ca32fbd-8f92-46af-92a5-6b0f970f0efe');
  });

  it('takes a null customer endpoint as no address', () => {
    expect(parseConnectEvent(fixture('chat-web-captured')).customerAddress).toBeUndefined();
  });

  it('takes the contact language from Connect unless the flow says otherwise', () => {
    expect(parseConnectEvent(fixture('chat-sms')).language).toBe('es');
    const event = fixture('chat-sms');
    event.Details.Parameters = { language: 'en' };
    expect(parseConnectEvent(event).language).toBe('en');
  });
});

describe('connect-lookup', () => {
  it('answers found=false for an unknown caller, with every key present', async () => {
    const result = await lookup(connectEvent('voice-inbound-docs', { phone: newPhone() }));
    expect(result).toMatchObject({
      outcome: 'OK',
      found: 'false',
      verified: 'false',
      openCaseCount: '0',
      repeatContact: 'false',
    });
    expect(Object.keys(result).sort()).toEqual(
      [
        'outcome',
        'found',
        'verified',
        'verification',
        'citizenId',
        'firstName',
        'language',
        'openCaseCount',
        'openCaseTicket',
        'openCaseTicketSpoken',
        'openCaseTopic',
        'openCaseStatus',
        'contactsLast7Days',
        'repeatContact',
        'lastChannel',
        // Each department's surge, for the flows (none in surge here).
        'surge_tax',
        'surge_vehicles',
        'surge_civil_registry',
        'surge_general_information',
      ].sort(),
    );
  });

  it('answers found=false for an anonymous web chat and for a number that cannot be a phone', async () => {
    expect(await lookup(connectEvent('chat-web-captured'))).toMatchObject({ outcome: 'OK', found: 'false' });
    // The documentation sample's "+1234567890" is not a possible number.
    expect(await lookup(fixture('voice-inbound-docs'))).toMatchObject({ outcome: 'OK', found: 'false' });
  });

  it('tells a number on record nothing personal; the caller who keys the document on record hears their name and open case', async () => {
    const phone = newPhone();
    const { citizen, keyed } = await citizenWithDocument(phone);
    const first = await createCase(
      connectEvent('chat-sms', { phone, parameters: { topic: 'payment-plan' } }),
    );
    await createCase(connectEvent('voice-inbound-docs', { phone, parameters: { topic: 'payment-plan' } }));

    const unverified = await lookup(connectEvent('chat-whatsapp', { phone }));
    expect(unverified).toEqual({
      outcome: 'OK',
      found: 'true',
      verified: 'false',
      verification: '',
      citizenId: '',
      firstName: '',
      language: 'es',
      openCaseCount: '0',
      openCaseTicket: '',
      openCaseTicketSpoken: '',
      openCaseTopic: '',
      openCaseStatus: '',
      contactsLast7Days: '2',
      repeatContact: 'true',
      lastChannel: 'VOICE',
      surge_tax: 'false',
      surge_vehicles: 'false',
      surge_civil_registry: 'false',
      surge_general_information: 'false',
    });
    // The proof's answer is about the caller only: the surge came with the contact's first lookup.
    const verified = await verify(phone, newContact(), `${keyed}#`);
    const calm = Object.fromEntries(Object.entries(unverified).filter(([k]) => !k.startsWith('surge_')));
    expect(verified).toEqual({
      ...calm,
      verified: 'true',
      verification: 'VERIFIED',
      citizenId: citizen.id,
      firstName: 'Ana',
      openCaseCount: '1',
      openCaseTicket: first.ticket,
      openCaseTicketSpoken: speakTicket(parseTicket(first.ticket!)),
      openCaseTopic: 'Arreglo de pago',
      openCaseStatus: 'OPEN',
    });
  });

  it('counts wrong documents per number and day, and after three sends the number to an agent even with the right one', async () => {
    const phone = newPhone();
    const { keyed } = await citizenWithDocument(phone);
    const contact = newContact();
    expect((await verify(phone, contact, '1111111')).verification).toBe('WRONG');
    expect((await verify(phone, contact, '2222222')).verification).toBe('WRONG');
    const third = await verify(phone, newContact(), '3333333');
    expect(third).toMatchObject({ verification: 'LOCKED', verified: 'false', firstName: '' });
    expect((await verify(phone, newContact(), keyed)).verification).toBe('LOCKED');
    // Another number of the same day is not held by this one's failures.
    const other = newPhone();
    const { keyed: otherKeyed } = await citizenWithDocument(other);
    expect((await verify(other, newContact(), otherKeyed)).verification).toBe('VERIFIED');
  });

  it('cannot verify an unknown number, a citizen without a keyable document, or a document passed in by the flow', async () => {
    expect((await verify(newPhone(), newContact(), '8123456')).verification).toBe('CANNOT_VERIFY');
    const phone = newPhone();
    await citizens.create(
      newCitizen(
        { identities: [phoneIdentity(phone, 'PA')], provisional: true },
        `prov-${phones}`,
        new Date().toISOString(),
      ),
    );
    expect((await verify(phone, newContact(), '8123456')).verification).toBe('CANNOT_VERIFY');
    // Proof is against the number the call comes from: naming a document as well proves nothing.
    const owner = newPhone();
    const { keyed } = await citizenWithDocument(owner);
    const spoofed = await lookup(
      connectEvent('voice-inbound-docs', {
        phone: newPhone(),
        contactId: newContact(),
        parameters: { verifyDocument: keyed, document: keyed },
      }),
    );
    expect(spoofed).toMatchObject({ verification: 'CANNOT_VERIFY', firstName: '' });
  });

  it('finds a web-chat citizen by the document the flow passes, without telling who they are; rejects a malformed one', async () => {
    const phone = newPhone();
    const document = normalizeDocument('CEDULA', `8-${phones}-77`);
    await citizens.create(
      newCitizen(
        { givenNames: 'Luis', surnames: 'Castillo', identities: [phoneIdentity(phone, 'PA')], document },
        `doc-${phones}`,
        new Date().toISOString(),
      ),
    );
    const found = await lookup(
      connectEvent('chat-web-captured', { parameters: { document: `8 ${phones} 77` } }),
    );
    expect(found).toMatchObject({ outcome: 'OK', found: 'true', firstName: '' });
    const bad = await lookup(connectEvent('chat-web-captured', { parameters: { document: '8/1/77' } }));
    expect(bad).toMatchObject({ outcome: 'INVALID_INPUT', field: 'document.number' });
  });

  it('finds a caller by email on the EMAIL channel, and says nothing of their case', async () => {
    const event = connectEvent('email', { parameters: { topic: 'complaint' } });
    const created = await createCase(event);
    expect(created.outcome).toBe('OK');
    const found = await lookup(connectEvent('email'));
    expect(found).toMatchObject({ found: 'true', openCaseTicket: '', openCaseTopic: '' });
  });
});

describe('connect-case', () => {
  it('opens a case for an unknown phone with a provisional citizen, and reads the ticket back', async () => {
    const phone = newPhone();
    const result = await createCase(
      connectEvent('voice-inbound-docs', {
        phone,
        parameters: { topic: 'complaint', request: 'Bache en la calle' },
      }),
    );
    expect(result).toMatchObject({ outcome: 'OK', result: 'created' });
    const ticket = parseTicket(result.ticket!);
    expect(result.ticketSpoken).toBe(speakTicket(ticket));
    const stored = await cases.byTicket(ticket);
    expect(stored).toMatchObject({
      status: 'OPEN',
      topicId: 'complaint',
      departmentId: 'general-information',
      channel: 'VOICE',
      request: 'Bache en la calle',
    });
    const owner = await citizens.byIdentity(phoneIdentity(phone, 'PA'));
    expect(owner).toMatchObject({ id: stored!.citizenId, provisional: true });
  });

  it('puts a voice call, an SMS and a WhatsApp message from one phone on one topic on one case', async () => {
    const phone = newPhone();
    const voice = await createCase(
      connectEvent('voice-inbound-docs', { phone, parameters: { topic: 'plate-renewal' } }),
    );
    const sms = await createCase(connectEvent('chat-sms', { phone, parameters: { topic: 'plate-renewal' } }));
    const whatsapp = await createCase(
      connectEvent('chat-whatsapp', { phone, parameters: { topic: 'plate-renewal' } }),
    );
    expect([voice.result, sms.result, whatsapp.result]).toEqual(['created', 'appended', 'appended']);
    expect(new Set([voice.ticket, sms.ticket, whatsapp.ticket]).size).toBe(1);
    const ticket = parseTicket(voice.ticket!);
    expect((await cases.contacts(ticket)).map((c) => c.channel)).toEqual(['VOICE', 'SMS', 'WHATSAPP']);
    const owner = await citizens.byIdentity(phoneIdentity(phone, 'PA'));
    const timeline = await citizens.contacts(owner!.id);
    expect(timeline.items.map((c) => c.channel).sort()).toEqual(['SMS', 'VOICE', 'WHATSAPP']);
  });

  it('opens a separate case for a different topic', async () => {
    const phone = newPhone();
    const a = await createCase(
      connectEvent('voice-inbound-docs', { phone, parameters: { topic: 'plate-renewal' } }),
    );
    const b = await createCase(
      connectEvent('voice-inbound-docs', { phone, parameters: { topic: 'lost-plate' } }),
    );
    expect(b.result).toBe('created');
    expect(b.ticket).not.toBe(a.ticket);
  });

  it('gives 10 parallel invocations of one contact chain one case, one timeline entry and one ticket', async () => {
    const phone = newPhone();
    const event = connectEvent('voice-inbound-docs', { phone, parameters: { topic: 'tax-clearance' } });
    const results = await Promise.all(Array.from({ length: 10 }, () => createCase(structuredClone(event))));
    expect(new Set(results.map((r) => r.ticket)).size).toBe(1);
    expect(results.every((r) => r.outcome === 'OK')).toBe(true);
    const owner = await citizens.byIdentity(phoneIdentity(phone, 'PA'));
    expect((await citizens.contacts(owner!.id)).items).toHaveLength(1);
    expect((await cases.byCitizen(owner!.id)).items).toHaveLength(1);
    expect(await cases.contacts(parseTicket(results[0]!.ticket!))).toHaveLength(1);
  });

  it('returns the same ticket to a transferred contact of the same chain and writes nothing new', async () => {
    const phone = newPhone();
    const first = connectEvent('voice-inbound-docs', { phone, parameters: { topic: 'birth-certificate' } });
    const original = await createCase(first);
    const transferred = connectEvent('voice-transferred-api', {
      phone,
      initialContactId: first.Details.ContactData.ContactId,
      parameters: { topic: 'birth-certificate' },
    });
    expect(await createCase(transferred)).toEqual(original);
    expect(await cases.contacts(parseTicket(original.ticket!))).toHaveLength(1);
  });

  it('opens a case from a task when the flow names the citizen by document', async () => {
    const result = await createCase(
      connectEvent('task', { parameters: { topic: 'record-correction', document: '9-999-1' } }),
    );
    expect(result).toMatchObject({ outcome: 'OK', result: 'created' });
  });

  it.each([
    [{ topic: 'parks' }, 'topic'],
    [{}, 'topic'],
    [{ topic: 'complaint', request: 'x'.repeat(2001) }, 'request'],
  ])('answers INVALID_INPUT for bad parameters (%#), naming the field', async (parameters, field) => {
    const result = await createCase(connectEvent('voice-inbound-docs', { phone: newPhone(), parameters }));
    expect(result).toMatchObject({ outcome: 'INVALID_INPUT', field });
  });

  it('answers INVALID_INPUT when nothing identifies the caller', async () => {
    const result = await createCase(
      connectEvent('chat-web-captured', { parameters: { topic: 'complaint' } }),
    );
    expect(result).toMatchObject({ outcome: 'INVALID_INPUT', field: 'customer' });
  });

  it("answers INVALID_INPUT, naming the field, for an event that is not shaped like Connect's", async () => {
    expect(await createCase({ hello: 'world' })).toMatchObject({
      outcome: 'INVALID_INPUT',
      field: 'Details',
    });
  });
});

describe('connect-case-status', () => {
  async function caseFor(phone: string, topic = 'property-tax') {
    const created = await createCase(connectEvent('voice-inbound-docs', { phone, parameters: { topic } }));
    return parseTicket(created.ticket!);
  }
  /** A citizen with a case, verified on a contact of their own. */
  async function verifiedOwner(extra: Partial<Parameters<typeof newCitizen>[0]> = {}) {
    const phone = newPhone();
    const { keyed } = await citizenWithDocument(phone, extra);
    const ticket = await caseFor(phone);
    const contactId = newContact();
    expect((await verify(phone, contactId, keyed)).verification).toBe('VERIFIED');
    const ask = (t: string) =>
      status(connectEvent('voice-inbound-docs', { phone, contactId, parameters: { ticket: t } }));
    return { phone, ticket, contactId, ask };
  }

  it('answers INVALID_TICKET for a mistyped ticket, and nothing at all to a caller who has not proved who they are', async () => {
    const phone = newPhone();
    await citizenWithDocument(phone);
    const ticket = await caseFor(phone);
    const typo = ticket.slice(0, 4) + ((Number(ticket[4]) + 1) % 10) + ticket.slice(5);
    expect(
      await status(connectEvent('voice-inbound-docs', { phone, parameters: { ticket: typo } })),
    ).toMatchObject({ outcome: 'INVALID_TICKET' });
    // Their own number, their own ticket: without the document on this contact, nothing.
    expect(await status(connectEvent('voice-inbound-docs', { phone, parameters: { ticket } }))).toEqual({
      outcome: 'UNVERIFIED',
      ticket: '',
      ticketSpoken: '',
      status: '',
      message: '',
      language: 'en',
    });
  });

  it('tells the verified owner the status in their language, keyed with spaces', async () => {
    const { ticket, ask } = await verifiedOwner({ language: 'en' });
    const spaced = `${ticket.slice(0, 3)} ${ticket.slice(3, 6)} ${ticket.slice(6)}`;
    const result = await ask(spaced);
    expect(result).toMatchObject({ outcome: 'OK', status: 'OPEN', ticket, language: 'en' });
    expect(result.message).toContain('registered');
    const inSpanish = await verifiedOwner({ language: 'es' });
    const answer = await inSpanish.ask(inSpanish.ticket);
    expect(answer).toMatchObject({ outcome: 'OK', language: 'es' });
    expect(answer.message).toContain('registrada');
  });

  it("answers someone else's ticket exactly as one that does not exist", async () => {
    const someoneElse = await caseFor(newPhone());
    const { ask } = await verifiedOwner();
    const notTheirs = await ask(someoneElse);
    const missing = await ask('1000000009');
    expect(notTheirs).toEqual({
      outcome: 'NOT_FOUND',
      ticket: '',
      ticketSpoken: '',
      status: '',
      message: '',
      language: 'es',
    });
    expect(missing.outcome === 'INVALID_TICKET' ? notTheirs : missing).toEqual(notTheirs);
  });

  it('reads a waiting answer only to the verified owner, and moves the case to COMMUNICATED exactly once under retries', async () => {
    const { phone, ticket, contactId } = await verifiedOwner();
    const deps = { cases, citizens, clock: { now: () => new Date() } };
    await answerCase(deps, ticket, 'Su deuda es cero.');
    // The same number on another contact, unverified: no answer, and the case still waits.
    const spoofed = await status(connectEvent('voice-inbound-docs', { phone, parameters: { ticket } }));
    expect(spoofed).toMatchObject({ outcome: 'UNVERIFIED', message: '' });
    expect((await cases.byTicket(ticket))?.status).toBe('PENDING_COMMUNICATION');

    const event = connectEvent('voice-inbound-docs', { phone, contactId, parameters: { ticket } });
    const results = await Promise.all(Array.from({ length: 5 }, () => status(structuredClone(event))));
    for (const r of results) {
      expect(r).toMatchObject({ outcome: 'OK', status: 'COMMUNICATED' });
      expect(r.message).toContain('Su deuda es cero.');
    }
    const trail = await cases.audit(ticket);
    expect(trail.map((a) => a.to)).toEqual([
      'OPEN',
      'PENDING_RESPONSE',
      'PENDING_COMMUNICATION',
      'COMMUNICATED',
    ]);
    expect(trail[3]!.actor).toEqual({ id: 'ivr', role: 'ivr' });
    // The case left the caller's screen pop with it.
    expect(await verify(phone, newContact(), '')).toMatchObject({ openCaseCount: '0' });
  });
});
