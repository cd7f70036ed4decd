import { createServer, request, type Server } from 'node:http';

/**
 * An HTTP proxy on loopback that forwards to `target` and counts requests by operation (X-Amz-Target: DynamoDB,
 * Kinesis). Used to measure how many round trips a function really makes, and to inject faults: `inject` may
 * answer a request itself (the operation and its count so far) instead of forwarding it.
 */
export interface CountingProxy {
  readonly endpoint: string;
  readonly counts: Map<string, number>;
  total(): number;
  reset(): void;
  close(): Promise<void>;
}

/** An answer the proxy gives instead of the service's. */
export interface InjectedFault {
  readonly status: number;
  readonly body: unknown;
}

export async function startCountingProxy(
  target: string,
  inject?: (operation: string, count: number) => InjectedFault | undefined,
): Promise<CountingProxy> {
  const upstream = new URL(target);
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const operation = String(req.headers['x-amz-target'] ?? 'unknown')
      .split('.')
      .pop()!;
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
    const fault = inject?.(operation, counts.get(operation)!);
    if (fault) {
      req.resume();
      res.writeHead(fault.status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(fault.body));
      return;
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    forward.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    reset: () => counts.clear(),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
