/// <reference lib="dom" />
import { existsSync, mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startLocalBackEnd } from '../../local/back-end';
import { dropTables } from '../../shared/adapters/dynamodb/setup';
import { axeViolations } from '../support/axe';
import { dynamoClient, testDynamoEndpoint } from '../support/dynamo';

const CHROMIUM = '/usr/bin/chromium';
let backEnd: Awaited<ReturnType<typeof startLocalBackEnd>>;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function signedIn(path: string, username: string, password: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'es-PA' });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${backEnd.url}${path}`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.press('#password', 'Enter');
  return page;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `The admin page test drives Debian's Chromium at ${CHROMIUM}: install the package "chromium".`,
    );
  mkdirSync('test-results', { recursive: true });
  backEnd = await startLocalBackEnd({
    configDir: 'config/city-hall',
    dynamoEndpoint: testDynamoEndpoint(),
    logLevel: 'CRITICAL',
    tablePrefix: `m${randomUUID().slice(0, 8)}-`,
    port: 0,
  });
  browser = await chromium.launch({
    executablePath: 'scripts/chromium-real-clock.sh',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
}, 60_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await backEnd?.stop();
  if (backEnd) await dropTables(dynamoClient(), backEnd.names);
});

describe('the administration page in Chromium', () => {
  it('creates an agent who signs in at once to the agent panel but not here; disabled, their next request is refused', async () => {
    const admin = await signedIn('/admin/', 'admin', backEnd.newPasswords.get('admin')!);
    await admin.locator('#user-rows tr[data-user="agente"]').waitFor();
    expect(await admin.textContent('#config')).toContain('America/Panama');

    // A mistyped e-mail: refused, the field marked and focused, what was typed kept, nothing created.
    await admin.fill('#new-username', 'rosa.quintero');
    await admin.fill('#new-name', 'Rosa Quintero');
    await admin.fill('#new-email', 'rosa.quintero');
    await admin.click('#create-form button[type="submit"]');
    await admin.locator('#alert', { hasText: 'e-mail' }).waitFor();
    expect(await admin.getAttribute('#new-email', 'aria-invalid')).toBe('true');
    expect(await admin.evaluate(() => document.activeElement?.id)).toBe('new-email');
    expect(await admin.inputValue('#new-name')).toBe('Rosa Quintero');
    expect(await admin.locator('#user-rows tr[data-user="rosa.quintero"]').count()).toBe(0);

    await admin.fill('#new-email', 'rosa.quintero@ventanilla.example');
    await admin.selectOption('#new-role', 'agent');
    await admin.click('#create-form button[type="submit"]');
    const password = await admin.locator('#access code').textContent();
    expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    await admin.locator('#user-rows tr[data-user="rosa.quintero"]').waitFor();
    expect(await admin.textContent('#audit')).toContain('creó la cuenta rosa.quintero');
    expect(await axeViolations(admin, 'admin page, es')).toEqual([]);
    await admin.screenshot({ path: 'test-results/admin.png', fullPage: true });

    // Rosa signs in with it: the agent panel opens; the admin page does not.
    const rosa = await signedIn('/agent/', 'rosa.quintero', password!);
    await rosa.locator('#search-text').waitFor();
    await rosa.goto(`${backEnd.url}/admin/`);
    await rosa.locator('#login-error', { hasText: 'no administra' }).waitFor();
    expect(await rosa.evaluate(() => fetch('/api/admin/users').then((r) => r.status))).toBe(403);

    // Disabled: her very next request is refused; re-enabled, she is back.
    await admin.click('#user-rows tr[data-user="rosa.quintero"] [data-action="disable"]');
    await admin.locator('#user-rows tr[data-user="rosa.quintero"] [data-action="enable"]').waitFor();
    expect(await rosa.evaluate(() => fetch('/api/catalogue').then((r) => r.status))).toBe(401);
    await admin.click('#lang');
    await admin.locator('#audit', { hasText: 'disabled the account rosa.quintero' }).waitFor();
    expect(await axeViolations(admin, 'admin page, en')).toEqual([]);
  }, 60_000);
});
