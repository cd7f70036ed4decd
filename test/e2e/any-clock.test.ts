import { testDynamoEndpoint } from '../support/dynamo';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { loadConfig } from '../../shared/config/load';

const run = promisify(execFile);
const { calendar } = loadConfig('config/city-hall');

/**
 * The date-sensitive path on the machine's own clock, set to the moments that used to break it: a Saturday
 * night, a Sunday evening (every department closed), a holiday of the deployment, and 03:00 before a
 * working day. Each runs test/support/clock-probe.ts in a process whose clock is faked by libfaketime
 * (scripts/at-clock.sh); nothing in it is told the date.
 */
const CLOCKS = [
  ['Saturday 23:30', '2026-11-28 23:30', '2026-11-27'],
  ['Sunday 20:00', '2026-11-29 20:00', '2026-11-27'],
  ["Mothers' Day holiday (a Tuesday) 10:00", '2026-12-08 10:00', '2026-12-07'],
  ['Monday 03:00', '2026-11-30 03:00', '2026-11-30'],
] as const;

beforeAll(async () => {
  if (!existsSync('/usr/bin/faketime'))
    throw new Error(
      'The any-clock test sets the clock with libfaketime, which is not installed: ' +
        'sudo apt-get install faketime (.ci/run installs it).',
    );
});

describe('any day, any hour', () => {
  it.each(CLOCKS)(
    'on %s the simulated working day reaches the dashboard, and the export dates its rows locally',
    async (_when, clock, day) => {
      const { stdout } = await run(
        'scripts/at-clock.sh',
        [
          clock,
          'env',
          'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true',
          'npx',
          'tsx',
          'test/support/clock-probe.ts',
          testDynamoEndpoint(),
        ],
        { maxBuffer: 10 * 1024 * 1024 },
      );
      const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
        wall: string;
        wallDate: string;
        report: {
          date: string;
          lost: number;
          metricsMatch: boolean;
          offered: number;
          longestWaitSeconds: number;
          casesCreated: number;
          mismatches: string[];
        };
        summary: { status: number; date: string; today: string; offered: number; oldest: number };
        export: { batchId: string; rows: number; dates: string[] };
      };
      // The process really ran on that clock.
      expect(out.wallDate).toBe(clock.slice(0, 10));
      expect(Math.floor(calendar.local(new Date(out.wall)).minutes / 60)).toBe(Number(clock.slice(11, 13)));
      expect(out.report).toMatchObject({ date: day, lost: 0, metricsMatch: true, mismatches: [] });
      expect(out.report.offered).toBeGreaterThan(0);
      expect(out.summary).toMatchObject({
        status: 200,
        date: day,
        today: out.wallDate,
        offered: out.report.offered,
      });
      expect(out.summary.oldest).toBeLessThanOrEqual(out.report.longestWaitSeconds);
      // Cases are opened now, on the machine's clock: the export is today's batch, dated in Panama.
      expect(out.export.batchId).toBe(`export:vehicles:${out.wallDate}`);
      expect(out.export.rows).toBeGreaterThan(0);
      expect(out.export.dates).toEqual([out.wallDate]);
    },
    120_000,
  );
});
