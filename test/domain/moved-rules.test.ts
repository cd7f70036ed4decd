import { localDateByMinute, parseInstant } from '../../shared/domain/calendar';
import { newCitizen, type Citizen } from '../../shared/domain/citizen';
import type { ContactRecord } from '../../shared/domain/contact';
import { generalDepartment, QueueMap } from '../../shared/domain/departments';
import { IdentityTakenError, NotFoundError, ValidationError } from '../../shared/domain/errors';
import {
  documentIdentity,
  emailIdentity,
  normalizeDocument,
  phoneIdentity,
} from '../../shared/domain/identity';
import { citizenTimeline, currentCitizen, provesOwner, registerCitizen } from '../../shared/domain/merge';
import { newNote } from '../../shared/domain/notes';
import { parseTicket, generateTicket } from '../../shared/domain/ticket';
import { loadConfig } from '../../shared/config/load';
import { readFileSync } from 'node:fs';
import { callerIdentities, parseConnectEvent } from '../../shared/adapters/connect/event';
import type { Case } from '../../shared/domain/case';
import { parseDeployment } from '../../shared/domain/deployment';
import { dutiesOf, type CaseChange } from '../../shared/domain/notifier';
import { repeatOf } from '../../shared/domain/screen-pop';
import { connectEvent } from '../support/connect';
import { InMemoryCitizens, inMemoryLinks } from '../support/fakes';

const NOW = '2026-11-24T15:00:00.000Z';
const clock = { now: () => new Date(NOW) };
const phone = phoneIdentity('6111-2222', 'PA');

const citizen = (id: string, extra: Partial<Citizen> = {}): Citizen => ({
  ...newCitizen(
    {
      givenNames: 'Ana',
      surnames: 'Pérez',
      identities: [phoneIdentity(`6${id.padStart(3, '0')}-0000`, 'PA')],
    },
    id,
    NOW,
  ),
  ...extra,
});
const contact = (citizenId: string, contactId: string, at: string): ContactRecord => ({
  contactId,
  initialContactId: contactId,
  citizenId,
  channel: 'VOICE',
  at,
});

describe('merge pointers and timelines', () => {
  it('follows merges to the citizen that holds the record now, and refuses a chain that does not end', async () => {
    const citizens = new InMemoryCitizens();
    citizens.put(citizen('1', { mergedInto: '2' }));
    citizens.put(citizen('2', { mergedInto: '3' }));
    citizens.put(citizen('3', { mergedFrom: ['1', '2'] }));
    expect((await currentCitizen(citizens, '1')).id).toBe('3');
    expect((await currentCitizen(citizens, '3')).id).toBe('3');
    await expect(currentCitizen(citizens, 'nobody')).rejects.toBeInstanceOf(NotFoundError);
    // A loop of pointers (corrupted data) is not followed for ever.
    citizens.put(citizen('8', { mergedInto: '9' }));
    citizens.put(citizen('9', { mergedInto: '8' }));
    await expect(currentCitizen(citizens, '8')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('joins the timelines of every id a citizen was merged from, newest first, up to the limit', async () => {
    const citizens = new InMemoryCitizens();
    const survivor = citizen('3', { mergedFrom: ['1'] });
    await citizens.appendContact(contact('3', 'c-3a', '2026-11-24T10:00:00Z'));
    await citizens.appendContact(contact('1', 'c-1a', '2026-11-23T10:00:00Z'));
    await citizens.appendContact(contact('1', 'c-1b', '2026-11-24T12:00:00Z'));
    await citizens.appendContact(contact('7', 'c-7', '2026-11-24T13:00:00Z'));
    expect((await citizenTimeline(citizens, survivor)).map((c) => c.contactId)).toEqual([
      'c-1b',
      'c-3a',
      'c-1a',
    ]);
    expect((await citizenTimeline(citizens, survivor, 2)).map((c) => c.contactId)).toEqual(['c-1b', 'c-3a']);
  });
});

describe('registration that verifies a citizen', () => {
  const setup = () => {
    const citizens = new InMemoryCitizens();
    const links = inMemoryLinks(citizens);
    const deps = { citizens, links, clock };
    return { citizens, deps, links };
  };
  const proof = { actor: { id: 'agent-7', role: 'agent' as const }, reason: 'registration', id: 'link-1' };
  const given = (input: Parameters<typeof newCitizen>[0], id = 'new') => newCitizen(input, id, NOW);

  it('creates a new citizen when no identity is known', async () => {
    const { deps } = setup();
    const out = await registerCitizen(deps, given({ givenNames: 'Luz', identities: [phone] }), {}, proof);
    expect(out).toMatchObject({ result: 'created', citizen: { id: 'new', givenNames: 'Luz' } });
  });

  it('verifies the one owner of the known identities when the names agree, adding the new ones', async () => {
    const { citizens, deps } = setup();
    citizens.put(newCitizen({ identities: [phone], provisional: true }, 'caller', NOW));
    const email = emailIdentity('luz@example.org');
    const document = normalizeDocument('CEDULA', '8-123-456');
    const out = await registerCitizen(
      deps,
      given({ givenNames: 'Luz', surnames: 'Ábrego', identities: [phone, email], document }),
      { givenNames: 'Luz', surnames: 'Ábrego', document },
      proof,
    );
    expect(out.result).toBe('verified');
    expect(out.citizen).toMatchObject({
      id: 'caller',
      givenNames: 'Luz',
      surnames: 'Ábrego',
      provisional: false,
    });
    expect(out.result === 'verified' && out.added.map((i) => i.kind).sort()).toEqual(['DOCUMENT', 'EMAIL']);
  });

  it('refuses when the names contradict the record, or the identities belong to two people', async () => {
    const { citizens, deps } = setup();
    citizens.put(newCitizen({ givenNames: 'Ana', surnames: 'Pérez', identities: [phone] }, 'ana', NOW));
    await expect(
      registerCitizen(deps, given({ givenNames: 'Luz', surnames: 'Pérez', identities: [phone] }), {}, proof),
    ).rejects.toBeInstanceOf(IdentityTakenError);
    const email = emailIdentity('otro@example.org');
    citizens.put(newCitizen({ identities: [email] }, 'other', NOW));
    await expect(
      registerCitizen(deps, given({ givenNames: 'Ana', identities: [phone, email] }), {}, proof),
    ).rejects.toBeInstanceOf(IdentityTakenError);
  });

  it('links a new identity to a known one only with every name and the document on record, and traces who and why', async () => {
    const { citizens, deps, links } = setup();
    const document = normalizeDocument('CEDULA', '8-222-333');
    citizens.put(
      newCitizen({ givenNames: 'Ana', surnames: 'Pérez', identities: [phone], document }, 'ana', NOW),
    );
    const email = emailIdentity('ana@example.org');
    const attempt = (details: Partial<Pick<Citizen, 'givenNames' | 'surnames' | 'document'>>) =>
      registerCitizen(deps, given({ ...details, identities: [phone, email] }), details, proof);
    // A known phone and a name that does not contradict is not proof: the surname alone, or no document.
    await expect(attempt({ surnames: 'Pérez', document })).rejects.toBeInstanceOf(IdentityTakenError);
    await expect(attempt({ givenNames: 'Ana', surnames: 'Pérez' })).rejects.toBeInstanceOf(
      IdentityTakenError,
    );
    const other = normalizeDocument('CEDULA', '8-999-999');
    await expect(attempt({ givenNames: 'Ana', surnames: 'Pérez', document: other })).rejects.toBeInstanceOf(
      IdentityTakenError,
    );
    expect((await citizens.byId('ana'))?.identities).toHaveLength(2);
    expect(await links.links('ana')).toEqual([]);
    const out = await attempt({ givenNames: 'ana', surnames: 'PEREZ', document });
    expect(out).toMatchObject({ result: 'verified', citizen: { id: 'ana' } });
    expect(await links.links('ana')).toEqual([
      {
        id: 'link-1',
        at: NOW,
        actor: proof.actor,
        reason: 'registration',
        citizenId: 'ana',
        identities: [email],
      },
    ]);
  });

  it('compares names without accents or case; a record without names or document asks for none', () => {
    const known = citizen('1', { givenNames: 'José', surnames: 'Núñez' });
    expect(provesOwner(known, { givenNames: 'jose', surnames: 'NUNEZ' })).toBe(true);
    expect(provesOwner(known, { surnames: 'Núñez' })).toBe(false);
    expect(provesOwner(known, { givenNames: 'Josefa', surnames: 'Núñez' })).toBe(false);
    expect(provesOwner(citizen('2', { givenNames: undefined, surnames: undefined }), {})).toBe(true);
  });
});

describe('a valid note', () => {
  const base = {
    ticket: parseTicket(generateTicket(() => 0.5)),
    id: 'n1',
    at: NOW,
    author: { id: 'u', role: 'agent' as const },
  };
  it('is trimmed text within the limit every case text shares', () => {
    expect(newNote({ ...base, text: '  llamó otra vez  ' }).text).toBe('llamó otra vez');
    expect(() => newNote({ ...base, text: '   ' })).toThrow(ValidationError);
    expect(newNote({ ...base, text: 'x'.repeat(2000) }).text).toHaveLength(2000);
    expect(() => newNote({ ...base, text: 'x'.repeat(2001) })).toThrow(/text.*2000/);
  });
});

describe('one place per decision', () => {
  it('maps queues and departments both ways, and names the general department', () => {
    const queues = new QueueMap([
      ['arn:q/tax', 'tax'],
      ['arn:q/general', 'general'],
    ]);
    expect(queues.departmentOf('arn:q/tax')).toBe('tax');
    expect(queues.queueOf('general')).toBe('arn:q/general');
    expect(queues.departmentOf('arn:q/unknown')).toBeUndefined();
    const { deployment } = loadConfig('config/city-hall');
    expect(generalDepartment(deployment)).toBe(deployment.departments.at(-1)!.id);
  });

  it('parses an instant or names the field', () => {
    expect(parseInstant('2026-11-24T10:00:00-05:00', 'from')).toBe('2026-11-24T15:00:00.000Z');
    expect(() => parseInstant('yesterday', 'from')).toThrow(/from/);
  });

  it('dates instants locally, remembering each minute', () => {
    const { calendar } = loadConfig('config/city-hall');
    const local = localDateByMinute(calendar);
    expect(local('2026-11-25T04:59:59Z')).toBe('2026-11-24');
    expect(local('2026-11-25T05:00:00Z')).toBe('2026-11-25');
    expect(local('2026-11-25T04:59:30Z')).toBe('2026-11-24');
  });

  it("takes a document's type from the deployment when none is given", () => {
    const invocation = parseConnectEvent(
      connectEvent('voice-inbound-docs', { parameters: { document: '20.345.678' } }),
    );
    expect(callerIdentities(invocation, 'DNI')[0]).toEqual(
      documentIdentity(normalizeDocument('DNI', '20345678')),
    );
    const raw = JSON.parse(readFileSync('config/city-hall/deployment.json', 'utf8')) as Record<
      string,
      unknown
    >;
    expect(parseDeployment(raw, 'deployment.json').defaultDocumentType).toBe('CEDULA');
    expect(
      parseDeployment({ ...raw, defaultDocumentType: 'DNI' }, 'deployment.json').defaultDocumentType,
    ).toBe('DNI');
    expect(() => parseDeployment({ ...raw, defaultDocumentType: 'dni card' }, 'deployment.json')).toThrow(
      /defaultDocumentType/,
    );
  });
});

describe('which changes text a citizen', () => {
  const c = (status: Case['status'], extra: Partial<Case> = {}) =>
    ({ ticket: parseTicket(generateTicket(() => 0.5)), status, version: 2, ...extra }) as Case;
  it.each([
    [
      'an answer just given',
      { kind: 'case', inserted: false, next: c('PENDING_COMMUNICATION'), previous: c('PENDING_RESPONSE') },
      { showBatch: false, message: 'answer' },
    ],
    [
      'the same answer redelivered with its old image',
      {
        kind: 'case',
        inserted: false,
        next: c('PENDING_COMMUNICATION', { version: 3 }),
        previous: c('PENDING_COMMUNICATION'),
      },
      { showBatch: false },
    ],
    [
      'a case opened with a request for the link',
      { kind: 'case', inserted: true, next: c('OPEN', { request: 'link-by-sms' }) },
      { showBatch: false, message: 'requested-link' },
    ],
    [
      'a case opened without a request',
      { kind: 'case', inserted: true, next: c('OPEN') },
      { showBatch: false },
    ],
    [
      'a request on a case changed later',
      { kind: 'case', inserted: false, next: c('OPEN', { request: 'link-by-sms' }), previous: c('OPEN') },
      { showBatch: false },
    ],
    [
      'a batch that stamped the case',
      {
        kind: 'case',
        inserted: false,
        next: c('PENDING_RESPONSE', { lastBatch: 'export:tax:1' }),
        previous: c('OPEN'),
      },
      { showBatch: true },
    ],
    [
      'the same batch stamp again',
      {
        kind: 'case',
        inserted: false,
        next: c('PENDING_RESPONSE', { lastBatch: 'b' }),
        previous: c('PENDING_RESPONSE', { lastBatch: 'b' }),
      },
      { showBatch: false },
    ],
    [
      'a contact joining with a request',
      { kind: 'contact', inserted: true, contact: { request: 'link-by-sms' } },
      { showBatch: false, message: 'joining-link' },
    ],
    ['a contact joining without one', { kind: 'contact', inserted: true, contact: {} }, { showBatch: false }],
  ])('%s', (_what, change, duties) => {
    expect(dutiesOf(change as CaseChange)).toEqual(duties);
  });
});

describe('why a contact is a repeat contact', () => {
  const now = new Date('2026-11-30T15:00:00Z');
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000).toISOString();
  it('names the open case the last 7 days came back to most, and how often; closed cases and older contacts do not count', () => {
    const contacts = [
      { at: at(1), ticket: 'A' },
      { at: at(2), ticket: 'B' },
      { at: at(3), ticket: 'B' },
      { at: at(9), ticket: 'A' },
      { at: at(9), ticket: 'A' },
      { at: at(1), ticket: 'C' },
      { at: at(1), ticket: 'C' },
      { at: at(1), ticket: 'C' },
      { at: at(0) },
    ];
    expect(repeatOf(contacts, new Set(['A', 'B']), now)).toEqual({ ticket: 'B', contacts: 2 });
    expect(repeatOf(contacts, new Set(['A']), now)).toEqual({ ticket: 'A', contacts: 1 });
    expect(repeatOf(contacts, new Set(['Z']), now)).toBeUndefined();
  });
});
