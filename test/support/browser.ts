import { existsSync, mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startLocalBackEnd } from '../../local/back-end';
import { dropTables } from '../../shared/adapters/dynamodb/setup';
import { dynamoClient, testDynamoEndpoint } from './dynamo';

export const CHROMIUM = '/usr/bin/chromium';
type BackEnd = Awaited<ReturnType<typeof startLocalBackEnd>>;

/**
 * A page test's world: a local back end on the run's DynamoDB Local (tables of its own, dropped after) and
 * Debian's Chromium, started before the file's tests and stopped after them; pages at 1366×768, each with
 * its own cookies.
 */
export function pagesOnLocalBackEnd(
  what: string,
  prepare?: (backEnd: BackEnd) => Promise<void>,
  /** The time the flows check opening hours against (the wall clock by default). */
  flowsAt?: () => Date,
  /** The time the functions run at (the wall clock by default). */
  functionsAt?: () => Date,
) {
  let backEnd: BackEnd | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(
        `The ${what} test drives Debian's Chromium at ${CHROMIUM}, which is not installed: ` +
          'install the Debian package "chromium" (sudo apt-get install chromium). .ci/run installs it.',
      );
    mkdirSync('test-results', { recursive: true });
    backEnd = await startLocalBackEnd({
      configDir: 'config/city-hall',
      dynamoEndpoint: testDynamoEndpoint(),
      logLevel: 'CRITICAL',
      tablePrefix: `p${randomUUID().slice(0, 8)}-`,
      port: 0,
      ...(flowsAt ? { flowsAt } : {}),
      ...(functionsAt ? { functionsAt } : {}),
    });
    await prepare?.(backEnd);
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
  const world = {
    get backEnd(): BackEnd {
      return backEnd!;
    },
    /** A page of its own (its own cookies), at 1366×768 beside the softphone unless said (a phone's). */
    async page(locale = 'es-PA', viewport = { width: 1366, height: 768 }): Promise<Page> {
      const context = await browser!.newContext({
        viewport,
        locale,
        acceptDownloads: true,
      });
      contexts.push(context);
      return context.newPage();
    },
    /** A page at `path`, signed in as the user (with the password `npm start` made, unless given). */
    async signedIn(path: string, username: string, password?: string, locale = 'es-PA'): Promise<Page> {
      const page = await world.page(locale);
      await page.goto(`${backEnd!.url}${path}`);
      await page.fill('#username', username);
      await page.fill('#password', password ?? backEnd!.newPasswords.get(username)!);
      await page.press('#password', 'Enter');
      return page;
    },
  };
  return world;
}
