import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the fake agency answers for a document: `yes`, `no` (with a reason), `slow` (answers after `slowMs`,
 * past any sensible timeout), `down` (503 every time), `flaky` (503 once, then yes), `garbage` (a body that
 * is not an answer). A document not in the script gets `otherwise` (a no unless said).
 */
export type AgencyScript = Readonly<Record<string, 'yes' | 'no' | 'slow' | 'down' | 'flaky' | 'garbage'>>;

async function bodyOf(req: IncomingMessage): Promise<{ check?: string; document?: string }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { check?: string; document?: string };
  } catch {
    return {};
  }
}

/**
 * Another agency's eligibility service, locally: a real HTTP server answering `POST /` as the script says,
 * counting the requests it gets (per document), so that tests and the local back end exercise the real
 * adapter — its timeouts, retries and cache — against something that can be slow or down on purpose.
 */
export async function startFakeAgency(
  script: AgencyScript,
  options: { slowMs?: number; otherwise?: AgencyScript[string] } = {},
) {
  const requests = new Map<string, number>();
  const answers = new Map(Object.entries(script));
  const pending = new Set<NodeJS.Timeout>();
  const server = createServer(async (req, res) => {
    const { document = '' } = await bodyOf(req);
    const seen = (requests.get(document) ?? 0) + 1;
    requests.set(document, seen);
    const answer = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    switch (answers.get(document) ?? options.otherwise ?? 'no') {
      case 'yes':
        return answer(200, JSON.stringify({ eligible: true }));
      case 'no':
        return answer(200, JSON.stringify({ eligible: false, reason: 'Tiene impuestos pendientes' }));
      case 'slow': {
        const timer = setTimeout(() => {
          pending.delete(timer);
          answer(200, JSON.stringify({ eligible: true }));
        }, options.slowMs ?? 5_000);
        return void pending.add(timer);
      }
      case 'down':
        return answer(503, '{}');
      case 'flaky':
        return seen === 1 ? answer(503, '{}') : answer(200, JSON.stringify({ eligible: true }));
      case 'garbage':
        return answer(200, '<html>mantenimiento</html>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    /** Requests received for a document. */
    requests: (document: string) => requests.get(document) ?? 0,
    /** From now on, answers so for a document. */
    answer: (document: string, outcome: AgencyScript[string]) => void answers.set(document, outcome),
    stop: () =>
      new Promise<void>((resolve) => {
        pending.forEach(clearTimeout);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
