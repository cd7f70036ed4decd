import { randomUUID } from 'node:crypto';
import { apiCaller, loadApiHandler, type ApiCall } from '../support/api';
import { freshTables } from '../support/dynamo';

let call: ApiCall;

beforeAll(async () => {
  const { names } = await freshTables();
  call = apiCaller(await loadApiHandler(names));
});

async function register(body: Record<string, unknown>): Promise<string> {
  const { status, body: out } = await call('/citizens', '[agent]', { method: 'POST', body });
  expect(status).toBe(201);
  return out.citizen.id;
}
const wrapUp = (contactId: string, body: Record<string, unknown>, user = 'agent-3') =>
  call(`/contacts/${contactId}/wrap-up`, '[agent]', { method: 'POST', user, body });
const timeline = async (citizenId: string) => (await call(`/citizens/${citizenId}`, '[agent]')).body.contacts;

describe('after-contact work', () => {
  it('puts a contact the flows never recorded on the citizen’s timeline, with its topic, note and author', async () => {
    const id = await register({ givenNames: 'Lidia', surnames: 'Mora', phone: '6300-0001' });
    const contactId = randomUUID();
    const opened = await call('/cases', '[agent]', {
      method: 'POST',
      body: { citizenId: id, topicId: 'tax-clearance', channel: 'VOICE' },
    });
    const done = await wrapUp(contactId, {
      citizenId: id,
      channel: 'VOICE',
      startedAt: '2026-11-30T10:00:00.000Z',
      topicId: 'tax-clearance',
      ticket: opened.body.ticket,
      note: '  Pide el paz y salvo para un préstamo.  ',
    });
    expect(done.status).toBe(200);
    const [contact] = await timeline(id);
    expect(contact).toMatchObject({
      contactId,
      channel: 'VOICE',
      at: '2026-11-30T10:00:00.000Z',
      ticket: opened.body.ticket,
      wrapUp: {
        topicId: 'tax-clearance',
        note: 'Pide el paz y salvo para un préstamo.',
        by: { id: 'agent-3', role: 'agent' },
      },
    });
    // The case worked during the contact counts it among its contacts.
    const view = await call(`/cases/${opened.body.ticket}`, '[agent]');
    expect(view.body.contacts.filter((c: { contactId: string }) => c.contactId === contactId)).toHaveLength(
      1,
    );
    // A second wrap-up of the same contact replaces the first: one contact, the newer note.
    await wrapUp(contactId, {
      citizenId: id,
      channel: 'VOICE',
      startedAt: contact.at,
      note: 'Corrección.',
      ticket: opened.body.ticket,
    });
    const again = await call(`/cases/${opened.body.ticket}`, '[agent]');
    expect(again.body.contacts.filter((c: { contactId: string }) => c.contactId === contactId)).toHaveLength(
      1,
    );
    const after = await timeline(id);
    expect(after).toHaveLength(1);
    expect(after[0].wrapUp).toMatchObject({ note: 'Corrección.' });
    expect(after[0].wrapUp.topicId).toBeUndefined();
  });

  it('refuses, naming the field, and writes nothing: no topic nor note, an unknown topic, another citizen’s ticket or contact', async () => {
    const id = await register({ givenNames: 'Tomás', surnames: 'Ibarra', phone: '6300-0002' });
    const other = await register({ givenNames: 'Elena', surnames: 'Ruiz', phone: '6300-0003' });
    const base = { citizenId: id, channel: 'CHAT', startedAt: '2026-11-30T11:00:00.000Z' };
    const contactId = randomUUID();
    expect(await wrapUp(contactId, { ...base, note: '   ' })).toMatchObject({
      status: 400,
      body: { field: 'note' },
    });
    expect(await wrapUp(contactId, { ...base, topicId: 'no-such-topic' })).toMatchObject({
      status: 400,
      body: { field: 'topicId' },
    });
    const othersCase = await call('/cases', '[agent]', {
      method: 'POST',
      body: { citizenId: other, topicId: 'payment-plan', channel: 'CHAT' },
    });
    expect(await wrapUp(contactId, { ...base, note: 'x', ticket: othersCase.body.ticket })).toMatchObject({
      status: 400,
      body: { field: 'ticket' },
    });
    expect(await wrapUp('bad id!', { ...base, note: 'x' })).toMatchObject({
      status: 400,
      body: { field: 'contactId' },
    });
    expect(await timeline(id)).toEqual([]);
    // The contact is on Elena's timeline: wrapping it up on Tomás is refused, hers keeps no note.
    await wrapUp(contactId, { ...base, citizenId: other, topicId: 'payment-plan' });
    expect(await wrapUp(contactId, { ...base, note: 'equivocado' })).toMatchObject({
      status: 400,
      body: { field: 'contactId' },
    });
    expect((await timeline(other))[0].wrapUp).toMatchObject({ topicId: 'payment-plan' });
    expect((await timeline(other))[0].wrapUp.note).toBeUndefined();
    expect(await timeline(id)).toEqual([]);
  });
});
