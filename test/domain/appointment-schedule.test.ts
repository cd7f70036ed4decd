import { OfficeSchedule, scheduleOf } from '../../shared/domain/appointment-schedule';
import { loadConfig } from '../../shared/config/load';
import { ValidationError } from '../../shared/domain/errors';

const { deployment } = loadConfig('config/city-hall');
const schedule = scheduleOf(deployment)!;
/** Panamá is UTC-5 all year: 07:00 local is 12:00Z. */
const at = (iso: string) => new Date(iso);

describe('office schedule', () => {
  it('cuts the opening hours into slots that end by closing time, none on a holiday or a weekend', () => {
    // Plate renewals: 10-minute slots from 07:00 to 16:00, 54 a day; Tuesday 8 December is a holiday.
    const monday = schedule.slotsOn('plate-centre', 'plate-renewal', '2026-12-07');
    expect(monday).toHaveLength(54);
    expect(monday[0]).toEqual({
      officeId: 'plate-centre',
      topicId: 'plate-renewal',
      start: '2026-12-07T12:00:00.000Z',
    });
    expect(monday.at(-1)!.start).toBe('2026-12-07T20:50:00.000Z');
    expect(schedule.slotsOn('plate-centre', 'plate-renewal', '2026-12-08')).toEqual([]);
    expect(schedule.slotsOn('plate-centre', 'plate-renewal', '2026-12-12')).toEqual([]);
    // Two spans with a lunch break: 07:30–12:00 and 13:00–15:30 in 20-minute slots (13 + 7).
    const registry = schedule.slotsOn('civil-registry-centre', 'record-correction', '2026-12-07');
    expect(registry).toHaveLength(20);
    expect(registry.map((s) => s.start)).not.toContain('2026-12-07T17:20:00.000Z');
    expect(registry.map((s) => s.start)).toContain('2026-12-07T18:00:00.000Z');
  });

  it('releases a day at 07:00 thirty days before it', () => {
    // Monday 30 November, 06:59 and 07:00 local.
    expect(schedule.releasedThrough(at('2026-11-30T11:59:00Z'))).toBe('2026-12-29');
    expect(schedule.releasedThrough(at('2026-11-30T12:00:00Z'))).toBe('2026-12-30');
    expect(schedule.releaseOf('2026-12-30').toISOString()).toBe('2026-11-30T12:00:00.000Z');
    const slots = schedule.upcoming('plate-centre', 'plate-renewal', at('2026-11-30T11:59:00Z'), 60);
    expect(slots.at(-1)!.start.slice(0, 10)).toBe('2026-12-29');
  });

  it('offers only slots still to come, and names what is wrong with a start', () => {
    const now = at('2026-12-07T15:05:00Z');
    const first = schedule.upcoming('plate-centre', 'plate-renewal', now, 1)[0]!;
    expect(first.start).toBe('2026-12-07T15:10:00.000Z');
    expect(
      schedule.bookable('plate-centre', 'plate-renewal', '2026-12-07T10:10:00-05:00', now),
    ).toMatchObject({
      start: '2026-12-07T15:10:00.000Z',
      places: 84,
    });
    const wrong = (start: string) => {
      try {
        schedule.bookable('plate-centre', 'plate-renewal', start, now);
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        expect((e as ValidationError).field).toBe('start');
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(wrong('2026-12-07T15:05:00Z')).toMatch(/not a slot/);
    expect(wrong('2026-12-07T15:00:00Z')).toMatch(/already begun/);
    expect(wrong('2027-01-11T13:00:00Z')).toMatch(/opens for booking at 2026-12-12T12:00:00.000Z/);
    expect(wrong('tomorrow')).toMatch(/ISO/);
    expect(() => schedule.service('plate-centre', 'birth-certificate')).toThrow(/birth-certificate/);
  });

  it('adds the explicit overbooking to the places, and lists the offices of a procedure', () => {
    const settings = { ...deployment.appointments!, overbookingPercent: 10 };
    const over = new OfficeSchedule(settings, deployment);
    expect(over.service('plate-centre', 'plate-renewal').places).toBe(92);
    expect(over.service('plate-centre', 'lost-plate').places).toBe(4);
    expect(schedule.officesFor('lost-plate').map((o) => o.id)).toEqual(['plate-centre']);
  });
});
