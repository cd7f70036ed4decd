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
import { createRuntime } from '../../shared/runtime/runtime';
import { FollowUpIncompleteError, makeFollowUpHandler } from '../../lambdas/follow-up/function';

const config = loadConfig('config/city-hall');
const departments = config.deployment.departments.map((d) => d.id);
const random = seededRandom(7);
let store: DynamoFollowUpStore;
let outbox: DynamoTaskOutbox;
let tables: Awaited<ReturnType<typeof freshTables>>;
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
  tables = await freshTables();
  const { doc, names } = tables;
  store = new DynamoFollowUpStore(doc, names.cases);
  outbox = new DynamoTaskOutbox(doc, names.cases);
  const cases = [
    // The citizen's own words: they stay in the case, never in the task Connect keeps for 24 months.
    aCase('overdueOpen', {
      dueAt: '2026-11-30T22:00:00.000Z',
      request: 'Mi vecino Julio Arosemena no me deja',
    }),
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
  it('never drops a task Connect refuses: the others are created, and the next run creates it, once', async () => {
    let calls = 0;
    const flaky: FollowUpSink = {
      create: async (task: FollowUpTask) => {
        if (++calls === 2)
          throw Object.assign(new Error('Connect unavailable'), { name: 'ThrottlingException' });
        await outbox.create(task);
      },
    };
    const first = await run('2026-12-01T14:00:00.000Z', flaky);
    expect(first).toMatchObject({ created: DUE.length - 1, failed: 1, firstFailure: 'ThrottlingException' });
    const resumed = await run('2026-12-01T14:00:00.000Z');
    expect(resumed).toMatchObject({ created: 1, alreadyCreated: DUE.length - 1, failed: 0 });
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
    expect(byTicket.get(tickets.linkYesterday!)!.description).toContain('link-by-sms');
    expect(byTicket.get(tickets.overdueOpen!)!.description).toContain('Abra el trámite por su ticket');
    expect(JSON.stringify(tasks)).not.toContain('Arosemena');
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

  it('fails the function’s run when a task could not be started, so that it is retried and alarmed', async () => {
    const handler = makeFollowUpHandler(
      createRuntime({
        service: 'follow-up',
        config,
        doc: tables.doc,
        settings: { casesTable: tables.names.cases },
        clock: { now: () => new Date('2026-12-03T14:00:00.000Z') },
        logLevel: 'SILENT',
      }),
      {
        sink: {
          create: () =>
            Promise.reject(Object.assign(new Error('refused'), { name: 'InternalServiceException' })),
        },
      },
    );
    const error = await handler().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FollowUpIncompleteError);
    expect(error).toMatchObject({ failed: DUE.length + 1, firstFailure: 'InternalServiceException' });
    // Nothing was remembered as created: the retry starts them all.
    expect(await run('2026-12-03T15:00:00.000Z')).toMatchObject({
      created: DUE.length + 1,
      alreadyCreated: 0,
    });
  });
});
