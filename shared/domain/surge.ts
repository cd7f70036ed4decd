import type { Actor } from './case';
import type { SurgeSettings } from './deployment';
import { ValidationError } from './errors';
import type { LiveMetrics } from './metrics/read-model';
import { cleanText } from './text';

/** Surge for every department at once. */
export const ALL_DEPARTMENTS = '*';

/**
 * A department's surge switch (or all departments', `*`): on or off, since when, why and by whom. The rule's
 * running tallies ride along: since when the queue has been over the on levels (`overSince`) or under the off
 * levels (`underSince`).
 */
export interface SurgeSwitch {
  readonly scope: string;
  readonly on: boolean;
  readonly since: string;
  readonly reason: string;
  /** A supervisor's username, or `rule`. */
  readonly by: string;
  readonly overSince?: string;
  readonly underSince?: string;
  /** 0 for a switch never written. */
  readonly version: number;
}

export interface SurgeStore {
  /** Every switch written. */
  board(): Promise<SurgeSwitch[]>;
  /**
   * Writes a switch if it is still at `version` (a ConcurrentChangeError otherwise); a change of state is
   * written with its audit entry, in one transaction.
   */
  put(next: SurgeSwitch, audited: boolean): Promise<void>;
}

/** The departments in surge: their own switch on, or the one for all. */
export function departmentsInSurge(board: readonly SurgeSwitch[], departments: readonly string[]): string[] {
  if (board.some((s) => s.scope === ALL_DEPARTMENTS && s.on)) return [...departments];
  const on = new Set(board.filter((s) => s.on).map((s) => s.scope));
  return departments.filter((d) => on.has(d));
}

/** The contact attribute a flow reads for a department's surge (Connect's references take letters, digits and _). */
export const surgeAttribute = (department: string) => `surge_${department.replace(/-/g, '_')}`;

/** What the flows get: `surge_<department>` "true" or "false" for each department. */
export const surgeAttributes = (inSurge: readonly string[], departments: readonly string[]) =>
  Object.fromEntries(departments.map((d) => [surgeAttribute(d), String(inSurge.includes(d))]));

const off = (scope: string): SurgeSwitch => ({ scope, on: false, since: '', reason: '', by: '', version: 0 });

/** A supervisor switches a department (or all) on or off, with a reason; the switch they read is the one changed. */
export function switchSurge(
  current: SurgeSwitch | undefined,
  request: { scope: string; on: boolean; reason: string; actor: Actor; at: Date },
  departments: readonly string[],
): SurgeSwitch {
  if (request.scope !== ALL_DEPARTMENTS && !departments.includes(request.scope))
    throw new ValidationError('department', `unknown department "${request.scope}"`);
  const reason = cleanText(request.reason);
  if (reason.length < 3 || reason.length > 300)
    throw new ValidationError('reason', 'say why, in 3 to 300 characters');
  const was = current ?? off(request.scope);
  return {
    scope: request.scope,
    on: request.on,
    since: was.on === request.on && was.since ? was.since : request.at.toISOString(),
    reason,
    by: request.actor.id,
    version: was.version,
  };
}

/** A queue's load as the live view has it. */
export interface QueueLoad {
  readonly contactsInQueue: number;
  readonly oldestContactSeconds: number;
}

type Rule = NonNullable<SurgeSettings['rule']>;

const over = (load: QueueLoad, levels: QueueLoad) =>
  load.contactsInQueue > levels.contactsInQueue || load.oldestContactSeconds > levels.oldestContactSeconds;
const under = (load: QueueLoad, levels: QueueLoad) =>
  load.contactsInQueue <= levels.contactsInQueue && load.oldestContactSeconds <= levels.oldestContactSeconds;

/**
 * One look of the rule at a department's queue: on once it has been over the on levels for `onMinutes`
 * running; off once it has been under the (lower) off levels for `offMinutes` running — only a surge the rule
 * switched on: a supervisor's switch stays as they left it. Between the two levels nothing changes
 * (hysteresis). Returns the switch to write, or undefined when nothing changed.
 */
export function applySurgeRule(
  rule: Rule,
  current: SurgeSwitch | undefined,
  scope: string,
  load: QueueLoad,
  now: Date,
): SurgeSwitch | undefined {
  const was = current ?? off(scope);
  // A supervisor's surge is theirs: the rule looks only at what is off, or what it switched on itself.
  if (was.on && was.by !== 'rule') return undefined;
  const at = now.toISOString();
  // Off, the rule tallies looks over the on levels; on, looks under the off levels.
  const [tally, holds, minutes, what] = was.on
    ? (['underSince', under(load, rule.off), rule.offMinutes, 'under the calm levels'] as const)
    : (['overSince', over(load, rule.on), rule.onMinutes, 'over the surge levels'] as const);
  const since = was[tally];
  if (!holds) return since ? withoutTallies(was) : undefined;
  if ((now.getTime() - Date.parse(since ?? at)) / 60_000 >= minutes)
    return {
      scope,
      on: !was.on,
      since: at,
      reason: `${what} for ${minutes} min: ${load.contactsInQueue} waiting, the oldest ${load.oldestContactSeconds} s`,
      by: 'rule',
      version: was.version,
    };
  return since ? undefined : { ...was, [tally]: at };
}

function withoutTallies(s: SurgeSwitch): SurgeSwitch {
  const { overSince: _o, underSince: _u, ...rest } = s;
  return rest;
}

/** Whether a written switch is a change of state (audited) rather than the rule's running tally. */
export const isStateChange = (before: SurgeSwitch | undefined, after: SurgeSwitch) =>
  (before?.on ?? false) !== after.on || (before?.reason ?? '') !== after.reason;

/** Each department's load from the live view: contacts waiting in its queues, and the oldest one's wait. */
export function departmentLoads(live: Pick<LiveMetrics, 'queues'>, departments: readonly string[]) {
  return new Map(
    departments.map((d) => {
      const queues = live.queues.filter((q) => q.department === d);
      const load: QueueLoad = {
        contactsInQueue: queues.reduce((n, q) => n + q.waiting, 0),
        oldestContactSeconds: Math.max(0, ...queues.map((q) => q.oldestWaitSeconds)),
      };
      return [d, load] as const;
    }),
  );
}

/**
 * One run of the automatic rule over every department, at the live view's own time (a simulated or replayed
 * day's, when the events are not live): what changed, and each change written (a change of state audited).
 */
export async function runSurgeRule(deps: {
  readonly rule: Rule;
  readonly store: SurgeStore;
  readonly live: Pick<LiveMetrics, 'queues' | 'at'>;
  readonly departments: readonly string[];
}): Promise<{ readonly switchedOn: string[]; readonly switchedOff: string[] }> {
  const board = await deps.store.board();
  const now = new Date(deps.live.at);
  const switchedOn: string[] = [];
  const switchedOff: string[] = [];
  for (const [department, load] of departmentLoads(deps.live, deps.departments)) {
    const current = board.find((s) => s.scope === department);
    const next = applySurgeRule(deps.rule, current, department, load, now);
    if (!next) continue;
    const changed = isStateChange(current, next);
    await deps.store.put(next, changed);
    if (changed) (next.on ? switchedOn : switchedOff).push(department);
  }
  return { switchedOn, switchedOff };
}
