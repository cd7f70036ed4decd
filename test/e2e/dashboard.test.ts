/// <reference lib="dom" />
import { existsSync, mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { chromium, type Browser, type Page } from 'playwright-core';
import { simulate } from '../../infra/local/simulator/run';
import { dropTables } from '../../shared/adapters/dynamodb/setup';
import { dynamoClient } from '../support/dynamo';
import { EVENT_STREAM, localQueue, startLocalStack } from '../../infra/local/stack';
import { loadConfig } from '../../shared/config/load';
import { count, duration, percent } from '../../web/src/view';

const CHROMIUM = '/usr/bin/chromium';
type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;
let browser: Browser;
let page: Page;

const config = loadConfig('config/city-hall');

interface Summary {
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
  queues: { queue: string; department: string; waiting: number }[];
  agents: Record<string, number>;
  cases: Record<string, Record<string, number>>;
}

const api = async <T>(path: string): Promise<T> => {
  const res = await fetch(`${stack.url}/api${path}`, { headers: { authorization: `Bearer ${stack.token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
};
const text = (selector: string) => page.locator(selector).first().innerText();
const tileValue = (key: string) => text(`[data-tile="${key}"] [data-value]`);

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
  process.env.POWERTOOLS_LOG_LEVEL = 'CRITICAL';
  stack = await startLocalStack({
    configDir: 'config/city-hall',
    dynamoEndpoint: process.env.TEST_DYNAMO_ENDPOINT!,
    tablePrefix: `w${randomUUID().slice(0, 8)}-`,
    port: 0,
  });
  // A short day, today, so that "today" on the dashboard has figures.
  await simulate(
    {
      config,
      handlers: stack.handlers,
      kinesis: stack.kinesis,
      stream: EVENT_STREAM,
      metrics: stack.metrics,
    },
    {
      contacts: 300,
      agents: 10,
      hours: 2,
      speed: Infinity,
      seed: 5,
      date: config.calendar.local(new Date()).date,
      settleMs: 20_000,
    },
  );
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1100 }, locale: 'es-PA' });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (stack) await dropTables(dynamoClient(), stack.names);
});

describe('the supervisor dashboard in Chromium', () => {
  it('shows nothing without signing in, and refuses a wrong password', async () => {
    const res = await fetch(`${stack.url}/api/metrics/summary`);
    expect(res.status).toBe(401);
    await page.goto(`${stack.url}/dashboard/`);
    await page.locator('#login').waitFor();
    expect(await page.locator('#dashboard').isHidden()).toBe(true);
    await page.fill('#username', 'supervisora');
    await page.fill('#password', 'wrong-password');
    await page.press('#password', 'Enter');
    await page.locator('#login-error').waitFor();
    expect(await text('#login-error')).toBe('Usuario o contraseña incorrectos.');
  });

  it('signs in with the keyboard and shows the same numbers as the metrics API', async () => {
    await page.fill('#username', 'supervisora');
    await page.fill('#password', 'ventanilla-demo');
    await page.press('#password', 'Enter');
    await page.locator('[data-tile="tax.waiting"]').waitFor();
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
    const offered = (await api<Summary>('/metrics/summary')).departments
      .flatMap((d) => d.channels)
      .reduce((n, c) => n + c.today.offered, 0);
    expect(offered).toBeGreaterThan(0);
    // Every coloured tile says its level in words too.
    const cues = await page
      .locator('.tile.level-amber .cue, .tile.level-red .cue, .tile.level-ok .cue')
      .allInnerTexts();
    expect(cues.length).toBeGreaterThan(0);
    for (const cue of cues) expect(cue).toMatch(/^(✓ Normal|▲ Atención|✖ Crítico)$/);
    // Tiles can be reached with the keyboard.
    expect(await page.locator('.tile[tabindex="0"]').count()).toBeGreaterThan(20);
  });

  it('shows new contacts in the queue within 2 seconds', async () => {
    const before = Number(await tileValue('tax.waiting'));
    const started = Date.now();
    await stack.kinesis.send(
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

  it('speaks English on request and saves a screenshot', async () => {
    await page.click('#lang');
    await eventually(
      async () => expect(await text('[data-tile="tax.waiting"] .label')).toBe('In queue'),
      2000,
    );
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/dashboard.png', fullPage: true });
    expect(existsSync('test-results/dashboard.png')).toBe(true);
  });

  it('says clearly when the data stops coming', async () => {
    await page.route('**/api/**', (route) => route.abort());
    stack.live.close(); // the stream ends; the page cannot reconnect
    await page.locator('#stale').waitFor({ state: 'visible', timeout: 16_000 });
    expect(await text('#stale')).toMatch(/No update for 1\d s/);
  }, 30_000);
});
