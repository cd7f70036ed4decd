import { createServer, type Server } from 'node:net';
import { DynamoCitizenRepository } from '../../shared/adapters/dynamodb/citizen-repository';
import { newCitizen } from '../../shared/domain/citizen';
import { normalizeDocument, phoneIdentity } from '../../shared/domain/identity';
import { generateTicket } from '../../shared/domain/ticket';
import { connectEvent, loadConnectHandlers } from '../support/connect';

describe('what the Connect functions log', () => {
  it("never contains the caller's phone, document or name", async () => {
    const { doc, names, lookup, createCase, status } = await loadConnectHandlers();
    const phone = '+50769998877';
    const document = '8-888-1234';
    await new DynamoCitizenRepository(doc, names.citizens).create(
      newCitizen(
        {
          givenNames: 'Maximiliana',
          surnames: 'Zúñiga-Quintanar',
          identities: [phoneIdentity(phone, 'PA')],
          document: normalizeDocument('CEDULA', document),
        },
        'log-citizen',
        new Date().toISOString(),
      ),
    );

    const written: string[] = [];
    const capture = (chunk: unknown) => {
      written.push(String(chunk));
      return true;
    };
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
    const logs = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      jest
        .spyOn(console, m)
        .mockImplementation((...args: unknown[]) => void written.push(args.map(String).join(' '))),
    );
    try {
      // The caller keys their document (wrong, then right): the flow gets the name; the log must not.
      const contactId = 'log-contact-1';
      await lookup(
        connectEvent('voice-inbound-docs', { phone, contactId, parameters: { verifyDocument: '8888999' } }),
      );
      const popped = await lookup(
        connectEvent('voice-inbound-docs', { phone, contactId, parameters: { verifyDocument: '88881234' } }),
      );
      expect(popped.firstName).toBe('Maximiliana');
      const created = await createCase(
        connectEvent('chat-sms', { phone, parameters: { topic: 'complaint', request: 'Zúñiga' } }),
      );
      const heard = await status(
        connectEvent('voice-inbound-docs', { phone, contactId, parameters: { ticket: created.ticket! } }),
      );
      expect(heard.outcome).toBe('OK');
      await lookup(connectEvent('chat-web-captured', { parameters: { document: '8/bad' } }));
    } finally {
      [out, err, ...logs].forEach((spy) => spy.mockRestore());
    }
    const text = written.join('\n');
    expect(written.length).toBeGreaterThanOrEqual(4);
    // Tickets, contact ids, times and durations are drawn or measured: by chance they may hold "8888" or
    // "1234". They are not personal data; every other value of every line is searched for the caller's.
    const RANDOM = new Set(['ticket', 'contactId', 'timestamp', 'ms']);
    const searched = text
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => {
        try {
          return JSON.stringify(
            Object.entries(JSON.parse(line) as Record<string, unknown>).filter(([key]) => !RANDOM.has(key)),
          );
        } catch {
          return line; // not a JSON log line: searched whole
        }
      })
      .join('\n');
    for (const secret of [
      phone,
      phone.slice(4),
      '69998877',
      '8888',
      '1234',
      '8-888',
      'Maximiliana',
      'Zúñiga',
      'Zuniga',
      'Quintanar',
    ])
      expect(searched).not.toContain(secret);
    expect(text).toContain('"outcome":"OK"');
  });
});

describe('when DynamoDB does not answer', () => {
  let blackhole: Server;
  const sockets = new Set<import('node:net').Socket>();
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => blackhole.close(() => resolve()));
  });

  it('each function fails within its 2 s budget, so the flow takes its error branch', async () => {
    // A server that accepts connections and never replies.
    blackhole = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    const address = blackhole.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const { lookup, createCase, status } = await loadConnectHandlers(`http://127.0.0.1:${port}`);
    const silence = [process.stdout, process.stderr].map((stream) =>
      jest.spyOn(stream, 'write').mockImplementation(() => true),
    );
    try {
      for (const [fn, parameters] of [
        [lookup, {}],
        [createCase, { topic: 'complaint' }],
        [status, { ticket: generateTicket(() => 0.5) }],
      ] as const) {
        const started = Date.now();
        await expect(
          fn(connectEvent('voice-inbound-docs', { phone: '+50760001111', parameters })),
        ).rejects.toThrow();
        expect(Date.now() - started).toBeLessThan(2300);
      }
    } finally {
      silence.forEach((spy) => spy.mockRestore());
    }
  });
});
