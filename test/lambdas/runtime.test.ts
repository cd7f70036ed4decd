import { CONNECT_BUDGET_MS } from '../../shared/runtime/connect-runtime';
import { INVOKE_TIME_LIMIT_SECONDS } from '../../infra/flows/builder';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileConfig } from '../../shared/config/load';
import { loadRuntime, need, parseSettings, SettingError } from '../../shared/runtime/runtime';
import { makeApiHandler } from '../../lambdas/api/function';
import { makeConnectCaseHandler } from '../../lambdas/connect-case/function';
import { makeMetricsAggregatorHandler } from '../../lambdas/metrics-aggregator/function';
import { demoPasswords } from '../../local/passwords';
import { loadUsers } from '../../local/session';

/** A function's folder as Lambda holds it: the bundle's config.json beside it. */
function bundleDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ventanilla-bundle-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(compileConfig('config/city-hall')));
  return dir;
}

describe('the runtime, built once from the environment', () => {
  it('parses every setting once, JSON ones by shape', () => {
    const settings = parseSettings({
      CASES_TABLE: 'cases',
      QUEUE_DEPARTMENTS: '[["arn:q/tax","tax"]]',
      MESSAGING_SOURCES: '{"SMS":"arn:sms"}',
      EVENT_STREAM: '',
    });
    expect(settings).toMatchObject({
      casesTable: 'cases',
      queueDepartments: [['arn:q/tax', 'tax']],
      messagingSources: { SMS: 'arn:sms' },
    });
    expect(settings.eventStream).toBeUndefined();
    expect(parseSettings({})).toMatchObject({ queueDepartments: [], messagingSources: {} });
  });

  it.each([
    ['QUEUE_DEPARTMENTS', 'not json', /QUEUE_DEPARTMENTS is not valid JSON/],
    ['QUEUE_DEPARTMENTS', '{"tax":"arn"}', /QUEUE_DEPARTMENTS has the wrong shape/],
    ['QUEUE_DEPARTMENTS', '[["arn:q/tax"]]', /QUEUE_DEPARTMENTS has the wrong shape/],
    ['MESSAGING_SOURCES', '{"FAX":"arn"}', /MESSAGING_SOURCES has the wrong shape/],
  ])('fails at cold start naming %s when it holds %s', (name, value, message) => {
    expect(() => loadRuntime({ [name]: value }, { service: 't', dir: bundleDir() })).toThrow(message);
  });

  it('fails to build a function whose environment lacks what it needs, naming the variable', () => {
    const runtime = loadRuntime({ CITIZENS_TABLE: 'citizens' }, { service: 't', dir: bundleDir() });
    expect(() => makeConnectCaseHandler(runtime)).toThrow(new SettingError('CASES_TABLE', 'is not set'));
    expect(() => makeMetricsAggregatorHandler(runtime)).toThrow(/METRICS_TABLE is not set/);
    expect(() =>
      makeApiHandler(runtime, { staff: demoPasswords(loadUsers('config/city-hall')).store }),
    ).toThrow(/CASES_TABLE is not set/);
    expect(() => need(runtime.settings, 'exchangeBucket')).toThrow(/EXCHANGE_BUCKET is not set/);
  });

  it("reads the bundle's config.json, or the one CONFIG_FILE names, and says which when it cannot", () => {
    const dir = bundleDir();
    expect(loadRuntime({}, { service: 't', dir }).config.deployment.id).toBe('city-hall');
    expect(() => loadRuntime({ CONFIG_FILE: join(dir, 'missing.json') }, { service: 't', dir })).toThrow(
      /missing\.json/,
    );
  });
});

describe('the Connect functions’ time budget', () => {
  it('is well inside the invocation time limit the flows give them', () => {
    expect(CONNECT_BUDGET_MS).toBeLessThanOrEqual((INVOKE_TIME_LIMIT_SECONDS * 1000) / 2);
  });
});
