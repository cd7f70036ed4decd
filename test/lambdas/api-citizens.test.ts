import { DynamoCitizenLinks } from '../../shared/adapters/dynamodb/citizen-links';
import { DynamoCitizenRepository } from '../../shared/adapters/dynamodb/citizen-repository';
import { DynamoContactStore } from '../../shared/adapters/dynamodb/contact-store';
import { ConcurrentChangeError } from '../../shared/domain/errors';
import { phoneIdentity } from '../../shared/domain/identity';
import { planMerge } from '../../shared/domain/merge';
import { apiCaller, loadApiHandler, transition, type ApiCall } from '../support/api';
import { freshTables } from '../support/dynamo';

let call: ApiCall;
let links: DynamoCitizenLinks;
let screenPops: DynamoContactStore;
let timeline: DynamoCitizenRepository;

beforeAll(async () => {
  const { doc, names } = await freshTables();
  call = apiCaller(await loadApiHandler(names));
  links = new DynamoCitizenLinks(doc, names);
  screenPops = new DynamoContactStore(doc, names);
  timeline = new DynamoCitizenRepository(doc, names.citizens);
});

const phone = (raw: string) => phoneIdentity(raw, 'PA');
async function register(body: Record<string, unknown>): Promise<string> {
  const { status, body: out } = await call('/citizens', '[agent]', { method: 'POST', body });
  expect(status).toBe(201);
  return out.citizen.id;
}
async function open(citizenId: string, topicId: string, channel = 'VOICE'): Promise<string> {
  const { status, body } = await call('/cases', '[agent]', {
    method: 'POST',
    body: { citizenId, topicId, channel },
  });
  expect(status).toBe(201);
  return body.ticket;
}
const openTickets = async (raw: string) =>
  Object.keys((await screenPops.summary(phone(raw)))?.openCases ?? {}).sort();

describe('citizen identities', () => {
  it('adds a phone to a citizen: found by it, carrying their open cases on its screen pop', async () => {
    const id = await register({ givenNames: 'Rosa', surnames: 'Vega', phone: '6200-0001' });
    const ticket = await open(id, 'payment-plan');
    const unexplained = await call(`/citizens/${id}/identities`, '[agent]', {
      method: 'POST',
      body: { phone: '6200-0002', reason: ' ' },
    });
    expect(unexplained).toMatchObject({ status: 400, body: { field: 'reason' } });
    const added = await call(`/citizens/${id}/identities`, '[agent]', {
      method: 'POST',
      user: 'agent-7',
      body: { phone: '6200-0002', email: 'rosa@example.org', reason: 'mostró su cédula' },
    });
    expect(added.status).toBe(200);
    // Who linked them and why stays with the citizen.
    const view = await call(`/citizens/${id}`, '[agent]');
    expect(view.body.links).toEqual([
      expect.objectContaining({
        actor: { id: 'agent-7', role: 'agent' },
        reason: 'mostró su cédula',
        identities: added.body.added,
      }),
    ]);
    expect(added.body.added.map((i: { kind: string }) => i.kind)).toEqual(['PHONE', 'EMAIL']);
    const found = await call('/citizens', '[agent]', { query: { phone: '6200-0002' } });
    expect(found.body.items.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(await openTickets('6200-0002')).toEqual([ticket]);
    // A case change after the link reaches the new identity's screen pop too.
    const second = await open(id, 'tax-clearance');
    expect(await openTickets('6200-0002')).toEqual([ticket, second].sort());
    expect(await openTickets('6200-0001')).toEqual([ticket, second].sort());
    // Adding it again changes nothing.
    const again = await call(`/citizens/${id}/identities`, '[agent]', {
      method: 'POST',
      body: { phone: '+507 6200 0002', reason: 'otra vez' },
    });
    expect(again.body.added).toEqual([]);
  });

  it("refuses someone else's phone, naming its owner, and a body with nothing to add", async () => {
    const owner = await register({ givenNames: 'Luis', surnames: 'Mora', phone: '6200-0101' });
    const other = await register({ givenNames: 'Ana', surnames: 'Paz', phone: '6200-0102' });
    const taken = await call(`/citizens/${other}/identities`, '[agent]', {
      method: 'POST',
      body: { phone: '6200-0101', reason: 'dijo que es suyo' },
    });
    expect(taken).toMatchObject({ status: 409, body: { code: 'IDENTITY_TAKEN' } });
    expect(taken.body.message).toContain(owner);
    const empty = await call(`/citizens/${other}/identities`, '[agent]', {
      method: 'POST',
      body: { reason: 'nada' },
    });
    expect(empty).toMatchObject({ status: 400, body: { field: 'body' } });
  });

  it('verifies a provisional caller by registering them with their phone: names and document added, not a duplicate', async () => {
    const caller = await register({ phone: '6200-0201' });
    const verified = await call('/citizens', '[agent]', {
      method: 'POST',
      body: {
        givenNames: 'Elena',
        surnames: 'Ríos',
        phone: '6200-0201',
        document: { type: 'CEDULA', number: '8-200-201' },
      },
    });
    expect(verified.body).toMatchObject({
      result: 'verified',
      citizen: { id: caller, givenNames: 'Elena', surnames: 'Ríos', provisional: false },
    });
    const byDocument = await call('/citizens', '[agent]', { query: { document: '8-200-201' } });
    expect(byDocument.body.items.map((c: { id: string }) => c.id)).toEqual([caller]);
    // Another name with that phone is another person: refused.
    const stranger = await call('/citizens', '[agent]', {
      method: 'POST',
      body: { givenNames: 'Pedro', surnames: 'Ríos', phone: '6200-0201', email: 'p@example.org' },
    });
    expect(stranger.body.code).toBe('IDENTITY_TAKEN');
  });

  it('links a new e-mail to a known phone only with the names and document on record, and answers with nothing more', async () => {
    const owner = await register({
      givenNames: 'Inés',
      surnames: 'Castro',
      phone: '6200-0301',
      email: 'ines@example.org',
      document: { type: 'CEDULA', number: '8-300-301' },
    });
    const claim = (extra: Record<string, unknown>) =>
      call('/citizens', '[agent]', {
        method: 'POST',
        body: { phone: '6200-0301', email: 'otra@example.org', ...extra },
      });
    // The names alone are not proof when a document is on record.
    expect((await claim({ givenNames: 'Inés', surnames: 'Castro' })).body.code).toBe('IDENTITY_TAKEN');
    const linked = await claim({
      givenNames: 'ines',
      surnames: 'castro',
      document: { type: 'CEDULA', number: '8-300-301' },
    });
    expect(linked.body).toMatchObject({ result: 'verified', citizen: { id: owner } });
    // The e-mail on record was not in the request: masked. What the request carried is shown as it is.
    const values = linked.body.citizen.identities.map((i: { value: string }) => i.value);
    expect(values).toContain('+50762000301');
    expect(values).toContain('otra@example.org');
    expect(values).toContain('i***@example.org');
    expect(values).not.toContain('ines@example.org');
    const view = await call(`/citizens/${owner}`, '[agent]');
    expect(view.body.links).toEqual([
      expect.objectContaining({
        reason: expect.stringContaining('registration'),
        identities: [expect.objectContaining({ kind: 'EMAIL' })],
      }),
    ]);
  });
});

describe('citizen merge', () => {
  it('merges a duplicate: identities, cases, open-topic guards, screen pops and timeline follow; audited', async () => {
    const survivor = await register({
      givenNames: 'Marta',
      surnames: 'Soto',
      phone: '6300-0001',
      document: { type: 'CEDULA', number: '8-300-1' },
    });
    const duplicate = await register({ phone: '6300-0002' });
    const kept = await open(survivor, 'payment-plan');
    const moved = await open(duplicate, 'tax-clearance', 'SMS');
    const clash = await open(duplicate, 'payment-plan', 'SMS');
    await timeline.appendContact({
      contactId: 'dup-contact-1',
      initialContactId: 'dup-contact-1',
      citizenId: duplicate,
      channel: 'SMS',
      at: new Date().toISOString(),
    });
    const merge = (groups: string, body: unknown) =>
      call(`/citizens/${survivor}/merge`, groups, { method: 'POST', body });

    expect((await merge('[agent]', { duplicateId: duplicate, reason: 'misma persona' })).status).toBe(403);
    expect(await merge('[supervisor]', { duplicateId: duplicate, reason: ' ' })).toMatchObject({
      status: 400,
      body: { field: 'reason' },
    });
    const refused = await merge('[supervisor]', { duplicateId: duplicate, reason: 'misma persona' });
    expect(refused).toMatchObject({ status: 409, body: { code: 'MERGE_CONFLICT' } });
    expect(refused.body.message).toContain(clash);
    expect((await call(`/citizens/${duplicate}`, '[agent]')).body.citizen.mergedInto).toBeUndefined();

    await transition(call, clash, '[supervisor]', { to: 'CANCELLED', reason: 'duplicado' });
    const merged = await merge('[supervisor]', { duplicateId: duplicate, reason: 'misma persona' });
    expect(merged.status).toBe(200);
    expect(merged.body.merge).toMatchObject({ duplicateId: duplicate, actor: { role: 'supervisor' } });
    expect(merged.body.merge.tickets.sort()).toEqual([moved, clash].sort());

    const view = await call(`/citizens/${duplicate}`, '[agent]');
    expect(view.body).toMatchObject({ requestedId: duplicate, citizen: { id: survivor } });
    expect(view.body.cases.map((c: { ticket: string }) => c.ticket).sort()).toEqual(
      [kept, moved, clash].sort(),
    );
    expect(view.body.contacts.map((c: { contactId: string }) => c.contactId)).toContain('dup-contact-1');
    expect(view.body.merges).toHaveLength(1);
    const byPhone = await call('/citizens', '[agent]', { query: { phone: '6300-0002' } });
    expect(byPhone.body.items.map((c: { id: string }) => c.id)).toEqual([survivor]);
    for (const raw of ['6300-0001', '6300-0002'])
      expect(await openTickets(raw)).toEqual([kept, moved].sort());
    // The moved open case keeps its topic guard under the survivor: a second one on that topic is refused.
    const second = await call('/cases', '[agent]', {
      method: 'POST',
      body: { citizenId: survivor, topicId: 'tax-clearance', channel: 'VOICE' },
    });
    expect(second.body.code).toBe('OPEN_CASE_EXISTS');
    // Transitions of a moved case update the survivor's screen pops.
    await transition(call, moved, '[agent]', { to: 'RESOLVED' });
    expect(await openTickets('6300-0002')).toEqual([kept]);
    const twice = await merge('[supervisor]', { duplicateId: duplicate, reason: 'otra vez' });
    expect(twice.body.code).toBe('MERGE_CONFLICT');
  });

  it('refuses two citizens holding different documents', async () => {
    const a = await register({
      surnames: 'Uno',
      phone: '6300-0101',
      document: { type: 'CEDULA', number: '1-1-1' },
    });
    const b = await register({
      surnames: 'Dos',
      phone: '6300-0102',
      document: { type: 'CEDULA', number: '2-2-2' },
    });
    const refused = await call(`/citizens/${a}/merge`, '[admin]', {
      method: 'POST',
      body: { duplicateId: b, reason: 'prueba' },
    });
    expect(refused).toMatchObject({ status: 409, body: { code: 'MERGE_CONFLICT' } });
    const unknown = await call(`/citizens/${a}/merge`, '[admin]', {
      method: 'POST',
      body: { duplicateId: 'nobody', reason: 'prueba' },
    });
    expect(unknown.status).toBe(404);
  });

  it('writes nothing when a screen pop changed between the read and the write', async () => {
    const survivor = await register({ givenNames: 'Iván', surnames: 'Lara', phone: '6300-0201' });
    const duplicate = await register({ phone: '6300-0202' });
    const snapshot = await links.mergeSnapshot(survivor, duplicate);
    const raced = await open(duplicate, 'payment-plan');
    const plan = planMerge(snapshot, {
      actor: { id: 'sup', role: 'supervisor' },
      reason: 'carrera',
      now: new Date().toISOString(),
      id: 'merge-race',
    });
    await expect(links.commitMerge(plan)).rejects.toBeInstanceOf(ConcurrentChangeError);
    const after = await call(`/citizens/${duplicate}`, '[agent]');
    expect(after.body.citizen).toMatchObject({ id: duplicate, version: 1 });
    expect(after.body.cases.map((c: { ticket: string }) => c.ticket)).toEqual([raced]);
    expect(await links.merges(survivor)).toEqual([]);
  });
});
