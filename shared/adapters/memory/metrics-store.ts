import type { Counter, Effect, Period, Scope } from '../../domain/metrics/effects';
import type { AgentState } from '../../domain/metrics/model';
import type { ShardClock } from '../../domain/metrics/clock';
import { contributionDiff, isNewerVersion, type Addition } from '../../domain/metrics/versions';
import type { MetricsStore } from '../../domain/ports';
import type { AppliedVersion, ShardRun } from '../../domain/metrics/shard-runs';

export interface IntervalFigures {
  readonly scope: Scope;
  readonly period: Period;
  readonly start: string;
  readonly counters: Partial<Record<Counter, number>>;
  readonly longestWaitSeconds: number;
}

/**
 * Metrics held in memory, with the same semantics as the stored ones: each event applies once, and each
 * contact's record in its newest version; counters add; maxima keep the largest; a contact that has left a queue is never counted back into it; an agent's
 * state is the one with the latest event time. For tests and for checking the stored figures.
 */
export class InMemoryMetricsStore implements MetricsStore {
  private readonly applied = new Set<string>();
  private readonly versions = new Map<string, { version: string; additions: readonly Addition[] }>();
  private readonly intervals = new Map<string, IntervalFigures>();
  private readonly waiting = new Map<string, { queue: string; channel: string; since: string }>();
  private readonly left = new Map<string, string>();
  private readonly agents = new Map<string, { state: AgentState; at: string }>();
  private readonly caseStatus = new Map<string, number>();
  readonly clocks = new Map<string, ShardClock>();

  async recordClock(clock: ShardClock): Promise<void> {
    this.clocks.set(clock.shard, clock);
  }

  async applyIdempotent(effects: readonly Effect[]): Promise<void> {
    for (const effect of effects) if (effect.op !== 'add' && effect.op !== 'caseStatus') this.apply(effect);
  }

  private readonly marks = new Map<string, string>();
  readonly runLimit = 100;

  async shardMark(shard: string): Promise<string | undefined> {
    return this.marks.get(shard);
  }

  async appliedVersions(contactIds: readonly string[]): Promise<ReadonlyMap<string, AppliedVersion>> {
    return new Map(contactIds.flatMap((id) => (this.versions.has(id) ? [[id, this.versions.get(id)!]] : [])));
  }

  async applyRun(run: ShardRun): Promise<boolean> {
    if (this.marks.get(run.shard) !== run.after) return false;
    if (run.versions.some((v) => this.versions.get(v.contactId)?.version !== v.replaces)) return false;
    for (const v of run.versions)
      this.versions.set(v.contactId, { version: v.version, additions: v.additions });
    for (const effect of run.additions) this.apply(effect);
    this.marks.set(run.shard, run.through);
    return true;
  }

  async applyVersion(
    contactId: string,
    version: string,
    additions: readonly Addition[],
    _expiresAt?: Date,
  ): Promise<'applied' | 'replaced' | 'stale'> {
    const current = this.versions.get(contactId);
    if (current && !isNewerVersion(version, current.version)) return 'stale';
    for (const effect of contributionDiff(current?.additions ?? [], additions)) this.apply(effect);
    this.versions.set(contactId, { version, additions });
    return current ? 'replaced' : 'applied';
  }

  async applyOnce(key: string, effects: readonly Effect[]): Promise<boolean> {
    if (this.applied.has(key)) return false;
    this.applied.add(key);
    for (const effect of effects) this.apply(effect);
    return true;
  }

  private apply(effect: Effect): void {
    switch (effect.op) {
      case 'add':
      case 'max': {
        const id = `${effect.scope.dimension}|${effect.scope.id}|${effect.scope.channel}|${effect.period}|${effect.start}`;
        const current = this.intervals.get(id) ?? {
          scope: effect.scope,
          period: effect.period,
          start: effect.start,
          counters: {},
          longestWaitSeconds: 0,
        };
        if (effect.op === 'add') {
          const counters: Partial<Record<Counter, number>> = { ...current.counters };
          for (const [name, value] of Object.entries(effect.counters) as [Counter, number][])
            counters[name] = (counters[name] ?? 0) + value;
          this.intervals.set(id, { ...current, counters });
        } else
          this.intervals.set(id, {
            ...current,
            longestWaitSeconds: Math.max(current.longestWaitSeconds, effect.value),
          });
        return;
      }
      case 'enqueue':
        if (!this.left.has(effect.contactId))
          this.waiting.set(effect.contactId, {
            queue: effect.queue,
            channel: effect.channel,
            since: effect.at,
          });
        return;
      case 'leave':
        this.left.set(effect.contactId, effect.at);
        this.waiting.delete(effect.contactId);
        return;
      case 'agent': {
        const current = this.agents.get(effect.agent);
        if (!current || current.at < effect.at)
          this.agents.set(effect.agent, { state: effect.state, at: effect.at });
        return;
      }
      case 'caseStatus': {
        const id = `${effect.departmentId}|${effect.status}`;
        this.caseStatus.set(id, (this.caseStatus.get(id) ?? 0) + effect.delta);
        return;
      }
    }
  }

  /** Interval figures, sorted by scope, period and start. */
  figures(): IntervalFigures[] {
    return [...this.intervals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, f]) => f);
  }

  /** Contacts waiting per queue and how long the oldest has waited, agents per state. */
  live(now: Date): {
    queues: Record<string, { waiting: number; oldestWaitSeconds: number }>;
    agents: Record<AgentState, number>;
  } {
    const queues: Record<string, { waiting: number; oldestWaitSeconds: number }> = {};
    for (const { queue, since } of this.waiting.values()) {
      const q = (queues[queue] ??= { waiting: 0, oldestWaitSeconds: 0 });
      q.waiting++;
      q.oldestWaitSeconds = Math.max(
        q.oldestWaitSeconds,
        Math.round((now.getTime() - Date.parse(since)) / 1000),
      );
    }
    const agents = { AVAILABLE: 0, ON_CONTACT: 0, AFTER_CONTACT_WORK: 0, NON_PRODUCTIVE: 0, OFFLINE: 0 };
    for (const { state } of this.agents.values()) agents[state]++;
    return { queues, agents };
  }

  casesByStatus(): Record<string, number> {
    return Object.fromEntries(this.caseStatus);
  }
}
