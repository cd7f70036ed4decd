/* eslint-disable @typescript-eslint/no-explicit-any -- the cases mutate parsed JSON fixtures of any shape */
import { readFileSync } from 'node:fs';
import { parseCatalogue } from '../../shared/domain/catalogue-schema';
import { calendarOf } from '../../shared/domain/calendar';
import { parseDeployment } from '../../shared/domain/deployment';
import { ConfigError } from '../../shared/domain/errors';
import { loadConfig } from '../../shared/config/load';
import { countryOfNumber, outboundRulesOf } from '../../shared/domain/messaging';

const raw = (file: string) => JSON.parse(readFileSync(`config/city-hall/${file}`, 'utf8'));

describe('deployment configuration', () => {
  it('loads the example city hall', () => {
    const { deployment, catalogue } = loadConfig('config/city-hall');
    expect(deployment.country).toBe('PA');
    expect(deployment.departments.map((d) => d.id)).toEqual([
      'tax',
      'vehicles',
      'civil-registry',
      'general-information',
    ]);
    expect(catalogue.entries.length).toBeGreaterThan(9);
    expect(catalogue.byMenuKey('1-2')?.id).toBe('tax-clearance');
  });

  it.each([
    [
      (d: any) => (d.departments[1].hours.mon[0].open = '8am'),
      'departments.1.hours.mon.0.open',
      'must be a time',
    ],
    [
      (d: any) => (d.departments[0].hours.tue[0].close = '07:00'),
      'departments.0.hours.tue.0.close',
      'close must be after open',
    ],
    [(d: any) => (d.timeZone = 'Mars/Olympus'), 'timeZone', 'IANA time zone'],
    [(d: any) => (d.country = 'XX'), 'country', 'ISO country code'],
    [(d: any) => (d.departments[2].colour = 'red'), 'departments.2.colour', 'is not a known field'],
    [(d: any) => (d.departments[3].id = 'tax'), 'departments.3.id', 'duplicate department'],
    [(d: any) => delete d.serviceLevelSeconds, 'serviceLevelSeconds', 'expected number'],
    [(d: any) => (d.holidays[0].date = '3 Nov'), 'holidays.0.date', 'must be a date'],
    [
      (d: any) =>
        (d.phoneNumbers = [{ arn: 'arn:aws:connect:us-east-1:111122223333:queue/x', flow: 'inbound-voice' }]),
      'phoneNumbers.0.arn',
      'must be a Connect phone-number ARN',
    ],
    [(d: any) => (d.outbound = { perNumberPerDay: 0 }), 'outbound.perNumberPerDay', 'Too small'],
    [(d: any) => (d.outbound = { countries: ['PA', 'ZZ'] }), 'outbound.countries.1', 'ISO country code'],
    [
      (d: any) => (d.appointments.offices[1].id = 'plate-centre'),
      'appointments.offices.1.id',
      'duplicate office',
    ],
    [
      (d: any) => (d.appointments.offices[0].services[1].topic = 'plate-renewal'),
      'appointments.offices.0.services.1.topic',
      'duplicate procedure',
    ],
    [
      (d: any) => (d.appointments.offices[0].services[0].capacity = 0),
      'appointments.offices.0.services.0.capacity',
      'Too small',
    ],
    [
      (d: any) => (d.appointments.release = { time: '7am', daysAhead: 30 }),
      'appointments.release.time',
      'must be a time',
    ],
    [(d: any) => (d.appointments.overbookingPercent = 80), 'appointments.overbookingPercent', 'Too big'],
    [
      (d: any) => (d.appointments.offices[0].address = 'Calle 50'),
      'appointments.offices.0.address',
      'expected object',
    ],
  ])('rejects a bad deployment file naming the field (%#)', (mutate, path, reason) => {
    const d = raw('deployment.json');
    mutate(d);
    let error: unknown;
    try {
      parseDeployment(d, 'deployment.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).path).toBe(path);
    expect((error as ConfigError).message).toContain(reason);
    expect((error as ConfigError).message).toMatch(/^deployment\.json: /);
  });

  it.each([
    [(c: any) => (c.entries[4].department = 'parks'), 'entries.4.department', 'unknown department'],
    [(c: any) => (c.entries[2].menuKey = '1-1'), 'entries.2.menuKey', 'duplicate key'],
    [(c: any) => (c.entries[0].selfService.es = 'x'.repeat(400)), 'entries.0.selfService.es', 'Too big'],
    [(c: any) => (c.entries[1].menuKey = '1'), 'entries.1.menuKey', 'both an entry and a sub-menu'],
    [
      (c: any) => (c.entries[1].menuKey = '8'),
      'entries.1.menuKey',
      'key 8 (the ticket status line) is reserved',
    ],
    [
      (c: any) => (c.entries[1].menuKey = '1-9'),
      'entries.1.menuKey',
      'key 9 (back, in a sub-menu) is reserved',
    ],
    [(c: any) => (c.entries[3].link = 'http://insecure'), 'entries.3.link', 'https'],
    [
      (c: any) => c.entries.splice(0, 3, { ...c.entries[0], menuKey: '1' }),
      'entries.0.menuKey',
      'key 1 alone is kept for the numbered replies of appointments',
    ],
    [
      (c: any) => (c.entries[6].eligibility = ['no-such-check']),
      'entries.6.eligibility.0',
      'unknown check "no-such-check"',
    ],
    // The lines book at once: a booked procedure they offer cannot wait for an agency, documents or a fee.
    [
      (c: any) =>
        (c.entries[3].fee = { amount: 500, currency: 'USD', concept: { es: 'Placa', en: 'Plate' } }),
      'entries.3.menuKey',
      'not on the lines',
    ],
    [(c: any) => (c.entries[6].fee.amount = 12.5), 'entries.6.fee.amount', 'int'],
    [(c: any) => (c.entries[6].documents[0].id = 'Cédula'), 'entries.6.documents.0.id', 'slug'],
  ])('rejects a bad catalogue naming the field (%#)', (mutate, path, reason) => {
    const deployment = parseDeployment(raw('deployment.json'));
    const c = raw('catalogue.json');
    mutate(c);
    expect(() => parseCatalogue(c, deployment, 'catalogue.json')).toThrow(expect.objectContaining({ path }));
    expect(() => parseCatalogue(c, deployment, 'catalogue.json')).toThrow(reason);
  });

  it('refuses an office that books a procedure the catalogue does not have, naming the deployment field', () => {
    const d = raw('deployment.json');
    d.appointments.offices[1].services[0].topic = 'dog-licence';
    const deployment = parseDeployment(d);
    expect(() => parseCatalogue(raw('catalogue.json'), deployment)).toThrow(
      expect.objectContaining({ path: 'appointments.offices.1.services.0.topic' }),
    );
    expect(() => parseCatalogue(raw('catalogue.json'), deployment)).toThrow(
      '"dog-licence" is not in the catalogue',
    );
  });

  it("sends messages only to the deployment's country unless the file lists others, three a day by default", () => {
    const { deployment, calendar } = loadConfig('config/city-hall');
    const rules = outboundRulesOf(deployment, calendar);
    expect(rules.perNumberPerDay).toBe(3);
    expect(rules.countries).toEqual(['PA']);
    // The day is the deployment's: 20:30 on the 29th in Panama is the 30th in UTC.
    expect(rules.dayOf(new Date('2026-11-30T01:30:00Z'))).toBe('2026-11-29');
    expect(countryOfNumber('+50762224444')).toBe('PA');
    expect(countryOfNumber('+34912345678')).toBe('ES');
    const wider = parseDeployment({ ...raw('deployment.json'), outbound: { countries: ['PA', 'CR'] } });
    expect(outboundRulesOf(wider, calendar).countries).toEqual(['PA', 'CR']);
  });

  it('reports an unreadable or malformed file by its path', () => {
    expect(() => loadConfig('config/nowhere')).toThrow(
      /nowhere\/deployment\.json: \(root\): file cannot be read/,
    );
  });
});

describe('business calendar (America/Panama, UTC-5)', () => {
  const calendar = calendarOf(parseDeployment(raw('deployment.json')));
  const at = (iso: string) => new Date(iso);

  it('knows local opening hours', () => {
    expect(calendar.isOpen('tax', at('2026-11-24T13:00:00Z'))).toBe(true); // Tue 08:00 local
    expect(calendar.isOpen('tax', at('2026-11-24T12:59:00Z'))).toBe(false); // 07:59
    expect(calendar.isOpen('tax', at('2026-11-24T21:00:00Z'))).toBe(false); // 16:00 closes
    expect(calendar.isOpen('civil-registry', at('2026-11-24T17:30:00Z'))).toBe(false); // 12:30 lunch
    expect(calendar.isOpen('general-information', at('2026-11-21T14:00:00Z'))).toBe(true); // Saturday 09:00
    expect(calendar.isOpen('tax', at('2026-11-21T14:00:00Z'))).toBe(false);
  });

  it('is closed on holidays', () => {
    expect(calendar.isOpen('tax', at('2026-11-03T15:00:00Z'))).toBe(false);
    expect(calendar.isBusinessDay('tax', '2026-11-03')).toBe(false);
  });

  it('finds the next business day across weekends and holidays', () => {
    // Friday 27 Nov evening → Saturday 28 is a holiday and Sunday closed → Monday 30.
    expect(calendar.nextBusinessDay('tax', at('2026-11-27T23:00:00Z'))).toBe('2026-11-30');
    // Monday 2 Nov → Tue 3, Wed 4, Thu 5 are holidays → Friday 6.
    expect(calendar.nextBusinessDay('vehicles', at('2026-11-02T15:00:00Z'))).toBe('2026-11-06');
    // Late Monday evening local is still Monday: 2026-11-24T03:00Z is Monday 23 Nov 22:00 in Panama.
    expect(calendar.nextBusinessDay('tax', at('2026-11-24T03:00:00Z'))).toBe('2026-11-24');
    // Saturday opening for general information.
    expect(calendar.nextBusinessDay('general-information', at('2026-11-20T15:00:00Z'))).toBe('2026-11-21');
  });

  it('finds the next opening time', () => {
    expect(calendar.nextOpening('tax', at('2026-11-27T23:00:00Z')).toISOString()).toBe(
      '2026-11-30T13:00:00.000Z',
    );
    expect(calendar.nextOpening('civil-registry', at('2026-11-24T17:30:00Z')).toISOString()).toBe(
      '2026-11-24T18:00:00.000Z',
    );
  });

  it('computes an SLA due time in business days, at the close of the last day', () => {
    // Tue 24 Nov + 5 business days (25, 26, 27, 30, 1 Dec) → Tue 1 Dec 16:00 local.
    expect(calendar.dueAfterBusinessDays('tax', at('2026-11-24T14:00:00Z'), 5).toISOString()).toBe(
      '2026-12-01T21:00:00.000Z',
    );
    // Same-day SLA asked on a Sunday → Monday's close.
    expect(calendar.dueAfterBusinessDays('tax', at('2026-11-22T14:00:00Z'), 0).toISOString()).toBe(
      '2026-11-23T21:00:00.000Z',
    );
  });

  it('names an unknown department', () => {
    expect(() => calendar.isOpen('parks', new Date())).toThrow('departmentId: unknown department "parks"');
  });

  it('handles a zone with daylight saving', () => {
    const madrid = calendarOf(
      parseDeployment({ ...raw('deployment.json'), timeZone: 'Europe/Madrid', holidays: [] }),
    );
    // 08:00 local is 07:00Z in winter and 06:00Z in summer.
    expect(madrid.nextOpening('tax', at('2026-01-12T00:00:00Z')).toISOString()).toBe(
      '2026-01-12T07:00:00.000Z',
    );
    expect(madrid.nextOpening('tax', at('2026-07-13T00:00:00Z')).toISOString()).toBe(
      '2026-07-13T06:00:00.000Z',
    );
  });
});
