import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startLocalBackEnd } from '../local/back-end';
import { buildPage } from '../web/build';
import { percentile, progress, report, round } from './harness';
import { atBusinessHour } from '../test/support/business-hour';

const CONTACTS = 20;
/** Callers popped first and not counted: the page's and DynamoDB Local's first calls are cold. */
const WARMUP = 3;

/**
 * The agent panel's screen pop: from Accept on a ringing contact to the citizen and their open case drawn, for
 * 20 callers placed through the local telephone network and routed to the signed-in agent, on the local back
 * end in Debian's Chromium; against a floor measured in the same run (the page asked for what it already
 * shows). And each page's script size, gzipped.
 */
export async function run(): Promise<void> {
  for (const page of ['agent', 'dashboard'] as const) {
    const script = buildPage(page).find((f) => f.path === 'app.js')!.body;
    report({
      name: `workspace.${page}_js_gzip_kb`,
      value: round(gzipSync(script).length / 1024, 1),
      unit: 'KB',
      goal: page === 'agent' ? '<= 150' : undefined,
      raw_kb: round(script.length / 1024, 1),
    });
  }
  const backEnd = await startLocalBackEnd({
    configDir: 'config/city-hall',
    port: 0,
    tablePrefix: 'bench-ws-',
    // Callers reach a person at any hour the bench runs.
    flowsAt: atBusinessHour,
  });
  const browser = await chromium.launch({
    executablePath: 'scripts/chromium-real-clock.sh',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const api = (path: string, body: unknown) =>
      fetch(`${backEnd.url}/api${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${backEnd.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ citizen?: { id: string }; ticket?: string }>);
    const phones: string[] = [];
    for (let i = 0; i < WARMUP + CONTACTS; i++) {
      const phone = `+5076444${String(1000 + i)}`;
      const made = await api('/citizens', { givenNames: `Persona ${i}`, surnames: 'Prueba', phone });
      await api('/cases', { citizenId: made.citizen!.id, topicId: 'payment-plan', channel: 'VOICE' });
      phones.push(phone);
    }
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'es-PA' });
    const page = await context.newPage();
    await page.goto(`${backEnd.url}/agent/`);
    await page.fill('#username', 'agente');
    await page.fill('#password', backEnd.newPasswords.get('agente')!);
    await page.press('#password', 'Enter');
    await page.locator('#desk').waitFor();
    await page.selectOption('#desk-status', 'Available');
    await page.locator('#desk-line', { hasText: 'Disponible' }).waitFor();
    const place = (phone: string) =>
      fetch(`${backEnd.url}/local/phone/contacts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        // A number on record that does not prove who calls: "other procedures", then a person.
        body: JSON.stringify({ channel: 'voice', from: phone, keys: ['2', '0'] }),
      });
    // The floor: the same page asked to show what it already shows (no round trip to the API).
    const still = async (i: number, drawn: string) => {
      const started = performance.now();
      await page.evaluate((h) => (location.hash = h), `still-${i}`);
      await page.locator(drawn).first().waitFor();
      return performance.now() - started;
    };
    const floor: number[] = [];
    const pops: number[] = [];
    for (const [i, phone] of phones.entries()) {
      const drawn = `#citizen-h:has-text("Persona ${i} ")`;
      await place(phone);
      await page.locator('#ring').waitFor();
      const started = performance.now();
      await page.click('#accept');
      await page.locator(drawn).first().waitFor();
      await page.locator('#open-cases li[data-ticket]').first().waitFor();
      const popped = performance.now() - started;
      const unchanged = await still(i, drawn);
      // The contact ends; after-contact work without a note; the agent is available for the next one.
      await page.click('#hang-up');
      await page.locator('#acw').waitFor();
      await page.click('#acw-save');
      await page.locator('#desk-line', { hasText: 'Disponible' }).waitFor();
      if (i < WARMUP) continue;
      pops.push(popped);
      floor.push(unchanged);
    }
    progress(`  ${CONTACTS} screen pops`);
    for (const p of [50, 95])
      report({
        name: `workspace.screen_pop_ms.p${p}`,
        value: round(percentile(pops, p), 1),
        unit: 'ms',
        ...(p === 95 ? { goal: '<= 300' } : {}),
        floor_ms: round(percentile(floor, p), 1),
        ratio_to_floor: round(percentile(pops, p) / percentile(floor, p), 2),
        contacts: CONTACTS,
      });
  } finally {
    await browser.close();
    await backEnd.stop();
  }
}
