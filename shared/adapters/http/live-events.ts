import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LiveMetrics, MetricsReader } from '../../domain/metrics/read-model';
import type { Clock } from '../../domain/ports';

export interface LiveEvents {
  /** The request handler: a text/event-stream of `live` events, one whenever the figures change. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Read now and push to every client if anything changed (the aggregator calls this after a batch). */
  refresh(): Promise<void>;
  close(): void;
}

/**
 * Server-sent events for the local dashboard. The live view is read when the aggregator applies a batch (and
 * every `pollMs` as a safety net) and pushed only when it changed, so a figure reaches the page within a
 * second of its event. Each event carries the whole live view: a client that reconnects is whole at once.
 */
export function liveEvents(deps: { reader: MetricsReader; clock: Clock; pollMs?: number }): LiveEvents {
  const clients = new Set<ServerResponse>();
  let last = '';
  let reading: Promise<void> | undefined;

  const send = (res: ServerResponse, body: string) => res.write(`event: live\ndata: ${body}\n\n`);
  const fingerprint = (live: LiveMetrics) => JSON.stringify({ ...live, at: undefined });

  // One read at a time; a refresh asked for during a read causes one more read right after it.
  let again = false;
  const refresh = (): Promise<void> => {
    if (reading) {
      again = true;
      return reading;
    }
    reading = (async () => {
      do {
        again = false;
        const live = await deps.reader.live(deps.clock.now());
        const print = fingerprint(live);
        if (print !== last) {
          last = print;
          const body = JSON.stringify(live);
          for (const res of clients) send(res, body);
        }
      } while (again);
    })().finally(() => {
      reading = undefined;
    });
    return reading;
  };

  // A ping every few seconds tells a page the connection is alive when no figure changes.
  let ticks = 0;
  const timer = setInterval(() => {
    void refresh().catch(() => undefined);
    if (++ticks % 3 === 0) for (const res of clients) res.write('event: ping\ndata: {}\n\n');
  }, deps.pollMs ?? 1000);
  timer.unref();

  return {
    handle(req, res) {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': live metrics\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      // A newcomer gets the current view at once.
      void deps.reader
        .live(deps.clock.now())
        .then((live) => send(res, JSON.stringify(live)))
        .catch(() => res.end());
    },
    refresh,
    close() {
      clearInterval(timer);
      for (const res of clients) res.end();
      clients.clear();
    },
  };
}
