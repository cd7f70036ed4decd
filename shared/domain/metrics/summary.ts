import { CASE_STATUSES } from '../case';
import type { DashboardSettings } from '../deployment';
import { derived, type Counter } from './effects';
import type { AgentState } from './model';
import type { IntervalRow, LiveMetrics } from './read-model';

/** The figures of a tile: counts and the rates derived from them by Connect's definitions. */
export interface TileFigures {
  readonly offered: number;
  readonly answered: number;
  readonly abandoned: number;
  readonly serviceLevel: number | null;
  readonly abandonmentRate: number | null;
  readonly averageSpeedOfAnswer: number | null;
  readonly averageHandleTime: number | null;
}

export interface DepartmentTile {
  readonly id: string;
  readonly name: { readonly es: string; readonly en: string };
  readonly waiting: number;
  readonly oldestWaitSeconds: number;
  readonly today: TileFigures;
  readonly last15: TileFigures;
  readonly channels: readonly {
    readonly channel: string;
    readonly today: TileFigures;
    readonly last15: TileFigures;
  }[];
}

/** Everything the supervisors' dashboard shows besides the live stream, in one read. */
export interface DashboardSummary {
  readonly at: string;
  readonly date: string;
  readonly timeZone: string;
  readonly serviceLevelSeconds: number;
  readonly settings: DashboardSettings;
  readonly departments: readonly DepartmentTile[];
  readonly agents: Readonly<Record<AgentState, number>>;
  readonly cases: {
    /** Cases standing in each status now. */
    readonly byStatus: Readonly<Record<string, number>>;
    /** Cases opened today, by the channel they came in on. */
    readonly byChannel: Readonly<Record<string, number>>;
    /** Cases opened today, by topic. */
    readonly byTopic: readonly {
      readonly topicId: string;
      readonly name: { readonly es: string; readonly en: string };
      readonly created: number;
    }[];
    readonly created: number;
    readonly appended: number;
    /** Contacts today about a case that was still open, over all contacts taken onto cases today. */
    readonly repeatRate: number | null;
  };
  /** Offered and answered per 15 minutes today, with the service level of each interval. */
  readonly trend: readonly {
    readonly start: string;
    readonly offered: number;
    readonly answered: number;
    readonly serviceLevel: number | null;
  }[];
}

/** GET /metrics/summary: the summary of a day, with the wall clock's date and the events' beside it. */
export type DashboardView = DashboardSummary & {
  /** The wall clock's local date. */
  readonly today: string;
  /** The local date of the events' clock: today while they are live, a simulated or replayed day's otherwise. */
  readonly eventsDay: string;
  readonly eventsLive: boolean;
};

/** The statuses the dashboard shows (cancelled cases are not work). */
export const DASHBOARD_STATUSES = CASE_STATUSES.filter((s) => s !== 'CANCELLED');

type Counters = Partial<Record<Counter, number>>;

const sum = (rows: readonly { counters: Readonly<Record<string, number>> }[]): Counters => {
  const out: Record<string, number> = {};
  for (const row of rows)
    for (const [name, value] of Object.entries(row.counters))
      if (typeof value === 'number') out[name] = (out[name] ?? 0) + value;
  return out;
};

const tile = (c: Counters): TileFigures => ({
  offered: c.offered ?? 0,
  answered: c.answered ?? 0,
  abandoned: c.abandoned ?? 0,
  ...derived(c),
});

export interface SummaryInput {
  readonly now: Date;
  readonly date: string;
  readonly timeZone: string;
  readonly serviceLevelSeconds: number;
  readonly settings: DashboardSettings;
  readonly departments: readonly { readonly id: string; readonly name: { es: string; en: string } }[];
  readonly topics: readonly { readonly id: string; readonly name: { es: string; en: string } }[];
  readonly live: LiveMetrics;
  /** Department rows, period day, today. */
  readonly today: readonly IntervalRow[];
  /** Department rows, period 15m, today. */
  readonly intervals: readonly IntervalRow[];
  /** Case counters of today: department rows on every case channel, and topic rows. */
  readonly caseRows: readonly {
    readonly scope: IntervalRow['scope'];
    readonly counters: Readonly<Record<string, number>>;
  }[];
}

/**
 * The dashboard's view: per department today and in the current 15 minutes, overall and per channel;
 * agents by state; cases by status, channel and topic; the day's trend. Pure: it reads nothing.
 */
export function dashboardSummary(input: SummaryInput): DashboardSummary {
  const current = new Date(Math.floor(input.now.getTime() / 900_000) * 900_000).toISOString();
  const departments = input.departments.map((d): DepartmentTile => {
    const queues = input.live.queues.filter((q) => q.department === d.id);
    const today = input.today.filter((r) => r.scope.id === d.id);
    const last15 = input.intervals.filter((r) => r.scope.id === d.id && r.start === current);
    const channels = [...new Set([...today, ...last15].map((r) => r.scope.channel))].sort();
    return {
      id: d.id,
      name: d.name,
      waiting: queues.reduce((n, q) => n + q.waiting, 0),
      oldestWaitSeconds: Math.max(0, ...queues.map((q) => q.oldestWaitSeconds)),
      today: tile(sum(today)),
      last15: tile(sum(last15)),
      channels: channels.map((channel) => ({
        channel,
        today: tile(sum(today.filter((r) => r.scope.channel === channel))),
        last15: tile(sum(last15.filter((r) => r.scope.channel === channel))),
      })),
    };
  });
  const byStatus = Object.fromEntries(DASHBOARD_STATUSES.map((s) => [s, 0])) as Record<string, number>;
  for (const statuses of Object.values(input.live.cases))
    for (const [status, count] of Object.entries(statuses))
      byStatus[status] = (byStatus[status] ?? 0) + count;
  const departmentCases = input.caseRows.filter((r) => r.scope.dimension === 'department');
  const byChannel: Record<string, number> = {};
  for (const row of departmentCases)
    byChannel[row.scope.channel] = (byChannel[row.scope.channel] ?? 0) + (row.counters.casesCreated ?? 0);
  const topics = new Map<string, number>();
  for (const row of input.caseRows.filter((r) => r.scope.dimension === 'topic')) {
    const id = row.scope.id;
    topics.set(id, (topics.get(id) ?? 0) + (row.counters.casesCreated ?? 0));
  }
  const totals = sum(departmentCases);
  const taken = (totals.casesCreated ?? 0) + (totals.casesAppended ?? 0);
  const trend = new Map<string, IntervalRow[]>();
  for (const row of input.intervals) trend.set(row.start, [...(trend.get(row.start) ?? []), row]);
  return {
    at: input.now.toISOString(),
    date: input.date,
    timeZone: input.timeZone,
    serviceLevelSeconds: input.serviceLevelSeconds,
    settings: input.settings,
    departments,
    agents: input.live.agents,
    cases: {
      byStatus,
      byChannel,
      byTopic: [...topics]
        .map(([topicId, created]) => ({
          topicId,
          name: input.topics.find((t) => t.id === topicId)?.name ?? { es: topicId, en: topicId },
          created,
        }))
        .filter((t) => t.created > 0)
        .sort((a, b) => b.created - a.created || a.topicId.localeCompare(b.topicId)),
      created: totals.casesCreated ?? 0,
      appended: totals.casesAppended ?? 0,
      repeatRate: taken ? (totals.repeatContacts ?? 0) / taken : null,
    },
    trend: [...trend]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([start, rows]) => {
        const c = sum(rows);
        return {
          start,
          offered: c.offered ?? 0,
          answered: c.answered ?? 0,
          serviceLevel: derived(c).serviceLevel,
        };
      }),
  };
}
