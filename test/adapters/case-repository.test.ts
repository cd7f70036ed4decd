import { DynamoCaseRepository } from '../../shared/adapters/dynamodb/case-repository';
import { DynamoCitizenRepository } from '../../shared/adapters/dynamodb/citizen-repository';
import { loadConfig } from '../../shared/config/load';
import type { Actor } from '../../shared/domain/case';
import {
  NotFoundError,
  OpenCaseExistsError,
  TicketCollisionError,
  VersionConflictError,
} from '../../shared/domain/errors';
import { changeCaseStatus, openCaseOnTopic, type CoreDeps } from '../../shared/domain/use-cases';
import { freshTables } from '../support/dynamo';
import { newCitizen } from '../../shared/domain/citizen';
import { phoneIdentity } from '../../shared/domain/identity';

const config = loadConfig('config/city-hall');
const agent: Actor = { id: 'agent-7', role: 'agent' };
let deps: CoreDeps;
let now = new Date('2026-11-24T14:00:00.000Z');
let n = 0;

beforeAll(async () => {
  const { doc, names } = await freshTables();
  deps = {
    citizens: new DynamoCitizenRepository(doc, names.citizens),
    cases: new DynamoCaseRepository(doc, names),
    clock: { now: () => now },
    random: Math.random,
    newId: () => `id-${++n}`,
    calendar: config.calendar,
    catalogue: config.catalogue,
  };
});

let phones = 0;
/** A registered citizen with one phone. */
async function citizen(): Promise<string> {
  const c = newCitizen(
    { identities: [phoneIdentity(`+5076${String(++phones).padStart(7, '0')}`, 'PA')] },
    `cit-${phones}`,
    now.toISOString(),
  );
  await deps.citizens.create(c);
  return c.id;
}

const open = async (citizenId?: string, topicId = 'property-tax', contactId?: string) =>
  openCaseOnTopic(deps, {
    citizenId: citizenId ?? (await citizen()),
    topicId,
    channel: 'VOICE',
    actor: agent,
    request: 'Consulta',
    ...(contactId ? { contactId } : {}),
  });

describe('case store on DynamoDB Local', () => {
  it('opens a case that is found by ticket, due after the topic SLA, with its audit and first contact', async () => {
    const c = await open(undefined, 'property-tax', 'contact-1');
    expect(await deps.cases.byTicket(c.ticket)).toEqual(c);
    expect(c.dueAt).toBe('2026-12-01T21:00:00.000Z');
    expect(c.departmentId).toBe('tax');
    expect(await deps.cases.audit(c.ticket)).toEqual([
      { ticket: c.ticket, seq: 1, at: c.createdAt, actor: agent, action: 'CREATED', from: null, to: 'OPEN' },
    ]);
    expect((await deps.cases.contacts(c.ticket)).map((x) => x.contactId)).toEqual(['contact-1']);
  });

  it('redraws the ticket when the drawn number is taken', async () => {
    const taken = await open();
    // A random source that first replays the taken ticket's digits, then draws freely.
    const digits = taken.ticket.slice(0, 9).split('').map(Number);
    const replay = [(digits[0]! - 1) / 9 + 0.01, ...digits.slice(1).map((d) => d / 10 + 0.01)];
    let calls = 0;
    const second = await openCaseOnTopic(
      { ...deps, random: () => (calls < replay.length ? replay[calls++]! : (calls++, Math.random())) },
      { citizenId: await citizen(), topicId: 'complaint', channel: 'SMS', actor: agent },
    );
    expect(calls).toBe(18); // two draws of 9 digits
    expect(second.ticket).not.toBe(taken.ticket);
    expect((await deps.cases.byTicket(taken.ticket))?.citizenId).toBe(taken.citizenId);
  });

  it('gives up with a typed error if every draw collides', async () => {
    const taken = await open();
    const digits = taken.ticket.slice(0, 9).split('').map(Number);
    const replay = [(digits[0]! - 1) / 9 + 0.01, ...digits.slice(1).map((d) => d / 10 + 0.01)];
    let i = 0;
    await expect(
      openCaseOnTopic(
        { ...deps, random: () => replay[i++ % replay.length]! },
        { citizenId: await citizen(), topicId: 'complaint', channel: 'SMS', actor: agent },
      ),
    ).rejects.toThrow(TicketCollisionError);
  });

  it('walks a case through its life with one audit event per step', async () => {
    const c = await open();
    now = new Date('2026-11-25T14:00:00.000Z');
    await changeCaseStatus(deps, c.ticket, {
      to: 'PENDING_RESPONSE',
      actor: { id: 'batch', role: 'backoffice' },
      batchId: 'b-1',
    });
    await changeCaseStatus(deps, c.ticket, {
      to: 'PENDING_COMMUNICATION',
      actor: agent,
      answer: 'Debe B/. 120.00',
    });
    const done = await changeCaseStatus(deps, c.ticket, {
      to: 'COMMUNICATED',
      actor: { id: 'ivr', role: 'ivr' },
    });
    expect(done).toMatchObject({ status: 'COMMUNICATED', version: 4, answer: 'Debe B/. 120.00' });
    const trail = await deps.cases.audit(c.ticket);
    expect(trail.map((a) => [a.seq, a.from, a.to])).toEqual([
      [1, null, 'OPEN'],
      [2, 'OPEN', 'PENDING_RESPONSE'],
      [3, 'PENDING_RESPONSE', 'PENDING_COMMUNICATION'],
      [4, 'PENDING_COMMUNICATION', 'COMMUNICATED'],
    ]);
    expect(trail[1]!.batchId).toBe('b-1');
  });

  it('lets exactly one of 50 concurrent transitions from the same version win', async () => {
    const c = await open();
    const attempts = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        changeCaseStatus(
          deps,
          c.ticket,
          { to: i % 2 ? 'PENDING_RESPONSE' : 'RESOLVED', actor: { id: `agent-${i}`, role: 'agent' } },
          1,
        ),
      ),
    );
    const won = attempts.filter((a) => a.status === 'fulfilled');
    const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    for (const l of lost) expect(l.reason).toBeInstanceOf(VersionConflictError);
    const trail = await deps.cases.audit(c.ticket);
    expect(trail).toHaveLength(2);
    expect((await deps.cases.byTicket(c.ticket))?.version).toBe(2);
  });

  it('refuses a stale version and an unknown ticket, writing nothing', async () => {
    const c = await open();
    await expect(changeCaseStatus(deps, c.ticket, { to: 'RESOLVED', actor: agent }, 3)).rejects.toThrow(
      VersionConflictError,
    );
    await expect(
      changeCaseStatus(deps, '1234567890' as never, { to: 'RESOLVED', actor: agent }),
    ).rejects.toThrow(NotFoundError);
    expect(await deps.cases.audit(c.ticket)).toHaveLength(1);
  });

  it('appends a contact to a case once, and not to a missing case', async () => {
    const c = await open();
    const link = {
      ticket: c.ticket,
      contactId: 'sms-1',
      channel: 'SMS' as const,
      at: '2026-11-26T10:00:00.000Z',
    };
    expect(await deps.cases.appendContact(link)).toBe(true);
    expect(await deps.cases.appendContact(link)).toBe(false);
    expect(await deps.cases.contacts(c.ticket)).toEqual([link]);
    await expect(deps.cases.appendContact({ ...link, ticket: '1234567890' as never })).rejects.toThrow();
  });

  it('lists the cases of a citizen newest first, and by status and department oldest first, paginated', async () => {
    const citizenId = await citizen();
    const topics = ['payment-plan', 'complaint', 'tax-clearance', 'office-hours', 'property-tax'];
    const made = [];
    for (let i = 0; i < 5; i++) {
      now = new Date(Date.parse('2026-11-26T14:00:00.000Z') + i * 60_000);
      made.push(await open(citizenId, topics[i]));
    }
    const mine = await deps.cases.byCitizen(citizenId);
    expect(mine.items.map((c) => c.ticket)).toEqual(made.map((c) => c.ticket).reverse());

    await changeCaseStatus(deps, made[2]!.ticket, { to: 'RESOLVED', actor: agent });
    const openTax = await deps.cases.byStatusAndDepartment('OPEN', 'tax', { limit: 100 });
    const taxTickets = openTax.items.filter((c) => c.citizenId === citizenId).map((c) => c.ticket);
    expect(taxTickets).toEqual([made[0]!.ticket, made[4]!.ticket]);
    const resolved = await deps.cases.byStatusAndDepartment('RESOLVED', 'tax');
    expect(resolved.items.map((c) => c.ticket)).toContain(made[2]!.ticket);

    const p1 = await deps.cases.byStatusAndDepartment('OPEN', 'general-information', { limit: 1 });
    const p2 = await deps.cases.byStatusAndDepartment('OPEN', 'general-information', {
      limit: 1,
      cursor: p1.cursor,
    });
    expect(p1.items[0]!.ticket).not.toBe(p2.items[0]!.ticket);
  });
});

describe('one open case per citizen and topic', () => {
  it('refuses a second open case on the same topic, and allows one again after the first closes', async () => {
    const citizenId = await citizen();
    const first = await open(citizenId, 'complaint');
    await expect(open(citizenId, 'complaint')).rejects.toThrow(OpenCaseExistsError);
    await changeCaseStatus(deps, first.ticket, { to: 'RESOLVED', actor: agent });
    const second = await open(citizenId, 'complaint');
    expect(second.ticket).not.toBe(first.ticket);
    // Reopening the first would make two open cases on the topic.
    await expect(
      changeCaseStatus(deps, first.ticket, {
        to: 'OPEN',
        actor: { id: 's', role: 'supervisor' },
        reason: 'disputed',
      }),
    ).rejects.toThrow(OpenCaseExistsError);
    expect((await deps.cases.byTicket(first.ticket))?.status).toBe('RESOLVED');
  });
});
