/// <reference lib="dom" />
import { existsSync, mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { axeViolations } from '../support/axe';
import { chromium, type Browser, type Page } from 'playwright-core';
import { localTarget, simulate, type SimulationReport } from '../../local/simulator/run';
import { dropTables } from '../../shared/adapters/dynamodb/setup';
import { dynamoClient } from '../support/dynamo';
import { EVENT_STREAM, startLocalBackEnd } from '../../local/back-end';
import { localQueue } from '../../local/contact-center';
import { loadConfig } from '../../shared/config/load';
import { testDynamoEndpoint } from '../support/dynamo';
import { count, duration, percent } from '../../web/src/view';

const CHROMIUM = '/usr/bin/chromium';
type Stack = Awaited<ReturnType<typeof startLocalBackEnd>>;
let backEnd: Stack;
let browser: Browser;
let page: Page;

const config = loadConfig('config/city-hall');
/** The machine's clock for this suite: a Sunday at 20:00 in Panama, when every department is closed. */
/** The latest Sunday evening (20:00 in Panama: 01:00 UTC on the Monday) before now, whatever the year. */
const SUNDAY_EVENING = (() => {
  const at = new Date();
  at.setUTCHours(1, 0, 0, 0);
  while (at.getUTCDay() !== 1 || at.getTime() > Date.now()) at.setUTCDate(at.getUTCDate() - 1);
  return at;
})();

interface Summary {
  date: string;
  today: string;
  eventsDay: string;
  trend: { start: string; offered: number; answered: number }[];
  departments: {
    id: string;
    today: {
      serviceLevel: number | null;
      abandonmentRate: number | null;
      averageSpeedOfAnswer: number | null;
      averageHandleTime: number | null;
    };
    channels: { channel: string; today: { offered: number; answered: number; abandoned: number } }[];
  }[];
  cases: { byChannel: Record<string, number>; repeatRate: number | null };
}
interface Live {
  queues: { queue: string; department: string; waiting: number; oldestWaitSeconds: number }[];
  agents: Record<string, number>;
  cases: Record<string, Record<string, number>>;
}

const api = async <T>(path: string): Promise<T> => {
  const res = await fetch(`${backEnd.url}/api${path}`, {
    headers: { authorization: `Bearer ${backEnd.token}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
};
const text = (selector: string) => page.locator(selector).first().innerText();
const tileValue = (key: string) => text(`[data-tile="${key}"] [data-value]`);

/** "45 s", "3 min 05 s", "1 h 02 min" back to seconds (the page's own wording of a duration). */
function seconds(shown: string): number {
  const [, h, m, s] = /^(?:(\d+) h )?(?:(\d+) min ?)?(?:(\d+) s)?$/.exec(shown.trim()) ?? [];
  if (shown.trim() === '–') return 0;
  return Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
}

async function eventually(check: () => Promise<void>, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `The dashboard test drives Debian's Chromium at ${CHROMIUM}, which is not installed: ` +
        'install the Debian package "chromium" (sudo apt-get install chromium). .ci/run installs it.',
    );
  backEnd = await startLocalBackEnd({
    configDir: 'config/city-hall',
    dynamoEndpoint: testDynamoEndpoint(),
    logLevel: 'CRITICAL',
    tablePrefix: `w${randomUUID().slice(0, 8)}-`,
    port: 0,
  });
  browser = await chromium.launch({
    // Chromium itself, without a faked clock when the tests run under one (see the script).
    executablePath: 'scripts/chromium-real-clock.sh',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
  // In a context of its own: the accessibility check opens a page beside it.
  const context = await browser.newContext({ viewport: { width: 1400, height: 1100 }, locale: 'es-PA' });
  page = await context.newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await backEnd?.stop();
  if (backEnd) await dropTables(dynamoClient(), backEnd.names);
});

describe('the supervisor dashboard in Chromium', () => {
  it('shows nothing without signing in, and refuses a wrong password', async () => {
    const res = await fetch(`${backEnd.url}/api/metrics/summary`);
    expect(res.status).toBe(401);
    await page.goto(`${backEnd.url}/dashboard/`);
    await page.locator('#login').waitFor();
    expect(await page.locator('#dashboard').isHidden()).toBe(true);
    await page.fill('#username', 'supervisora');
    await page.fill('#password', 'wrong-password');
    await page.press('#password', 'Enter');
    await page.locator('#login-error').waitFor();
    expect(await text('#login-error')).toBe('Usuario o contraseña incorrectos.');
  });

  let report: SimulationReport;

  it("plays a day on a Sunday evening's clock: the queue tiles and both charts fill as it goes", async () => {
    await page.fill('#username', 'supervisora');
    await page.fill('#password', backEnd.newPasswords.get('supervisora')!);
    await page.press('#password', 'Enter');
    await page.locator('[data-tile="tax.waiting"]').waitFor();
    // A short morning with too few agents, paced so that the page is read while it plays. Its waits (minutes)
    // outlast the aggregator's batches even at 300× on a busy machine: a contact that comes and goes within
    // one batch is never shown waiting.
    let running = true;
    const played = simulate(localTarget(backEnd, config), {
      contacts: 300,
      agents: 8,
      hours: 2,
      speed: 300,
      seed: 5,
      now: SUNDAY_EVENING,
      settleMs: 20_000,
    }).finally(() => {
      running = false;
    });
    const departments = config.deployment.departments.map((d) => d.id);
    let sawWaiting = false;
    let sawTrend = false;
    let oldest = 0;
    // Every wait the oldest-contact tiles show, as the page draws them (a short wait lasts a moment at 300×).
    await page.evaluate(() => {
      const w = window as unknown as { maxOldest: number };
      w.maxOldest = 0;
      const read = () => {
        for (const el of Array.from(document.querySelectorAll('[data-tile$=".oldest"] [data-value]'))) {
          const [, h, m, s] =
            /^(?:(\d+) h )?(?:(\d+) min ?)?(?:(\d+) s)?$/.exec(el.textContent?.trim() ?? '') ?? [];
          w.maxOldest = Math.max(w.maxOldest, Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0));
        }
      };
      new MutationObserver(read).observe(document.querySelector('#departments')!, {
        childList: true,
        subtree: true,
        characterData: true,
      });
    });
    while (running) {
      // Every department's two queue tiles in one look, so that a short wait is not missed between looks.
      const tiles = await page.evaluate((ids) => {
        const value = (key: string) =>
          document.querySelector(`[data-tile="${key}"] [data-value]`)?.textContent ?? '';
        return ids.map((d) => [value(`${d}.waiting`), value(`${d}.oldest`)] as const);
      }, departments);
      for (const [waiting, wait] of tiles) {
        if (Number(waiting) > 0) sawWaiting = true;
        oldest = Math.max(oldest, seconds(wait));
      }
      const rows = await page.locator('#trend-table tbody tr').count();
      if (rows) {
        const offered = Number(await text('#trend-table tbody tr:last-child [data-cell="offered"]'));
        const answered = await page.locator('#trend-table [data-cell="answered"]').allInnerTexts();
        if (offered > 0 && answered.some((a) => Number(a) > 0)) sawTrend = true;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    report = await played;
    oldest = Math.max(
      oldest,
      await page.evaluate(() => (window as unknown as { maxOldest: number }).maxOldest),
    );
    expect(report).toMatchObject({ lost: 0, metricsMatch: true });
    // The working day before that Sunday: within the week before it, every department open.
    const day = Date.parse(`${report.date}T12:00:00Z`);
    expect(day).toBeLessThan(SUNDAY_EVENING.getTime());
    expect(day).toBeGreaterThan(SUNDAY_EVENING.getTime() - 8 * 86_400_000);
    for (const d of departments) expect(config.calendar.isBusinessDay(d, report.date)).toBe(true);
    expect(sawWaiting).toBe(true);
    expect(sawTrend).toBe(true);
    expect(oldest).toBeGreaterThan(0);
    expect(oldest).toBeLessThanOrEqual(report.longestWaitSeconds);
    // The page says which day it shows, and that it is not today.
    await eventually(async () => {
      expect(await page.locator('#day-banner').isVisible()).toBe(true);
      expect(await text('#day-text')).toContain(
        new Intl.DateTimeFormat('es-PA', {
          day: 'numeric',
          month: 'long',
          year: 'numeric',
          timeZone: 'UTC',
        }).format(new Date(`${report.date}T12:00:00Z`)),
      );
    }, 10_000);
  }, 180_000);

  it('shows the same numbers as the metrics API, with tiles turned amber and red by the short-staffed morning', async () => {
    await eventually(async () => {
      const [summary, live] = await Promise.all([
        api<Summary>('/metrics/summary'),
        api<Live>('/metrics/live'),
      ]);
      for (const d of summary.departments) {
        const waiting = live.queues.filter((q) => q.department === d.id).reduce((n, q) => n + q.waiting, 0);
        expect(await tileValue(`${d.id}.waiting`)).toBe(count(waiting, 'es'));
        expect(await tileValue(`${d.id}.serviceLevel`)).toBe(percent(d.today.serviceLevel, 'es'));
        expect(await tileValue(`${d.id}.abandonment`)).toBe(percent(d.today.abandonmentRate, 'es'));
        expect(await tileValue(`${d.id}.asa`)).toBe(duration(d.today.averageSpeedOfAnswer));
        expect(await tileValue(`${d.id}.oldest`)).toBe(
          duration(
            Math.max(0, ...live.queues.filter((q) => q.department === d.id).map((q) => q.oldestWaitSeconds)),
          ),
        );
        expect(await tileValue(`${d.id}.aht`)).toBe(duration(d.today.averageHandleTime));
        for (const c of d.channels) {
          const row = `[data-department="${d.id}"] tr[data-channel="${c.channel}"]`;
          expect(await text(`${row} [data-cell="offered"]`)).toBe(count(c.today.offered, 'es'));
          expect(await text(`${row} [data-cell="answered"]`)).toBe(count(c.today.answered, 'es'));
        }
      }
      for (const [state, n] of Object.entries(live.agents))
        expect(await text(`#agents [data-state="${state}"] [data-value]`)).toBe(count(n, 'es'));
      const open = Object.values(live.cases).reduce((n, s) => n + (s.OPEN ?? 0), 0);
      expect(await text('#cases [data-status="OPEN"] [data-value]')).toBe(count(open, 'es'));
      for (const [channel, n] of Object.entries(summary.cases.byChannel).filter(([, n]) => n > 0))
        expect(await text(`#cases-channel [data-channel="${channel}"] [data-value]`)).toBe(count(n, 'es'));
    }, 10_000);
    // The API serves a summary up to a second old (one read serves every open page).
    await eventually(async () => {
      const summary = await api<Summary>('/metrics/summary');
      expect(summary).toMatchObject({ date: report.date, eventsDay: report.date });
      const offered = summary.departments.flatMap((d) => d.channels).reduce((n, c) => n + c.today.offered, 0);
      expect(offered).toBe(report.offered);
    }, 5000);
    expect(await page.locator('.tile.level-amber, .tile.level-red').count()).toBeGreaterThan(0);
    // Every coloured tile says its level in words too.
    const cues = await page
      .locator('.tile.level-amber .cue, .tile.level-red .cue, .tile.level-ok .cue')
      .allInnerTexts();
    expect(cues.length).toBeGreaterThan(0);
    for (const cue of cues) expect(cue).toMatch(/^(✓ Normal|▲ Atención|✖ Crítico)$/);
    // Tiles can be reached with the keyboard.
    expect(await page.locator('.tile[tabindex="0"]').count()).toBeGreaterThan(20);
  });

  it('goes back to today and to the simulated day again with the keyboard', async () => {
    await page.focus('#day-switch');
    expect(await text('#day-switch')).toBe('Volver a hoy');
    await page.keyboard.press('Enter');
    await eventually(async () => {
      expect(await text('#day-text')).toContain('Mostrando hoy');
      expect(await text('#day-switch')).toBe('Ver ese día');
      // Nothing was offered today: the tiles say so.
      expect(await tileValue('tax.serviceLevel')).toBe('–');
    }, 10_000);
    await page.keyboard.press('Enter');
    await eventually(async () => expect(await text('#day-switch')).toBe('Volver a hoy'), 10_000);
  });

  it('fits a 1920×1080 wallboard and a 1366×768 laptop without scrolling, with the charts across the page', async () => {
    await page.click('#wallboard');
    // The figures in proportion to the screen: 48 px and more on the TV, the same share of a laptop's height.
    for (const [width, height, figure] of [
      [1366, 768, 34],
      [1920, 1080, 48],
    ] as const) {
      await page.setViewportSize({ width, height });
      await eventually(async () => {
        const size = await page.evaluate(() => ({
          height: document.documentElement.scrollHeight,
          width: document.documentElement.scrollWidth,
          charts: Array.from(document.querySelectorAll('#charts .uplot')).map(
            (c) => c.getBoundingClientRect().width,
          ),
          value: parseFloat(getComputedStyle(document.querySelector('.tile .value')!).fontSize),
        }));
        expect(size.height).toBeLessThanOrEqual(height);
        expect(size.width).toBeLessThanOrEqual(width);
        expect(size.charts).toHaveLength(2);
        for (const w of size.charts) expect(w).toBeGreaterThan(width * 0.42);
        expect(size.value).toBeGreaterThanOrEqual(figure);
      }, 5000);
    }
    // The spoken label keeps the words; the big figure reads as a clock.
    expect(await page.getAttribute('[data-tile="tax.aht"]', 'aria-label')).toMatch(/min \d\d s/);
    expect(await tileValue('tax.aht')).toMatch(/^\d+:\d\d$/);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/wallboard.png' });
    await page.click('#wallboard');
    await page.setViewportSize({ width: 1400, height: 1100 });
  });

  it('has no accessibility violations, with the day banner shown, in both views', async () => {
    const check = async (view: string) => expect(await axeViolations(page, view)).toEqual([]);
    expect(await page.locator('#day-banner').isVisible()).toBe(true);
    await check('dashboard');
    await page.click('#wallboard');
    await check('wallboard');
    await page.click('#wallboard');
  });

  it('shows new contacts in the queue within 2 seconds', async () => {
    const before = Number(await tileValue('tax.waiting'));
    const started = Date.now();
    await backEnd.kinesis.send(
      new PutRecordsCommand({
        StreamName: EVENT_STREAM,
        Records: [1, 2, 3].map((i) => ({
          PartitionKey: `browser-${i}`,
          Data: Buffer.from(
            JSON.stringify({
              version: '0',
              id: `browser-${i}-QUEUED`,
              'detail-type': 'Amazon Connect Contact Event',
              source: 'aws.connect',
              time: new Date().toISOString(),
              detail: {
                eventType: 'QUEUED',
                contactId: `browser-${i}`,
                channel: 'VOICE',
                queueInfo: { queueArn: localQueue('tax'), enqueueTimestamp: new Date().toISOString() },
              },
            }),
          ),
        })),
      }),
    );
    await page.waitForFunction(
      (expected) =>
        document.querySelector('[data-tile="tax.waiting"] [data-value]')?.textContent === expected,
      String(before + 3),
      { timeout: 2000, polling: 50 },
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('switches a department into surge and out again from the keyboard, with the reason asked for first', async () => {
    await page.focus('#surge-department');
    await page.selectOption('#surge-department', 'tax');
    // No reason: nothing switched, and the field says why.
    await page.locator('#surge-form button[value="on"]').press('Enter');
    await eventually(async () => expect(await text('#surge-message')).toContain('motivo'), 2000);
    expect(await page.getAttribute('#surge-reason', 'aria-invalid')).toBe('true');
    expect((await api<{ departments: { department: string; on: boolean }[] }>('/surge')).departments).toEqual(
      expect.arrayContaining([expect.objectContaining({ department: 'tax', on: false })]),
    );
    await page.fill('#surge-reason', 'Vence el impuesto de inmueble');
    await page.locator('#surge-form button[value="on"]').press('Enter');
    await eventually(async () => {
      expect(await text('#surge-message')).toContain('alta demanda activada');
      expect(await text('[data-surge="tax"]')).toContain('Vence el impuesto de inmueble');
      expect(await page.locator('[data-department="tax"] [data-badge="surge"]').count()).toBe(1);
    }, 3000);
    const board = await api<{ departments: { department: string; on: boolean; since: string }[] }>('/surge');
    const on = board.departments.find((d) => d.department === 'tax');
    expect(on).toMatchObject({ on: true });
    expect(await axeViolations(page, 'surge on')).toEqual([]);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/dashboard-surge.png' });

    await page.fill('#surge-reason', 'Pasó el vencimiento');
    await page.locator('#surge-form button[value="off"]').press('Enter');
    await eventually(async () => {
      expect(await text('[data-surge="tax"]')).toContain('Normal');
      expect(await page.locator('[data-badge="surge"]').count()).toBe(0);
    }, 3000);
    // The switches of the day, by the administration's own calendar: the day it went on and the day it went off
    // (the same day, unless the test ran over midnight).
    const days = new Set(
      [on!.since, new Date().toISOString()].map((at) => config.calendar.local(new Date(at)).date),
    );
    const items: { department: string; on: boolean; reason: string }[] = [];
    for (const date of days)
      items.push(...(await api<{ items: typeof items }>(`/surge/log?date=${date}`)).items);
    expect(items.map((e) => [e.department, e.on, e.reason])).toEqual(
      expect.arrayContaining([
        ['tax', true, 'Vence el impuesto de inmueble'],
        ['tax', false, 'Pasó el vencimiento'],
      ]),
    );
  });

  it('speaks English on request and saves a screenshot', async () => {
    await page.click('#lang');
    await eventually(
      async () => expect(await text('[data-tile="tax.waiting"] .label')).toBe('In queue'),
      2000,
    );
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    // What the surge form last said is said again in English.
    expect(await text('#surge-message')).toBe('Treasury and taxes: surge switched off.');
    expect(await text('[data-surge="tax"]')).toContain('Normal');
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/dashboard.png', fullPage: true });
    expect(existsSync('test-results/dashboard.png')).toBe(true);
  });

  it('says clearly when the data stops coming', async () => {
    await page.route('**/api/**', (route) => route.abort());
    backEnd.live.close(); // the stream ends; the page cannot reconnect
    await page.locator('#stale').waitFor({ state: 'visible', timeout: 16_000 });
    expect(await text('#stale')).toMatch(/No update for 1\d s/);
  }, 30_000);
});
