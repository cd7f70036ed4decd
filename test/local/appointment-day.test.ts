import { loadConfig } from '../../shared/config/load';
import { OfficeSchedule } from '../../shared/domain/appointment-schedule';
import { nextReleasedDay, parseAppointmentArgs } from '../../local/simulate-appointments';
import { playAppointmentDay } from '../../local/simulator/appointment-day';
import { freshTables } from '../support/dynamo';

const config = loadConfig('config/city-hall');

describe('a simulated day of bookings (npm run simulate:appointments, scaled down)', () => {
  it('answers every attempt of a release-time spike that outnumbers the places, and overbooks no slot', async () => {
    const { doc, names } = await freshTables();
    // Lost plates: 36 slots of 4 places, 144 in all; 220 attempts, 90 of them in the first minute.
    const report = await playAppointmentDay(doc, names.cases, config, {
      officeId: 'plate-centre',
      topicId: 'lost-plate',
      date: '2026-12-14',
      attempts: 220,
      spike: 90,
      concurrency: 8,
      seed: 3,
      abandonShare: 0.1,
      repeatShare: 0.05,
      run: 'test',
    });
    expect(report.answered).toBe(report.attempts);
    expect(report.overbookedSlots).toBe(0);
    expect(report.countMismatches).toBe(0);
    expect(report.places).toBe(144);
    // The day fills: every place booked once the abandoned holds are returned, and the rest told it is full.
    expect(report.activeAtEnd).toBe(report.booked);
    expect(report.booked).toBeLessThanOrEqual(144);
    expect(report.dayFull + report.slotFull).toBeGreaterThan(0);
    expect(report.limitRefused).toBeGreaterThan(0);
    expect(report.holdsReturned).toBe(report.abandoned);
  }, 120_000);

  it('takes its options, refusing what it cannot use, and picks the next day to open by default', () => {
    expect(parseAppointmentArgs(['--attempts', '100', '--spike', '40'])).toMatchObject({
      attempts: 100,
      spike: 40,
    });
    expect(() => parseAppointmentArgs(['--spike', '5000'])).toThrow('--spike must be at most --attempts');
    expect(() => parseAppointmentArgs(['--abandon', '1.5'])).toThrow('--abandon must be a fraction');
    expect(() => parseAppointmentArgs(['--date', '2026-02-30'])).toThrow('--date must be YYYY-MM-DD');
    expect(() => parseAppointmentArgs(['--hours', '3'])).toThrow('unknown option --hours');
    const schedule = new OfficeSchedule(config.deployment.appointments!, config.deployment);
    // Monday 30 November 2026, 08:00: 30 December opened at 07:00; the next to open is 31 December.
    expect(nextReleasedDay(schedule, 'plate-centre', 'plate-renewal', new Date('2026-11-30T13:00:00Z'))).toBe(
      '2026-12-31',
    );
    // Friday 4 December, 08:00: open through 3 January (a Sunday); the next to open is Monday 4 January.
    expect(nextReleasedDay(schedule, 'plate-centre', 'plate-renewal', new Date('2026-12-04T13:00:00Z'))).toBe(
      '2027-01-04',
    );
  });
});
