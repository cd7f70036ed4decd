import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STREAM, localFunctions, startLocalBackEnd } from '../local/back-end';
import { startDynamoLocal } from '../local/dynamodb-local';
import { onFailureStore } from '../local/pollers';
import { localQueues } from '../local/contact-center';
import { runningBackEnds, type RunningBackEnd } from '../local/running';
import { localTarget, simulate } from '../local/simulator/run';
import { seededRandom } from '../shared/domain/random';
import { startCountingProxy, type InjectedFault } from './counting-proxy';
import { createDocumentClient } from '../shared/adapters/dynamodb/client';
import { DynamoMetricsStore } from '../shared/adapters/dynamodb/metrics-store';
import { InMemoryMetricsStore } from '../shared/adapters/memory/metrics-store';
import { createKinesisClient } from '../shared/adapters/kinesis/publisher';
import { parseKinesisRecord } from '../shared/adapters/connect/stream-records';
import { loadConfig } from '../shared/config/load';
import { localDateByMinute } from '../shared/domain/calendar';
import { aggregateBatch } from '../shared/domain/metrics/aggregate';
import { INTERVAL_COUNTERS, CASE_COUNTERS } from '../shared/domain/metrics/effects';
import { progress, report, round } from './harness';

const CONTACTS = 3000;
const KILL_AT = 0.4;
const PORT = 3917;

/** `npm start` in a process of its own, on the data folder: resolves once it says where it runs. */
async function startContactCenter(
  dataDir: string,
): Promise<{ child: ChildProcess; running: RunningBackEnd }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'local/start.ts', '--port', String(PORT), '--data-dir', dataDir],
    {
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + 90_000;
  for (;;) {
    const running = runningBackEnds().find((b) => b.port === PORT);
    if (running && running.pid === child.pid) return { child, running };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`npm start did not come up (exit ${child.exitCode}): ${stderr.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Every record the stream holds, in order per shard. */
async function readWholeStream(endpoint: string) {
  const kinesis = createKinesisClient({ endpoint });
  const records: { kinesis: { data: string; sequenceNumber: string } }[] = [];
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: EVENT_STREAM }));
  for (const shard of Shards) {
    let iterator = (
      await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: EVENT_STREAM,
          ShardId: shard.ShardId!,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    while (iterator) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const r of page.Records ?? [])
        records.push({
          kinesis: { data: Buffer.from(r.Data!).toString('base64'), sequenceNumber: r.SequenceNumber! },
        });
      iterator = page.Records?.length ? page.NextShardIterator : undefined;
    }
  }
  kinesis.destroy();
  return records;
}

/**
 * The crash: `npm start --data-dir` in a process of its own, a simulated day played against it from here, and
 * the contact center killed with SIGKILL when 40 % of the contacts have ended; then started again on the same
 * data. It must go on from what it kept: every record on the stream counted exactly once (the figures it
 * stores equal the stream aggregated afresh in memory), every case it created counted once, and no contact
 * or agent of the dead process still shown live. Contacts that were with an agent when the process died have
 * no end (their record would have come from that process): counted as `endedByCrash`.
 */
async function crash(): Promise<void> {
  const config = loadConfig('config/city-hall');
  const dataDir = mkdtempSync(join(tmpdir(), 'ventanilla-crash-'));
  let center: { child: ChildProcess; running: RunningBackEnd } | undefined;
  try {
    center = await startContactCenter(dataDir);
    const first = center.running;
    const handlers = localFunctions(first, { config, logLevel: 'CRITICAL' });
    const doc = createDocumentClient({ endpoint: first.dynamoEndpoint, requestTimeoutMs: 5000 });
    const kinesis = createKinesisClient({ endpoint: first.kinesisEndpoint });
    const metrics = new DynamoMetricsStore(doc, first.names.metrics, {
      queues: localQueues(config.deployment),
    });
    const controller = new AbortController();
    const killed = center.child;
    let ended = 0;
    const played = simulate(
      { config, handlers, kinesis, stream: EVENT_STREAM, metrics },
      {
        contacts: CONTACTS,
        agents: 'auto',
        hours: 4,
        speed: Infinity,
        seed: 21,
        settleMs: 1000,
        signal: controller.signal,
        onProgress: (p) => {
          ended = p.ended;
          if (p.ended >= CONTACTS * KILL_AT && killed.exitCode === null) killed.kill('SIGKILL');
        },
      },
    ).catch((error: unknown) => error);
    while (killed.exitCode === null && killed.signalCode === null)
      await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    await played;
    handlers.close();
    doc.destroy();
    kinesis.destroy();
    progress(
      `  killed with SIGKILL after ${ended} of ${CONTACTS} contacts ended; starting again on its data`,
    );

    const restartedAt = Date.now();
    center = await startContactCenter(dataDir);
    const again = center.running;
    const doc2 = createDocumentClient({ endpoint: again.dynamoEndpoint, requestTimeoutMs: 5000 });
    const stored = new DynamoMetricsStore(doc2, again.names.metrics, {
      queues: localQueues(config.deployment),
    });

    // The truth: everything on the stream, aggregated afresh in memory by the same rules.
    const fresh = new InMemoryMetricsStore();
    const settings = {
      serviceLevelSeconds: config.deployment.serviceLevelSeconds,
      departmentOf: (q: string) => localQueues(config.deployment).departmentOf(q),
      localDate: localDateByMinute(config.calendar),
    };
    const figuresOf = async () => {
      const out = new Map<string, number>();
      for (const department of config.deployment.departments.map((d) => d.id))
        for (const channel of ['VOICE', 'CHAT', 'SMS', 'WHATSAPP', 'TASK', 'EMAIL'])
          for (const row of await stored.intervalRows(
            { dimension: 'department', id: department, channel },
            'day',
            '2000-01-01',
            '2999-12-31',
          ))
            for (const c of [...INTERVAL_COUNTERS, ...CASE_COUNTERS])
              if (row[c]) out.set(`${department}|${channel}|${row.start}|${c}`, Number(row[c]));
      return out;
    };
    // Settled: the live view empty of the dead process's contacts and agents, and the figures no longer moving.
    let last = '';
    let steady = 0;
    let live = await stored.live(new Date());
    for (let i = 0; i < 600 && steady < 6; i++) {
      await new Promise((r) => setTimeout(r, 500));
      live = await stored.live(new Date());
      const now = JSON.stringify([...(await figuresOf()).entries()]);
      steady = now === last && live.queues.every((q) => q.waiting === 0) ? steady + 1 : 0;
      last = now;
    }
    const settleSeconds = (Date.now() - restartedAt) / 1000;
    const records = await readWholeStream(again.kinesisEndpoint);
    const parsed = records.map(parseKinesisRecord);
    for (let i = 0; i < parsed.length; i += 500)
      await aggregateBatch(parsed.slice(i, i + 500), { store: fresh, settings, concurrency: 8 });
    const expected = new Map<string, number>();
    for (const f of fresh.figures())
      if (f.scope.dimension === 'department' && f.period === 'day')
        for (const [c, v] of Object.entries(f.counters))
          if (v) expected.set(`${f.scope.id}|${f.scope.channel}|${f.start}|${c}`, v);
    const got = await figuresOf();
    let lost = 0;
    let duplicated = 0;
    for (const key of new Set([...expected.keys(), ...got.keys()])) {
      const difference = (got.get(key) ?? 0) - (expected.get(key) ?? 0);
      if (difference > 0) duplicated += difference;
      else lost -= difference;
    }
    // Every case the cases table holds was counted as created once.
    const cases = await doc2.send(
      new ScanCommand({
        TableName: again.names.cases,
        FilterExpression: 'sk = :case',
        ExpressionAttributeValues: { ':case': 'CASE' },
        Select: 'COUNT',
      }),
    );
    const casesCounted = [...got.entries()]
      .filter(([k]) => k.endsWith('|casesCreated'))
      .reduce((n, [, v]) => n + v, 0);
    // Contacts with events on the stream and no record: those an agent had when the process died.
    const events = parsed.flatMap((p) => (p.status === 'event' ? [p.event] : []));
    const withRecord = new Set(events.flatMap((e) => (e.kind === 'contact-record' ? [e.contactId] : [])));
    const begun = new Set(
      events.flatMap((e) =>
        e.kind === 'contact-event' && e.type === 'CONNECTED_TO_AGENT' ? [e.contactId] : [],
      ),
    );
    const endedByCrash = [...begun].filter((id) => !withRecord.has(id)).length;
    const loggedIn = Object.entries(live.agents).reduce((n, [s, c]) => (s === 'OFFLINE' ? n : n + c), 0);
    const stillWaiting = live.queues.reduce((n, q) => n + q.waiting, 0);
    doc2.destroy();
    report({
      name: 'faults.crash',
      value: lost + duplicated + Math.abs(Number(cases.Count ?? 0) - casesCounted) + loggedIn + stillWaiting,
      unit: 'miscounted',
      goal: 0,
      contactsEndedBeforeKill: ended,
      streamRecords: records.length,
      lost,
      duplicated,
      casesInTable: cases.Count ?? 0,
      casesCounted,
      deadLettered: 0,
      ghostsWaiting: stillWaiting,
      ghostsLoggedIn: loggedIn,
      endedByCrash,
      settleSeconds: round(settleSeconds, 1),
    });
  } finally {
    if (center && center.child.exitCode === null) {
      center.child.kill('SIGTERM');
      await new Promise((r) => center!.child.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

type FaultKind = 'throttle' | 'reset' | 'timeout';
const FAULTS: Record<FaultKind, { rate: number; fault: InjectedFault; what: string }> = {
  throttle: {
    rate: 0.05,
    fault: {
      status: 400,
      body: {
        __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
        message: 'The level of configured provisioned throughput for the table was exceeded.',
      },
    },
    what: '5 % of DynamoDB requests throttled',
  },
  reset: { rate: 0.02, fault: { reset: true }, what: '2 % of DynamoDB connections reset' },
  // Longer than the functions' own bound on a DynamoDB call: they give up and retry, and the late request
  // may still be applied — a retried write must not write twice.
  timeout: { rate: 0.01, fault: { delayMs: 1500 }, what: '1 % of DynamoDB requests answered after 1.5 s' },
};

/**
 * A simulated day with faults between every function (and the table stream's reader) and DynamoDB Local, on
 * a fault proxy: every contact must end, the stored figures equal the ground truth, no case written twice,
 * and whatever the stream consumers gave up on kept in the on-failure store with its reason.
 */
async function proxied(kind: FaultKind): Promise<void> {
  const config = loadConfig('config/city-hall');
  const dynamo = await startDynamoLocal({});
  const random = seededRandom(7);
  let armed = false;
  let injected = 0;
  const { rate, fault, what } = FAULTS[kind];
  const proxy = await startCountingProxy(dynamo.endpoint, () => {
    if (!armed || random() >= rate) return undefined;
    injected++;
    return fault;
  });
  const deadBefore = onFailureStore.length;
  const backEnd = await startLocalBackEnd({
    configDir: 'config/city-hall',
    dynamoEndpoint: proxy.endpoint,
    port: 0,
    tablePrefix: `bench-faults-${kind}-`,
    logLevel: 'CRITICAL',
  });
  try {
    armed = true;
    const day = await simulate(localTarget(backEnd, config), {
      contacts: 1500,
      agents: 'auto',
      hours: 3,
      speed: Infinity,
      seed: 31,
      settleMs: 30_000,
    });
    armed = false;
    const cases = await backEnd.doc.send(
      new ScanCommand({
        TableName: backEnd.names.cases,
        FilterExpression: 'sk = :case',
        ExpressionAttributeValues: { ':case': 'CASE' },
        Select: 'COUNT',
      }),
    );
    const duplicated = Math.max(0, Number(cases.Count ?? 0) - day.casesCreated);
    report({
      name: `faults.${kind}`,
      value: day.lost + duplicated + day.mismatches.length,
      unit: 'miscounted',
      goal: 0,
      fault: what,
      injected,
      contacts: day.contacts,
      lost: day.lost,
      duplicated,
      metricsMatch: day.metricsMatch,
      mismatches: day.mismatches.slice(0, 5),
      deadLettered: onFailureStore.length - deadBefore,
      casesCreated: day.casesCreated,
      casesInTable: cases.Count ?? 0,
      callbacks: day.callbacks,
      seconds: day.seconds,
    });
  } finally {
    armed = false;
    await backEnd.stop();
    await proxy.close();
    await dynamo.stop();
  }
}

export async function run(): Promise<void> {
  for (const kind of Object.keys(FAULTS) as FaultKind[]) {
    progress(`  ${FAULTS[kind].what}: a simulated day of 1,500 contacts`);
    await proxied(kind);
  }
  progress('  crash: SIGKILL of npm start mid-day, then a start on the same data');
  await crash();
}
