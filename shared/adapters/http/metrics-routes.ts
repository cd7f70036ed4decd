import { ValidationError } from '../../domain/errors';
import type { MetricsReader } from '../../domain/metrics/read-model';
import type { Clock } from '../../domain/ports';
import { addDays, isCalendarDate, parseInstant } from '../../domain/calendar';
import type { DashboardSettings } from '../../domain/deployment';
import { dashboardSummary, type DashboardView } from '../../domain/metrics/summary';
import type { ApiRequest, Role, Route } from './api';

const MAX_RANGE_DAYS: Record<'15m' | 'day', number> = { '15m': 7, day: 92 };

function instant(query: Readonly<Record<string, string>>, name: string, fallback: Date): string {
  const raw = query[name];
  return raw === undefined ? fallback.toISOString() : parseInstant(raw, name);
}

/** What the dashboard summary needs to know of the deployment. */
export interface SummaryDeployment {
  readonly timeZone: string;
  readonly serviceLevelSeconds: number;
  readonly settings: DashboardSettings;
  readonly departments: readonly { readonly id: string; readonly name: { es: string; en: string } }[];
  readonly topics: readonly { readonly id: string; readonly name: { es: string; en: string } }[];
  /** The instant a local date begins. */
  readonly dayStart: (date: string) => Date;
}

const SUMMARY_CACHE_MS = 1000;

/** GET /metrics/live, /metrics/intervals and /metrics/summary, for supervisors and admins. */
export function metricsRoutes(deps: {
  reader: MetricsReader;
  clock: Clock;
  localDate: (at: string) => string;
  deployment?: SummaryDeployment;
}): Route[] {
  // Every open dashboard asks each few seconds: one read a second serves them all (per day asked for).
  const cached = new Map<string, { at: number; summary: Promise<DashboardView> }>();
  /**
   * The summary of the day the events are from (today, while they are live; a simulated or replayed day's
   * own date otherwise), or of `date` when asked. The live figures are always measured against the events'
   * clock; `today` is the wall clock's date, so that a page can say when it shows another day.
   */
  const summary = async (d: SummaryDeployment, asked: string | undefined): Promise<DashboardView> => {
    const wall = deps.clock.now();
    const live = await deps.reader.live(wall);
    const today = deps.localDate(wall.toISOString());
    const eventsDay = deps.localDate(live.at);
    const date = asked ?? eventsDay;
    const now = date === eventsDay ? new Date(live.at) : wall;
    const from = d.dayStart(date).toISOString();
    const to = new Date(d.dayStart(addDays(date, 1)).getTime() - 1).toISOString();
    const [day, intervals, caseRows] = await Promise.all([
      deps.reader.intervals({ period: 'day', from: date, to: date }),
      deps.reader.intervals({ period: '15m', from, to }),
      deps.reader.caseRows(date, {
        departments: d.departments.map((x) => x.id),
        topics: d.topics.map((t) => t.id),
      }),
    ]);
    return {
      ...dashboardSummary({
        now,
        date,
        timeZone: d.timeZone,
        serviceLevelSeconds: d.serviceLevelSeconds,
        settings: d.settings,
        departments: d.departments,
        topics: d.topics,
        live,
        today: day,
        intervals,
        caseRows,
      }),
      today,
      eventsDay,
      eventsLive: live.eventsLive,
    };
  };
  return [
    ...(deps.deployment
      ? [
          {
            method: 'GET' as const,
            path: '/metrics/summary',
            roles: ['supervisor', 'admin'] as Role[],
            handle: ({ query }: ApiRequest) => {
              const asked = query.date;
              if (asked !== undefined && !isCalendarDate(asked))
                throw new ValidationError('date', 'must be a date YYYY-MM-DD');
              const now = Date.now();
              const key = asked ?? '';
              const hit = cached.get(key);
              if (hit && now - hit.at <= SUMMARY_CACHE_MS) return hit.summary;
              const fresh = { at: now, summary: summary(deps.deployment!, asked) };
              fresh.summary.catch(() => {
                if (cached.get(key) === fresh) cached.delete(key);
              });
              if (cached.size > 16) cached.clear();
              cached.set(key, fresh);
              return fresh.summary;
            },
          },
        ]
      : []),
    {
      method: 'GET',
      path: '/metrics/live',
      roles: ['supervisor', 'admin'],
      handle: () => deps.reader.live(deps.clock.now()),
    },
    {
      method: 'GET',
      path: '/metrics/intervals',
      roles: ['supervisor', 'admin'],
      handle: async ({ query }) => {
        const period = query.period ?? '15m';
        if (period !== '15m' && period !== 'day')
          throw new ValidationError('period', 'must be "15m" or "day"');
        const now = deps.clock.now();
        const from = instant(query, 'from', new Date(now.getTime() - 8 * 3600_000));
        const to = instant(query, 'to', now);
        if (from > to) throw new ValidationError('from', 'must not be after to');
        if (Date.parse(to) - Date.parse(from) > MAX_RANGE_DAYS[period] * 86_400_000)
          throw new ValidationError('to', `a range of at most ${MAX_RANGE_DAYS[period]} days`);
        const [start, end] = period === 'day' ? [deps.localDate(from), deps.localDate(to)] : [from, to];
        const rows = await deps.reader.intervals({
          period,
          from: start,
          to: end,
          ...(query.queue ? { queue: query.queue } : {}),
          ...(query.department ? { department: query.department } : {}),
          ...(query.channel ? { channel: query.channel.toUpperCase() } : {}),
        });
        return { period, from: start, to: end, rows };
      },
    },
  ];
}
