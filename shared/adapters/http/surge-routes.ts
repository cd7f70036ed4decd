import * as z from 'zod/mini';
import { addDays, isCalendarDate } from '../../domain/calendar';
import { ValidationError } from '../../domain/errors';
import type { Clock } from '../../domain/ports';
import { parseInput } from '../../domain/schema';
import {
  ALL_DEPARTMENTS,
  isStateChange,
  switchSurge,
  type SurgeStore,
  type SurgeSwitch,
} from '../../domain/surge';
import { actorOf, jsonBody, type Role, type Route } from './api';

const SUPERVISORS: Role[] = ['supervisor', 'admin'];
const switchBody = z.strictObject({ on: z.boolean(), reason: z.string() });

/** A switch as the dashboard shows it: on or off, since when, why, by whom (`rule` for the automatic rule). */
const view = (scope: string, s: SurgeSwitch | undefined) => ({
  department: scope === ALL_DEPARTMENTS ? 'all' : scope,
  on: s?.on ?? false,
  since: s?.since || null,
  reason: s?.reason || null,
  by: s?.by || null,
});

/**
 * Surge mode for supervisors: GET /surge — every department's switch and the one for all; POST
 * /surge/{department} (`all` for every department) with `{ on, reason }` — switched by hand, audited with
 * the reason; the flows hear it from the next call. GET /surge/log?date= — the day's switches.
 */
export function surgeRoutes(deps: {
  store: SurgeStore & { log(from: string, to: string): Promise<Record<string, unknown>[]> };
  departments: readonly string[];
  clock: Clock;
  localDate: (at: Date) => string;
  /** The instant a local date begins. */
  dayStart: (date: string) => Date;
}): Route[] {
  const board = async () => {
    const switches = await deps.store.board();
    const of = (scope: string) => switches.find((s) => s.scope === scope);
    return {
      all: view(ALL_DEPARTMENTS, of(ALL_DEPARTMENTS)),
      departments: deps.departments.map((d) => view(d, of(d))),
    };
  };
  return [
    { method: 'GET', path: '/surge', roles: SUPERVISORS, handle: board },
    {
      method: 'POST',
      path: '/surge/{department}',
      roles: SUPERVISORS,
      handle: async (request) => {
        const body = parseInput(switchBody, jsonBody(request));
        const asked = request.params.department!;
        const scope = asked === 'all' ? ALL_DEPARTMENTS : asked;
        const current = (await deps.store.board()).find((s) => s.scope === scope);
        const next = switchSurge(
          current,
          { scope, on: body.on, reason: body.reason, actor: actorOf(request), at: deps.clock.now() },
          deps.departments,
        );
        await deps.store.put(next, isStateChange(current, next));
        return board();
      },
    },
    {
      method: 'GET',
      path: '/surge/log',
      roles: SUPERVISORS,
      handle: async ({ query }) => {
        const date = query.date ?? deps.localDate(deps.clock.now());
        if (!isCalendarDate(date)) throw new ValidationError('date', 'must be a date YYYY-MM-DD');
        const from = deps.dayStart(date).toISOString();
        const to = deps.dayStart(addDays(date, 1)).toISOString();
        return { items: await deps.store.log(from, to) };
      },
    },
  ];
}
