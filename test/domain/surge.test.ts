import { ValidationError } from '../../shared/domain/errors';
import {
  ALL_DEPARTMENTS,
  applySurgeRule,
  departmentsInSurge,
  isStateChange,
  surgeAttributes,
  switchSurge,
  type SurgeSwitch,
} from '../../shared/domain/surge';

const departments = ['tax', 'vehicles', 'civil-registry'];
const rule = {
  on: { contactsInQueue: 25, oldestContactSeconds: 600 },
  onMinutes: 5,
  off: { contactsInQueue: 8, oldestContactSeconds: 180 },
  offMinutes: 15,
};
const at = (minute: number) => new Date(Date.UTC(2026, 10, 24, 14, minute));
const supervisor = { id: 'supervisora', role: 'supervisor' as const };
const busy = { contactsInQueue: 40, oldestContactSeconds: 700 };
const between = { contactsInQueue: 12, oldestContactSeconds: 200 };
const calm = { contactsInQueue: 2, oldestContactSeconds: 30 };

describe('surge switches', () => {
  it('are switched with a reason for a known department or all, and say which field is wrong otherwise', () => {
    const on = switchSurge(
      undefined,
      { scope: 'tax', on: true, reason: ' Vencimiento ', actor: supervisor, at: at(0) },
      departments,
    );
    expect(on).toMatchObject({
      scope: 'tax',
      on: true,
      reason: 'Vencimiento',
      by: 'supervisora',
      version: 0,
    });
    expect(on.since).toBe(at(0).toISOString());
    // The same state again keeps its start; a new reason is still a change to audit.
    const again = switchSurge(
      { ...on, version: 1 },
      { scope: 'tax', on: true, reason: 'Sigue', actor: supervisor, at: at(9) },
      departments,
    );
    expect(again).toMatchObject({ since: at(0).toISOString(), version: 1 });
    expect(isStateChange(on, again)).toBe(true);
    const refuse = (scope: string, reason: string) => {
      try {
        switchSurge(undefined, { scope, on: true, reason, actor: supervisor, at: at(0) }, departments);
      } catch (error) {
        return error instanceof ValidationError ? error.field : 'other';
      }
      return 'accepted';
    };
    expect(refuse('housing', 'motivo')).toBe('department');
    expect(refuse('tax', 'no')).toBe('reason');
    expect(refuse(ALL_DEPARTMENTS, 'feriado de pago')).toBe('accepted');
  });

  it('put every department in surge when the switch for all is on, and tell the flows per department', () => {
    const tax: SurgeSwitch = { scope: 'tax', on: true, since: '', reason: 'x', by: 'rule', version: 1 };
    expect(departmentsInSurge([tax], departments)).toEqual(['tax']);
    const all: SurgeSwitch = { ...tax, scope: ALL_DEPARTMENTS };
    expect(departmentsInSurge([all], departments)).toEqual(departments);
    expect(surgeAttributes(['tax'], departments)).toEqual({
      surge_tax: 'true',
      surge_vehicles: 'false',
      surge_civil_registry: 'false',
    });
  });
});

describe('the surge rule', () => {
  /** Looks once a minute at the given loads; the switch as it ends, and the minutes it changed state. */
  const play = (loads: readonly (typeof busy)[], start?: SurgeSwitch) => {
    let current = start;
    const changes: [number, boolean][] = [];
    loads.forEach((load, minute) => {
      const next = applySurgeRule(rule, current, 'tax', load, at(minute));
      if (!next) return;
      if (isStateChange(current, next)) changes.push([minute, next.on]);
      current = { ...next, version: (current?.version ?? 0) + 1 };
    });
    return { current, changes };
  };
  const minutes = (n: number, load: typeof busy) => Array.from({ length: n }, () => load);

  it('switches on after onMinutes over the levels in a row, and a dip restarts the count', () => {
    expect(play([...minutes(4, busy), calm, ...minutes(5, busy)]).changes).toEqual([]);
    expect(play([...minutes(4, busy), calm, ...minutes(6, busy)]).changes).toEqual([[10, true]]);
  });

  it('stays on between the two levels, and switches off only after offMinutes calm', () => {
    const { changes } = play([...minutes(6, busy), ...minutes(30, between), ...minutes(16, calm)]);
    expect(changes).toEqual([
      [5, true],
      [51, false],
    ]);
  });

  it("never switches off a supervisor's surge", () => {
    const byHand: SurgeSwitch = {
      scope: 'tax',
      on: true,
      since: at(0).toISOString(),
      reason: 'x',
      by: 'supervisora',
      version: 1,
    };
    expect(play(minutes(60, calm), byHand).changes).toEqual([]);
  });
});
