import { createServer, request, type Server } from 'node:http';
import { startLocalBackEnd } from '../local/back-end';
import { startDynamoLocal } from '../local/dynamodb-local';
import { localTarget, simulate } from '../local/simulator/run';
import { loadConfig } from '../shared/config/load';
import { progress, report, round } from './harness';

/**
 * On-demand prices the figures are turned into, per million request units (us-east-1, from November 2024):
 * change them for another region or a later price list.
 */
const PRICE_PER_MILLION = { write: 0.625, read: 0.125 };

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);

interface Units {
  read: number;
  write: number;
  requests: number;
}

/**
 * A proxy to DynamoDB Local that asks for every request's consumed capacity (ReturnConsumedCapacity TOTAL)
 * and adds it up, as AWS would bill it: DynamoDB Local counts a write by its size in 1 KB units, a read in
 * 4 KB units (half for an eventually consistent one), and a transaction twice — what it answers is summed.
 */
async function startCapacityProxy(target: string) {
  const upstream = new URL(target);
  const units: Units = { read: 0, write: 0, requests: 0 };
  const server: Server = createServer((req, res) => {
    const operation = String(req.headers['x-amz-target'] ?? '')
      .split('.')
      .pop()!;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      const counted = WRITES.has(operation) || READS.has(operation);
      if (counted) {
        const json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
        json.ReturnConsumedCapacity = 'TOTAL';
        body = Buffer.from(JSON.stringify(json));
      }
      const headers = { ...req.headers, 'content-length': String(body.length) };
      delete headers['accept-encoding'];
      const forward = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
        (upstreamRes) => {
          const out: Buffer[] = [];
          upstreamRes.on('data', (c: Buffer) => out.push(c));
          upstreamRes.on('end', () => {
            const text = Buffer.concat(out);
            if (counted && upstreamRes.statusCode === 200) {
              units.requests++;
              const consumed = (JSON.parse(text.toString('utf8')) as { ConsumedCapacity?: unknown })
                .ConsumedCapacity;
              const total = [consumed]
                .flat()
                .reduce(
                  (n: number, c) => n + Number((c as { CapacityUnits?: number })?.CapacityUnits ?? 0),
                  0,
                );
              if (WRITES.has(operation)) units.write += total;
              else units.read += total;
            }
            res.writeHead(upstreamRes.statusCode ?? 502, {
              ...upstreamRes.headers,
              'content-length': String(text.length),
            });
            res.end(text);
          });
        },
      );
      forward.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    /** The units since the last call. */
    take(): Units {
      const taken = { ...units };
      units.read = units.write = units.requests = 0;
      return taken;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const price = (u: Units, per: number) =>
  round(((u.write * PRICE_PER_MILLION.write + u.read * PRICE_PER_MILLION.read) / 1e6 / per) * 1000, 6);

/**
 * What the work costs in DynamoDB capacity, counted on the wire: a simulated day (every function, the stream
 * consumers, the aggregator), then each department's morning export and the import of an answer for every case
 * exported. Units per contact, per case created, per case exported and per case imported, and the price per
 * thousand at on-demand rates — for a deployment to estimate its bill.
 */
export async function run(): Promise<void> {
  const config = loadConfig('config/city-hall');
  const dynamo = await startDynamoLocal({});
  const proxy = await startCapacityProxy(dynamo.endpoint);
  const backEnd = await startLocalBackEnd({
    configDir: 'config/city-hall',
    dynamoEndpoint: proxy.endpoint,
    port: 0,
    tablePrefix: 'bench-capacity-',
    logLevel: 'CRITICAL',
  });
  try {
    proxy.take(); // the tables' creation and the start are not the work
    progress('  a simulated day of 2,000 contacts');
    const day = await simulate(localTarget(backEnd, config), {
      contacts: 2000,
      agents: 'auto',
      hours: 4,
      speed: Infinity,
      seed: 41,
      settleMs: 30_000,
    });
    const dayUnits = proxy.take();
    const figure = (name: string, units: Units, per: number, what: string) =>
      report({
        name: `capacity.${name}`,
        value: round((units.write + units.read) / per, 2),
        unit: `request units per ${what}`,
        writeUnits: round(units.write / per, 2),
        readUnits: round(units.read / per, 2),
        requests: round(units.requests / per, 2),
        dollarsPerThousand: price(units, per),
        count: per,
      });
    figure('contact', dayUnits, day.contacts, 'contact (the whole day: intake, routing records, metrics)');
    figure('case-created', dayUnits, day.casesCreated, 'case created (the same day, per case)');

    const api = async (path: string, body: string, contentType = 'application/json') => {
      const res = await fetch(`${backEnd.url}/api${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${backEnd.token}`, 'content-type': contentType },
        body,
      });
      return (await res.json()) as { rows?: { ticket: string }[] };
    };
    progress('  the morning export of every department, then an answer imported for each case');
    const tickets: string[] = [];
    for (const d of config.deployment.departments) {
      const exported = await api('/backoffice/exports', JSON.stringify({ department: d.id }));
      tickets.push(...(exported.rows ?? []).map((r) => r.ticket));
    }
    const exportUnits = proxy.take();
    if (tickets.length) {
      figure('case-exported', exportUnits, tickets.length, 'case exported');
      await api(
        '/backoffice/imports',
        `ticket,answer\n${tickets.map((t) => `${t},Trámite aprobado.`).join('\n')}\n`,
        'text/csv',
      );
      figure('case-imported', proxy.take(), tickets.length, 'case imported (answer, status, audit)');
    }
  } finally {
    await backEnd.stop();
    await proxy.close();
    await dynamo.stop();
  }
}
