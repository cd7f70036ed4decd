import { DynamoCitizenRepository } from '../../shared/adapters/dynamodb/citizen-repository';
import { newCitizen } from '../../shared/domain/citizen';
import { IdentityTakenError, ValidationError } from '../../shared/domain/errors';
import {
  documentIdentity,
  normalizeDocument,
  phoneIdentity,
  emailIdentity,
} from '../../shared/domain/identity';
import { citizenForIdentity } from '../../shared/domain/use-cases';
import { freshTables } from '../support/dynamo';

const NOW = '2026-11-24T14:00:00.000Z';
let repo: DynamoCitizenRepository;
let seq = 0;
const id = () => `cit-${++seq}`;

beforeAll(async () => {
  const { doc, names } = await freshTables();
  repo = new DynamoCitizenRepository(doc, names.citizens, { retentionDays: 730 });
});

describe('citizen store on DynamoDB Local', () => {
  it('creates a citizen and finds them by phone, document and email', async () => {
    const phone = phoneIdentity('6000-1234', 'PA');
    const email = emailIdentity('Ana.Perez@Example.org');
    const doc = normalizeDocument('CEDULA', '8-123-456');
    const citizen = newCitizen(
      { givenNames: 'Ana María', surnames: 'Pérez-Núñez', document: doc, identities: [phone, email] },
      id(),
      NOW,
    );
    await repo.create(citizen);
    expect(await repo.byIdentity(phoneIdentity('+507 6000 1234', 'PA'))).toEqual(citizen);
    expect(await repo.byIdentity(documentIdentity(normalizeDocument('cedula', '8 123 456')))).toEqual(
      citizen,
    );
    expect(await repo.byIdentity(emailIdentity('ana.perez@example.org'))).toEqual(citizen);
    expect(await repo.byIdentity(phoneIdentity('6000-9999', 'PA'))).toBeUndefined();
  });

  it('refuses an identity that belongs to someone else, naming the owner, and writes nothing', async () => {
    const first = newCitizen(
      { surnames: 'Gómez', identities: [phoneIdentity('6111-0000', 'PA')] },
      id(),
      NOW,
    );
    await repo.create(first);
    const second = newCitizen(
      { surnames: 'Ruiz', identities: [emailIdentity('ruiz@example.org'), phoneIdentity('6111-0000', 'PA')] },
      id(),
      NOW,
    );
    await expect(repo.create(second)).rejects.toEqual(new IdentityTakenError('PHONE', first.id));
    expect(await repo.byId(second.id)).toBeUndefined();
    expect(await repo.byIdentity(emailIdentity('ruiz@example.org'))).toBeUndefined();
  });

  it('turns 50 concurrent first contacts from one phone into one citizen', async () => {
    const phone = phoneIdentity('6222-3333', 'PA');
    const deps = { citizens: repo, clock: { now: () => new Date(NOW) }, newId: id };
    const results = await Promise.all(Array.from({ length: 50 }, () => citizenForIdentity(deps, phone)));
    const ids = new Set(results.map((r) => r.citizen.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect((await repo.byIdentity(phone))?.id).toBe([...ids][0]);
  });

  it('searches surnames accent-, case- and punctuation-insensitively, paginated in name order', async () => {
    const names = [
      ['Luis', 'Núñez Castillo'],
      ['Ana', 'Nuñez-Barrios'],
      ['Zoe', 'NUNEZ barrios'],
      ['Bea', 'Nunezca'],
      ['Carla', 'Ortega Núñez'],
    ];
    for (const [given, surnames] of names)
      await repo.create(
        newCitizen({ givenNames: given, surnames, identities: [emailIdentity(`${given}@x.org`)] }, id(), NOW),
      );

    const all = await repo.bySurname('nunez');
    expect(all.items.map((c) => c.givenNames)).toEqual(['Ana', 'Zoe', 'Luis']);
    const narrowed = await repo.bySurname('NÚÑEZ-barr');
    expect(narrowed.items.map((c) => c.givenNames)).toEqual(['Ana', 'Zoe']);

    const first = await repo.bySurname('Núñez', { limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.cursor).toBeDefined();
    const second = await repo.bySurname('Núñez', { limit: 2, cursor: first.cursor });
    expect(second.items.map((c) => c.givenNames)).toEqual(['Luis']);
  });

  it('rejects a forged cursor and a bad page size as validation errors', async () => {
    await expect(repo.bySurname('Nunez', { cursor: 'not-a-cursor' })).rejects.toThrow(ValidationError);
    await expect(repo.bySurname('Nunez', { limit: 0 })).rejects.toThrow(
      'limit: must be a whole number from 1 to 100',
    );
    await expect(repo.bySurname('-')).rejects.toThrow('surname: must have at least 2 letters');
  });

  it('records a contact once per ContactId and lists the timeline newest first', async () => {
    const citizen = await repo.create(
      newCitizen({ identities: [phoneIdentity('6333-4444', 'PA')] }, id(), NOW),
    );
    const contact = (contactId: string, at: string, channel: 'VOICE' | 'SMS' | 'WHATSAPP') => ({
      contactId,
      initialContactId: contactId,
      citizenId: citizen.id,
      channel,
      at,
    });
    expect(await repo.appendContact(contact('k-1', '2026-11-20T10:00:00.000Z', 'VOICE'))).toBe(true);
    expect(await repo.appendContact(contact('k-2', '2026-11-22T10:00:00.000Z', 'SMS'))).toBe(true);
    expect(await repo.appendContact(contact('k-3', '2026-11-21T10:00:00.000Z', 'WHATSAPP'))).toBe(true);
    // A retry, even with a later time, is the same contact.
    expect(await repo.appendContact(contact('k-2', '2026-11-22T10:00:05.000Z', 'SMS'))).toBe(false);

    const timeline = await repo.contacts(citizen.id);
    expect(timeline.items.map((c) => c.contactId)).toEqual(['k-2', 'k-3', 'k-1']);
    const page = await repo.contacts(citizen.id, { limit: 1 });
    expect(page.items.map((c) => c.channel)).toEqual(['SMS']);
  });
});
