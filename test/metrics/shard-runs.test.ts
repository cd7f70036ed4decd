import fc from 'fast-check';
import { buildRuns, sequenceAfter, type RunRecord } from '../../shared/domain/metrics/shard-runs';
import type { Addition } from '../../shared/domain/metrics/versions';

const add = (queue: string, start: string, offered = 1): Addition => ({
  op: 'add',
  scope: { dimension: 'queue', id: queue, channel: 'VOICE' },
  period: '15m',
  start,
  counters: { offered },
});
const expiresAt = new Date('2028-12-01T00:00:00.000Z');
const version = (contactId: string, at: string) => ({ contactId, version: at, expiresAt });

describe('runs of a shard', () => {
  it('compares Kinesis sequence numbers as numbers, not as text', () => {
    expect(sequenceAfter('10', '9')).toBe(true);
    expect(sequenceAfter('9', '10')).toBe(false);
    expect(sequenceAfter('49590338271490256608559692538361571095921575989136588898', undefined)).toBe(true);
    expect(sequenceAfter('5', '5')).toBe(false);
  });

  it('keeps every record, in order, in runs of at most the limit (the mark, versions, rows)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ queue: fc.nat(30), start: fc.nat(5), contact: fc.option(fc.nat(40)) }), {
          maxLength: 200,
        }),
        // A record needs at most four writes here (the mark, its version, the row it leaves and the one it
        // joins): a run holds at least one.
        fc.integer({ min: 4, max: 100 }),
        (specs, limit) => {
          const records: RunRecord[] = specs.map((s, i) => ({
            id: String(1000 + i),
            additions: [add(`q${s.queue}`, `T${s.start}`)],
            ...(s.contact !== null
              ? { version: version(`c${s.contact}`, new Date(i * 1000).toISOString()) }
              : {}),
          }));
          const runs = buildRuns(records, new Map(), limit);
          expect(runs.flatMap((r) => r.outcomes)).toHaveLength(records.length);
          expect(runs.map((r) => r.first)).toEqual([...runs.map((r) => r.first)].sort());
          for (const run of runs)
            expect(1 + run.versions.length + run.additions.length).toBeLessThanOrEqual(limit);
          // The counts the runs add are what the records add, less what each newer version takes back.
          const offered = runs
            .flatMap((r) => r.additions)
            .reduce((n, a) => n + (a.op === 'add' ? a.counters.offered! : 0), 0);
          expect(offered).toBe(
            specs.filter((s) => s.contact === null).length +
              new Set(specs.flatMap((s) => (s.contact === null ? [] : [s.contact]))).size,
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('refuses a record that alone needs more writes than a run holds, rather than write a run too large', () => {
    const record = { id: '7', additions: [add('a', 'T1'), add('b', 'T1'), add('c', 'T1')] };
    expect(() => buildRuns([record], new Map(), 3)).toThrow(
      'record 7 needs more writes than a run holds (3)',
    );
    expect(buildRuns([record], new Map(), 4)).toHaveLength(1);
  });

  it("writes a contact's newest version once, replacing the one stored before the run, and the difference", () => {
    const stored = new Map([['c1', { version: '2026-11-30T10:00:00.000Z', additions: [add('tax', 'T1')] }]]);
    const [run] = buildRuns(
      [
        { id: '11', additions: [add('permits', 'T1')], version: version('c1', '2026-11-30T10:05:00.000Z') },
        { id: '12', additions: [add('tax', 'T1', 2)], version: version('c1', '2026-11-30T10:09:00.000Z') },
        { id: '13', additions: [add('tax', 'T1')], version: version('c1', '2026-11-30T10:01:00.000Z') },
      ],
      stored,
      100,
    );
    expect(run!.outcomes).toEqual(['replaced', 'replaced', 'stale']);
    expect(run!.versions).toEqual([
      {
        ...version('c1', '2026-11-30T10:09:00.000Z'),
        additions: [add('tax', 'T1', 2)],
        replaces: '2026-11-30T10:00:00.000Z',
      },
    ]);
    // From one offer in tax to two: one more in tax, and nothing left in permits.
    expect(run!.additions).toEqual([add('tax', 'T1', 1)]);
    expect(run!.through).toBe('12');
  });

  it('has a later run replace the version an earlier run of the same batch writes', () => {
    const runs = buildRuns(
      [
        { id: '1', additions: [add('a', 'T1')], version: version('c1', '2026-11-30T10:00:00.000Z') },
        { id: '2', additions: [add('b', 'T1')] },
        { id: '3', additions: [add('c', 'T1')], version: version('c1', '2026-11-30T10:05:00.000Z') },
      ],
      new Map(),
      4,
    );
    expect(runs.map((r) => [r.first, r.through])).toEqual([
      ['1', '2'],
      ['3', '3'],
    ]);
    expect(runs[1]!.versions[0]!.replaces).toBe('2026-11-30T10:00:00.000Z');
    expect(runs[1]!.additions).toEqual([add('a', 'T1', -1), add('c', 'T1')]);
  });
});
