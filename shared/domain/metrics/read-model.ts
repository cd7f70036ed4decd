import type { Scope } from './effects';
import type { AgentState } from './model';

/** What the dashboard and the metrics API show now. */
export interface LiveMetrics {
  /** The instant the figures are measured against: the events' clock (see clock.ts). */
  readonly at: string;
  /** False while the events are from a simulated or replayed day: `at` is then their time, not the wall clock's. */
  readonly eventsLive: boolean;
  readonly queues: readonly {
    readonly queue: string;
    readonly department?: string;
    readonly waiting: number;
    /** Of those waiting, callback contacts (pending callbacks: no caller on the line). */
    readonly callbacksWaiting: number;
    readonly oldestWaitSeconds: number;
  }[];
  readonly agents: Readonly<Record<AgentState, number>>;
  /** Cases by department and status. */
  readonly cases: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export interface IntervalQuery {
  readonly from: string;
  readonly to: string;
  readonly period: '15m' | 'day';
  readonly queue?: string;
  readonly department?: string;
  readonly channel?: string;
}

export interface IntervalRow {
  readonly scope: Scope;
  readonly start: string;
  readonly counters: Readonly<Record<string, number>>;
  readonly serviceLevel: number | null;
  readonly abandonmentRate: number | null;
  readonly averageSpeedOfAnswer: number | null;
  readonly averageHandleTime: number | null;
}

/** Reads the aggregated metrics. */
export interface MetricsReader {
  /** The live view; `wallNow` is used while the events are live. */
  live(wallNow: Date): Promise<LiveMetrics>;
  intervals(query: IntervalQuery): Promise<readonly IntervalRow[]>;
  /** The case counters of one local day: per department and per topic, on every case channel. */
  caseRows(
    date: string,
    scopes: { readonly departments: readonly string[]; readonly topics: readonly string[] },
  ): Promise<readonly { readonly scope: Scope; readonly counters: Readonly<Record<string, number>> }[]>;
}
