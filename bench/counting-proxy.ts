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

/**
 * What the proxy does instead of forwarding at once: answer itself (`status`, `body`: a throttling error), cut
 * the connection (`reset`), or forward after `delayMs` (a timeout, for a client that gives up first — the
 * request may still be applied, as with a real one).
 */
export type InjectedFault =
  | { readonly status: number; readonly body: unknown }
  | { readonly reset: true }
  | { readonly delayMs: number };

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
    if (fault && 'reset' in fault) {
      req.socket.destroy();
      return;
    }
    if (fault && 'status' in fault) {
      req.resume();
      res.writeHead(fault.status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(fault.body));
      return;
    }
    const forward = () => {
      const upstreamRequest = request(
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
      upstreamRequest.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      return upstreamRequest;
    };
    if (fault && 'delayMs' in fault) {
      // The body is read now and sent late: the client may have given up meanwhile.
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () =>
        setTimeout(() => {
          const upstreamRequest = forward();
          upstreamRequest.end(Buffer.concat(chunks));
        }, fault.delayMs),
      );
      res.on('error', () => undefined);
      return;
    }
    req.pipe(forward());
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
