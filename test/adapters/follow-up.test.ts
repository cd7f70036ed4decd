import { batchPut } from '../../shared/adapters/dynamodb/batch';
import { caseItem } from '../../shared/adapters/dynamodb/case-items';
import { DynamoFollowUpStore } from '../../shared/adapters/dynamodb/follow-up-store';
import { DynamoTaskOutbox } from '../../shared/adapters/dynamodb/outbox';
import { loadConfig } from '../../shared/config/load';
import type { Case } from '../../shared/domain/case';
import {
  followUpDeps,
  runFollowUps,
  type FollowUpSink,
  type FollowUpTask,
} from '../../shared/domain/follow-up';
import { seededRandom } from '../../shared/domain/random';
import { generateTicket } from '../../shared/domain/ticket';
import { freshTables } from '../support/dynamo';

const config = loadConfig('config/city-hall');
const departments = config.deployment.departments.map((d) => d.id);
const random = seededRandom(7);
let store: DynamoFollowUpStore;
let outbox: DynamoTaskOutbox;
const tickets: Record<string, string> = {};

function aCase(name: string, fields: Partial<Case>): Case {
  const ticket = generateTicket(random);
  tickets[name] = ticket;
  return {
    ticket,
    citizenId: `cit-${name}`,
    topicId: 'payment-plan',
    departmentId: 'tax',
    status: 'OPEN',
    channel: 'VOICE',
    createdAt: '2026-11-20T15:00:00.000Z',
    updatedAt: '2026-11-20T15:00:00.000Z',
    dueAt: '2026-12-10T15:00:00.000Z',
    version: 1,
    ...fields,
  };
}

beforeAll(async () => {
  const { doc, names } = await freshTables();
  store = new DynamoFollowUpStore(doc, names.cases);
  outbox = new DynamoTaskOutbox(doc, names.cases);
  const cases = [
    aCase('overdueOpen', { dueAt: '2026-11-30T22:00:00.000Z' }),
    aCase('overduePending', { status: 'PENDING_RESPONSE', dueAt: '2026-11-27T22:00:00.000Z' }),
    aCase('notDue', {}),
    aCase('closed', { status: 'RESOLVED', dueAt: '2026-11-20T22:00:00.000Z' }),
    aCase('linkYesterday', { request: 'link-by-sms', createdAt: '2026-11-30T20:00:00.000Z' }),
    // 08:30 in Panama on the day of the run: self-service may still settle it.
    aCase('linkToday', { request: 'link-by-sms', createdAt: '2026-12-01T13:30:00.000Z' }),
    aCase('otherDepartment', {
      departmentId: 'vehicles',
      topicId: 'plate-renewal',
      status: 'PENDING_COMMUNICATION',
      dueAt: '2026-11-30T22:00:00.000Z',
    }),
  ];
  await batchPut(doc, names.cases, cases.map(caseItem));
});

const run = (at: string, sink: FollowUpSink = outbox) =>
  runFollowUps(
    followUpDeps(config, store, sink, () => new Date(at)),
    departments,
  );
const DUE = ['overdueOpen', 'overduePending', 'linkYesterday', 'otherDepartment'];

describe('daily follow-up on DynamoDB Local', () => {
  it('resumes a run that failed half way without creating any task twice', async () => {
    let calls = 0;
    const flaky: FollowUpSink = {
      create: async (task: FollowUpTask) => {
        if (++calls === 2) throw new Error('Connect unavailable');
        await outbox.create(task);
      },
    };
    await expect(run('2026-12-01T14:00:00.000Z', flaky)).rejects.toThrow('Connect unavailable');
    const resumed = await run('2026-12-01T14:00:00.000Z');
    expect(resumed.created + resumed.alreadyCreated).toBe(DUE.length);
    expect(resumed.alreadyCreated).toBe(1);
  });

  it('has one task per case due today: past its SLA, or self-service left unsettled from an earlier day', async () => {
    const tasks = (await outbox.list()).filter((t) => t.date === '2026-12-01');
    expect(tasks.map((t) => t.ticket).sort()).toEqual(DUE.map((n) => tickets[n]).sort());
    const byTicket = new Map(tasks.map((t) => [t.ticket, t]));
    expect(byTicket.get(tickets.linkYesterday!)).toMatchObject({
      reason: 'self-service',
      departmentId: 'tax',
      name: expect.stringContaining(tickets.linkYesterday!),
    });
    expect(byTicket.get(tickets.otherDepartment!)).toMatchObject({
      reason: 'overdue',
      departmentId: 'vehicles',
    });
    const again = await run('2026-12-01T20:00:00.000Z');
    expect(again).toMatchObject({ created: 0, alreadyCreated: DUE.length });
  });

  it('follows up again the next business day, and not at all on a holiday', async () => {
    // Yesterday morning's link request is from an earlier day now: it joins the follow-ups.
    const next = await run('2026-12-02T14:00:00.000Z');
    expect(next).toMatchObject({
      date: '2026-12-02',
      created: DUE.length + 1,
      byReason: { overdue: 3, 'self-service': 2 },
    });
    const holiday = await run('2026-12-08T14:00:00.000Z');
    expect(holiday.created).toBe(0);
    expect(holiday.closedDepartments).toEqual(expect.arrayContaining(['tax', 'vehicles']));
  });
});
