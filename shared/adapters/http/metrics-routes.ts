import { ValidationError } from '../../domain/errors';
import type { MetricsReader } from '../../domain/metrics/read-model';
import type { Clock } from '../../domain/ports';
import type { Route } from './api';

const MAX_RANGE_DAYS: Record<'15m' | 'day', number> = { '15m': 7, day: 92 };

function instant(query: Readonly<Record<string, string>>, name: string, fallback: Date): string {
  const raw = query[name];
  if (raw === undefined) return fallback.toISOString();
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new ValidationError(name, 'must be an ISO date or date-time');
  return new Date(ms).toISOString();
}

/** GET /metrics/live and GET /metrics/intervals, for supervisors and admins. */
export function metricsRoutes(deps: {
  reader: MetricsReader;
  clock: Clock;
  localDate: (at: string) => string;
}): Route[] {
  return [
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
