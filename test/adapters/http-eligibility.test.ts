import { startFakeAgency } from '../../local/fake-agency';
import { HttpEligibilityCheck } from '../../shared/adapters/agency/http-eligibility';
import { confirmable } from '../../shared/domain/eligibility';

let agency: Awaited<ReturnType<typeof startFakeAgency>>;
beforeAll(async () => {
  agency = await startFakeAgency(
    { '8-1-1': 'yes', '8-1-2': 'no', '8-1-3': 'slow', '8-1-4': 'down', '8-1-5': 'flaky', '8-1-6': 'garbage' },
    { slowMs: 2_000 },
  );
});
afterAll(() => agency.stop());

let now = new Date('2026-12-07T14:00:00.000Z');
const adapter = () =>
  new HttpEligibilityCheck({
    endpoint: agency.url,
    timeoutMs: 150,
    retries: 2,
    backoffMs: 20,
    cacheSeconds: 600,
    now: () => now,
  });

describe('an agency’s eligibility check over HTTP', () => {
  it('passes on the agency’s yes and its no with the reason, and keeps them for the configured time', async () => {
    const check = adapter();
    expect(await check.check('tax-clearance', '8-1-1')).toMatchObject({
      outcome: 'eligible',
      source: 'agency',
    });
    expect(await check.check('tax-clearance', '8-1-2')).toMatchObject({
      outcome: 'not-eligible',
      reason: 'Tiene impuestos pendientes',
    });
    const asked = agency.requests('8-1-1');
    expect(await check.check('tax-clearance', '8-1-1')).toMatchObject({
      outcome: 'eligible',
      source: 'cache',
    });
    expect(agency.requests('8-1-1')).toBe(asked);
    now = new Date(now.getTime() + 601_000);
    expect(await check.check('tax-clearance', '8-1-1')).toMatchObject({ source: 'agency' });
    expect(agency.requests('8-1-1')).toBe(asked + 1);
  });

  it('says "unknown — will be verified" when the agency is slow, down or unreadable, within its bound, never yes', async () => {
    const check = adapter();
    for (const document of ['8-1-3', '8-1-4', '8-1-6']) {
      const started = performance.now();
      const answer = await check.check('tax-clearance', document);
      const ms = performance.now() - started;
      expect(answer).toMatchObject({ outcome: 'unknown', source: 'unavailable' });
      expect(confirmable(answer)).toBe(false);
      // Three attempts of 150 ms and backoffs of 20 and 40 ms, with room for a busy machine.
      expect(ms).toBeLessThan(1_500);
    }
    // Slow and down are tried three times; an unreadable answer is not asked again.
    expect(agency.requests('8-1-3')).toBe(3);
    expect(agency.requests('8-1-4')).toBe(3);
    expect(agency.requests('8-1-6')).toBe(1);
    // An unknown is not kept: the next check asks again.
    await check.check('tax-clearance', '8-1-4');
    expect(agency.requests('8-1-4')).toBe(6);
  });

  it('gets the answer on a retry when the agency fails once', async () => {
    const answer = await adapter().check('tax-clearance', '8-1-5');
    expect(answer).toMatchObject({ outcome: 'eligible', source: 'agency' });
    expect(agency.requests('8-1-5')).toBe(2);
  });
});
