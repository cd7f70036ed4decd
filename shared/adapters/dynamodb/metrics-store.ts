import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { QueueMap } from '../../domain/departments';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { eventClock, type ShardClock } from '../../domain/metrics/clock';
import { derived, type Counter, type Effect, type Scope } from '../../domain/metrics/effects';
import { AGENT_STATES, CONNECT_CHANNELS, type AgentState } from '../../domain/metrics/model';
import type { IntervalQuery, IntervalRow, LiveMetrics, MetricsReader } from '../../domain/metrics/read-model';
import type { MetricsStore } from '../../domain/ports';
import { TransactionCancelled, transactWrite } from './transact';
import { CHANNELS as CASE_CHANNELS } from '../../domain/case';
import { forEachConcurrently } from '../../domain/concurrency';
import { INDEXES } from './tables';
import { contributionDiff, isNewerVersion, type Addition } from '../../domain/metrics/versions';
import type { AppliedVersion, ShardRun } from '../../domain/metrics/shard-runs';
import { batchGet, batchPut } from './batch';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Key builders of the metrics table. See docs/access-patterns.md. */
export const metricsKeys = {
  applied: (key: string) => ({ pk: `APPLIED#${key}`, sk: 'APPLIED' }),
  /** The version of a contact's record whose counts are in the figures, with those counts. */
  version: (contactId: string) => ({ pk: `CONTACT#${contactId}`, sk: 'VERSION' }),
  interval: (scope: Scope, period: string, start: string) => ({
    pk: `INTERVAL#${period}#${scope.dimension}#${scope.id}#${scope.channel}`,
    sk: start,
  }),
  contact: (contactId: string) => ({ pk: `CONTACT#${contactId}`, sk: 'LIVE' }),
  agents: { pk: 'AGENTS' },
  agent: (agent: string) => ({ pk: 'AGENTS', sk: agent }),
  caseStatus: (departmentId: string, status: string) => ({
    pk: 'CASESTATUS',
    sk: `${departmentId}#${status}`,
  }),
  /** Where a stream shard's records are counted up to. */
  shardMark: (shard: string) => ({ pk: 'SHARDMARK', sk: shard }),
  clocks: { pk: 'CLOCK' },
  clock: (shard: string) => ({ pk: 'CLOCK', sk: shard }),
};

const DAY_S = 86_400;
/** A shard's mark outlives any stream's records (365 days at most), whatever the metrics' terms. */
const SHARD_MARK_DAYS = 400;

/** One stored interval: its start and its counters (and longest wait). */
export type IntervalCounters = { start: string } & Record<string, number | string>;

/**
 * Metrics in DynamoDB, exactly once per event over at-least-once delivery. Effects that are idempotent by
 * nature (a maximum, newest-wins agent state, a contact entering or leaving a queue) are written first, each
 * on its own; then one transaction writes the event's applied-marker with its counter additions. A crash
 * between the two is healed by the redelivery; a second delivery finds the marker and adds nothing.
 * Counters use ADD, so concurrent batches never lose an increment.
 */
export class DynamoMetricsStore implements MetricsStore, MetricsReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly options: {
      /** Days 15-minute intervals, queue and agent items are kept (the schedule's `metricsDetail`). */
      detailDays?: number;
      /** Days daily figures are kept (`metricsAggregate`): they hold no personal data and outlive the detail. */
      aggregateDays?: number;
      now?: () => Date;
      /** Queue ↔ department, for the live view; queues not listed are not shown. */
      queues?: QueueMap;
    } = {},
  ) {}

  /** The live view, measured against the events' clock (the wall clock while the events are live). */
  async live(wallNow: Date): Promise<LiveMetrics> {
    const queues = this.options.queues?.pairs ?? [];
    // The clocks first: a contact still waiting after them had not left by their time, so its wait measured
    // against them is never more than it really waited.
    const clocks = await this.clocks();
    const [waiting, agents, cases] = await Promise.all([
      Promise.all(
        queues.map(async ([queue, department]) => ({ queue, department, ...(await this.oldest(queue)) })),
      ),
      this.agents(),
      this.casesByStatus(),
    ]);
    const clock = eventClock(clocks, wallNow);
    return {
      at: clock.now.toISOString(),
      eventsLive: clock.live,
      queues: waiting.map(({ oldestEnqueuedAt, ...q }) => ({
        ...q,
        oldestWaitSeconds: oldestEnqueuedAt
          ? Math.max(0, Math.round((clock.now.getTime() - Date.parse(oldestEnqueuedAt)) / 1000))
          : 0,
      })),
      agents,
      cases,
    };
  }

  async recordClock(clock: ShardClock): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...metricsKeys.clock(clock.shard),
          at: clock.at,
          receivedAt: clock.receivedAt,
          expiresAt: Math.floor(Date.parse(clock.receivedAt) / 1000) + DAY_S,
        },
      }),
    );
  }

  /** The clock of each stream shard, as the aggregator last kept it. */
  async clocks(): Promise<ShardClock[]> {
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': metricsKeys.clocks.pk },
      }),
    );
    return (page.Items ?? []).map((i) => ({
      shard: String(i.sk),
      at: String(i.at),
      receivedAt: String(i.receivedAt),
    }));
  }

  async intervals(query: IntervalQuery): Promise<readonly IntervalRow[]> {
    const departments = new Set((this.options.queues?.pairs ?? []).map(([, department]) => department));
    const scopes: Omit<Scope, 'channel'>[] = query.queue
      ? [{ dimension: 'queue', id: query.queue }]
      : query.department
        ? [{ dimension: 'department', id: query.department }]
        : [...departments].map((id) => ({ dimension: 'department' as const, id }));
    const channels = query.channel ? [query.channel] : [...CONNECT_CHANNELS];
    const rows = await Promise.all(
      scopes.flatMap((scope) =>
        channels.map(async (channel) => {
          const full = { ...scope, channel } as Scope;
          const found = await this.intervalRows(full, query.period, query.from, query.to);
          return found.map(({ start, ...counters }) => ({
            scope: full,
            start,
            counters: counters as Record<string, number>,
            ...derived(counters as Partial<Record<Counter, number>>),
          }));
        }),
      ),
    );
    return rows.flat().sort((a, b) => a.start.localeCompare(b.start) || a.scope.id.localeCompare(b.scope.id));
  }

  private async casesByStatus(): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': 'CASESTATUS' },
      }),
    );
    for (const item of page.Items ?? []) {
      const [department, status] = String(item.sk).split('#') as [string, string];
      (out[department] ??= {})[status] = Number(item.count ?? 0);
    }
    return out;
  }

  private expiresAt(now: Date, period?: string) {
    const days = period === 'day' ? (this.options.aggregateDays ?? 3650) : (this.options.detailDays ?? 400);
    return Math.floor(now.getTime() / 1000) + days * DAY_S;
  }

  async applyIdempotent(effects: readonly Effect[]): Promise<void> {
    const now = (this.options.now ?? (() => new Date()))();
    const expiresAt = this.expiresAt(now);
    const pending = effects.filter((e) => e.op !== 'add' && e.op !== 'caseStatus' && e.op !== 'leave');
    // A contact's exit is the whole of its live item from then on (nothing reads where it waited once it
    // has left): a plain put, 25 to a request, with no condition to check.
    const leaves = new Map<string, Record<string, unknown>>();
    for (const e of effects)
      if (e.op === 'leave')
        leaves.set(e.contactId, { ...metricsKeys.contact(e.contactId), leftAt: e.at, expiresAt });
    await Promise.all([
      batchPut(this.doc, this.table, [...leaves.values()]),
      forEachConcurrently(pending, 16, (effect) => this.idempotent(effect, now)),
    ]);
  }

  async applyOnce(key: string, effects: readonly Effect[]): Promise<boolean> {
    const now = (this.options.now ?? (() => new Date()))();
    await this.applyIdempotent(effects);
    const additions = effects.flatMap((e) => this.additive(e, now));
    // Nothing to count: the idempotent writes were the whole event, and a redelivery rewrites the same.
    if (!additions.length) return true;
    try {
      await transactWrite(this.doc, [
        {
          Put: {
            TableName: this.table,
            Item: {
              ...metricsKeys.applied(key),
              at: now.toISOString(),
              expiresAt: Math.floor(now.getTime() / 1000) + 8 * DAY_S,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...additions,
      ]);
      return true;
    } catch (error) {
      if (error instanceof TransactionCancelled && error.failedCondition() === 0) return false;
      throw error;
    }
  }

  async applyVersion(
    contactId: string,
    version: string,
    additions: readonly Addition[],
    expiresAt: Date,
  ): Promise<'applied' | 'replaced' | 'stale'> {
    const key = metricsKeys.version(contactId);
    const now = (this.options.now ?? (() => new Date()))();
    // Two consumers (or two versions in one batch) may race: the write is conditional on the version read,
    // and the loser reads again and decides again.
    for (let attempt = 0; ; attempt++) {
      const { Item } = await this.doc.send(
        new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
      );
      const current = Item as { version: string; additions: Addition[] } | undefined;
      if (current && !isNewerVersion(version, current.version)) return 'stale';
      const diff = contributionDiff(current?.additions ?? [], additions);
      try {
        await transactWrite(this.doc, [
          {
            Put: {
              TableName: this.table,
              Item: { ...key, version, additions, expiresAt: Math.floor(expiresAt.getTime() / 1000) },
              ...(current
                ? {
                    ConditionExpression: 'version = :v',
                    ExpressionAttributeValues: { ':v': current.version },
                  }
                : { ConditionExpression: 'attribute_not_exists(pk)' }),
            },
          },
          ...diff.flatMap((e) => this.additive(e, now)),
        ]);
        return current ? 'replaced' : 'applied';
      } catch (error) {
        if (!(error instanceof TransactionCancelled && error.failedCondition() === 0) || attempt >= 4)
          throw error;
      }
    }
  }

  /** Each interval's longest wait as far as this store knows it is stored (a lower bound: maxima only grow). */
  private readonly maxima = new Map<string, number>();

  /** A transaction holds at most 100 writes. */
  readonly runLimit = 100;

  async shardMark(shard: string): Promise<string | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: metricsKeys.shardMark(shard), ConsistentRead: true }),
    );
    return Item ? String(Item.through) : undefined;
  }

  async appliedVersions(contactIds: readonly string[]): Promise<ReadonlyMap<string, AppliedVersion>> {
    const items = await batchGet(
      this.doc,
      this.table,
      contactIds.map(metricsKeys.version),
      (i) =>
        [
          String(i.pk).slice('CONTACT#'.length),
          { version: String(i.version), additions: i.additions as Addition[] },
        ] as const,
      true,
    );
    return new Map<string, AppliedVersion>(items);
  }

  /** One transaction: the mark (conditional on `after`), each contact's version (on the one it replaces), the rows. */
  async applyRun(run: ShardRun): Promise<boolean> {
    const now = (this.options.now ?? (() => new Date()))();
    try {
      await transactWrite(this.doc, [
        {
          Put: {
            TableName: this.table,
            // Kept as long as a stream keeps records (365 days at most), and more.
            Item: {
              ...metricsKeys.shardMark(run.shard),
              through: run.through,
              expiresAt: Math.floor(now.getTime() / 1000) + SHARD_MARK_DAYS * DAY_S,
            },
            ...(run.after === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: 'through = :after',
                  ExpressionAttributeValues: { ':after': run.after },
                }),
          },
        },
        ...run.versions.map((v): TransactItem => ({
          Put: {
            TableName: this.table,
            Item: {
              ...metricsKeys.version(v.contactId),
              version: v.version,
              additions: v.additions,
              expiresAt: Math.floor(v.expiresAt.getTime() / 1000),
            },
            ...(v.replaces === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': v.replaces } }),
          },
        })),
        ...run.additions.flatMap((e) => this.additive(e, now)),
      ]);
      return true;
    } catch (error) {
      if (error instanceof TransactionCancelled && error.failedCondition() >= 0) return false;
      throw error;
    }
  }

  private additive(effect: Effect, now: Date): TransactItem[] {
    if (effect.op === 'caseStatus')
      return [
        {
          Update: {
            TableName: this.table,
            Key: metricsKeys.caseStatus(effect.departmentId, effect.status),
            UpdateExpression: 'ADD #n :d',
            ExpressionAttributeNames: { '#n': 'count' },
            ExpressionAttributeValues: { ':d': effect.delta },
          },
        },
      ];
    if (effect.op !== 'add') return [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':exp': this.expiresAt(now, effect.period) };
    const adds = Object.entries(effect.counters).map(([name, value], i) => {
      names[`#c${i}`] = name;
      values[`:c${i}`] = value;
      return `#c${i} :c${i}`;
    });
    return [
      {
        Update: {
          TableName: this.table,
          Key: metricsKeys.interval(effect.scope, effect.period, effect.start),
          UpdateExpression: `ADD ${adds.join(', ')} SET expiresAt = :exp`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
    ];
  }

  private async idempotent(effect: Effect, now: Date): Promise<void> {
    const expiresAt = this.expiresAt(now, 'period' in effect ? effect.period : undefined);
    try {
      switch (effect.op) {
        case 'max': {
          const key = metricsKeys.interval(effect.scope, effect.period, effect.start);
          const row = `${key.pk}|${key.sk}`;
          // The stored maximum is at least what this store last wrote or was refused: no need to ask again.
          if ((this.maxima.get(row) ?? -1) >= effect.value) return;
          try {
            await this.doc.send(
              new UpdateCommand({
                TableName: this.table,
                Key: key,
                UpdateExpression: 'SET longestWaitSeconds = :v, expiresAt = :exp',
                ConditionExpression: 'attribute_not_exists(longestWaitSeconds) OR longestWaitSeconds < :v',
                ExpressionAttributeValues: { ':v': effect.value, ':exp': expiresAt },
              }),
            );
          } catch (error) {
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
          }
          if (this.maxima.size > 50_000) this.maxima.clear();
          this.maxima.set(row, Math.max(effect.value, this.maxima.get(row) ?? -1));
          return;
        }
        case 'enqueue':
          await this.doc.send(
            new UpdateCommand({
              TableName: this.table,
              Key: metricsKeys.contact(effect.contactId),
              UpdateExpression:
                'SET queue = :q, channel = :c, enqueuedAt = :t, waitingQueue = :q, expiresAt = :exp' +
                (effect.callback ? ', callback = :cb' : ''),
              ConditionExpression: 'attribute_not_exists(leftAt)',
              ExpressionAttributeValues: {
                ':q': effect.queue,
                ':c': effect.channel,
                ':t': effect.at,
                ':exp': expiresAt,
                ...(effect.callback ? { ':cb': true } : {}),
              },
            }),
          );
          return;
        case 'agent':
          await this.doc.send(
            new UpdateCommand({
              TableName: this.table,
              Key: metricsKeys.agent(effect.agent),
              UpdateExpression: 'SET #s = :s, #at = :at',
              ConditionExpression: 'attribute_not_exists(#at) OR #at < :at',
              ExpressionAttributeNames: { '#s': 'state', '#at': 'at' },
              ExpressionAttributeValues: { ':s': effect.state, ':at': effect.at },
            }),
          );
          return;
      }
    } catch (error) {
      // The stored value is already newer, larger, or the contact has already left: nothing to do.
      if (error instanceof ConditionalCheckFailedException) return;
      throw error;
    }
  }

  /** Every item a query gives, page after page (the queue's waiting contacts, the agents). */
  private async queryAll(query: {
    IndexName?: string;
    KeyConditionExpression: string;
    ExpressionAttributeValues: Record<string, unknown>;
    ProjectionExpression?: string;
    ExpressionAttributeNames?: Record<string, string>;
  }): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({ TableName: this.table, ...query, ExclusiveStartKey: start }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** The contacts waiting in a queue, oldest first. */
  private waitingIn(queue: string, projection?: string) {
    return this.queryAll({
      IndexName: INDEXES.byWaitingQueue.name,
      KeyConditionExpression: `${INDEXES.byWaitingQueue.partitionKey} = :q`,
      ExpressionAttributeValues: { ':q': queue },
      ...(projection ? { ProjectionExpression: projection } : {}),
    });
  }

  /** Contacts waiting in a queue, and when the one waiting longest joined it. */
  async oldest(
    queue: string,
  ): Promise<{ waiting: number; callbacksWaiting: number; oldestEnqueuedAt?: string }> {
    const items = await this.waitingIn(queue, 'enqueuedAt, callback');
    const oldest = items[0]?.enqueuedAt as string | undefined;
    return {
      waiting: items.length,
      callbacksWaiting: items.filter((i) => i.callback).length,
      ...(oldest ? { oldestEnqueuedAt: oldest } : {}),
    };
  }

  /**
   * What the live view still holds: contacts waiting in the queues (id, channel, since when) and agents not
   * logged out (ARN). After a crash of the local back end, whose contacts and agents all lived in its process,
   * these are ghosts to end.
   */
  async stillLive(): Promise<{
    contacts: { contactId: string; queue: string; channel: string; enqueuedAt: string }[];
    agents: string[];
  }> {
    const contacts: { contactId: string; queue: string; channel: string; enqueuedAt: string }[] = [];
    for (const [queue] of this.options.queues?.pairs ?? [])
      for (const item of await this.waitingIn(queue))
        contacts.push({
          contactId: String(item.pk).slice('CONTACT#'.length),
          queue,
          channel: String(item.channel ?? 'VOICE'),
          enqueuedAt: String(item.enqueuedAt),
        });
    const agents = (await this.agentItems())
      .filter((item) => item.state !== 'OFFLINE')
      .map((item) => String(item.sk));
    return { contacts, agents };
  }

  /** Each agent's state (the live view reads this on every refresh: only the key and the state). */
  private agentItems() {
    return this.queryAll({
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': metricsKeys.agents.pk },
      ProjectionExpression: 'sk, #s',
      ExpressionAttributeNames: { '#s': 'state' },
    });
  }

  /** Agents per state. */
  async agents(): Promise<Record<AgentState, number>> {
    const counts = Object.fromEntries(AGENT_STATES.map((s) => [s, 0])) as Record<AgentState, number>;
    for (const item of await this.agentItems()) counts[item.state as AgentState]++;
    return counts;
  }

  async caseRows(date: string, scopes: { departments: readonly string[]; topics: readonly string[] }) {
    const all: Scope[] = [
      ...scopes.departments.flatMap((id) =>
        CASE_CHANNELS.map((channel) => ({ dimension: 'department' as const, id, channel })),
      ),
      ...scopes.topics.flatMap((id) =>
        CASE_CHANNELS.map((channel) => ({ dimension: 'topic' as const, id, channel })),
      ),
    ];
    const rows = await Promise.all(
      all.map(async (scope) => {
        const [row] = await this.intervalRows(scope, 'day', date, date);
        if (!row) return undefined;
        const { start: _start, ...counters } = row;
        return { scope, counters: counters as Record<string, number> };
      }),
    );
    return rows.filter((r) => r !== undefined);
  }

  /** Interval counters of one scope and period, from `from` to `to` (inclusive starts). */
  async intervalRows(
    scope: Scope,
    period: '15m' | 'day',
    from: string,
    to: string,
  ): Promise<IntervalCounters[]> {
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p AND sk BETWEEN :f AND :t',
        ExpressionAttributeValues: { ':p': metricsKeys.interval(scope, period, '').pk, ':f': from, ':t': to },
      }),
    );
    return (page.Items ?? []).map(({ pk: _pk, sk, expiresAt: _e, ...counters }) => ({
      start: sk as string,
      ...counters,
    }));
  }
}
