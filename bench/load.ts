import autocannon from 'autocannon';
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { citizenKeys } from '../shared/adapters/dynamodb/citizen-items';
import { INDEXES } from '../shared/adapters/dynamodb/tables';
import { normalizeName } from '../shared/domain/text';
import { startLocalBackEnd } from '../local/back-end';
import { event } from './connect';
import { percentile, progress, report, round } from './harness';

const CITIZENS = 1000;
const CONNECTIONS = 50;
const SECONDS = 10;
const CONNECT_CONCURRENCY = 200;
const CONNECT_CALLS = 1000;

const SURNAMES = 'García González Rodríguez Fernández López Martínez Sánchez Pérez Gómez Martín'.split(' ');
const phoneOf = (i: number) => `+5076${String(700_000 + i).padStart(7, '0')}`;

/** `n` calls of `fn`, `concurrency` at a time; each call's milliseconds and how many failed. */
async function atOnce(n: number, concurrency: number, fn: (i: number) => Promise<unknown>) {
  const times: number[] = [];
  let failed = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t0 = performance.now();
        try {
          await fn(i);
        } catch {
          failed++;
        }
        times.push(performance.now() - t0);
      }
    }),
  );
  return { times, failed };
}

/**
 * The staff API under load on the local back end (loopback only): 50 connections for 10 s each on the search by
 * surname, the screen pop by phone and a case transition (each request on a case of its own, at the version it
 * has), with p50/p99 latency and the error rate; and the Connect functions under 200 concurrent invocations
 * (the lookup and the case intake), with p99 against the flows' 4 s limit. Beside them, the floors of the same
 * DynamoDB Local at the same concurrency: the search's Query alone, and a bare four-item transaction.
 */
export async function run(): Promise<void> {
  const backEnd = await startLocalBackEnd({
    configDir: 'config/city-hall',
    port: 0,
    tablePrefix: 'bench-load-',
    // The functions' own error lines would interleave with the figures: failures are counted in them.
    logLevel: 'CRITICAL',
  });
  try {
    const headers = { authorization: `Bearer ${backEnd.token}`, 'content-type': 'application/json' };
    const api = async (path: string, body: unknown) => {
      const res = await fetch(`${backEnd.url}/api${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
      return (await res.json()) as { citizen?: { id: string }; ticket?: string };
    };
    progress(`seeding ${CITIZENS} citizens, each with an open case…`);
    const tickets: string[] = [];
    await atOnce(CITIZENS, 8, async (i) => {
      const made = await api('/citizens', {
        givenNames: 'Carga',
        surnames: `${SURNAMES[i % SURNAMES.length]} ${i}`,
        phone: phoneOf(i),
      });
      const opened = await api('/cases', {
        citizenId: made.citizen!.id,
        topicId: 'payment-plan',
        channel: 'VOICE',
      });
      tickets.push(opened.ticket!);
    });

    const scenarios: { name: string; requests: () => autocannon.Request[]; amount?: number }[] = [
      {
        name: 'search',
        requests: () => [
          {
            method: 'GET',
            setupRequest: (req) => ({
              ...req,
              path: `/api/citizens?surname=${encodeURIComponent(SURNAMES[Math.floor(Math.random() * SURNAMES.length)]!)}`,
            }),
          },
        ],
      },
      {
        name: 'screen_pop',
        requests: () => [
          {
            method: 'GET',
            setupRequest: (req) => ({
              ...req,
              path: `/api/citizens?phone=${encodeURIComponent(phoneOf(Math.floor(Math.random() * CITIZENS)))}`,
            }),
          },
        ],
      },
      {
        // Each case moved once, at the version it has: a conflict would be an error here.
        name: 'case_transition',
        amount: tickets.length,
        requests: () => {
          let next = 0;
          return [
            {
              method: 'POST',
              setupRequest: (req) => ({
                ...req,
                path: `/api/cases/${tickets[next++ % tickets.length]}/transitions`,
                headers: { ...req.headers, 'if-match': '"1"' },
                body: JSON.stringify({ to: 'PENDING_RESPONSE' }),
              }),
            },
          ];
        },
      },
    ];
    for (const s of scenarios) {
      progress(`${s.name}: ${CONNECTIONS} connections…`);
      const result = await autocannon({
        url: backEnd.url,
        connections: CONNECTIONS,
        ...(s.amount ? { amount: s.amount } : { duration: SECONDS }),
        headers,
        requests: s.requests(),
      });
      const total = result.requests.total;
      const errors = result.errors + result.timeouts + result.non2xx;
      report({
        name: `load.api.${s.name}.p99_ms`,
        value: result.latency.p99,
        unit: 'ms',
        goal: '<= 100',
        p50_ms: result.latency.p50,
        requests_per_s: round(result.requests.average, 1),
        requests: total,
        error_rate: round(errors / Math.max(1, total), 4),
        connections: CONNECTIONS,
      });
    }

    // The floor under the staff API: the search's one Query, sent straight to DynamoDB Local by as many
    // callers at once as the API had connections — no HTTP, no session, no JSON — for as long.
    const surnameQuery = (i: number) =>
      backEnd.doc.send(
        new QueryCommand({
          TableName: backEnd.names.citizens,
          IndexName: INDEXES.bySurname.name,
          KeyConditionExpression: `${INDEXES.bySurname.partitionKey} = :p AND begins_with(${INDEXES.bySurname.sortKey}, :q)`,
          ExpressionAttributeValues: {
            ':p': citizenKeys.surnamePartition(normalizeName(SURNAMES[i % SURNAMES.length]!)),
            ':q': normalizeName(SURNAMES[i % SURNAMES.length]!),
          },
          Limit: 25,
        }),
      );
    const queries = await forSeconds(SECONDS, CONNECTIONS, surnameQuery);
    report({
      name: 'load.floor.query.p99_ms',
      value: round(percentile(queries.times, 99), 1),
      unit: 'ms',
      p50_ms: round(percentile(queries.times, 50), 1),
      requests_per_s: round(queries.times.length / SECONDS, 1),
      concurrency: CONNECTIONS,
      note: 'the search Query alone, straight to DynamoDB Local: what the API p99 cannot go below here',
    });

    progress(`the Connect functions: ${CONNECT_CALLS} invocations, ${CONNECT_CONCURRENCY} at once…`);
    for (const [name, call] of [
      ['lookup', (i: number) => backEnd.handlers.lookup(event(phoneOf(i % CITIZENS), `load-lookup-${i}`))],
      [
        'case',
        (i: number) =>
          backEnd.handlers.createCase(
            event(phoneOf(i % CITIZENS), `load-case-${i}`, { topic: 'lost-plate', language: 'es' }),
          ),
      ],
    ] as const) {
      const { times, failed } = await atOnce(CONNECT_CALLS, CONNECT_CONCURRENCY, call);
      report({
        name: `load.connect.${name}.p99_ms`,
        value: round(percentile(times, 99), 1),
        unit: 'ms',
        goal: '<= 1000',
        p50_ms: round(percentile(times, 50), 1),
        failed,
        calls: CONNECT_CALLS,
        concurrency: CONNECT_CONCURRENCY,
      });
    }
    // The floor under the case intake: a bare four-item transaction (what the intake writes, new items on
    // new keys), as many at once as the functions had invocations.
    const run = Date.now();
    const transactions = await atOnce(CONNECT_CALLS, CONNECT_CONCURRENCY, (i) =>
      backEnd.doc.send(
        new TransactWriteCommand({
          TransactItems: [0, 1, 2, 3].map((k) => ({
            Put: {
              TableName: backEnd.names.cases,
              Item: { pk: `FLOOR#${run}#${i}#${k}`, sk: 'X', text: 'x'.repeat(300) },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          })),
        }),
      ),
    );
    report({
      name: 'load.floor.transaction.p99_ms',
      value: round(percentile(transactions.times, 99), 1),
      unit: 'ms',
      p50_ms: round(percentile(transactions.times, 50), 1),
      failed: transactions.failed,
      calls: CONNECT_CALLS,
      concurrency: CONNECT_CONCURRENCY,
      note: 'a bare four-item transaction straight to DynamoDB Local: what the intake p99 cannot go below here',
    });
  } finally {
    await backEnd.stop();
  }
}

/** `concurrency` callers calling `fn` one call after another for `seconds`; each call's milliseconds. */
async function forSeconds(seconds: number, concurrency: number, fn: (i: number) => Promise<unknown>) {
  const times: number[] = [];
  const until = performance.now() + seconds * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        await fn(next++);
        times.push(performance.now() - t0);
      }
    }),
  );
  return { times };
}
